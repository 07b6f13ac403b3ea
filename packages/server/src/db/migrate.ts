import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './client.ts';

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: { version: string; name: string; appliedAt: string }[];
  pending: { version: string; name: string }[];
}

/** Reads `migrations/NNNN_name.sql` in order. Migrations are forward-only and never edited once merged. */
export const readMigrations = (dir: string = MIGRATIONS_DIR): Migration[] =>
  readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      const [version, ...rest] = file.replace(/\.sql$/, '').split('_');
      return {
        version: version ?? file,
        name: rest.join('_'),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });

const ensureTable = async (db: Db): Promise<void> => {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
};

export const getMigrationStatus = async (db: Db, dir?: string): Promise<MigrationStatus> => {
  await ensureTable(db);
  const rows = await db.query<{ version: string; name: string; checksum: string; applied_at: Date }>(
    'SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version',
  );
  const all = readMigrations(dir);
  const appliedSet = new Map(rows.map((r) => [r.version, r]));
  for (const m of all) {
    const applied = appliedSet.get(m.version);
    if (applied && applied.checksum !== m.checksum) {
      throw new Error(
        `Migration ${m.version}_${m.name} was changed after it was applied (checksum differs). Migrations are forward-only: add a new one instead.`,
      );
    }
  }
  return {
    applied: rows.map((r) => ({ version: r.version, name: r.name, appliedAt: r.applied_at.toISOString() })),
    pending: all.filter((m) => !appliedSet.has(m.version)).map((m) => ({ version: m.version, name: m.name })),
  };
};

/** Applies pending migrations, each in its own transaction; on PostgreSQL under an advisory lock. */
export const migrate = async (db: Db, dir?: string): Promise<string[]> => {
  await ensureTable(db);
  if (db.kind === 'postgres') {
    await db.query('SELECT pg_advisory_lock(724201)');
  }
  try {
    const status = await getMigrationStatus(db, dir);
    const pending = readMigrations(dir).filter((m) => status.pending.some((p) => p.version === m.version));
    for (const m of pending) {
      await db.transaction(async (tx) => {
        for (const statement of splitSql(m.sql)) {
          await tx.query(statement);
        }
        await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
      });
    }
    return pending.map((m) => `${m.version}_${m.name}`);
  } finally {
    if (db.kind === 'postgres') {
      await db.query('SELECT pg_advisory_unlock(724201)');
    }
  }
};

/**
 * Splits a migration into statements on `;` at line ends, keeping `$$ … $$` bodies whole,
 * so that each runs through the same parameterless query path on both drivers.
 */
export const splitSql = (sql: string): string[] => {
  const out: string[] = [];
  let current = '';
  let inDollar = false;
  for (const line of sql.split('\n')) {
    if (/^\s*--/.test(line) && !inDollar) {
      continue;
    }
    const dollars = (line.match(/\$\$/g) ?? []).length;
    if (dollars % 2 === 1) {
      inDollar = !inDollar;
    }
    current += `${line}\n`;
    if (!inDollar && /;\s*$/.test(line)) {
      out.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) {
    out.push(current.trim());
  }
  return out;
};
