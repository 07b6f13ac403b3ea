import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { AppError, ErrorCode } from '@medsec/core';
import { type Ctx, withTx } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { readMigrations } from '../../db/migrate.ts';
import { recordAudit } from '../audit/audit.service.ts';

/**
 * Logical backups that work the same on PGlite and PostgreSQL: gzip'd JSON lines, one header line,
 * one line per row (as PostgreSQL's own `row_to_json`), and a trailer with the row count and a SHA-256 of
 * every row line. Restore goes into an empty, migrated database of the same schema version, in one
 * transaction, with triggers and foreign-key checks deferred by `session_replication_role = replica`.
 * Key-encryption keys are not in the backup (they live outside the database); the header names the ones needed.
 */
export const BACKUP_FORMAT = 'medsec-backup/1';

interface Header {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  storage: 'pglite' | 'postgres';
  migrations: string[];
  tables: string[];
  kekIds: string[];
}

interface Trailer {
  trailer: true;
  rows: number;
  sha256: string;
}

const BATCH = 500;

/** Tables to copy, parents first (order only matters for readability: constraints are deferred on restore). */
export const listTables = async (db: Pick<Db, 'query'>): Promise<string[]> => {
  const rows = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
      ORDER BY table_name`,
  );
  const preferred = ['organizations', 'users'];
  const names = rows.map((r) => r.table_name);
  return [...preferred.filter((p) => names.includes(p)), ...names.filter((n) => !preferred.includes(n))];
};

export interface BackupSummary {
  file: string;
  tables: Record<string, number>;
  rows: number;
  sha256: string;
}

/** Reported after each table (and each page of a large one): which table, how far, rows so far. */
export type BackupProgress = (p: { table: string; tableIndex: number; tables: number; rows: number }) => void;

export const createBackup = async (
  ctx: Ctx,
  file: string,
  onProgress?: BackupProgress,
): Promise<BackupSummary> => {
  const db = ctx.db;
  await withTx(ctx, (tx) =>
    recordAudit(ctx, tx, {
      action: 'backup.created',
      organizationId: null,
      details: { file: file.split('/').pop() ?? file },
    }),
  );
  const tables = await listTables(db);
  const migrations = (
    await db.query<{ version: string; name: string }>(
      'SELECT version, name FROM schema_migrations ORDER BY version',
    )
  ).map((m) => `${m.version}_${m.name}`);
  const kekIds = (
    await db.query<{ kek_id: string }>('SELECT DISTINCT kek_id FROM data_keys ORDER BY kek_id')
  ).map((r) => r.kek_id);
  const header: Header = {
    format: BACKUP_FORMAT,
    createdAt: ctx.clock.now().toISOString(),
    storage: db.kind,
    migrations,
    tables,
    kekIds,
  };
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  let total = 0;
  async function* lines(): AsyncGenerator<string> {
    yield `${JSON.stringify(header)}\n`;
    for (const [tableIndex, table] of tables.entries()) {
      counts[table] = 0;
      // A consistent snapshot per table, paged by ctid-free OFFSET over a stable order of the full row text.
      let offset = 0;
      for (;;) {
        const rows = await db.query<{ j: string }>(
          `SELECT row_to_json(t)::text AS j FROM "${table}" t ORDER BY row_to_json(t)::text LIMIT ${BATCH} OFFSET ${offset}`,
        );
        for (const r of rows) {
          const line = `{"t":${JSON.stringify(table)},"r":${r.j}}`;
          hash.update(line);
          counts[table]++;
          total++;
          yield `${line}\n`;
        }
        onProgress?.({ table, tableIndex, tables: tables.length, rows: total });
        if (rows.length < BATCH) {
          break;
        }
        offset += BATCH;
      }
    }
    const trailer: Trailer = { trailer: true, rows: total, sha256: hash.digest('hex') };
    yield `${JSON.stringify(trailer)}\n`;
  }
  await pipeline(Readable.from(lines()), createGzip(), createWriteStream(file, { mode: 0o600 }));
  return { file, tables: counts, rows: total, sha256: (await readTrailer(file)).sha256 };
};

const readTrailer = async (file: string): Promise<Trailer> => {
  let last = '';
  for await (const line of createInterface({ input: createReadStream(file).pipe(createGunzip()) })) {
    if (line) {
      last = line;
    }
  }
  return JSON.parse(last) as Trailer;
};

export interface RestoreSummary {
  tables: Record<string, number>;
  rows: number;
  kekIds: string[];
}

/**
 * Restores a backup into an empty database (no users) migrated to the same version.
 * @throws PRECONDITION_FAILED when the target is not empty or the schema versions differ;
 *         VALIDATION_FAILED when the file is not a backup or its checksum does not match.
 */
export const restoreBackup = async (
  ctx: Ctx,
  file: string,
  onProgress?: BackupProgress,
): Promise<RestoreSummary> => {
  const db = ctx.db;
  const [users] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  if ((users?.n ?? 0) > 0) {
    throw new AppError(ErrorCode.PRECONDITION_FAILED, {
      detail: 'Restore needs an empty database / 빈 데이터베이스에만 복원할 수 있습니다',
    });
  }
  const input = createInterface({
    input: createReadStream(file).pipe(createGunzip()),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const iterator = input[Symbol.asyncIterator]();
  let header: Header;
  try {
    const first = await iterator.next();
    header = JSON.parse(first.value ?? '') as Header;
  } catch (cause) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: 'Not a MedSec backup file / 백업 파일이 아닙니다',
      cause,
    });
  }
  if (header.format !== BACKUP_FORMAT) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: 'Not a MedSec backup file / 백업 파일이 아닙니다',
    });
  }
  const current = readMigrations().map((m) => `${m.version}_${m.name}`);
  if (JSON.stringify(current) !== JSON.stringify(header.migrations)) {
    throw new AppError(ErrorCode.PRECONDITION_FAILED, {
      detail: `The backup's schema (${header.migrations.at(-1)}) differs from this version's (${current.at(-1)})`,
    });
  }
  const known = new Set(await listTables(db));
  const counts: Record<string, number> = {};
  const hash = createHash('sha256');
  let total = 0;
  let trailer: Trailer | undefined;
  await db.transaction(async (tx) => {
    await tx.query("SET LOCAL session_replication_role = 'replica'");
    for (const table of header.tables) {
      if (!known.has(table)) {
        throw new AppError(ErrorCode.VALIDATION_FAILED, { detail: `Unknown table in backup: ${table}` });
      }
      await tx.query(`DELETE FROM "${table}"`);
    }
    let batch: { t: string; r: unknown }[] = [];
    const flush = async () => {
      if (batch.length === 0) {
        return;
      }
      const table = batch[0]!.t;
      await tx.query(
        `INSERT INTO "${table}" SELECT * FROM json_populate_recordset(NULL::"${table}", $1::json)`,
        [JSON.stringify(batch.map((b) => b.r))],
      );
      counts[table] = (counts[table] ?? 0) + batch.length;
      onProgress?.({
        table,
        tableIndex: header.tables.indexOf(table),
        tables: header.tables.length,
        rows: total,
      });
      batch = [];
    };
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        break;
      }
      const line = next.value;
      if (!line) {
        continue;
      }
      if (line.startsWith('{"trailer"')) {
        trailer = JSON.parse(line) as Trailer;
        break;
      }
      hash.update(line);
      const entry = JSON.parse(line) as { t: string; r: unknown };
      if (!header.tables.includes(entry.t)) {
        throw new AppError(ErrorCode.VALIDATION_FAILED, { detail: `Unknown table in backup: ${entry.t}` });
      }
      if (batch.length > 0 && (batch[0]!.t !== entry.t || batch.length >= BATCH)) {
        await flush();
      }
      batch.push(entry);
      total++;
    }
    await flush();
    if (!trailer || trailer.rows !== total || trailer.sha256 !== hash.digest('hex')) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, {
        detail: 'The backup is incomplete or corrupted (checksum mismatch) / 백업 파일이 손상되었습니다',
      });
    }
    await tx.query("SET LOCAL session_replication_role = 'origin'");
    await recordAudit(ctx, tx, {
      action: 'backup.restored',
      organizationId: null,
      details: { createdAt: header.createdAt, rows: total },
    });
  });
  return { tables: counts, rows: total, kekIds: header.kekIds };
};
