import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

describe('rate limiter', () => {
  it('allows the limit per window and says how long to wait after', () => {
    const l = createRateLimiter();
    expect([1, 2, 3].map(() => l.hit('k', 3, 60_000, 1000))).toEqual([0, 0, 0]);
    expect(l.hit('k', 3, 60_000, 11_000)).toBe(50_000);
    expect(l.hit('other', 3, 60_000, 11_000)).toBe(0);
    expect(l.hit('k', 3, 60_000, 61_000)).toBe(0);
  });

  it('stays bounded in memory', () => {
    const l = createRateLimiter(10);
    for (let i = 0; i < 100; i++) {
      l.hit(`k${i}`, 1, 1000, 0);
    }
    expect(l.hit('k99', 1, 1000, 0)).toBeGreaterThanOrEqual(0);
  });
});
