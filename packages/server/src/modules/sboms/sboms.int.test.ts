import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { importKev, importOsv } from '../advisories/advisories.service.ts';
import { importNvd } from '../advisories/cpe-matching.service.ts';
import { validateSbomSchema } from './sbom.validate.ts';

interface Finding {
  id: string;
  vulnerabilityId: string;
  aliases: string[];
  component: string;
  componentVersion: string;
  state: string;
  severity: string;
  dueDate: string;
  kev: boolean;
  matchReason: { advisory: string; reason: string; fixed?: string };
  version: number;
  retracted: boolean;
  release: string;
}

/**
 * SBOM → components → findings with the real corpora: the medical-device SBOM (CycloneDX 1.4, 55 components incl.
 * NuGet Newtonsoft.Json 9.0.1 and jQuery 3.1.1) against the GitHub advisories that name them.
 */
describe('SBOMs, advisories and findings', () => {
  let t: TestApp;
  let dev: TestClient;
  let officer: TestClient;
  let releaseA: string;
  let releaseB: string;
  let productId: string;
  const narrow = readFileSync(
    corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json'),
  );
  const extended = readFileSync(
    corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'extended.sbom.json'),
  );
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await bootstrapAdmin(t);
    dev = await signIn(t, (await addMember(t, admin.client, 'developer')).email, STRONG_PASSWORD);
    officer = await signIn(t, (await addMember(t, admin.client, 'security_officer')).email, STRONG_PASSWORD);
    productId = (await createProductVia(officer)).id;
    releaseA = (await officer.post(`/api/v1/products/${productId}/releases`, { version: '1.0' })).json<{
      id: string;
    }>().id;
    releaseB = (
      await officer.post(`/api/v1/products/${productId}/releases`, { version: '1.1', basedOn: releaseA })
    ).json<{ id: string }>().id;
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (release: string, name: string, content: Buffer | string, lenient = false) =>
    dev.upload(
      'POST',
      `/api/v1/releases/${release}/sboms`,
      { name, content },
      lenient ? { lenient: 'true' } : {},
    );
  const findings = async (query = '') =>
    (await dev.get(`/api/v1/findings?${query}`)).json<{ items: Finding[] }>().items;

  it('imports an SBOM by content (not by name), with its completeness report', async () => {
    const res = await upload(releaseA, 'device.txt', narrow);
    expect(res.status, res.body).toBe(201);
    const sbom = res.json<{
      id: string;
      format: string;
      specVersion: string;
      componentCount: number;
      completeness: { components: Record<string, { present: number }> };
    }>();
    expect(sbom).toMatchObject({ format: 'cyclonedx', specVersion: '1.4', componentCount: 55 });
    const components = (await dev.get(`/api/v1/sboms/${sbom.id}/components?q=newtonsoft`)).json<{
      items: { purl: string }[];
    }>();
    expect(components.items.map((c) => c.purl)).toEqual(['pkg:nuget/Newtonsoft.Json@9.0.1']);
    // a later upload for the same release supersedes it
    const again = await upload(releaseA, 'device.cdx.json', narrow);
    const list = (await dev.get(`/api/v1/releases/${releaseA}/sboms`)).json<{
      items: { id: string; current: boolean }[];
    }>();
    expect(list.items.map((s) => s.current)).toEqual([true, false]);
    expect(list.items[0]!.id).toBe(again.json<{ id: string }>().id);
  });

  it('refuses malformed SBOMs with the place of the problem, or imports what is sound in lenient mode', async () => {
    const broken = readFileSync(
      corpus(
        'sbom',
        'redhat',
        'container_image',
        'build',
        'mandrel-for-jdk-21-rhel8-container-23.1-16_amd64.cdx.json',
      ),
    );
    const strict = await upload(releaseB, 'mandrel.json', broken);
    expect(strict.status).toBe(400);
    expect(strict.json<{ detail: string }>().detail).toMatch(/line \d+/);
    const lenient = await upload(releaseB, 'mandrel.json', broken, true);
    expect(lenient.status).toBe(201);
    expect(lenient.json<{ issues: unknown[] }>().issues.length).toBeGreaterThan(0);
    // JSON that is no SBOM format at all
    expect((await upload(releaseB, 'x.json', '{"hello": "world"}')).status).toBe(415);
    // back to the device SBOM for the matching tests below
    expect((await upload(releaseB, 'device.cdx.json', extended)).status).toBe(201);
  });

  it('matches components against OSV advisories with ecosystem version rules, saying why', async () => {
    const counts = await importOsv(t.deps, corpus('osv', 'ghsa-targeted'));
    expect(counts.created).toBe(8);
    await drainJobs(t.deps, t.jobs);
    const all = await findings(`productId=${productId}`);
    const newtonsoft = all.filter((f) => f.component === 'Newtonsoft.Json');
    expect(newtonsoft.map((f) => f.release).sort()).toEqual(['1.0', '1.1']);
    expect(newtonsoft[0]).toMatchObject({ componentVersion: '9.0.1', state: 'under_investigation' });
    expect(newtonsoft[0]!.aliases.concat(newtonsoft[0]!.vulnerabilityId)).toContain('GHSA-5crp-9r3c-p9vr');
    expect(newtonsoft[0]!.matchReason).toMatchObject({
      advisory: 'GHSA-5crp-9r3c-p9vr',
      reason: 'range',
      fixed: '13.0.1',
    });
    // NuGet names are case-insensitive: the SBOM says jQuery, the advisory jquery
    const jquery = all.find((f) => f.component === 'jQuery' && f.componentVersion === '3.1.1');
    // the reason names the NuGet entry (second of four: npm, NuGet, RubyGems, Maven) of the whole advisory, although
    // matching read only that package's entries
    expect(jquery?.matchReason).toMatchObject({
      advisory: 'GHSA-gxr4-xjj5-5px2',
      affectedIndex: 1,
      ecosystem: 'NuGet',
    });
    // due dates follow the default policy (60 days to fix)
    const due = new Date(t.clock.now().getTime() + 60 * 86_400_000).toISOString().slice(0, 10);
    expect(newtonsoft[0]!.dueDate).toBe(due);
    // re-import is idempotent
    const again = await importOsv(t.deps, corpus('osv', 'ghsa-targeted'));
    expect(again).toMatchObject({ created: 0, changed: 0, unchanged: 8 });
  });

  it('retracts findings when an advisory is withdrawn, and flags known-exploited CVEs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osv-'));
    const record = JSON.parse(
      readFileSync(corpus('osv', 'ghsa-targeted', 'GHSA-gxr4-xjj5-5px2.json'), 'utf8'),
    );
    writeFileSync(
      join(dir, 'w.json'),
      JSON.stringify({ ...record, modified: '2030-01-01T00:00:00Z', withdrawn: '2030-01-01T00:00:00Z' }),
    );
    const counts = await importOsv(t.deps, dir);
    expect(counts).toMatchObject({ changed: 1, withdrawn: 1 });
    expect((await findings(`productId=${productId}`)).some((f) => f.component === 'jQuery')).toBe(false);
    expect(
      (await findings(`productId=${productId}&includeRetracted=true`)).some(
        (f) => f.component === 'jQuery' && f.retracted,
      ),
    ).toBe(true);
    const kev = await importKev(t.deps, corpus('catalogs', 'kev', 'known_exploited_vulnerabilities.json'));
    expect(kev.read).toBeGreaterThan(1000);
  });

  it('triages with VEX rules, and applies one decision across releases after a preview', async () => {
    const [f] = (await findings(`productId=${productId}`)).filter((x) => x.component === 'Newtonsoft.Json');
    const bad = await officer.patch(`/api/v1/findings/${f!.id}`, { state: 'not_affected' });
    expect(bad.status).toBe(400);
    const vuln = f!.vulnerabilityId;
    const preview = await officer.post(`/api/v1/vulnerabilities/${vuln}/decision`, {
      preview: true,
      set: { state: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' },
    });
    expect(preview.json<{ touched: Finding[]; applied: boolean }>()).toMatchObject({ applied: false });
    expect(preview.json<{ touched: Finding[] }>().touched).toHaveLength(2);
    expect((await findings(`productId=${productId}&state=not_affected`)).length).toBe(0);
    const apply = await officer.post(`/api/v1/vulnerabilities/${vuln}/decision`, {
      preview: false,
      set: {
        state: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        patientSafetyImpact: 'none',
        cvssEnvironmentalVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H/CR:L/IR:L/AR:L',
      },
    });
    expect(apply.json<{ applied: boolean }>().applied).toBe(true);
    const decided = (await findings(`productId=${productId}&state=not_affected`)).filter(
      (x) => x.vulnerabilityId === vuln,
    );
    expect(decided).toHaveLength(2);
    const [audit] = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'finding.updated' AND details->>'vulnerability' = $1`,
      [vuln],
    );
    expect(audit?.n).toBe(2);
    expect(
      (await dev.patch(`/api/v1/findings/${f!.id}`, { state: 'affected', actionStatement: 'x' })).status,
    ).toBe(200);
  });

  it('authors a CSAF 2.0 advisory from the findings that passes the BSI validator (schema and mandatory tests)', async () => {
    const [f] = (await findings(`productId=${productId}`)).filter((x) => x.component === 'Newtonsoft.Json');
    const res = await dev.get(
      `/api/v1/products/${productId}/csaf?vulnerability=${encodeURIComponent(f!.vulnerabilityId)}`,
    );
    expect(res.status, res.body.slice(0, 400)).toBe(200);
    const doc = JSON.parse(res.body) as {
      document: { category: string; tracking: { id: string } };
      vulnerabilities: { product_status: Record<string, string[]> }[];
    };
    expect(doc.document.category).toBe('csaf_security_advisory');
    const { validateCsaf } = await import('../findings/csaf.service.ts');
    expect((await validateCsaf(doc)).isValid).toBe(true);
    // one release was marked affected by the developer above, the other stays not_affected (with its VEX flag)
    const status = doc.vulnerabilities[0]!.product_status;
    expect(status.known_affected).toHaveLength(1);
    expect(status.known_not_affected).toHaveLength(1);
    expect([...status.known_affected!, ...status.known_not_affected!].sort()).toEqual([
      'CSAFPID-1.0',
      'CSAFPID-1.1',
    ]);
    // the OASIS conformance files: a document the validator must reject is rejected
    const invalid = JSON.parse(
      readFileSync(
        corpus(
          'csaf',
          'oasis-csaf-2.0-validator-tests',
          'mandatory',
          'oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json',
        ),
        'utf8',
      ),
    );
    expect((await validateCsaf(invalid)).isValid).toBe(false);
  });

  it('writes the vulnerability response ledger (취약점 대응 관리 대장) with the items art. 20 asks for', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/releases/${releaseA}/findings/export?format=ledger-xlsx`,
      headers: { cookie: dev.cookie! },
    });
    expect(res.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('취약점 대응 관리 대장')!;
    const headers = (sheet.getRow(3).values as string[]).filter(Boolean).join(' | ');
    for (const item of [
      '취약점 상세 내용 및 기술적 특성',
      '취약점 발생 위치',
      '심각도 평가 결과 및 위험 분석 내용',
      '조치 방안',
      '재발 방지 조치 이행 여부',
    ]) {
      expect(headers).toContain(item);
    }
    const rows = (await findings(`releaseId=${releaseA}`)).length;
    expect(sheet.rowCount - 3).toBe(rows);
    expect(String(sheet.getRow(4).getCell(3).value)).toContain('1.0');
  });

  it('exports CycloneDX 1.6 and SPDX 2.3 that validate against the official schemas, with a SHA-256; diffs two SBOMs', async () => {
    const [current] = (await dev.get(`/api/v1/releases/${releaseB}/sboms`)).json<{
      items: { id: string }[];
    }>().items;
    for (const [format, schema] of [
      ['cyclonedx-json', 'cyclonedx'],
      ['spdx-json', 'spdx'],
    ] as const) {
      const res = await dev.get(`/api/v1/sboms/${current!.id}/export?format=${format}`);
      expect(res.status).toBe(200);
      const doc = JSON.parse(res.body);
      expect(validateSbomSchema(doc, schema).valid).toBe(true);
      expect(res.headers['x-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    }
    const [onA] = (await dev.get(`/api/v1/releases/${releaseA}/sboms`)).json<{ items: { id: string }[] }>()
      .items;
    const diff = (await dev.get(`/api/v1/sboms/${current!.id}/diff?from=${onA!.id}`)).json<{
      added: unknown[];
      removed: unknown[];
    }>();
    expect(diff.added).toHaveLength(10);
    expect(diff.removed).toHaveLength(0);
  });

  it('matches firmware components without package URLs by CPE against NVD configurations, without false positives', async () => {
    const fw = readFileSync(new URL('../../testing/fixtures/embedded-device.cdx.json', import.meta.url));
    const release = (
      await officer.post(`/api/v1/products/${productId}/releases`, { version: 'fw-3.2' })
    ).json<{ id: string }>().id;
    expect((await upload(release, 'firmware.cdx.json', fw)).status).toBe(201);
    const nvd = await importNvd(t.deps, corpus('catalogs', 'cve-nvd-samples', 'nvd-api-2.0'));
    expect(nvd.created).toBeGreaterThan(15);
    await drainJobs(t.deps, t.jobs);
    const found = (await findings(`releaseId=${release}`)).map(
      (f) => `${f.vulnerabilityId} ${f.component} ${f.componentVersion}`,
    );
    // busybox 1.28.0 < 1.32.0 (CVE-2018-1000500); xz 5.6.1 is the backdoored release (CVE-2024-3094); xz 5.4.6 and
    // zlib are not named by any record
    expect(found.sort()).toEqual(['CVE-2018-1000500 busybox 1.28.0', 'CVE-2024-3094 xz 5.6.1']);
    const xz = (await findings(`releaseId=${release}`)).find((f) => f.component === 'xz');
    expect(xz?.matchReason).toMatchObject({
      advisory: 'NVD-CVE-2024-3094',
      criteria: 'cpe:2.3:a:tukaani:xz:5.6.1:*:*:*:*:*:*:*',
    });
    expect((await importNvd(t.deps, corpus('catalogs', 'cve-nvd-samples', 'nvd-api-2.0'))).created).toBe(0);
  });
});
