import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../../../core/src/testing/corpora.ts';
import { createProductVia, INSULIN_PUMP } from '../../testing/fixtures.ts';
import {
  addMember,
  bootstrapAdmin,
  STRONG_PASSWORD,
  signIn,
  type TestClient,
} from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { importCsaf } from './csaf-import.service.ts';

interface Match {
  id: string;
  component: string;
  componentVersion: string;
  vulnerabilityId: string;
  reviewStatus: string;
  reviewReason: string | null;
  confidence: number;
  matchReason: { reason: string; vendor: string };
}
interface Finding {
  vulnerabilityId: string;
  component: string;
  componentVersion: string;
  matchKind: string;
  confidence: number;
  matchReason: Record<string, unknown>;
}

/**
 * Vendor CSAF import with real advisories: a CISA ICS-medical advisory linked by vendor, product name and version
 * (low confidence, into the review queue), and the BSI advisory of the OASIS examples whose products carry CPEs
 * (matched by the regular CPE matcher) — and, with the same products given purls, by the regular purl matcher.
 */
describe('vendor CSAF import', () => {
  let t: TestApp;
  let officer: TestClient;
  let auditor: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await bootstrapAdmin(t);
    officer = await signIn(t, (await addMember(t, admin.client, 'security_officer')).email, STRONG_PASSWORD);
    auditor = await signIn(t, (await addMember(t, admin.client, 'auditor')).email, STRONG_PASSWORD);
  });
  afterAll(async () => {
    await t.close();
  });

  let products = 0;
  const releaseWith = async (sbom: Buffer | string, version = '1.0') => {
    products++;
    const product = await createProductVia(officer, { ...INSULIN_PUMP, model: `IP-CSAF-${products}` });
    const release = (await officer.post(`/api/v1/products/${product.id}/releases`, { version })).json<{
      id: string;
    }>().id;
    const res = await officer.upload('POST', `/api/v1/releases/${release}/sboms`, {
      name: 'kit.cdx.json',
      content: sbom,
    });
    expect(res.status, res.body).toBe(201);
    return release;
  };
  const findingsOf = async (release: string) =>
    (await officer.get(`/api/v1/findings?releaseId=${release}`)).json<{ items: Finding[] }>().items;
  const matchesOf = async (release: string, status = 'pending') =>
    (await officer.get(`/api/v1/csaf-matches?releaseId=${release}&status=${status}`)).json<{
      items: Match[];
    }>().items;

  it('puts ICSMA-24-254-01 (BPL Medical Technologies) name matches in the review queue; confirm and dismiss', async () => {
    const release = await releaseWith(
      readFileSync(new URL('../../testing/fixtures/bpl-scale.cdx.json', import.meta.url)),
    );
    const path = corpus('csaf', 'cisa-icsma-medical', 'icsma-24-254-01.json');
    const counts = await importCsaf(t.deps, path);
    expect(counts).toMatchObject({
      read: 1,
      created: 1,
      refused: 0,
      findings: 2,
      purlProducts: 0,
      cpeProducts: 0,
    });
    // PWS-01-BT (all versions) and the app 3.60 (<= 3.64) from BPL; not the 3.70 app of another vendor
    const pending = await matchesOf(release);
    expect(pending.map((m) => `${m.vulnerabilityId} ${m.component} ${m.componentVersion}`).sort()).toEqual([
      'CVE-2024-34463 Be Well Android Application 3.60',
      'CVE-2024-34463 PWS-01-BT 2.1',
    ]);
    expect(pending.every((m) => m.confidence < 0.5 && m.matchReason.reason === 'vendor-product')).toBe(true);
    // unreviewed name matches are not findings yet (not listed, exported or put in advisories)
    expect(await findingsOf(release)).toEqual([]);
    expect((await importCsaf(t.deps, path)).unchanged).toBe(1);

    const scale = pending.find((m) => m.component === 'PWS-01-BT')!;
    const app = pending.find((m) => m.component !== 'PWS-01-BT')!;
    expect((await auditor.post(`/api/v1/csaf-matches/${scale.id}/confirm`)).status).toBe(403);
    const confirmed = await officer.post(`/api/v1/csaf-matches/${scale.id}/confirm`);
    expect(confirmed.status, confirmed.body).toBe(200);
    expect(confirmed.json<Match>().reviewStatus).toBe('confirmed');
    expect((await officer.post(`/api/v1/csaf-matches/${scale.id}/confirm`)).status).toBe(409);
    expect((await officer.post(`/api/v1/csaf-matches/${app.id}/dismiss`, { reason: 'short' })).status).toBe(
      400,
    );
    const dismissed = await officer.post(`/api/v1/csaf-matches/${app.id}/dismiss`, {
      reason: 'Our app is the clinic edition, not the BPL consumer app of the advisory.',
    });
    expect(dismissed.status, dismissed.body).toBe(200);

    expect((await findingsOf(release)).map((f) => `${f.component} ${f.matchKind}`)).toEqual([
      'PWS-01-BT csaf',
    ]);
    expect(await matchesOf(release)).toEqual([]);
    expect((await matchesOf(release, 'dismissed')).map((m) => m.reviewReason)).toEqual([
      'Our app is the clinic edition, not the BPL consumer app of the advisory.',
    ]);

    // the vendor updates the advisory: the dismissed match stays dismissed and retracted, the confirmed one stays
    await t.deps.db.query("UPDATE advisories SET content_hash = 'outdated' WHERE source = 'csaf'");
    expect((await importCsaf(t.deps, path)).created).toBe(1);
    expect(await matchesOf(release)).toEqual([]);
    expect((await findingsOf(release)).map((f) => f.component)).toEqual(['PWS-01-BT']);
    const rows = await t.deps.db.query<{ review_status: string; retracted: boolean }>(
      'SELECT review_status, retracted_at IS NOT NULL AS retracted FROM findings WHERE id = $1',
      [app.id],
    );
    expect(rows).toEqual([{ review_status: 'dismissed', retracted: true }]);
    const audit = await t.deps.db.query<{ action: string; details: { reason?: string } }>(
      "SELECT action, details FROM audit_events WHERE action LIKE 'finding.csaf_match_%' ORDER BY seq",
    );
    expect(audit.map((a) => a.action)).toEqual([
      'finding.csaf_match_confirmed',
      'finding.csaf_match_dismissed',
    ]);
    expect(audit[1]!.details.reason).toMatch(/clinic edition/);
  });

  const converterSbom = (components: Record<string, unknown>[]) =>
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1,
      metadata: {
        component: { type: 'device', name: 'Report station', version: '4.2', 'bom-ref': 'station' },
      },
      components,
    });

  it('matches products with a CPE helper (BSI-2022-0001, OASIS example) through the regular CPE matcher', async () => {
    const release = await releaseWith(
      converterSbom([
        {
          type: 'application',
          'bom-ref': 'dev2',
          name: 'cvrf-csaf-converter',
          version: '1.0.0-dev2',
          cpe: 'cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0-dev2:*:*:*:*:*:*:*',
        },
        {
          type: 'application',
          'bom-ref': 'final',
          name: 'cvrf-csaf-converter',
          version: '1.0.0',
          cpe: 'cpe:2.3:a:csaf-tools:cvrf-csaf-converter:1.0.0:*:*:*:*:*:*:*',
        },
      ]),
    );
    const counts = await importCsaf(t.deps, corpus('csaf', 'oasis-csaf-2.0-examples', 'bsi-2022-0001.json'));
    // five known-affected versions (1.0.0-alpha … rc1); 1.0.0 is fixed
    expect(counts).toMatchObject({
      created: 1,
      cpeProducts: 5,
      purlProducts: 0,
      findings: 0,
      cpeFindings: 1,
    });
    const found = await findingsOf(release);
    expect(found.map((f) => `${f.vulnerabilityId} ${f.componentVersion} ${f.matchKind}`)).toEqual([
      'CVE-2022-27193 1.0.0-dev2 cpe',
    ]);
    expect(found[0]!.confidence).toBeGreaterThan(0.5);
    expect(found[0]!.matchReason.advisory).toBe('CSAF-BSI-2022-0001:CVE-2022-27193');
    expect(await matchesOf(release)).toEqual([]);
  });

  it('matches products with a purl helper through the regular purl matcher, also for SBOMs uploaded later', async () => {
    // the same real advisory, its products identified by purl instead of CPE (as a PyPI package)
    const doc = JSON.parse(
      readFileSync(corpus('csaf', 'oasis-csaf-2.0-examples', 'bsi-2022-0001.json'), 'utf8'),
    );
    doc.document.tracking.id = 'BSI-2022-0001-PURL';
    const visit = (branches: { name: string; product?: Record<string, unknown>; branches?: unknown[] }[]) => {
      for (const b of branches) {
        if (b.product) {
          b.product.product_identification_helper = { purl: `pkg:pypi/cvrf2csaf@${b.name}` };
        }
        visit((b.branches ?? []) as typeof branches);
      }
    };
    visit(doc.product_tree.branches);
    const dir = mkdtempSync(join(tmpdir(), 'csaf-purl-'));
    writeFileSync(join(dir, 'bsi-2022-0001-purl.json'), JSON.stringify(doc));
    const before = await releaseWith(
      converterSbom([
        {
          type: 'library',
          'bom-ref': 'a',
          name: 'cvrf2csaf',
          version: '1.0.0-rc1',
          purl: 'pkg:pypi/cvrf2csaf@1.0.0-rc1',
        },
        {
          type: 'library',
          'bom-ref': 'b',
          name: 'cvrf2csaf',
          version: '1.0.0',
          purl: 'pkg:pypi/cvrf2csaf@1.0.0',
        },
      ]),
    );
    const counts = await importCsaf(t.deps, join(dir, 'bsi-2022-0001-purl.json'));
    expect(counts).toMatchObject({
      created: 1,
      purlProducts: 5,
      cpeProducts: 0,
      findings: 0,
      purlFindings: 1,
    });
    expect((await findingsOf(before)).map((f) => `${f.componentVersion} ${f.matchKind}`)).toEqual([
      '1.0.0-rc1 purl',
    ]);
    // an SBOM uploaded after the import is matched on upload (the advisory is in the purl index)
    const after = await releaseWith(
      converterSbom([
        {
          type: 'library',
          'bom-ref': 'a',
          name: 'cvrf2csaf',
          version: '1.0.0-alpha',
          purl: 'pkg:pypi/cvrf2csaf@1.0.0-alpha',
        },
      ]),
      '1.1',
    );
    const { drainJobs } = await import('../../platform/jobs/jobs.service.ts');
    await drainJobs(t.deps, t.jobs);
    expect((await findingsOf(after)).map((f) => `${f.vulnerabilityId} ${f.matchKind}`)).toEqual([
      'CVE-2022-27193 purl',
    ]);
  });
});
