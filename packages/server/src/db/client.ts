import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';

/** Anything that runs SQL: the database itself, or a transaction. Repositories take this. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * Bulk write: `COPY table (columns) FROM STDIN` with `body` in the text format (see `db/copy.ts`). Triggers and
   * constraints apply as for INSERT; use inside a transaction so a failure leaves nothing behind.
   */
  copyFrom(table: string, columns: readonly string[], body: string): Promise<void>;
}

/** `table (col, …)`: the names are ours (never user input) but are still checked, since they go into SQL text. */
const copyTarget = (table: string, columns: readonly string[]): string => {
  const name = /^[a-z_][a-z0-9_]*$/;
  if (!name.test(table) || columns.length === 0 || !columns.every((c) => name.test(c))) {
    throw new Error(`not a table and column list for COPY: ${table} (${columns.join(', ')})`);
  }
  return `${table} (${columns.join(', ')})`;
};

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

// int8 (counts, sequences) as JS numbers on both drivers; values stay far below 2^53 here.
const INT8_OID = 20;

/** Embedded PostgreSQL (PGlite). `dataDir` undefined = in memory (tests). */
export const createPgliteDb = async (dataDir?: string): Promise<Db> => {
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
  }
  const lite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    // pg_trgm: n-gram search in the catalog (Korean text has no useful whitespace tokens).
    extensions: { pg_trgm },
    parsers: { [INT8_OID]: (v: string) => Number(v), [pgliteTypes.NUMERIC]: (v: string) => v },
  });
  // PGlite reads a COPY body from the blob it is given, under the file name '/dev/blob'
  const liteCopy =
    (q: Pick<PGlite, 'query'>) =>
    async (table: string, columns: readonly string[], body: string): Promise<void> => {
      if (body.length > 0) {
        await q.query(`COPY ${copyTarget(table, columns)} FROM '/dev/blob'`, [], { blob: new Blob([body]) });
      }
    };
  return {
    kind: 'pglite',
    query: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await lite.query<T>(sql, params as unknown[])).rows,
    copyFrom: liteCopy(lite),
    transaction: (fn) =>
      lite.transaction((tx) =>
        fn({
          query: async <T>(sql: string, params: readonly unknown[] = []) =>
            (await tx.query<T>(sql, params as unknown[])).rows,
          copyFrom: liteCopy(tx),
        }),
      ),
    exec: async (sql) => {
      await lite.exec(sql);
    },
    close: () => lite.close(),
  };
};

/** PostgreSQL server through a connection pool. */
export const createPostgresDb = async (url: string, options: { max?: number } = {}): Promise<Db> => {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A connection the server ends (restart, failover, `pg_terminate_backend`) raises an 'error' event on its client.
  // Without listeners that event is an uncaught exception that stops the process; the query running on it, if any,
  // fails with the same error through its own promise, and the pool replaces the dead connection.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  // Verify the connection now, so a wrong URL fails at startup with a clear message.
  const probe = await pool.connect();
  probe.release();
  const clientCopy =
    (client: pg.PoolClient) =>
    async (table: string, columns: readonly string[], body: string): Promise<void> => {
      if (body.length === 0) {
        return;
      }
      const stream = client.query(copyFromStdin(`COPY ${copyTarget(table, columns)} FROM STDIN`));
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject);
        stream.on('finish', resolve);
        stream.end(body);
      });
    };
  return {
    kind: 'postgres',
    query: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await pool.query(sql, params as unknown[])).rows as T[],
    copyFrom: async (table, columns, body) => {
      const client = await pool.connect();
      try {
        await clientCopy(client)(table, columns, body);
      } finally {
        client.release();
      }
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: async <T>(sql: string, params: readonly unknown[] = []) =>
            (await client.query(sql, params as unknown[])).rows as T[],
          copyFrom: clientCopy(client),
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
};
