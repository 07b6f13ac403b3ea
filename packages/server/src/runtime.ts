import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, type Clock, ErrorCode, ErrorReason, systemClock } from '@medsec/core';
import type { Config } from './config.ts';
import type { Deps } from './context.ts';
import { createPgliteDb, createPostgresDb, type Db } from './db/client.ts';
import { getMigrationStatus, migrate } from './db/migrate.ts';
import { importBuiltInCatalog } from './modules/catalog/catalog.import.ts';
import { loadKeyring } from './platform/keys/keyring.ts';

/**
 * Opens storage and keys for a process (server or CLI).
 * Embedded (PGlite): the data directory is created and migrated on first start, and locked to this process
 * (PGlite has a single writer). PostgreSQL: pending migrations stop the start unless `migrate` is asked for.
 */
export interface Runtime {
  deps: Deps;
  close(): Promise<void>;
}

const lockFile = (dataDir: string): string => join(dataDir, 'medsec.lock');

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const acquireLock = (dataDir: string): (() => void) => {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = lockFile(dataDir);
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: `The data directory ${dataDir} is in use by process ${pid} (a running server?). Stop it first, or use PostgreSQL for several processes. / 데이터 디렉터리가 다른 프로세스(${pid})에서 사용 중입니다`,
      });
    }
  }
  writeFileSync(file, String(process.pid), { mode: 0o600 });
  return () => {
    try {
      if (existsSync(file) && readFileSync(file, 'utf8').trim() === String(process.pid)) {
        rmSync(file);
      }
    } catch {
      // best effort
    }
  };
};

export const openDb = async (config: Config): Promise<{ db: Db; release: () => void }> => {
  if (config.storage.kind === 'postgres') {
    return { db: await createPostgresDb(config.storage.url), release: () => undefined };
  }
  const release = acquireLock(config.storage.dataDir);
  try {
    return { db: await createPgliteDb(join(config.storage.dataDir, 'pgdata')), release };
  } catch (error) {
    release();
    throw error;
  }
};

/** Migrations, then the versioned import of the built-in regulatory catalog (idempotent). */
export const migrateAndImport = async (db: Db, clock: Clock = systemClock): Promise<string[]> => {
  const applied = await migrate(db);
  await importBuiltInCatalog(db, clock);
  return applied;
};

export const openRuntime = async (
  config: Config,
  options: { migrate?: 'auto' | 'always' | 'never'; clock?: Clock } = {},
): Promise<Runtime> => {
  const { db, release } = await openDb(config);
  try {
    const mode = options.migrate ?? 'auto';
    const clock = options.clock ?? systemClock;
    if (mode === 'always' || (mode === 'auto' && db.kind === 'pglite')) {
      await migrateAndImport(db, clock);
    } else {
      const status = await getMigrationStatus(db);
      if (status.pending.length > 0) {
        throw new AppError(ErrorCode.PRECONDITION_FAILED, {
          reason: ErrorReason.PENDING_MIGRATIONS,
          detail: `${status.pending.length} pending migration(s): ${status.pending.map((p) => `${p.version}_${p.name}`).join(', ')}. Run \`medsec db migrate\` first. / 적용되지 않은 마이그레이션이 있습니다`,
        });
      }
    }
    const keyring = loadKeyring(config, clock.now());
    return {
      deps: { db, clock, config, keyring },
      close: async () => {
        await db.close();
        release();
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    release();
    throw error;
  }
};
