import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import {
  addMember,
  bootstrapAdmin,
  createClient,
  relogin,
  STRONG_PASSWORD,
  signIn,
} from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { type ChainedFields, chainHash } from './audit.chain.ts';
import { recordAudit, verifyAuditChain } from './audit.service.ts';

/** Tampering as someone with database access would do it: triggers off, rows changed. */
const tamper = async (t: TestApp, fn: (tx: Queryable) => Promise<void>): Promise<void> => {
  await t.deps.db.transaction(async (tx) => {
    await tx.query("SET LOCAL session_replication_role = 'replica'");
    await fn(tx);
  });
};

describe('audit log', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof bootstrapAdmin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await bootstrapAdmin(t);
    for (const role of ['developer', 'qa', 'auditor'] as const) {
      await addMember(t, admin.client, role);
    }
    await createClient(t).post('/api/v1/auth/login', { email: admin.email, password: 'Wrong-Password-1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('records logins (success and failure), MFA, account and export events in one chain that verifies', async () => {
    const actions = (
      await t.deps.db.query<{ action: string; outcome: string }>(
        'SELECT action, outcome FROM audit_events ORDER BY seq',
      )
    ).map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'setup.completed:success',
        'auth.login:success',
        'auth.login:failure',
        'mfa.enabled:success',
        'user.invited:success',
        'invitation.accepted:success',
      ]),
    );
    const result = await verifyAuditChain(t.deps.db);
    expect(result).toMatchObject({ ok: true, firstBrokenEventId: null });
    expect(result.events).toBe(actions.length);
    const api = await admin.client.get('/api/v1/audit-events/verify');
    expect(api.json()).toMatchObject({ ok: true, events: actions.length });
  });

  it('is append-only in the database: updates and deletes are refused', async () => {
    await expect(t.deps.db.query("UPDATE audit_events SET action = 'x' WHERE seq = 1")).rejects.toThrow(
      /append-only/,
    );
    await expect(t.deps.db.query('DELETE FROM audit_events WHERE seq = 1')).rejects.toThrow(/append-only/);
  });

  it('writes the event in the same transaction as the change: a rolled-back change leaves no event', async () => {
    const before = (await verifyAuditChain(t.deps.db)).events;
    const ctx = t.systemCtx();
    await expect(
      withTx(ctx, async (tx) => {
        await recordAudit(ctx, tx, { action: 'test.rolled_back' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await verifyAuditChain(t.deps.db)).events).toBe(before);
  });

  it('filters, pages and exports events of the organization; the export is itself audited', async () => {
    admin.client = await relogin(t, admin);
    const failures = await admin.client.get('/api/v1/audit-events?outcome=failure&action=auth.');
    const page = failures.json<{ items: { action: string; outcome: string }[]; total: number }>();
    expect(page.total).toBeGreaterThanOrEqual(1);
    expect(page.items.every((e) => e.outcome === 'failure' && e.action.startsWith('auth.'))).toBe(true);
    const paged = await admin.client.get('/api/v1/audit-events?pageSize=2&page=2&sort=seq');
    const p2 = paged.json<{ items: { seq: number }[] }>();
    expect(p2.items.map((e) => e.seq)).toHaveLength(2);
    expect(p2.items[0]!.seq).toBeLessThan(p2.items[1]!.seq);

    const auditor = await addMember(t, admin.client, 'auditor');
    const auditorClient = await signIn(t, auditor.email, STRONG_PASSWORD);
    const csv = await auditorClient.get('/api/v1/audit-events/export?format=csv&action=user.');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="audit-events-.*\.csv"/);
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'seq,occurredAt,actorLabel,action,outcome,targetType,targetId,ip,requestId,details,hash',
    );
    expect(lines.slice(1).every((l) => l.includes('"user.'))).toBe(true);
    const exported = await t.deps.db.query<{ actor_label: string }>(
      "SELECT actor_label FROM audit_events WHERE action = 'audit.exported'",
    );
    expect(exported.map((e) => e.actor_label)).toContain(auditor.email);
  });

  it('neutralises spreadsheet formulas in CSV cells', async () => {
    const { csvCell } = await import('./audit.service.ts');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('plain')).toBe('"plain"');
  });
});

describe('audit chain tamper detection', () => {
  let t: TestApp;
  let ids: { seq: number; id: string }[];
  beforeAll(async () => {
    t = await createTestApp();
    await bootstrapAdmin(t);
    ids = await t.deps.db.query<{ seq: number; id: string }>('SELECT seq, id FROM audit_events ORDER BY seq');
    expect(ids.length).toBeGreaterThanOrEqual(5);
  });
  afterAll(async () => {
    await t.close();
  });

  const snapshot = (t: TestApp) =>
    t.deps.db.query<Record<string, unknown>>('SELECT * FROM audit_events ORDER BY seq');
  const restore = async (rows: Record<string, unknown>[], head: { last_seq: number; last_hash: string }) =>
    tamper(t, async (tx) => {
      await tx.query('DELETE FROM audit_events');
      await tx.query(
        'INSERT INTO audit_events SELECT * FROM json_populate_recordset(NULL::audit_events, $1::json)',
        [JSON.stringify(rows)],
      );
      await tx.query('UPDATE audit_chain_head SET last_seq = $1, last_hash = $2', [
        head.last_seq,
        head.last_hash,
      ]);
    });

  it('finds a modified event', async () => {
    const rows = await snapshot(t);
    const [head] = await t.deps.db.query<{ last_seq: number; last_hash: string }>(
      'SELECT last_seq, last_hash FROM audit_chain_head',
    );
    const victim = ids[2]!;
    await tamper(t, (tx) =>
      tx
        .query(`UPDATE audit_events SET details = '{"email":"someone-else@example.com"}' WHERE seq = $1`, [
          victim.seq,
        ])
        .then(() => undefined),
    );
    const result = await verifyAuditChain(t.deps.db);
    expect(result).toMatchObject({ ok: false, firstBrokenEventId: victim.id, firstBrokenSeq: victim.seq });
    expect(result.problem).toMatch(/content/);
    await restore(rows, head!);
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it('finds a deleted event (in the middle and at the end)', async () => {
    const rows = await snapshot(t);
    const [head] = await t.deps.db.query<{ last_seq: number; last_hash: string }>(
      'SELECT last_seq, last_hash FROM audit_chain_head',
    );
    await tamper(t, (tx) =>
      tx.query('DELETE FROM audit_events WHERE seq = $1', [ids[3]!.seq]).then(() => undefined),
    );
    expect(await verifyAuditChain(t.deps.db)).toMatchObject({ ok: false, firstBrokenEventId: ids[4]!.id });
    await restore(rows, head!);
    await tamper(t, (tx) =>
      tx.query('DELETE FROM audit_events WHERE seq = $1', [ids.at(-1)!.seq]).then(() => undefined),
    );
    const tail = await verifyAuditChain(t.deps.db);
    expect(tail.ok).toBe(false);
    expect(tail.problem).toMatch(/removed/);
    await restore(rows, head!);
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it('finds an inserted event, even one whose own hash was forged correctly', async () => {
    const rows = await snapshot(t);
    const [head] = await t.deps.db.query<{ last_seq: number; last_hash: string }>(
      'SELECT last_seq, last_hash FROM audit_chain_head',
    );
    const at = ids[2]!; // forge an event right after this one
    const prev = rows.find((r) => r.seq === at.seq)!;
    const forged: ChainedFields = {
      seq: at.seq + 1,
      id: '01a20000-0000-7000-8000-0000000f0f0f',
      occurredAt: new Date(prev.occurred_at as string).toISOString(),
      organizationId: null,
      actorUserId: null,
      actorLabel: 'intruder',
      action: 'user.role_changed',
      targetType: null,
      targetId: null,
      outcome: 'success',
      ip: null,
      requestId: null,
      details: {},
    };
    const hash = chainHash(prev.hash as string, forged);
    await tamper(t, async (tx) => {
      await tx.query('UPDATE audit_events SET seq = -seq WHERE seq > $1', [at.seq]);
      await tx.query('UPDATE audit_events SET seq = -seq + 1 WHERE seq < 0');
      await tx.query(
        `INSERT INTO audit_events (seq, id, occurred_at, actor_label, action, outcome, details, prev_hash, hash)
         VALUES ($1, $2, $3, 'intruder', 'user.role_changed', 'success', '{}', $4, $5)`,
        [forged.seq, forged.id, forged.occurredAt, prev.hash, hash],
      );
    });
    // The forged event links correctly to its predecessor, but the next genuine event does not link to it.
    expect(await verifyAuditChain(t.deps.db)).toMatchObject({ ok: false, firstBrokenEventId: ids[3]!.id });
    await restore(rows, head!);
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });
});
