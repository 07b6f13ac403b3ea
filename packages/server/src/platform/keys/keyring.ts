import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../../config.ts';

/**
 * Key-encryption keys (KEKs) live outside the database: in `MEDSEC_KEK` (base64, 32 bytes), in a key file
 * (`MEDSEC_KEK_FILE`), or — embedded mode only — in `<data dir>/keys/keyring.json`, created on first start
 * with mode 0600. Data keys in the database are wrapped by the primary KEK (AES-256-GCM).
 * MFDS 2025 art. 8 (data protection: encryption of stored sensitive data, key management).
 */
export interface Keyring {
  primaryId: string;
  keys: Map<string, Buffer>;
  /** Where the keyring is stored, when it is a file (rotation writes it). */
  file: string | undefined;
}

interface KeyringFile {
  format: 'medsec-keyring/1';
  primary: string;
  keys: Record<string, string>;
}

const decodeKey = (b64: string, where: string): Buffer => {
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 32) {
    throw new Error(`${where}: a key must be 32 bytes, base64-encoded (got ${key.length} bytes)`);
  }
  return key;
};

export const readKeyringFile = (file: string): Keyring => {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as KeyringFile;
  if (parsed.format !== 'medsec-keyring/1' || !parsed.keys[parsed.primary]) {
    throw new Error(`${file}: not a MedSec keyring file`);
  }
  const keys = new Map(Object.entries(parsed.keys).map(([id, k]) => [id, decodeKey(k, file)]));
  return { primaryId: parsed.primary, keys, file };
};

export const writeKeyringFile = (keyring: Keyring): void => {
  if (!keyring.file) {
    throw new Error('this keyring is not stored in a file');
  }
  const body: KeyringFile = {
    format: 'medsec-keyring/1',
    primary: keyring.primaryId,
    keys: Object.fromEntries([...keyring.keys].map(([id, k]) => [id, k.toString('base64')])),
  };
  mkdirSync(dirname(keyring.file), { recursive: true, mode: 0o700 });
  const tmp = `${keyring.file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, keyring.file);
  chmodSync(keyring.file, 0o600);
};

export const newKekId = (now: Date): string =>
  `kek-${now
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomBytes(3).toString('hex')}`;

/** Loads the keyring from configuration; creates the embedded one on first start. */
export const loadKeyring = (config: Config, now: Date = new Date()): Keyring => {
  if (config.kek && 'inline' in config.kek) {
    return {
      primaryId: 'env',
      keys: new Map([['env', decodeKey(config.kek.inline, 'MEDSEC_KEK')]]),
      file: undefined,
    };
  }
  if (config.kek && 'file' in config.kek) {
    if (!existsSync(config.kek.file)) {
      throw new Error(`MEDSEC_KEK_FILE ${config.kek.file} does not exist`);
    }
    return readKeyringFile(config.kek.file);
  }
  if (config.storage.kind === 'postgres') {
    throw new Error(
      'On PostgreSQL a key-encryption key must be configured outside the database: set MEDSEC_KEK_FILE (or MEDSEC_KEK).',
    );
  }
  const file = join(config.storage.dataDir, 'keys', 'keyring.json');
  if (existsSync(file)) {
    return readKeyringFile(file);
  }
  const id = newKekId(now);
  const keyring: Keyring = { primaryId: id, keys: new Map([[id, randomBytes(32)]]), file };
  writeKeyringFile(keyring);
  return keyring;
};

/** Creates a new keyring file with one fresh key-encryption key. */
export const createKeyringFile = (file: string, now: Date = new Date()): Keyring => {
  const id = newKekId(now);
  const keyring: Keyring = { primaryId: id, keys: new Map([[id, randomBytes(32)]]), file };
  writeKeyringFile(keyring);
  return keyring;
};

/** A keyring held only in memory (tests). */
export const createMemoryKeyring = (): Keyring => ({
  primaryId: 'test',
  keys: new Map([['test', randomBytes(32)]]),
  file: undefined,
});

// AES-256-GCM with a 96-bit random IV; output = iv | tag | ciphertext, base64url.
export const sealBytes = (key: Buffer, plaintext: Buffer, aad: string): string => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url');
};

export const openBytes = (key: Buffer, sealed: string, aad: string): Buffer => {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
};
