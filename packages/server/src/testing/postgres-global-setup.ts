import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createPostgresDb } from '../db/client.ts';
import { migrateAndImport } from '../runtime.ts';

/**
 * int:postgres: migrates one template database once; each test file clones its own database from it.
 * MEDSEC_TEST_DATABASE_URL names a database to connect through (default: the local server's `postgres`).
 */
export const adminUrl = (): string =>
  process.env.MEDSEC_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const withDatabase = (url: string, database: string): string => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = adminUrl();
  const template = `medsec_tpl_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `int:postgres needs a PostgreSQL server at ${url} (set MEDSEC_TEST_DATABASE_URL): ${(error as Error).message}`,
    );
  }
  await client.query(`CREATE DATABASE ${template}`);
  const db = await createPostgresDb(withDatabase(url, template), { max: 1 });
  await migrateAndImport(db);
  await db.close();
  project.provide('pgTemplate', template);
  project.provide('pgAdminUrl', url);
  return async () => {
    await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await client.end();
  };
}
