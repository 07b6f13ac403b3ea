import type { Queryable } from './client.ts';
/** Escapes LIKE/ILIKE wildcards so user text matches literally (the default escape character is a backslash). */
export const escapeLike = (s: string): string => s.replace(/[%_\\]/g, (c) => `\\${c}`);

/** Rows written by one import or match above which the planner statistics of the tables are refreshed. */
export const ANALYZE_AFTER = 1000;

/**
 * Share of a table's rows a bulk write must reach before its statistics are refreshed again. The planner scales the
 * row count in the statistics by the table's current size, so they stay useful while the table grows; what it cannot
 * do without is statistics of a table that was empty when last analysed. Doubling is the threshold.
 */
const ANALYZE_GROWTH = 1;

/**
 * Refreshes planner statistics after a bulk write (`table` or `table (columns)`: the columns queries filter and join
 * on — statistics of large JSON columns cost seconds and help no plan). PGlite has no autovacuum and PostgreSQL's runs
 * later: without fresh statistics the next query over just-loaded tables is planned as if they were empty. A table
 * whose statistics already describe at least as many rows as were just written is left alone (they still hold).
 */
export const analyzeTables = async (
  q: Queryable,
  tables: readonly string[],
  written: number,
): Promise<void> => {
  const names = tables.map((t) => t.split(/[\s(]/, 1)[0] as string);
  const known = new Map(
    (
      await q.query<{ name: string; reltuples: number }>(
        `SELECT relname AS name, reltuples::float8 AS reltuples FROM pg_class
          WHERE relkind = 'r' AND pg_table_is_visible(oid) AND relname = ANY ($1)`,
        [names],
      )
    ).map((r) => [r.name, Number(r.reltuples)]),
  );
  for (const [i, table] of tables.entries()) {
    const rows = known.get(names[i] as string) ?? -1;
    if (rows <= 0 || written >= rows * ANALYZE_GROWTH) {
      await q.query(`ANALYZE ${table}`);
    }
  }
};
