import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { copyEscaped, copyLine, copyValue } from './copy.ts';

/** Values that break a naive COPY writer: every escape, quotes and braces in arrays, JSON with its own escapes. */
const TRICKY = [
  'plain',
  '',
  'back\\slash',
  'tab\there',
  'line\nbreak',
  'carriage\rreturn',
  '\\N',
  '취약점 조치 결과서',
  JSON.stringify({ details: 'a "quoted" \\ path\nC:\\temp\t', emoji: '🩺', nul: '\\u0000 as text' }),
];

describe('COPY text format', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.deps.db.exec(
      'CREATE TABLE copy_probe (n int, s text, a text[], j jsonb, b boolean, d timestamptz, x numeric)',
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('escapes values as the text format expects', () => {
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyValue(['x', 'y"z', 'back\\', ''])).toBe('{"x","y\\\\"z","back\\\\\\\\",""}');
    expect(copyValue(true)).toBe('t');
    expect(() => copyValue('nul\u0000')).toThrow(/NUL/);
    expect(() => copyValue(Number.NaN)).toThrow(/finite/);
    // escaped once, ahead of time, and written as it is
    expect(copyLine([copyEscaped('a\tb\\c'), 1])).toBe('a\\tb\\\\c\t1\n');
    expect(() => copyEscaped('nul\u0000')).toThrow(/NUL/);
  });

  it('round-trips every tricky value, arrays, JSON, booleans, dates and NULLs through the database', async () => {
    const when = new Date('2026-12-06T01:02:03.456Z');
    const body = TRICKY.map((s, i) =>
      copyLine([
        i,
        s,
        [s, 'b,c', '{brace}', 'NULL'],
        i === 8 ? s : JSON.stringify(s),
        i % 2 === 0,
        when,
        1.5,
      ]),
    ).join('');
    await t.deps.db.transaction((tx) => tx.copyFrom('copy_probe', ['n', 's', 'a', 'j', 'b', 'd', 'x'], body));
    const rows = await t.deps.db.query<{
      n: number;
      s: string;
      a: string[];
      j: unknown;
      b: boolean;
      d: Date;
    }>('SELECT n, s, a, j, b, d FROM copy_probe ORDER BY n');
    expect(rows.map((r) => r.s)).toEqual(TRICKY);
    expect(rows.every((r, i) => r.a.length === 4 && r.a[0] === TRICKY[i] && r.a[3] === 'NULL')).toBe(true);
    expect(rows[8]?.j).toEqual(JSON.parse(TRICKY[8] as string));
    expect(rows[2]?.j).toBe('back\\slash');
    expect(rows.map((r) => r.b)).toEqual(TRICKY.map((_, i) => i % 2 === 0));
    expect(new Date(rows[0]?.d as Date).toISOString()).toBe(when.toISOString());
  });

  it('writes NULL for null and undefined, outside a transaction too', async () => {
    await t.deps.db.copyFrom('copy_probe', ['n', 's', 'a'], copyLine([100, null, undefined]));
    const [row] = await t.deps.db.query<{ s: string | null; a: string[] | null }>(
      'SELECT s, a FROM copy_probe WHERE n = 100',
    );
    expect(row).toEqual({ s: null, a: null });
  });

  it('leaves nothing behind when a row is refused inside the transaction', async () => {
    const before = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM copy_probe');
    const body = `${copyLine([200, 'fine', null, null])}${copyLine([201, 'bad', null, '{not json'])}`;
    await expect(
      t.deps.db.transaction(async (tx) => {
        await tx.copyFrom('copy_probe', ['n', 's', 'a', 'j'], copyLine([199, 'first', null, null]));
        await tx.copyFrom('copy_probe', ['n', 's', 'a', 'j'], body);
      }),
    ).rejects.toThrow(/json/i);
    const after = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM copy_probe');
    expect(after).toEqual(before);
    // the connection is usable afterwards
    expect(await t.deps.db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('refuses a table or column name that is not a plain identifier', async () => {
    await expect(t.deps.db.copyFrom('copy_probe; DROP TABLE x', ['n'], '1\n')).rejects.toThrow(/not a table/);
    await expect(t.deps.db.copyFrom('copy_probe', ['n) TO PROGRAM'], '1\n')).rejects.toThrow(/not a table/);
  });
});
