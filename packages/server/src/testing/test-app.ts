import { randomBytes } from 'node:crypto';
import { createManualClock, type ManualClock } from '@medsec/core';
import pg from 'pg';
import { inject } from 'vitest';
import { type BuiltApp, buildApp } from '../app.ts';
import { type Config, loadConfig } from '../config.ts';
import { type Ctx, type Deps, systemActor } from '../context.ts';
import { createPgliteDb, createPostgresDb, type Db } from '../db/client.ts';
import { createMemoryKeyring, type Keyring } from '../platform/keys/keyring.ts';
import { migrateAndImport } from '../runtime.ts';
import { withDatabase } from './postgres-global-setup.ts';

/**
 * An application on a fresh database for one test file: in-memory PGlite (int:pglite) or a PostgreSQL database
 * cloned from the migrated template (int:postgres). Time comes from a manual clock the test moves.
 */
export interface TestApp extends BuiltApp {
  deps: Deps;
  clock: ManualClock;
  kind: 'pglite' | 'postgres';
  /** A system context for direct service calls in tests. */
  systemCtx(organizationId?: string | null): Ctx;
  close(): Promise<void>;
}

export const testDbKind = (): 'pglite' | 'postgres' =>
  process.env.MEDSEC_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

const openTestDb = async (): Promise<{ db: Db; drop: () => Promise<void> }> => {
  if (testDbKind() === 'pglite') {
    const db = await createPgliteDb();
    await migrateAndImport(db);
    return { db, drop: async () => undefined };
  }
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  const name = `medsec_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const db = await createPostgresDb(withDatabase(adminUrl, name), { max: 5 });
  return {
    db,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
};

export const testConfig = (env: Record<string, string> = {}): Config =>
  loadConfig({
    MEDSEC_DATA_DIR: '/nonexistent-test-dir',
    MEDSEC_LOG_LEVEL: 'silent',
    MEDSEC_PASSWORD_MAX_AGE_DAYS: '0',
    // Rate limits are exercised by their own tests; elsewhere they would only count test traffic.
    MEDSEC_RATE_LIMIT_AUTH_PER_IP: '100000',
    MEDSEC_RATE_LIMIT_AUTH_PER_ACCOUNT: '100000',
    MEDSEC_RATE_LIMIT_GLOBAL_PER_IP: '1000000',
    ...env,
  });

export const createTestApp = async (
  options: { env?: Record<string, string>; keyring?: Keyring } = {},
): Promise<TestApp> => {
  const { db, drop } = await openTestDb();
  const clock = createManualClock(new Date());
  const deps: Deps = {
    db,
    clock,
    config: testConfig(options.env),
    keyring: options.keyring ?? createMemoryKeyring(),
  };
  const built = await buildApp(deps);
  return {
    ...built,
    deps,
    clock,
    kind: db.kind,
    systemCtx: (organizationId = null) => ({
      ...deps,
      actor: { ...systemActor('test'), organizationId },
      requestId: null,
      ip: null,
    }),
    close: async () => {
      await built.app.close();
      await db.close();
      await drop();
    },
  };
};
