import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../../../core/src/testing/corpora.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { importKev, importOsv } from './advisories.service.ts';
import { readAdvisoryDocuments } from './advisory.files.ts';

/**
 * The set-based OSV import (one statement per table and batch of 1 000): records spread over several batches, aliases
 * merged across batches and files, the per-package affected entries kept for matching, the alias index kept in step
 * by its trigger, and an unchanged re-import that writes nothing.
 */
describe('OSV import in batches', () => {
  let t: TestApp;
  let dir: string;
  const go: Record<string, unknown>[] = [];
  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(join(tmpdir(), 'osv-batches-'));
    for await (const item of readAdvisoryDocuments(corpus('osv', 'go', 'golang-vulndb-osv.jsonl.gz'))) {
      if (item.ok && go.length < 2500) {
        go.push(item.doc as Record<string, unknown>);
      }
    }
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it('imports 2 500 real Go advisories over three batches and keeps each package’s affected entries', async () => {
    writeFileSync(join(dir, 'go.jsonl'), `${go.map((d) => JSON.stringify(d)).join('\n')}\n`);
    const counts = await importOsv(t.deps, join(dir, 'go.jsonl'));
    expect(counts).toMatchObject({ read: 2500, created: 2500, refused: 0 });
    const [stored] = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM advisories');
    expect(stored?.n).toBe(2500);
    // every package row carries the entries of its package, each with its position in the advisory
    const rows = await t.deps.db.query<{ advisory_id: string; affected: string }>(
      'SELECT advisory_id, affected FROM advisory_packages ORDER BY advisory_id LIMIT 50',
    );
    for (const row of rows) {
      const doc = go.find((d) => d.id === row.advisory_id) as { affected: unknown[] };
      for (const { index, entry } of JSON.parse(row.affected) as { index: number; entry: unknown }[]) {
        expect((entry as { package: unknown }).package).toEqual(
          (doc.affected[index] as { package: unknown }).package,
        );
      }
    }
    // the alias index holds every alias of every vulnerability, and nothing else
    const [missing] = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM vulnerabilities v, unnest(v.aliases) AS x
        WHERE x <> v.id
          AND NOT EXISTS (SELECT 1 FROM vulnerability_ids i WHERE i.alias = x AND i.vulnerability_id = v.id)`,
    );
    expect(missing?.n).toBe(0);
    const [stray] = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM vulnerability_ids i
        WHERE NOT EXISTS (SELECT 1 FROM vulnerabilities v WHERE v.id = i.vulnerability_id AND i.alias = ANY (v.aliases))`,
    );
    expect(stray?.n).toBe(0);
    // each stored record is the exact text its content hash was computed on
    const records = await t.deps.db.query<{ data: string; content_hash: string }>(
      'SELECT data, content_hash FROM advisories ORDER BY id LIMIT 100',
    );
    for (const a of records) {
      expect(createHash('sha256').update(a.data).digest('hex')).toBe(a.content_hash);
    }
    const again = await importOsv(t.deps, join(dir, 'go.jsonl'));
    expect(again).toMatchObject({ created: 0, changed: 0, unchanged: 2500 });
  });

  it('merges a record from another source into the vulnerability its alias already names', async () => {
    const first = go[0] as { id: string; aliases: string[] };
    const cve = first.aliases.find((a) => a.startsWith('CVE-'));
    expect(cve).toBeDefined();
    writeFileSync(
      join(dir, 'other.json'),
      JSON.stringify({
        schema_version: '1.6.0',
        id: 'MEDSEC-TEST-0001',
        modified: '2026-01-01T00:00:00Z',
        aliases: [cve],
        summary: 'the same flaw as seen by another database',
        affected: [],
      }),
    );
    const counts = await importOsv(t.deps, join(dir, 'other.json'));
    expect(counts.created).toBe(1);
    const rows = await t.deps.db.query<{ id: string; aliases: string[] }>(
      'SELECT id, aliases FROM vulnerabilities WHERE $1 = ANY (aliases) OR id = $1',
      [cve],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.aliases.concat(rows[0]!.id)).toEqual(
      expect.arrayContaining([first.id, 'MEDSEC-TEST-0001']),
    );
    const [index] = await t.deps.db.query<{ v: string }>(
      `SELECT vulnerability_id AS v FROM vulnerability_ids WHERE alias = 'MEDSEC-TEST-0001'`,
    );
    expect(index?.v).toBe(rows[0]!.id);
  });

  it('flags known-exploited CVEs in one statement per chunk, on the row and on rows that alias them', async () => {
    const result = await importKev(t.deps, corpus('catalogs', 'kev', 'known_exploited_vulnerabilities.json'));
    expect(result.read).toBeGreaterThan(1000);
    const [flagged] = await t.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM vulnerabilities WHERE kev_date_added IS NOT NULL',
    );
    expect(flagged?.n).toBeGreaterThanOrEqual(result.read);
  });
});
