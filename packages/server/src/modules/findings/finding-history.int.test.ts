import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY, type FindingHistory, type FindingsSeriesResponse } from '@medsec/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../../../core/src/testing/corpora.ts';
import { MIGRATIONS_DIR, splitSql } from '../../db/migrate.ts';
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
import { importOsv } from '../advisories/advisories.service.ts';
import { importCsaf } from '../advisories/csaf-import.service.ts';

interface Finding {
  id: string;
  vulnerabilityId: string;
  component: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'none';
  state: string;
  retracted: boolean;
  version: number;
}

const START = new Date('2026-03-01T09:00:00Z');
/** START moved by a number of days. */
const at = (days: number): Date => new Date(START.getTime() + days * DAY);
const dayOf = (days: number): string => at(days).toISOString().slice(0, 10);
const NEWTONSOFT = 'GHSA-5crp-9r3c-p9vr';
const MEDICAL_SBOM = () =>
  readFileSync(corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json'));

/** An application with the medical-device SBOM in releases 1.0 and 1.1 matched against the GitHub advisories. */
const setUp = async () => {
  const t = await createTestApp();
  t.clock.set(START);
  const admin = await bootstrapAdmin(t);
  const officer = await addMember(t, admin.client, 'security_officer');
  const auditor = await addMember(t, admin.client, 'auditor');
  const client = await signIn(t, officer.email, STRONG_PASSWORD);
  const product = await createProductVia(client);
  const releases: Record<string, string> = {};
  for (const version of ['1.0', '1.1']) {
    releases[version] = (await client.post(`/api/v1/products/${product.id}/releases`, { version })).json<{
      id: string;
    }>().id;
    const res = await client.upload('POST', `/api/v1/releases/${releases[version]}/sboms`, {
      name: 'device.cdx.json',
      content: MEDICAL_SBOM(),
    });
    expect(res.status, res.body).toBe(201);
  }
  await importOsv(t.deps, corpus('osv', 'ghsa-targeted'));
  await drainJobs(t.deps, t.jobs);
  return { t, officer, auditor, productId: product.id, releases };
};

/**
 * The state history of findings (ADR 0016) and the findings-over-time series that reads it: a finding decided more
 * than once counts on each day by the state it had that day; a superseded SBOM's findings and their successors
 * count once; retractions by the matcher come from `retracted_at`; vendor-CSAF matches count once confirmed.
 */
describe('finding state history and the findings series', () => {
  let t: TestApp;
  let officer: TestClient;
  let auditor: TestClient;
  let emails: { officer: string; auditor: string };
  let productId: string;
  let releases: Record<string, string>;
  /** Moves the clock; the sessions would have timed out, so both sign in again. */
  const moveTo = async (date: Date) => {
    t.clock.set(date);
    officer = await signIn(t, emails.officer, STRONG_PASSWORD);
    auditor = await signIn(t, emails.auditor, STRONG_PASSWORD);
  };
  beforeAll(async () => {
    const s = await setUp();
    t = s.t;
    emails = { officer: s.officer.email, auditor: s.auditor.email };
    productId = s.productId;
    releases = s.releases;
    await moveTo(START);
  });
  afterAll(async () => {
    await t.close();
  });

  const findingsOf = async (releaseId: string, extra = '') =>
    (await officer.get(`/api/v1/findings?releaseId=${releaseId}${extra}`)).json<{ items: Finding[] }>().items;
  const series = async (query: string) => {
    const res = await officer.get(`/api/v1/findings/series?${query}`);
    expect(res.status, res.body.slice(0, 300)).toBe(200);
    return res.json<FindingsSeriesResponse>();
  };
  const historyOf = async (id: string, client = officer) => {
    const res = await client.get(`/api/v1/findings/${id}/history`);
    expect(res.status, res.body.slice(0, 300)).toBe(200);
    return res.json<FindingHistory>();
  };
  const triage = async (finding: { id: string }, body: Record<string, unknown>) => {
    const res = await officer.patch(`/api/v1/findings/${finding.id}`, body);
    expect(res.status, res.body.slice(0, 300)).toBe(200);
    return res.json<Finding>();
  };
  /** Total open findings per day, keyed by date. */
  const totals = (s: FindingsSeriesResponse) => Object.fromEntries(s.points.map((p) => [p.date, p.total]));

  it('counts a finding decided affected → not affected → affected on each day by the state it had then', async () => {
    const all = await findingsOf(releases['1.0']!);
    const n = all.length;
    expect(n).toBeGreaterThan(1);
    const jquery = all.find((f) => f.component === 'jQuery')!;
    await moveTo(at(1));
    await triage(jquery, {
      state: 'affected',
      actionStatement: 'Update jQuery to 3.5.0 in the next release.',
      note: 'Reachable from the service web UI.',
    });
    await moveTo(at(2));
    await triage(jquery, {
      state: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
      note: 'The service UI never passes HTML from outside to jQuery.',
    });
    await moveTo(at(4));
    const reopened = await triage(jquery, { state: 'affected', remediation: 'planned' });
    expect(reopened.state).toBe('affected');
    await moveTo(at(5));

    const s = await series(`releaseId=${releases['1.0']}&days=7`);
    expect(s.points.map((p) => [p.date, p.total])).toEqual([
      ['2026-02-27', 0],
      ['2026-02-28', 0],
      ['2026-03-01', n],
      ['2026-03-02', n],
      // not affected from day 2 until day 4 (the last decision's state would say open all along)
      ['2026-03-03', n - 1],
      ['2026-03-04', n - 1],
      ['2026-03-05', n],
      ['2026-03-06', n],
    ]);
    const sameSeverity = all.filter((f) => f.severity === jquery.severity).length;
    expect(s.points.map((p) => p.open[jquery.severity])).toEqual([
      0,
      0,
      sameSeverity,
      sameSeverity,
      sameSeverity - 1,
      sameSeverity - 1,
      sameSeverity,
      sameSeverity,
    ]);
    expect(s.findings).toBe(n);

    // the history says what happened, by whom and why; the auditor reads it too
    const history = await historyOf(jquery.id, auditor);
    expect(history.findingId).toBe(jquery.id);
    expect(history.firstSeenAt).toBe(START.toISOString());
    expect(history.retractedAt).toBeNull();
    expect(
      history.items.map((h) => [
        h.kind,
        h.fromState,
        h.toState,
        h.fromRemediation,
        h.toRemediation,
        h.changedAt,
      ]),
    ).toEqual([
      ['triage', 'under_investigation', 'affected', 'none', 'none', at(1).toISOString()],
      ['triage', 'affected', 'not_affected', 'none', 'none', at(2).toISOString()],
      ['triage', 'not_affected', 'affected', 'none', 'planned', at(4).toISOString()],
    ]);
    expect(history.items.map((h) => h.justification)).toEqual([
      null,
      'vulnerable_code_not_in_execute_path',
      'vulnerable_code_not_in_execute_path',
    ]);
    expect(history.items.map((h) => h.note)).toEqual([
      'Reachable from the service web UI.',
      'The service UI never passes HTML from outside to jQuery.',
      null,
    ]);
    expect(history.items.every((h) => h.changedBy === 'security_officer' && !h.retracted)).toBe(true);

    // a change of statements only, or a note alone, is no state change: no history row
    await triage(jquery, { impactStatement: 'Only the service UI loads jQuery.' });
    await triage(jquery, { note: 'Nothing changes.' });
    expect((await historyOf(jquery.id)).items).toHaveLength(3);
    // the note is checked at the edge; an unknown or another organization's finding is not found
    expect((await officer.patch(`/api/v1/findings/${jquery.id}`, { note: 'x'.repeat(2001) })).status).toBe(
      400,
    );
    expect((await officer.get('/api/v1/findings/01a20000-0000-7000-8000-000000000000/history')).status).toBe(
      404,
    );
  });

  it('writes a history row per finding a decision across releases changes, and none when it changes nothing', async () => {
    await moveTo(at(6));
    const decide = async (set: Record<string, unknown>, note?: string) => {
      const res = await officer.post(`/api/v1/vulnerabilities/${NEWTONSOFT}/decision`, {
        productIds: [productId],
        preview: false,
        set,
        ...(note ? { note } : {}),
      });
      expect(res.status, res.body.slice(0, 300)).toBe(200);
      return res.json<{ touched: Finding[] }>().touched;
    };
    const notAffected = { state: 'not_affected', justification: 'vulnerable_code_not_present' };
    expect(await decide(notAffected, 'The device never deserialises untrusted JSON.')).toHaveLength(2);
    expect(await decide(notAffected)).toHaveLength(2);
    await moveTo(at(7));
    await decide({ state: 'under_investigation' }, 'A new integration reads JSON from the hospital network.');
    await moveTo(at(8));

    const newtonsoft = (await findingsOf(releases['1.0']!)).find((f) => f.vulnerabilityId === NEWTONSOFT)!;
    const history = await historyOf(newtonsoft.id);
    expect(history.items.map((h) => [h.fromState, h.toState, h.note])).toEqual([
      ['under_investigation', 'not_affected', 'The device never deserialises untrusted JSON.'],
      ['not_affected', 'under_investigation', 'A new integration reads JSON from the hospital network.'],
    ]);
    // both releases: two findings fewer on day 6 only
    const s = totals(await series(`productId=${productId}&days=7`));
    expect(s[dayOf(6)]).toBe(s[dayOf(5)]! - 2);
    expect(s[dayOf(7)]).toBe(s[dayOf(5)]);
    expect(s[dayOf(8)]).toBe(s[dayOf(5)]);
  });

  it("retracts a superseded SBOM's findings with a history row, and counts them and their successors once", async () => {
    await moveTo(at(9));
    const before = await series(`releaseId=${releases['1.1']}&days=14`);
    const old = await findingsOf(releases['1.1']!);
    const res = await officer.upload('POST', `/api/v1/releases/${releases['1.1']}/sboms`, {
      name: 'device.cdx.json',
      content: MEDICAL_SBOM(),
    });
    expect(res.status, res.body).toBe(201);
    await drainJobs(t.deps, t.jobs);

    const successors = await findingsOf(releases['1.1']!);
    expect(successors).toHaveLength(old.length);
    expect(successors.some((f) => old.some((o) => o.id === f.id))).toBe(false);
    // the triage carries over: Newtonsoft is under investigation again since day 7
    expect(successors.find((f) => f.vulnerabilityId === NEWTONSOFT)!.state).toBe('under_investigation');
    const retired = await historyOf(old.find((f) => f.vulnerabilityId === NEWTONSOFT)!.id);
    expect(retired.retractedAt).toBe(at(9).toISOString());
    expect(retired.items.at(-1)).toMatchObject({
      kind: 'sbom_superseded',
      fromState: 'under_investigation',
      toState: 'under_investigation',
      retracted: true,
      changedBy: 'security_officer',
      changedAt: at(9).toISOString(),
    });
    // every day counts each finding once: the successors carry the first-seen time, not the days already counted
    const after = await series(`releaseId=${releases['1.1']}&days=14`);
    expect(after.points).toEqual(before.points);
    expect(after.points.at(-1)!.dueLine).toBe(successors.length);
  });

  it('takes a retraction by the matcher from retracted_at (no history row)', async () => {
    await moveTo(at(10));
    const finding = (await findingsOf(releases['1.0']!)).find((f) => f.vulnerabilityId === NEWTONSOFT)!;
    const rows = (await historyOf(finding.id)).items.length;
    // the advisory is withdrawn: the matcher retracts its findings
    const record = JSON.parse(readFileSync(corpus('osv', 'ghsa-targeted', `${NEWTONSOFT}.json`), 'utf8')) as {
      modified: string;
      withdrawn?: string;
    };
    record.modified = at(10).toISOString();
    record.withdrawn = at(10).toISOString();
    const file = join(mkdtempSync(join(tmpdir(), 'medsec-withdrawn-')), `${NEWTONSOFT}.json`);
    writeFileSync(file, JSON.stringify(record));
    await importOsv(t.deps, file);
    await drainJobs(t.deps, t.jobs);
    await moveTo(at(11));

    const history = await historyOf(finding.id);
    expect(history.retractedAt).toBe(at(10).toISOString());
    expect(history.items).toHaveLength(rows);
    const s = totals(await series(`releaseId=${releases['1.0']}&days=7`));
    expect(s[dayOf(10)]).toBe(s[dayOf(9)]! - 1);
    expect(s[dayOf(11)]).toBe(s[dayOf(10)]);
  });

  it('counts a vendor-CSAF name match from its confirmation, never a dismissed one, with both in the history', async () => {
    await moveTo(at(12));
    const product = await createProductVia(officer, { ...INSULIN_PUMP, model: 'IP-HISTORY-CSAF' });
    const release = (await officer.post(`/api/v1/products/${product.id}/releases`, { version: '2.0' })).json<{
      id: string;
    }>().id;
    const upload = await officer.upload('POST', `/api/v1/releases/${release}/sboms`, {
      name: 'kit.cdx.json',
      content: readFileSync(new URL('../../testing/fixtures/bpl-scale.cdx.json', import.meta.url)),
    });
    expect(upload.status, upload.body).toBe(201);
    await drainJobs(t.deps, t.jobs);
    await importCsaf(t.deps, corpus('csaf', 'cisa-icsma-medical', 'icsma-24-254-01.json'));
    const pending = (await officer.get(`/api/v1/csaf-matches?releaseId=${release}`)).json<{
      items: { id: string; component: string }[];
    }>().items;
    expect(pending).toHaveLength(2);
    await moveTo(at(13));
    const scale = pending.find((m) => m.component === 'PWS-01-BT')!;
    const app = pending.find((m) => m.component !== 'PWS-01-BT')!;
    expect((await officer.post(`/api/v1/csaf-matches/${scale.id}/confirm`)).status).toBe(200);
    const reason = 'Our app is the clinic edition, not the BPL consumer app of the advisory.';
    expect((await officer.post(`/api/v1/csaf-matches/${app.id}/dismiss`, { reason })).status).toBe(200);
    await moveTo(at(14));

    const s = await series(`releaseId=${release}&days=7`);
    expect(totals(s)[dayOf(12)]).toBe(0);
    expect(totals(s)[dayOf(13)]).toBe(1);
    expect(totals(s)[dayOf(14)]).toBe(1);
    expect(s.findings).toBe(1);
    expect((await historyOf(scale.id)).items).toMatchObject([
      { kind: 'csaf_confirmed', retracted: false, note: null, changedAt: at(13).toISOString() },
    ]);
    const dismissed = await historyOf(app.id);
    expect(dismissed.retractedAt).toBe(at(13).toISOString());
    expect(dismissed.items).toMatchObject([{ kind: 'csaf_dismissed', retracted: true, note: reason }]);
  });
});

describe('finding state history: the backfill of migration 0012', () => {
  let t: TestApp;
  let officer: TestClient;
  let officerEmail: string;
  let releases: Record<string, string>;
  beforeAll(async () => {
    const s = await setUp();
    t = s.t;
    officerEmail = s.officer.email;
    releases = s.releases;
    officer = await signIn(t, officerEmail, STRONG_PASSWORD);
  });
  afterAll(async () => {
    await t.close();
  });

  it('reconstructs one row from the state of each finding decided before the history existed', async () => {
    const items = (await officer.get(`/api/v1/findings?releaseId=${releases['1.0']}`)).json<{
      items: Finding[];
    }>().items;
    const decided = items.find((f) => f.component === 'jQuery')!;
    const [user] = await t.deps.db.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [
      officerEmail,
    ]);
    // a decision as it was stored before migration 0012: on the finding only
    await t.deps.db.query(
      `UPDATE findings SET state = 'not_affected', justification = 'component_not_present', remediation = 'wont-fix',
              decided_by = $2, decided_at = $3 WHERE id = $1`,
      [decided.id, user!.id, at(2)],
    );
    const backfill = splitSql(
      readFileSync(join(MIGRATIONS_DIR, '0012_finding_state_history.sql'), 'utf8'),
    ).find((statement) => statement.startsWith('INSERT INTO finding_state_changes'));
    await t.deps.db.query(backfill!);

    const [count] = await t.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM finding_state_changes',
    );
    expect(count!.n).toBe(1);
    t.clock.set(at(3));
    officer = await signIn(t, officerEmail, STRONG_PASSWORD);
    const history = (await officer.get(`/api/v1/findings/${decided.id}/history`)).json<FindingHistory>();
    expect(history.items).toHaveLength(1);
    const row = history.items[0]!;
    expect(row).toMatchObject({
      kind: 'reconstructed',
      fromState: null,
      toState: 'not_affected',
      justification: 'component_not_present',
      fromRemediation: null,
      toRemediation: 'wont-fix',
      retracted: false,
      changedBy: 'security_officer',
      changedAt: at(2).toISOString(),
    });
    expect(row.note).toMatch(/^Reconstructed by migration 0012/);
    // a UUIDv7 of the decision's time
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(row.id.replaceAll('-', '').slice(0, 12), 16)).toBe(at(2).getTime());

    // open until the decision, as under investigation (the state every finding starts in)
    const n = items.length;
    const before = (
      await officer.get(`/api/v1/findings/series?releaseId=${releases['1.0']}&days=7`)
    ).json<FindingsSeriesResponse>();
    expect(before.points.slice(-4).map((p) => p.total)).toEqual([n, n, n - 1, n - 1]);
    // a later decision follows the reconstructed row
    const res = await officer.patch(`/api/v1/findings/${decided.id}`, {
      state: 'affected',
      actionStatement: 'Replace the component.',
    });
    expect(res.status, res.body).toBe(200);
    const next = (await officer.get(`/api/v1/findings/${decided.id}/history`)).json<FindingHistory>();
    expect(next.items.map((h) => [h.kind, h.fromState, h.toState])).toEqual([
      ['reconstructed', null, 'not_affected'],
      ['triage', 'not_affected', 'affected'],
    ]);
    const after = (
      await officer.get(`/api/v1/findings/series?releaseId=${releases['1.0']}&days=7`)
    ).json<FindingsSeriesResponse>();
    expect(after.points.slice(-4).map((p) => p.total)).toEqual([n, n, n - 1, n]);
  });

  it('keeps the history append-only', async () => {
    await expect(t.deps.db.query("UPDATE finding_state_changes SET note = 'rewritten'")).rejects.toThrow(
      /append-only/,
    );
    await expect(t.deps.db.query('DELETE FROM finding_state_changes')).rejects.toThrow(/append-only/);
  });
});
