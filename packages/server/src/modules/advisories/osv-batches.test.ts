import { ErrorCode } from '@medsec/core';
import { describe, expect, it } from 'vitest';
import { corpus } from '../../../../core/src/testing/corpora.ts';
import { type PreparedBatch, preparedOsvBatches } from './osv-batches.ts';

const collect = async (paths: string[], size: number): Promise<PreparedBatch[]> => {
  const out: PreparedBatch[] = [];
  for await (const b of preparedOsvBatches(paths, size)) {
    out.push(b);
  }
  return out;
};

/** The preparation thread of the OSV import, on the real corpus (no database). */
describe('OSV preparation thread', () => {
  it('prepares every record of several paths into bounded batches, with the refused ones named', async () => {
    const paths = [corpus('osv', 'ghsa-targeted'), corpus('osv', 'invalid')];
    const batches = await collect(paths, 7);
    const items = batches.flatMap((b) => b.items);
    const read = batches.reduce((n, b) => n + b.read, 0);
    const refused = batches.flatMap((b) => b.refused);
    expect(batches.every((b) => b.items.length <= 7)).toBe(true);
    expect(items.length).toBeGreaterThan(0);
    expect(read).toBe(items.length + refused.length);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.origin.includes('invalid') && r.message.length > 0)).toBe(true);
    for (const item of items) {
      expect(item.jsonCopy.copyEscaped.replaceAll('\\\\', '\\')).toBe(item.json);
      expect(item.packageLines.split('\n').filter(Boolean)).toHaveLength(item.packages.length);
    }
  });

  it('gives the next reader only its own records after a reader stopped early', async () => {
    const targeted = (await collect([corpus('osv', 'ghsa-targeted')], 1000)).flatMap((b) =>
      b.items.map((i) => i.id),
    );
    for await (const first of preparedOsvBatches([corpus('osv', 'ghsa-targeted')], 1)) {
      expect(first.items).toHaveLength(1);
      break;
    }
    const all = await collect([corpus('osv', 'invalid')], 1000);
    const invalidIds = all.flatMap((b) => b.items.map((i) => i.id));
    expect(invalidIds.length).toBeGreaterThan(0);
    expect(invalidIds.filter((id) => targeted.includes(id))).toEqual([]);
    const again = await collect([corpus('osv', 'ghsa-targeted')], 1000);
    const ids = again.flatMap((b) => b.items.map((i) => i.id));
    expect(ids.sort()).toEqual([...targeted].sort());
  });

  it('reports a missing path as not found', async () => {
    await expect(collect(['/nonexistent/osv.json'], 10)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
  });
});
