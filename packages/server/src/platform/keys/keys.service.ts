import { randomBytes } from 'node:crypto';
import { uuidv7 } from '@medsec/core';
import type { Deps } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { newKekId, openBytes, sealBytes, writeKeyringFile } from './keyring.ts';

/**
 * Field encryption under data keys (envelope encryption). A sealed field reads
 * `v1.<dataKeyId>.<sealed>`; the data key is bound as additional authenticated data.
 */
interface DataKeyRow {
  id: string;
  kek_id: string;
  wrapped_key: string;
  active: boolean;
}

/** Fields that hold sealed values; rotation with re-encryption walks these. */
export const SEALED_FIELDS: { table: string; column: string }[] = [
  { table: 'users', column: 'mfa_secret_enc' },
  { table: 'users', column: 'mfa_pending_secret_enc' },
  { table: 'notification_settings', column: 'webhook_secret_enc' },
];

const unwrap = (deps: Deps, row: DataKeyRow): Buffer => {
  const kek = deps.keyring.keys.get(row.kek_id);
  if (!kek) {
    throw new Error(
      `key-encryption key ${row.kek_id} is not in the keyring; cannot unwrap data key ${row.id}`,
    );
  }
  return openBytes(kek, row.wrapped_key, `data-key:${row.id}`);
};

const activeDataKey = async (deps: Deps, tx: Queryable): Promise<{ id: string; key: Buffer }> => {
  const [row] = await tx.query<DataKeyRow>(
    'SELECT * FROM data_keys WHERE active ORDER BY created_at DESC LIMIT 1',
  );
  if (row) {
    return { id: row.id, key: unwrap(deps, row) };
  }
  const id = uuidv7(deps.clock.now().getTime());
  const key = randomBytes(32);
  const kek = deps.keyring.keys.get(deps.keyring.primaryId)!;
  await tx.query(
    'INSERT INTO data_keys (id, kek_id, wrapped_key, active, created_at) VALUES ($1, $2, $3, true, $4)',
    [id, deps.keyring.primaryId, sealBytes(kek, key, `data-key:${id}`), deps.clock.now()],
  );
  return { id, key };
};

export const sealField = async (deps: Deps, tx: Queryable, plaintext: string): Promise<string> => {
  const { id, key } = await activeDataKey(deps, tx);
  return `v1.${id}.${sealBytes(key, Buffer.from(plaintext, 'utf8'), `field:${id}`)}`;
};

export const openField = async (deps: Deps, tx: Queryable, sealed: string): Promise<string> => {
  const [version, id, body] = sealed.split('.');
  if (version !== 'v1' || !id || !body) {
    throw new Error('not a sealed field');
  }
  const [row] = await tx.query<DataKeyRow>('SELECT * FROM data_keys WHERE id = $1', [id]);
  if (!row) {
    throw new Error(`data key ${id} not found`);
  }
  return openBytes(unwrap(deps, row), body, `field:${id}`).toString('utf8');
};

export interface RotationResult {
  newKekId: string;
  rewrappedDataKeys: number;
  reencryptedFields: number;
}

/**
 * `medsec keys rotate`: adds a new KEK to the keyring file, re-wraps every data key under it and starts a new
 * data key; with `reencrypt`, sealed fields move to the new data key too. The database work is one transaction;
 * the keyring file keeps the old KEK until `retireOld` is asked for after a successful rotation.
 */
export const rotateKeys = async (
  deps: Deps,
  options: { reencrypt: boolean; retireOld: boolean },
): Promise<RotationResult> => {
  const keyring = deps.keyring;
  if (!keyring.file) {
    throw new Error(
      'Key rotation needs a keyring file (MEDSEC_KEK_FILE or the embedded data directory), not MEDSEC_KEK.',
    );
  }
  const now = deps.clock.now();
  const id = newKekId(now);
  keyring.keys.set(id, randomBytes(32));
  const oldPrimary = keyring.primaryId;
  // Write the new key first: if the transaction fails, the file still holds every key the database needs.
  writeKeyringFile(keyring);
  let result: RotationResult;
  try {
    result = await deps.db.transaction(async (tx) => {
      const rows = await tx.query<DataKeyRow>('SELECT * FROM data_keys ORDER BY created_at');
      const newKek = keyring.keys.get(id)!;
      for (const row of rows) {
        const key = unwrap(deps, row);
        await tx.query(
          'UPDATE data_keys SET kek_id = $1, wrapped_key = $2, rewrapped_at = $3, active = false WHERE id = $4',
          [id, sealBytes(newKek, key, `data-key:${row.id}`), now, row.id],
        );
      }
      keyring.primaryId = id;
      let reencrypted = 0;
      if (options.reencrypt) {
        for (const { table, column } of SEALED_FIELDS) {
          const sealedRows = await tx.query<{ id: string; value: string }>(
            `SELECT id, ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL`,
          );
          for (const r of sealedRows) {
            const plain = await openField(deps, tx, r.value);
            const resealed = await sealField(deps, tx, plain);
            await tx.query(`UPDATE ${table} SET ${column} = $1 WHERE id = $2`, [resealed, r.id]);
            reencrypted++;
          }
        }
      }
      return { newKekId: id, rewrappedDataKeys: rows.length, reencryptedFields: reencrypted };
    });
  } catch (error) {
    keyring.primaryId = oldPrimary;
    writeKeyringFile(keyring);
    throw error;
  }
  keyring.primaryId = id;
  if (options.retireOld) {
    for (const k of [...keyring.keys.keys()]) {
      if (k !== id) {
        keyring.keys.delete(k);
      }
    }
  }
  writeKeyringFile(keyring);
  return result;
};
