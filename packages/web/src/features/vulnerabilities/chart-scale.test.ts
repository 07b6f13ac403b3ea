import { describe, expect, it } from 'vitest';
import { bandPath, labelIndexes, linear, linePath, niceTicks, stack } from './chart-scale.ts';

describe('chart scales', () => {
  it('picks round ticks that reach the maximum', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(95)).toEqual([0, 50, 100]);
    expect(niceTicks(1234).at(-1)).toBeGreaterThanOrEqual(1234);
  });

  it('labels the first and last point and a few between', () => {
    expect(labelIndexes(0)).toEqual([]);
    expect(labelIndexes(3)).toEqual([0, 1, 2]);
    expect(labelIndexes(91)).toEqual([0, 18, 36, 54, 72, 90]);
  });

  it('maps, stacks and draws', () => {
    expect(linear([0, 10], [100, 0])(5)).toBe(50);
    expect(linear([2, 2], [0, 1])(2)).toBe(0);
    expect(
      stack([
        [1, 2],
        [3, 0],
      ]),
    ).toEqual([
      [
        [0, 1],
        [0, 2],
      ],
      [
        [1, 4],
        [2, 2],
      ],
    ]);
    expect(linePath([0, 10], [5, 6])).toBe('M0.0,5.0 L10.0,6.0');
    expect(bandPath([0, 10], [1, 2], [5, 6])).toBe('M0.0,1.0 L10.0,2.0 L10.0,6.0 L0.0,5.0 Z');
  });
});
