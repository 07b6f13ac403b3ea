import { describe, expect, it } from 'vitest';
import { buildFindingsSeries, type SeriesFinding } from './findings-series.ts';

const f = (over: Partial<SeriesFinding>): SeriesFinding => ({
  severity: 'high',
  firstSeenAt: '2026-03-01T09:00:00Z',
  closedAt: null,
  dueDate: null,
  ...over,
});

describe('buildFindingsSeries', () => {
  it('counts a finding open from the day it is seen until the day it is closed', () => {
    const s = buildFindingsSeries({
      findings: [f({ firstSeenAt: '2026-03-02T23:59:00Z', closedAt: '2026-03-04T01:00:00Z' })],
      to: '2026-03-05',
      days: 4,
      bucket: 'day',
    });
    expect(s.from).toBe('2026-03-01');
    expect(s.to).toBe('2026-03-05');
    expect(s.points.map((p) => [p.date, p.total])).toEqual([
      ['2026-03-01', 0],
      ['2026-03-02', 1],
      ['2026-03-03', 1],
      ['2026-03-04', 0],
      ['2026-03-05', 0],
    ]);
  });

  it('stacks by severity and counts findings seen before the window', () => {
    const s = buildFindingsSeries({
      findings: [
        f({ severity: 'critical', firstSeenAt: '2025-01-01T00:00:00Z' }),
        f({ severity: 'low', firstSeenAt: '2026-03-03T00:00:00Z' }),
        f({ severity: 'low', firstSeenAt: '2026-03-03T00:00:00Z', closedAt: '2025-12-31T00:00:00Z' }),
      ],
      to: '2026-03-03',
      days: 1,
      bucket: 'day',
    });
    expect(s.points[0]!.open).toEqual({ critical: 1, high: 0, medium: 0, low: 0, none: 0 });
    expect(s.points[1]!.open).toEqual({ critical: 1, high: 0, medium: 0, low: 1, none: 0 });
  });

  it('draws the deadline line and marks open findings overdue from the day after their due date', () => {
    const s = buildFindingsSeries({
      findings: [
        f({ firstSeenAt: '2026-03-01T00:00:00Z', dueDate: '2026-03-02' }),
        f({ firstSeenAt: '2026-03-01T00:00:00Z', dueDate: '2026-03-02', closedAt: '2026-03-02T10:00:00Z' }),
        f({ firstSeenAt: '2026-03-01T00:00:00Z', dueDate: null }),
      ],
      to: '2026-03-04',
      days: 3,
      bucket: 'day',
    });
    expect(s.points.map((p) => [p.date, p.total, p.dueLine, p.overdue])).toEqual([
      ['2026-03-01', 3, 3, 0],
      ['2026-03-02', 2, 3, 0],
      ['2026-03-03', 2, 1, 1],
      ['2026-03-04', 2, 1, 1],
    ]);
    // open never exceeds the deadline line plus the overdue findings
    for (const p of s.points) {
      expect(p.total).toBeLessThanOrEqual(p.dueLine + p.overdue);
    }
  });

  it('takes every 7th day for weekly buckets, ending on the given day', () => {
    const s = buildFindingsSeries({
      findings: [f({ firstSeenAt: '2026-02-20T00:00:00Z', closedAt: '2026-03-01T00:00:00Z' })],
      to: '2026-03-10',
      days: 28,
      bucket: 'week',
    });
    expect(s.points.map((p) => [p.date, p.total])).toEqual([
      ['2026-02-10', 0],
      ['2026-02-17', 0],
      ['2026-02-24', 1],
      ['2026-03-03', 0],
      ['2026-03-10', 0],
    ]);
  });

  it('is linear: 50,000 findings over two years', () => {
    const many = Array.from({ length: 50_000 }, (_, i) =>
      f({
        severity: (['critical', 'high', 'medium', 'low', 'none'] as const)[i % 5]!,
        firstSeenAt: new Date(Date.UTC(2024, 0, 1) + (i % 700) * 86_400_000).toISOString(),
        closedAt:
          i % 3 === 0 ? null : new Date(Date.UTC(2024, 0, 1) + ((i % 700) + 20) * 86_400_000).toISOString(),
        dueDate: new Date(Date.UTC(2024, 0, 1) + ((i % 700) + 60) * 86_400_000).toISOString().slice(0, 10),
      }),
    );
    const s = buildFindingsSeries({ findings: many, to: '2025-12-31', days: 730, bucket: 'day' });
    expect(s.points).toHaveLength(731);
    const last = s.points.at(-1)!;
    expect(last.total).toBe(many.filter((x) => x.closedAt === null).length);
  });
});
