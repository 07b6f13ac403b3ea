import { readFileSync } from 'node:fs';
import { type ComponentSearchResult, type DependencyLevel, FACET_NONE, type FacetValue } from '@medsec/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../../../core/src/testing/corpora.ts';
import { drainJobs } from '../../platform/jobs/jobs.service.ts';
import { createProductVia } from '../../testing/fixtures.ts';
import {
  addMember,
  bootstrapAdmin,
  STRONG_PASSWORD,
  signIn,
  type TestClient,
} from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { importOsv } from '../advisories/advisories.service.ts';

/**
 * The component explorer with real SBOMs: the medical-device SBOM (55 components, no dependency edges, findings from
 * the GitHub advisories), kawipiko (Go modules, a graph with cycles, findings from the Go vulnerability database) and
 * OWASP juice-shop (npm, 1,115 components, 1,775 edges under the application).
 */
describe('SBOM component explorer', () => {
  let t: TestApp;
  let dev: TestClient;
  const sboms: Record<'narrow' | 'kawipiko' | 'juice', string> = { narrow: '', kawipiko: '', juice: '' };
  const files = {
    narrow: corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json'),
    kawipiko: corpus('sbom', 'bom-shelter', 'in-the-wild', 'cyclonedx', 'kawipiko-sbom-cdx.json'),
    juice: corpus(
      'sbom',
      'cyclonedx',
      'bom-examples',
      'SBOM',
      'juice-shop',
      'via_npm',
      'flat',
      'bom.1.4.json',
    ),
  };
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await bootstrapAdmin(t);
    dev = await signIn(t, (await addMember(t, admin.client, 'developer')).email, STRONG_PASSWORD);
    const officer = await signIn(
      t,
      (await addMember(t, admin.client, 'security_officer')).email,
      STRONG_PASSWORD,
    );
    const productId = (await createProductVia(officer)).id;
    await importOsv(t.deps, corpus('osv', 'ghsa-targeted'));
    await importOsv(t.deps, corpus('osv', 'go', 'golang-vulndb-osv.jsonl.gz'));
    for (const [i, name] of (['narrow', 'kawipiko', 'juice'] as const).entries()) {
      const release = (
        await officer.post(`/api/v1/products/${productId}/releases`, { version: `${i + 1}.0` })
      ).json<{ id: string }>().id;
      const res = await dev.upload('POST', `/api/v1/releases/${release}/sboms`, {
        name: `${name}.cdx.json`,
        content: readFileSync(files[name]),
      });
      expect(res.status, res.body.slice(0, 300)).toBe(201);
      sboms[name] = res.json<{ id: string }>().id;
    }
    await drainJobs(t.deps, t.jobs);
  });
  afterAll(async () => {
    await t.close();
  });

  const search = async (sbom: string, query: Record<string, string | number> = {}) => {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
    const res = await dev.get(`/api/v1/sboms/${sbom}/components/search${qs ? `?${qs}` : ''}`);
    expect(res.status, res.body.slice(0, 300)).toBe(200);
    return res.json<ComponentSearchResult>();
  };
  const level = async (sbom: string, query: Record<string, string | number> = {}) => {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
    const res = await dev.get(`/api/v1/sboms/${sbom}/dependencies${qs ? `?${qs}` : ''}`);
    expect(res.status, res.body.slice(0, 300)).toBe(200);
    return res.json<DependencyLevel>();
  };
  const sum = (values: FacetValue[]) => values.reduce((n, v) => n + v.count, 0);

  it('pages the components with facet counts that add up to the total', async () => {
    const all = await search(sboms.narrow, { pageSize: 20 });
    expect(all.total).toBe(55);
    expect(all.items).toHaveLength(20);
    expect(sum(all.facets.types)).toBe(55);
    expect(sum(all.facets.licenses)).toBe(55);
    expect(sum(all.facets.suppliers)).toBe(55);
    expect(all.facets.types.map((f) => f.value).sort()).toEqual(['device', 'firmware', 'library']);
    const last = await search(sboms.narrow, { pageSize: 20, page: 3 });
    expect(last.items).toHaveLength(15);
    const names = [
      ...all.items,
      ...(await search(sboms.narrow, { pageSize: 20, page: 2 })).items,
      ...last.items,
    ];
    expect(new Set(names.map((c) => c.id)).size).toBe(55);
  });

  it('filters by type, licence and supplier; a facet keeps counting under its own filter', async () => {
    const all = await search(sboms.narrow);
    const firmware = all.facets.types.find((f) => f.value === 'firmware')!;
    const filtered = await search(sboms.narrow, { type: 'firmware' });
    expect(filtered.total).toBe(firmware.count);
    expect(filtered.items.every((c) => c.type === 'firmware')).toBe(true);
    // the type facet still lists every type (its own filter is left out); the others count firmware only
    expect(filtered.facets.types).toEqual(all.facets.types);
    expect(sum(filtered.facets.licenses)).toBe(firmware.count);
    const mpl = all.facets.licenses.find((f) => f.value === 'MPL-2.0');
    expect(mpl?.count).toBeGreaterThan(0);
    const byLicence = await search(sboms.narrow, { license: 'MPL-2.0' });
    expect(byLicence.total).toBe(mpl!.count);
    expect(byLicence.items.every((c) => c.licenses === 'MPL-2.0')).toBe(true);
    // every part of the medical SBOM names its supplier; the Go modules of kawipiko do not
    expect(all.facets.suppliers.some((f) => f.value === FACET_NONE)).toBe(false);
    const go = await search(sboms.kawipiko);
    const noSupplier = go.facets.suppliers.find((f) => f.value === FACET_NONE);
    expect(noSupplier?.count).toBeGreaterThan(0);
    const without = await search(sboms.kawipiko, { supplier: FACET_NONE, pageSize: 100 });
    expect(without.total).toBe(noSupplier!.count);
    expect(without.items.every((c) => c.supplier === null)).toBe(true);
  });

  it('searches name and purl case-insensitively and lists the components with open findings first', async () => {
    const hit = await search(sboms.narrow, { q: 'NEWTONSOFT' });
    expect(hit.items.map((c) => c.name)).toEqual(['Newtonsoft.Json']);
    expect(hit.items[0]!.openFindings).toBeGreaterThanOrEqual(1);
    expect((await search(sboms.narrow, { q: 'pkg:nuget/newtonsoft' })).total).toBe(1);
    expect((await search(sboms.narrow, { q: "%_'" })).total).toBe(0);
    const open = (await dev.get('/api/v1/findings?state=under_investigation')).json<{
      items: { componentId: string; release: string }[];
    }>().items;
    const withFindings = await search(sboms.narrow, { withFindings: 'true', pageSize: 100 });
    const expected = new Set(open.filter((f) => f.release === '1.0').map((f) => f.componentId));
    expect(new Set(withFindings.items.map((c) => c.id))).toEqual(expected);
    const sorted = await search(sboms.narrow, { sort: '-findings', pageSize: 5 });
    expect(sorted.items[0]!.openFindings).toBeGreaterThan(0);
    expect((await dev.get(`/api/v1/sboms/${sboms.narrow}/components/search?pageSize=101`)).status).toBe(400);
  });

  it('shows an SBOM without dependency edges as a flat list of roots', async () => {
    const roots = await level(sboms.narrow, { limit: 500 });
    expect(roots.graph.edges).toBe(0);
    expect(roots.total).toBe(55);
    expect(roots.items.every((n) => n.childCount === 0 && n.component !== null)).toBe(true);
    expect(roots.items.find((n) => n.component?.name === 'Newtonsoft.Json')?.openFindings).toBeGreaterThan(0);
  });

  it('opens a graph with cycles level by level, marking where findings lie below', async () => {
    const roots = await level(sboms.kawipiko);
    expect(roots.total).toBe(1);
    const root = roots.items[0]!;
    expect(root.component).toBeNull(); // the SBOM's subject (metadata.component) is no component row
    expect(root.childCount).toBeGreaterThan(0);
    expect(root.findingsBelow).toBe(true);
    // walk the whole graph through the API; cycles must not stop it from ending
    const seen = new Set<string>([root.key]);
    const queue = [root.key];
    let cycle = false;
    let flagged = 0;
    while (queue.length > 0) {
      const key = queue.shift()!;
      const children = await level(sboms.kawipiko, { parent: key });
      for (const c of children.items) {
        if (c.findingsBelow) {
          flagged++;
        }
        if (seen.has(c.key)) {
          cycle ||= c.key === key || c.childCount > 0;
          continue;
        }
        seen.add(c.key);
        queue.push(c.key);
      }
    }
    expect(cycle).toBe(true);
    expect(seen.size).toBe(roots.graph.nodes);
    const comps = await search(sboms.kawipiko, { pageSize: 100 });
    expect(seen.size).toBe(comps.total + 1);
    const vulnerable = comps.items.filter((c) => c.openFindings > 0);
    expect(vulnerable.map((c) => c.name)).toContain('golang.org/x/text');
    expect(flagged).toBeGreaterThan(0);
    expect((await dev.get(`/api/v1/sboms/${sboms.kawipiko}/dependencies?parent=nope`)).status).toBe(404);
    // "show in tree": the path from the root down to golang.org/x/text, each step a child of the one before
    const text = comps.items.find((c) => c.name === 'golang.org/x/text')!;
    const res = await dev.get(
      `/api/v1/sboms/${sboms.kawipiko}/dependencies/path?key=${encodeURIComponent(text.key)}`,
    );
    expect(res.status).toBe(200);
    const { path } = res.json<{ path: string[] }>();
    expect(path[0]).toBe(root.key);
    expect(path.at(-1)).toBe(text.key);
    for (let i = 1; i < path.length; i++) {
      const children = await level(sboms.kawipiko, { parent: path[i - 1]!, limit: 500 });
      expect(children.items.map((c) => c.key)).toContain(path[i]);
    }
    expect((await dev.get(`/api/v1/sboms/${sboms.kawipiko}/dependencies/path?key=nope`)).status).toBe(404);
  });

  it('pages the children of a large npm graph', async () => {
    const roots = await level(sboms.juice);
    expect(roots.graph).toMatchObject({ nodes: 1116, edges: 1775, roots: 1 });
    const app = roots.items[0]!;
    expect(app.component).toBeNull();
    const first = await level(sboms.juice, { parent: app.key, limit: 10 });
    expect(first.total).toBe(app.childCount);
    expect(first.items).toHaveLength(Math.min(10, app.childCount));
    const rest = await level(sboms.juice, { parent: app.key, limit: 500, offset: 10 });
    expect(rest.items).toHaveLength(app.childCount - first.items.length);
    expect(new Set([...first.items, ...rest.items].map((n) => n.key)).size).toBe(app.childCount);
    const deps = await search(sboms.juice, { q: 'express', pageSize: 100 });
    const express = deps.items.find((c) => c.name === 'express')!;
    expect(express.dependsOn).toBeGreaterThan(10);
    expect(express.dependents).toBeGreaterThanOrEqual(1);
  });
});
