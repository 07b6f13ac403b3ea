import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin, relogin } from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { readKeyringFile, writeKeyringFile } from './keyring.ts';
import { rotateKeys } from './keys.service.ts';

describe('secrets at rest and key rotation', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof bootstrapAdmin>>;
  const dir = mkdtempSync(join(tmpdir(), 'medsec-keys-'));
  beforeAll(async () => {
    t = await createTestApp();
    t.deps.keyring.file = join(dir, 'keyring.json');
    writeKeyringFile(t.deps.keyring);
    admin = await bootstrapAdmin(t);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-wraps data keys under a new key-encryption key; sealed secrets still open', async () => {
    const [before] = await t.deps.db.query<{ mfa_secret_enc: string }>(
      'SELECT mfa_secret_enc FROM users WHERE id = $1',
      [admin.userId],
    );
    const oldKek = t.deps.keyring.primaryId;
    const result = await rotateKeys(t.deps, { reencrypt: false, retireOld: false });
    expect(result.rewrappedDataKeys).toBe(1);
    const keks = await t.deps.db.query<{ kek_id: string }>('SELECT DISTINCT kek_id FROM data_keys');
    expect(keks).toEqual([{ kek_id: result.newKekId }]);
    expect(result.newKekId).not.toBe(oldKek);
    const file = readKeyringFile(t.deps.keyring.file!);
    expect(file.primaryId).toBe(result.newKekId);
    expect(file.keys.has(oldKek)).toBe(true);
    const [after] = await t.deps.db.query<{ mfa_secret_enc: string }>(
      'SELECT mfa_secret_enc FROM users WHERE id = $1',
      [admin.userId],
    );
    expect(after?.mfa_secret_enc).toBe(before?.mfa_secret_enc);
    await relogin(t, admin); // TOTP verification opens the sealed secret
  });

  it('re-encrypts fields under a new data key and retires the old KEK', async () => {
    const [before] = await t.deps.db.query<{ mfa_secret_enc: string }>(
      'SELECT mfa_secret_enc FROM users WHERE id = $1',
      [admin.userId],
    );
    const result = await rotateKeys(t.deps, { reencrypt: true, retireOld: true });
    expect(result.reencryptedFields).toBe(1);
    const [after] = await t.deps.db.query<{ mfa_secret_enc: string }>(
      'SELECT mfa_secret_enc FROM users WHERE id = $1',
      [admin.userId],
    );
    expect(after?.mfa_secret_enc).not.toBe(before?.mfa_secret_enc);
    expect([...readKeyringFile(t.deps.keyring.file!).keys.keys()]).toEqual([result.newKekId]);
    expect(readFileSync(t.deps.keyring.file!, 'utf8')).toContain('medsec-keyring/1');
    await relogin(t, admin);
  });
});
