import { describe, expect, it } from 'vitest';
import {
  BAR_WIDTH,
  burndownBar,
  changedPoints,
  renderBurndownChart,
  renderSeverityChart,
  severityBar,
} from './text-charts.ts';

const counts = (c: Partial<Record<'critical' | 'high' | 'medium' | 'low' | 'none', number>>) => ({
  critical: 0,
  high: 0,
  medium: 0,
  low: 0,
  none: 0,
  ...c,
});

describe('text charts of the findings series', () => {
  it('stacks severities most severe first, one letter per finding when it fits', () => {
    expect(severityBar(counts({ critical: 1, high: 2, low: 3 }), 1)).toBe('CHHLLL');
    expect(severityBar(counts({}), 1)).toBe('');
  });

  it('scales a long bar to its width without losing a severity that has findings', () => {
    const bar = severityBar(counts({ critical: 1, medium: 400 }), BAR_WIDTH / 401);
    expect(bar).toHaveLength(BAR_WIDTH);
    expect(bar.startsWith('CM')).toBe(true);
  });

  it('draws the burn-down: open within deadline, overdue, and the deadline line inserted', () => {
    expect(burndownBar({ total: 3, dueLine: 5, overdue: 0 }, 1)).toBe('###  |');
    expect(burndownBar({ total: 4, dueLine: 2, overdue: 1 }, 1)).toBe('##|#!');
    expect(burndownBar({ total: 2, dueLine: 0, overdue: 2 }, 1)).toBe('|!!');
    expect(burndownBar({ total: 0, dueLine: 0, overdue: 0 }, 1)).toBe('|');
    // one overdue finding among many still shows
    expect(burndownBar({ total: 400, dueLine: 0, overdue: 1 }, 0.1)).toBe(`|${'#'.repeat(39)}!`);
  });

  it('keeps the first, the last and the changed points', () => {
    // one high finding seen on 03-03, due 03-04, closed on 03-06; a point per day from 03-01 to 03-10
    const point = (date: string) => {
      const open = date >= '2026-03-03' && date < '2026-03-06' ? 1 : 0;
      const overdue = open === 1 && date > '2026-03-04' ? 1 : 0;
      return { date, open: counts({ high: open }), total: open, dueLine: open - overdue, overdue };
    };
    const series = {
      from: '2026-03-01',
      to: '2026-03-10',
      bucket: 'day' as const,
      points: Array.from({ length: 10 }, (_, i) => point(`2026-03-${String(i + 1).padStart(2, '0')}`)),
    };
    const key = (p: (typeof series.points)[number]) => `${p.total},${p.overdue}`;
    expect(changedPoints(series.points, key).map((p) => p.date)).toEqual([
      '2026-03-01',
      '2026-03-03',
      '2026-03-05',
      '2026-03-06',
      '2026-03-10',
    ]);
    const text = renderBurndownChart({ ...series, findings: 1 }, 'Pump 1.0');
    expect(text).toContain('2026-03-03  1     1         0        #|');
    expect(text).toContain('2026-03-05  1     0         1        |!');
    expect(text.split('\n').at(-1)).toBe(
      '2026-03-10: 0 open, 0 overdue, deadline line 0 / 미조치 0건, 기한 초과 0건, 기한선 0건',
    );
    expect(renderSeverityChart({ ...series, findings: 1 }, 'Pump 1.0')).toContain(
      '2026-03-03  0         1     0       0    0     1      H',
    );
  });
});
