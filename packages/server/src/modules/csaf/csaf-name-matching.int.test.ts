import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../../../core/src/testing/corpora.ts';
import { readMigrations, splitSql } from '../../db/migrate.ts';
import { drainJobs } from '../../platform/jobs/jobs.service.ts';
import { createProductVia, INSULIN_PUMP } from '../../testing/fixtures.ts';
import {
  addMember,
  bootstrapAdmin,
  STRONG_PASSWORD,
  signIn,
  type TestClient,
} from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { importCsaf } from '../advisories/csaf-import.service.ts';
import { matchCsafNamesOfSbom } from './csaf-name-matching.service.ts';

interface Match {
  id: string;
  component: string;
  componentVersion: string;
  supplier: string;
  vulnerabilityId: string;
  advisoryId: string;
  reviewStatus: string;
  reviewReason: string | null;
  confidence: number;
  matchReason: { reason: string; vendor: string; product: string; version: string };
}
interface Finding {
  vulnerabilityId: string;
  component: string;
  componentVersion: string;
  matchKind: string;
  state: string;
}

const ADVISORY = corpus('csaf', 'cisa-icsma-medical', 'icsma-22-174-01.json');
const CVES = ['CVE-2022-2119', 'CVE-2022-2120', 'CVE-2022-2121'];
const FIXTURE = readFileSync(new URL('../../testing/fixtures/dicom-workstation.cdx.json', import.meta.url));

/** The fixture SBOM with its OFFIS DCMTK at another version (a later SBOM of the same device). */
const withDcmtk = (version: string): Buffer => {
  const doc = JSON.parse(FIXTURE.toString('utf8')) as {
    components: { 'bom-ref': string; version: string }[];
  };
  doc.components.find((c) => c['bom-ref'] === 'dcmtk')!.version = version;
  return Buffer.from(JSON.stringify(doc));
};

/**
 * Vendor CSAF name matching for SBOMs uploaded after the advisory was imported: the real CISA advisory
 * ICSMA-22-174-01 names OFFIS DCMTK (all versions before 3.6.7, three CVEs) by vendor, product name and version range
 * only; the DICOM workstation fixture carries OFFIS's DCMTK 3.6.6, another vendor's DCMTK and an unrelated library.
 */
describe('vendor CSAF name matching after an SBOM upload', () => {
  let t: TestApp;
  let officer: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await bootstrapAdmin(t);
    officer = await signIn(t, (await addMember(t, admin.client, 'security_officer')).email, STRONG_PASSWORD);
    // imported before any SBOM exists: nothing to match yet, the name-only product is stored
    const counts = await importCsaf(t.deps, ADVISORY);
    expect(counts).toMatchObject({
      read: 1,
      created: 3,
      refused: 0,
      findings: 0,
      purlProducts: 0,
      cpeProducts: 0,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  let products = 0;
  const newRelease = async (): Promise<string> => {
    products++;
    const product = await createProductVia(officer, { ...INSULIN_PUMP, model: `WS-CSAF-${products}` });
    return (await officer.post(`/api/v1/products/${product.id}/releases`, { version: '3.2' })).json<{
      id: string;
    }>().id;
  };
  const upload = async (release: string, sbom: Buffer): Promise<string> => {
    const res = await officer.upload('POST', `/api/v1/releases/${release}/sboms`, {
      name: 'workstation.cdx.json',
      content: sbom,
    });
    expect(res.status, res.body).toBe(201);
    await drainJobs(t.deps, t.jobs);
    return res.json<{ id: string }>().id;
  };
  const matchesOf = async (release: string, status = 'pending') =>
    (await officer.get(`/api/v1/csaf-matches?releaseId=${release}&status=${status}`)).json<{
      items: Match[];
    }>().items;
  const describeMatches = (items: Match[]) =>
    items.map((m) => `${m.vulnerabilityId} ${m.component} ${m.componentVersion}`).sort();
  const findingsOf = async (release: string) =>
    (await officer.get(`/api/v1/findings?releaseId=${release}`)).json<{ items: Finding[] }>().items;
  const csafRowsOf = async (release: string) =>
    (
      await t.deps.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM findings WHERE release_id = $1 AND match_kind = 'csaf'",
        [release],
      )
    )[0]!.n;

  it('stores the advisory’s name-only product for later SBOMs', async () => {
    const rows = await t.deps.db.query<Record<string, string | null>>(
      `SELECT advisory_id, vendor, name, name_key, version, version_range FROM csaf_name_products
        WHERE advisory_id LIKE 'CSAF-ICSMA-22-174-01:%' ORDER BY advisory_id`,
    );
    expect(rows).toEqual(
      CVES.map((cve) => ({
        advisory_id: `CSAF-ICSMA-22-174-01:${cve}`,
        vendor: 'OFFIS',
        name: 'DCMTK',
        name_key: 'dcmtk',
        version: null,
        version_range: '< 3.6.7',
      })),
    );
  });

  it('has the migration fill the same rows from advisories imported before it', async () => {
    // other real advisories: BPL (a range and all versions), BSI-2022-0001 (CPE helpers: not name-only)
    await importCsaf(t.deps, corpus('csaf', 'cisa-icsma-medical', 'icsma-24-254-01.json'));
    await importCsaf(t.deps, corpus('csaf', 'oasis-csaf-2.0-examples', 'bsi-2022-0001.json'));
    const all = () => t.deps.db.query('SELECT * FROM csaf_name_products ORDER BY advisory_id, product_id');
    const imported = await all();
    expect(new Set(imported.map((r) => (r as { advisory_id: string }).advisory_id.split(':')[0]))).toEqual(
      new Set(['CSAF-ICSMA-22-174-01', 'CSAF-ICSMA-24-254-01']),
    );
    const migration = readMigrations().find((m) => m.name === 'csaf_name_products')!;
    const backfill = splitSql(migration.sql).find((s) => s.startsWith('INSERT INTO csaf_name_products'))!;
    await t.deps.db.transaction(async (tx) => {
      await tx.query('DELETE FROM csaf_name_products');
      await tx.query(backfill);
    });
    expect(await all()).toEqual(imported);
  });

  it('puts the candidates of an SBOM uploaded after the import in the review queue; re-runs add nothing', async () => {
    const release = await newRelease();
    const sbomId = await upload(release, FIXTURE);
    const pending = await matchesOf(release);
    // OFFIS's DCMTK 3.6.6 (case and supplier spelled differently), not the other vendor's DCMTK, not libpng
    expect(describeMatches(pending)).toEqual(CVES.map((cve) => `${cve} dcmtk 3.6.6`));
    expect(pending.every((m) => m.confidence < 0.5 && m.matchReason.reason === 'vendor-product')).toBe(true);
    expect(pending[0]!.matchReason).toMatchObject({ vendor: 'OFFIS', product: 'DCMTK', version: '< 3.6.7' });
    expect(pending.map((m) => m.advisoryId).sort()).toEqual(CVES.map((cve) => `CSAF-ICSMA-22-174-01:${cve}`));
    // waiting for review: not findings yet
    expect(await findingsOf(release)).toEqual([]);
    const [job] = await t.deps.db.query<{ result: { csafNames: Record<string, number> } }>(
      "SELECT result FROM jobs WHERE type = 'sbom.match' AND payload ->> 'sbomId' = $1",
      [sbomId],
    );
    expect(job?.result.csafNames).toEqual({
      candidates: 3,
      created: 3,
      updated: 0,
      carried: 0,
      dismissedBefore: 0,
    });

    // the job again, and the advisory imported again (changed upstream): the same three entries, no more
    expect(await matchCsafNamesOfSbom(t.deps, sbomId)).toEqual({
      candidates: 3,
      created: 0,
      updated: 3,
      carried: 0,
      dismissedBefore: 0,
    });
    await t.deps.db.query(
      "UPDATE advisories SET content_hash = 'outdated' WHERE id LIKE 'CSAF-ICSMA-22-174-01:%'",
    );
    expect(await importCsaf(t.deps, ADVISORY)).toMatchObject({ created: 3, findings: 3 });
    expect(describeMatches(await matchesOf(release))).toEqual(CVES.map((cve) => `${cve} dcmtk 3.6.6`));
    expect(await csafRowsOf(release)).toBe(3);
  });

  it('does not propose a dismissed candidate again; a confirmed one carries over to the next SBOM', async () => {
    const release = await newRelease();
    const first = await upload(release, FIXTURE);
    const pending = await matchesOf(release);
    expect(pending).toHaveLength(3);
    const byCve = (cve: string) => pending.find((m) => m.vulnerabilityId === cve)!;
    expect((await officer.post(`/api/v1/csaf-matches/${byCve(CVES[0]!).id}/confirm`)).status).toBe(200);
    const dismissed = await officer.post(`/api/v1/csaf-matches/${byCve(CVES[2]!).id}/dismiss`, {
      reason: 'DCMTK is built without the network service this CVE is about.',
    });
    expect(dismissed.status, dismissed.body).toBe(200);
    const triaged = await officer.patch(`/api/v1/findings/${byCve(CVES[0]!).id}`, {
      state: 'affected',
      actionStatement: 'Update DCMTK to 3.6.7 in the next service pack.',
    });
    expect(triaged.status, triaged.body).toBe(200);

    // the same SBOM matched again: the decided ones are not back in the queue
    expect(await matchCsafNamesOfSbom(t.deps, first)).toMatchObject({ created: 0, updated: 3 });
    expect(describeMatches(await matchesOf(release))).toEqual([`${CVES[1]} dcmtk 3.6.6`]);

    // a new SBOM of the release (same DCMTK, new component rows): the undecided candidate is proposed once, the
    // dismissed one not at all, the confirmed one is a finding again with its triage
    const second = await upload(release, FIXTURE);
    const again = await matchesOf(release);
    expect(describeMatches(again)).toEqual([`${CVES[1]} dcmtk 3.6.6`]);
    expect(again[0]!.id).not.toBe(byCve(CVES[1]!).id);
    expect((await matchesOf(release, 'dismissed')).map((m) => m.vulnerabilityId)).toEqual([CVES[2]]);
    expect((await matchesOf(release, 'confirmed')).map((m) => m.vulnerabilityId)).toEqual([CVES[0]]);
    const found = await findingsOf(release);
    expect(found.map((f) => `${f.vulnerabilityId} ${f.component} ${f.matchKind} ${f.state}`)).toEqual([
      `${CVES[0]} dcmtk csaf affected`,
    ]);
    const rows = await t.deps.db.query<{ vulnerability_id: string; review_status: string; state: string }>(
      `SELECT f.vulnerability_id, f.review_status, f.state FROM findings f
         JOIN sbom_components c ON c.id = f.component_id WHERE c.sbom_id = $1 ORDER BY f.vulnerability_id`,
      [second],
    );
    expect(rows.map((r) => `${r.vulnerability_id} ${r.review_status}`)).toEqual([
      `${CVES[0]} confirmed`,
      `${CVES[1]} pending`,
    ]);

    // the advisory imported again changes nothing for the release
    await t.deps.db.query(
      "UPDATE advisories SET content_hash = 'outdated' WHERE id LIKE 'CSAF-ICSMA-22-174-01:%'",
    );
    await importCsaf(t.deps, ADVISORY);
    expect(describeMatches(await matchesOf(release))).toEqual([`${CVES[1]} dcmtk 3.6.6`]);
    expect(await matchCsafNamesOfSbom(t.deps, second)).toMatchObject({
      candidates: 3,
      created: 0,
      dismissedBefore: 1,
    });

    // DCMTK 3.6.7 (fixed): no candidates, and nothing left open from the earlier SBOMs
    await upload(release, withDcmtk('3.6.7'));
    expect(await matchesOf(release)).toEqual([]);
    expect(await findingsOf(release)).toEqual([]);
  });
});
