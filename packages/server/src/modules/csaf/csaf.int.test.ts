import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProductVia, uploadMedicalSbomWithFindings } from '../../testing/fixtures.ts';
import {
  addMember,
  bootstrapAdmin,
  STRONG_PASSWORD,
  signIn,
  type TestClient,
} from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { validateCsaf } from '../findings/csaf.validate.ts';
import { findStoredAdvisory } from './csaf-advisories.service.ts';

interface Finding {
  id: string;
  vulnerabilityId: string;
  component: string;
  state: string;
  version: number;
}
interface VexVulnerability {
  cve?: string;
  ids?: { text: string }[];
  product_status: Record<string, string[]>;
  flags?: { label: string; product_ids: string[] }[];
  threats?: { category: string; details: string }[];
  remediations?: { category: string; details: string }[];
}
interface Detail {
  id: string;
  status: string;
  trackingId: string;
  currentRevision: number;
  version: number;
  changedSinceIssue: boolean;
  revisions: { revision: number; status: string; summary: string; sha256: string; issuedBy: string }[];
}

/**
 * CSAF VEX documents and stored advisories with revisions, from the findings of the real medical-device SBOM
 * (CycloneDX 1.4, 55 components) against the GitHub advisories that name its components.
 */
describe('CSAF VEX and issued advisories', () => {
  let t: TestApp;
  let officer: TestClient;
  let auditor: TestClient;
  let productId: string;
  let release: string;
  let findings: Finding[];
  const vulnOf = (component: string) => findings.find((f) => f.component === component)!;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await bootstrapAdmin(t);
    officer = await signIn(t, (await addMember(t, admin.client, 'security_officer')).email, STRONG_PASSWORD);
    auditor = await signIn(t, (await addMember(t, admin.client, 'auditor')).email, STRONG_PASSWORD);
    productId = (await createProductVia(officer)).id;
    release = (await officer.post(`/api/v1/products/${productId}/releases`, { version: '2.0' })).json<{
      id: string;
    }>().id;
    findings = await uploadMedicalSbomWithFindings<Finding>(t, officer, release);
    expect(new Set(findings.map((f) => f.component))).toEqual(new Set(['Newtonsoft.Json', 'jQuery']));
  });
  afterAll(async () => {
    await t.close();
  });

  const triage = async (f: Finding, patch: Record<string, unknown>) => {
    const res = await officer.patch(`/api/v1/findings/${f.id}`, patch);
    expect(res.status, res.body).toBe(200);
  };

  it('exports a csaf_vex document per release: VEX states, justification flags, impact and action statements', async () => {
    const newtonsoft = vulnOf('Newtonsoft.Json');
    const jquery = findings.filter((f) => f.component === 'jQuery');
    await triage(newtonsoft, {
      state: 'affected',
      actionStatement: 'Update the device software to 2.0.1, which ships Newtonsoft.Json 13.0.1.',
      remediation: 'planned',
    });
    await triage(jquery[0]!, {
      state: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
      impactStatement: 'The service UI never passes untrusted HTML to jQuery.',
    });
    const res = await officer.get(`/api/v1/releases/${release}/csaf-vex`);
    expect(res.status, res.body.slice(0, 400)).toBe(200);
    const doc = JSON.parse(res.body) as {
      document: { category: string; tracking: { id: string; status: string } };
      vulnerabilities: VexVulnerability[];
    };
    expect(doc.document.category).toBe('csaf_vex');
    const check = await validateCsaf(doc);
    expect(check.errors).toEqual([]);
    // the profile's own tests ran and passed (6.1.27.6–11)
    const profile = await validateCsaf(doc, {
      tests: [
        'mandatoryTest_6_1_27_6',
        'mandatoryTest_6_1_27_7',
        'mandatoryTest_6_1_27_8',
        'mandatoryTest_6_1_27_9',
        'mandatoryTest_6_1_27_10',
        'mandatoryTest_6_1_27_11',
      ],
    });
    expect(profile.isValid).toBe(true);
    const byId = (id: string) =>
      doc.vulnerabilities.find((v) => v.cve === id || v.ids?.some((i) => i.text === id))!;
    const affected = byId(newtonsoft.vulnerabilityId);
    expect(Object.keys(affected.product_status)).toEqual(['known_affected']);
    expect(affected.remediations).toEqual([
      expect.objectContaining({ category: 'vendor_fix', details: expect.stringContaining('2.0.1') }),
    ]);
    const notAffected = byId(jquery[0]!.vulnerabilityId);
    expect(Object.keys(notAffected.product_status)).toEqual(['known_not_affected']);
    expect(notAffected.flags?.[0]?.label).toBe('vulnerable_code_not_in_execute_path');
    expect(notAffected.threats).toEqual([
      expect.objectContaining({ category: 'impact', details: expect.stringContaining('untrusted HTML') }),
    ]);
    // the rest stays under investigation
    expect(doc.vulnerabilities.filter((v) => v.product_status.under_investigation).length).toBe(
      new Set(findings.map((f) => f.vulnerabilityId)).size - 2,
    );
    // one vulnerability only; and a release without findings cannot state anything
    const one = await officer.get(
      `/api/v1/releases/${release}/csaf-vex?vulnerability=${encodeURIComponent(newtonsoft.vulnerabilityId)}`,
    );
    expect(JSON.parse(one.body).vulnerabilities).toHaveLength(1);
    const empty = (await officer.post(`/api/v1/products/${productId}/releases`, { version: '3.0' })).json<{
      id: string;
    }>().id;
    const none = await officer.get(`/api/v1/releases/${empty}/csaf-vex`);
    expect(none.status).toBe(412);
    expect(none.json<{ code: string }>().code).toBe('PRECONDITION_FAILED');
  });

  it('issues a security advisory as revisions: draft → interim → final, a new revision only when findings change', async () => {
    const newtonsoft = vulnOf('Newtonsoft.Json');
    const created = await officer.post('/api/v1/csaf-advisories', {
      profile: 'security_advisory',
      productId,
      vulnerabilityId: newtonsoft.vulnerabilityId,
    });
    expect(created.status, created.body).toBe(201);
    const advisory = created.json<{
      id: string;
      status: string;
      trackingId: string;
      currentRevision: number;
    }>();
    expect(advisory).toMatchObject({ status: 'draft', currentRevision: 0 });
    expect(
      (
        await officer.post('/api/v1/csaf-advisories', {
          profile: 'security_advisory',
          productId,
          vulnerabilityId: newtonsoft.vulnerabilityId,
        })
      ).json<{ code: string }>().code,
    ).toBe('CONFLICT');
    // nothing is issued yet
    expect((await officer.get(`/api/v1/csaf-advisories/${advisory.id}/revisions/latest`)).status).toBe(404);
    const preview = (await officer.get(`/api/v1/csaf-advisories/${advisory.id}/preview`)).json<{
      validation: { isValid: boolean };
    }>();
    expect(preview.validation.isValid).toBe(true);
    // the auditor reads but cannot issue
    expect(
      (await auditor.post(`/api/v1/csaf-advisories/${advisory.id}/issue`, { status: 'final' })).status,
    ).toBe(403);

    const first = await officer.post(`/api/v1/csaf-advisories/${advisory.id}/issue`, { status: 'interim' });
    expect(first.status, first.body).toBe(200);
    expect(first.json<Detail>()).toMatchObject({
      status: 'interim',
      currentRevision: 1,
      changedSinceIssue: false,
    });
    const again = await officer.post(`/api/v1/csaf-advisories/${advisory.id}/issue`, { status: 'interim' });
    expect(again.status).toBe(409);

    t.clock.advance(60_000);
    await triage(newtonsoft, { state: 'fixed', actionStatement: 'Fixed in 2.0.1 (Newtonsoft.Json 13.0.1).' });
    expect(
      (await officer.get(`/api/v1/csaf-advisories/${advisory.id}`)).json<Detail>().changedSinceIssue,
    ).toBe(true);
    const second = await officer.post(`/api/v1/csaf-advisories/${advisory.id}/issue`, {
      status: 'final',
      summary: 'Fixed in release 2.0.1',
      version: first.json<Detail>().version,
    });
    expect(second.status, second.body).toBe(200);
    const detail = second.json<Detail>();
    expect(detail.revisions.map((r) => [r.revision, r.status, r.summary])).toEqual([
      [1, 'interim', 'Initial version'],
      [2, 'final', 'Fixed in release 2.0.1'],
    ]);
    // a final advisory does not go back to interim
    expect(
      (await officer.post(`/api/v1/csaf-advisories/${advisory.id}/issue`, { status: 'interim' })).status,
    ).toBe(409);

    // each revision is served exactly as issued, with its SHA-256
    const latest = await officer.get(`/api/v1/csaf-advisories/${advisory.id}/revisions/latest`);
    expect(latest.status).toBe(200);
    expect(latest.headers['x-content-sha256']).toBe(createHash('sha256').update(latest.body).digest('hex'));
    expect(latest.headers['x-content-sha256']).toBe(detail.revisions[1]!.sha256);
    const doc = JSON.parse(latest.body) as {
      document: { tracking: { status: string; version: string; revision_history: { number: string }[] } };
      vulnerabilities: { product_status: Record<string, string[]> }[];
    };
    expect(doc.document.tracking).toMatchObject({ status: 'final', version: '2' });
    expect(doc.document.tracking.revision_history.map((r) => r.number)).toEqual(['1', '2']);
    expect(Object.keys(doc.vulnerabilities[0]!.product_status)).toEqual(['fixed']);
    expect((await validateCsaf(doc)).isValid).toBe(true);
    const r1 = await officer.get(`/api/v1/csaf-advisories/${advisory.id}/revisions/1`);
    expect(JSON.parse(r1.body).document.tracking.status).toBe('interim');
    expect(r1.headers['x-content-sha256']).toBe(detail.revisions[0]!.sha256);

    // database: two append-only revisions, audited with who issued them
    const rows = await t.deps.db.query<{ revision: number; sha256: string }>(
      'SELECT revision, sha256 FROM csaf_advisory_revisions WHERE advisory_id = $1 ORDER BY revision',
      [advisory.id],
    );
    expect(rows.map((r) => r.sha256)).toEqual(detail.revisions.map((r) => r.sha256));
    await expect(
      t.deps.db.query("UPDATE csaf_advisory_revisions SET summary = 'x' WHERE advisory_id = $1", [
        advisory.id,
      ]),
    ).rejects.toThrow(/append-only/);
    const audit = await t.deps.db.query<{ action: string; details: { revision?: number; sha256?: string } }>(
      "SELECT action, details FROM audit_events WHERE target_id = $1 AND action LIKE 'csaf.%' ORDER BY seq",
      [advisory.id],
    );
    expect(audit.map((a) => [a.action, a.details.revision ?? null])).toEqual([
      ['csaf.advisory_created', null],
      ['csaf.advisory_issued', 1],
      ['csaf.advisory_issued', 2],
    ]);
    expect(audit[2]!.details.sha256).toBe(detail.revisions[1]!.sha256);

    // what the CLI resolves: a tracking id or id, or the product's advisory of a vulnerability
    const [{ organization_id: orgId } = { organization_id: '' }] = await t.deps.db.query<{
      organization_id: string;
    }>('SELECT organization_id FROM csaf_advisories WHERE id = $1', [advisory.id]);
    const ctx = t.systemCtx(orgId);
    expect((await findStoredAdvisory(ctx, { idOrTrackingId: advisory.trackingId }))?.id).toBe(advisory.id);
    expect((await findStoredAdvisory(ctx, { idOrTrackingId: advisory.id }))?.id).toBe(advisory.id);
    expect(
      (await findStoredAdvisory(ctx, { productId, vulnerabilityId: newtonsoft.vulnerabilityId }))?.id,
    ).toBe(advisory.id);
    expect(await findStoredAdvisory(ctx, { idOrTrackingId: 'MSW-unknown' })).toBeUndefined();

    const list = (await auditor.get('/api/v1/csaf-advisories')).json<{
      items: { id: string; status: string }[];
    }>();
    expect(list.items).toEqual([expect.objectContaining({ id: advisory.id, status: 'final' })]);
  });

  it('issues a stored VEX document for a release and refuses a stale version', async () => {
    const created = await officer.post('/api/v1/csaf-advisories', { profile: 'vex', releaseId: release });
    expect(created.status, created.body).toBe(201);
    const id = created.json<{ id: string; version: number }>().id;
    const stale = await officer.post(`/api/v1/csaf-advisories/${id}/issue`, { status: 'final', version: 7 });
    expect(stale.status).toBe(409);
    const issued = await officer.post(`/api/v1/csaf-advisories/${id}/issue`, { status: 'final' });
    expect(issued.status, issued.body).toBe(200);
    const doc = JSON.parse((await officer.get(`/api/v1/csaf-advisories/${id}/revisions/latest`)).body);
    expect(doc.document.category).toBe('csaf_vex');
    expect((await validateCsaf(doc)).isValid).toBe(true);
  });
});
