import { describe, expect, it } from 'vitest';
import { readMigrations, splitSql } from './migrate.ts';

describe('migrations', () => {
  it('are numbered, ordered and checksummed', () => {
    const all = readMigrations();
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((m) => m.version)).toEqual([...all.map((m) => m.version)].sort());
    expect(all.every((m) => /^[0-9a-f]{64}$/.test(m.checksum))).toBe(true);
  });

  it('splits statements but keeps dollar-quoted bodies whole', () => {
    const parts = splitSql(
      `-- comment\nCREATE TABLE a (x int);\nCREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RAISE EXCEPTION 'no';\nEND;\n$$;\nSELECT 1;\n`,
    );
    expect(parts).toHaveLength(3);
    expect(parts[1]).toContain("RAISE EXCEPTION 'no';");
  });
});
