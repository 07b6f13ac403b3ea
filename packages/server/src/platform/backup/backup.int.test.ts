import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, bootstrapAdmin, createClient, totpFor } from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import { createBackup, listTables, restoreBackup } from './backup.service.ts';

const dump = async (t: TestApp, table: string): Promise<string[]> =>
  (await t.deps.db.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${table}" x ORDER BY 1`)).map(
    (r) => r.j,
  );

describe('backup and restore', () => {
  let source: TestApp;
  let target: TestApp | undefined;
  let admin: Awaited<ReturnType<typeof bootstrapAdmin>>;
  const dir = mkdtempSync(join(tmpdir(), 'medsec-backup-'));
  beforeAll(async () => {
    source = await createTestApp();
    admin = await bootstrapAdmin(source);
    await addMember(source, admin.client, 'developer');
    await admin.client.post('/api/v1/tokens', { name: 'ci', role: 'developer', expiresInDays: 30 });
    await admin.client.post('/api/v1/invitations', { email: 'later@example.com', role: 'qa' });
  });
  afterAll(async () => {
    await source.close();
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips every table into an empty database, with a chain that verifies and logins that work', async () => {
    const file = join(dir, 'backup.jsonl.gz');
    const summary = await createBackup(source.systemCtx(), file);
    expect(summary.rows).toBeGreaterThan(10);
    target = await createTestApp({ keyring: source.deps.keyring });
    const restored = await restoreBackup(target.systemCtx(), file);
    expect(restored.rows).toBe(summary.rows);
    for (const table of await listTables(source.deps.db)) {
      if (table === 'audit_events' || table === 'audit_chain_head') {
        continue;
      }
      expect(await dump(target, table), table).toEqual(await dump(source, table));
    }
    // The restored log holds every source event, then one 'backup.restored' event, and verifies.
    const sourceEvents = await dump(source, 'audit_events');
    const targetEvents = await dump(target, 'audit_events');
    expect(targetEvents).toEqual(expect.arrayContaining(sourceEvents));
    expect(targetEvents).toHaveLength(sourceEvents.length + 1);
    expect(await verifyAuditChain(target.deps.db)).toMatchObject({
      ok: true,
      events: sourceEvents.length + 1,
    });
    // The administrator signs in with password and TOTP on the restored copy (sealed secret still opens).
    target.clock.set(new Date(source.clock.now().getTime() + 60_000));
    const client = createClient(target);
    expect(
      (await client.post('/api/v1/auth/login', { email: admin.email, password: admin.password })).status,
    ).toBe(200);
    expect(
      (
        await client.post('/api/v1/auth/mfa/verify', {
          code: await totpFor(admin.totpSecret, target.clock.now()),
        })
      ).status,
    ).toBe(200);
  });

  it('refuses to restore over existing data, and refuses a corrupted file without writing anything', async () => {
    const file = join(dir, 'again.jsonl.gz');
    await createBackup(source.systemCtx(), file);
    await expect(restoreBackup(source.systemCtx(), file)).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
    });

    const empty = await createTestApp();
    try {
      const { readFileSync } = await import('node:fs');
      const { gunzipSync } = await import('node:zlib');
      const lines = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');
      lines.splice(3, 1); // drop a row: the trailer's count and hash no longer match
      const broken = join(dir, 'broken.jsonl.gz');
      writeFileSync(broken, gzipSync(`${lines.join('\n')}\n`));
      await expect(restoreBackup(empty.systemCtx(), broken)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      const [users] = await empty.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
      expect(users?.n).toBe(0);
      const notBackup = join(dir, 'not.gz');
      writeFileSync(notBackup, gzipSync('hello\n'));
      await expect(restoreBackup(empty.systemCtx(), notBackup)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    } finally {
      await empty.close();
    }
  });
});
