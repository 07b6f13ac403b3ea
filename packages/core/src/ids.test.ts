import { describe, expect, it } from 'vitest';
import { UUID_PATTERN, uuidv7 } from './ids.ts';

describe('uuidv7', () => {
  it('is a version-7, variant-1 UUID carrying the millisecond timestamp', () => {
    const at = Date.UTC(2026, 10, 23, 12, 0, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(UUID_PATTERN);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('orders by time', () => {
    const a = uuidv7(1_000_000);
    const b = uuidv7(2_000_000);
    expect(a < b).toBe(true);
  });

  it('gives distinct ids within one millisecond', () => {
    const ids = Array.from({ length: 10_000 }, () => uuidv7(1_000_000));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
