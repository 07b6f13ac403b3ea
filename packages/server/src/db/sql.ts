import type { Queryable } from './client.ts';
/** Escapes LIKE/ILIKE wildcards so user text matches literally (the default escape character is a backslash). */
export const escapeLike = (s: string): string => s.replace(/[%_\\]/g, (c) => `\\${c}`);

/** Rows written by one import or match above which the planner statistics of the tables are refreshed. */
export const ANALYZE_AFTER = 1000;

/**
 * Refreshes planner statistics after a bulk write (`table` or `table (columns)`: the columns queries filter and join
 * on — statistics of large JSON columns cost seconds and help no plan). PGlite has no autovacuum and PostgreSQL's runs later: without
 * fresh statistics the next query over just-loaded tables is planned as if they were empty.
 */
export const analyzeTables = async (q: Queryable, tables: readonly string[]): Promise<void> => {
  for (const table of tables) {
    await q.query(`ANALYZE ${table}`);
  }
};
