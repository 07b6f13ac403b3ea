import { describe, expect, it } from 'vitest';
import {
  buildFindingsSeries,
  type FindingTimeline,
  periodsOf,
  type SeriesFinding,
  type SeriesSeverity,
} from './findings-series.ts';

/** A finding listed from `firstSeenAt` on and open until `closedAt`. */
const f = (
  over: Partial<{
    severity: SeriesSeverity;
    firstSeenAt: string;
    closedAt: string | null;
    dueDate: string | null;
  }>,
): SeriesFinding => {
  const { severity, firstSeenAt, closedAt, dueDate } = {
    severity: 'high' as const,
    firstSeenAt: '2026-03-01T09:00:00Z',
    closedAt: null,
    dueDate: null,
    ...over,
  };
  return {
    severity,
    listed: [{ from: firstSeenAt, to: null }],
    open: [{ from: firstSeenAt, to: closedAt }],
    dueDate,
  };
};

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
    expect(last.total).toBe(many.filter((x) => x.open[0]!.to === null).length);
  });

  it('counts a finding decided twice on each day by its state then: open, closed, open again', () => {
    const decidedTwice = periodsOf({
      since: '2026-03-01T09:00:00Z',
      state: 'affected',
      retractedAt: null,
      lastSeenAt: '2026-03-01T09:00:00Z',
      changes: [
        {
          at: '2026-03-02T10:00:00Z',
          fromState: 'under_investigation',
          toState: 'affected',
          retracted: false,
        },
        { at: '2026-03-03T10:00:00Z', fromState: 'affected', toState: 'not_affected', retracted: false },
        { at: '2026-03-05T10:00:00Z', fromState: 'not_affected', toState: 'affected', retracted: false },
      ],
    });
    expect(decidedTwice.open).toEqual([
      { from: '2026-03-01T09:00:00.000Z', to: '2026-03-03T10:00:00.000Z' },
      { from: '2026-03-05T10:00:00.000Z', to: null },
    ]);
    expect(decidedTwice.listed).toEqual([{ from: '2026-03-01T09:00:00.000Z', to: null }]);
    const s = buildFindingsSeries({
      findings: [{ severity: 'critical', dueDate: '2026-03-04', ...decidedTwice }],
      to: '2026-03-06',
      days: 6,
      bucket: 'day',
    });
    expect(s.points.map((p) => [p.date, p.open.critical, p.dueLine, p.overdue])).toEqual([
      ['2026-02-28', 0, 0, 0],
      ['2026-03-01', 1, 1, 0],
      ['2026-03-02', 1, 1, 0],
      ['2026-03-03', 0, 1, 0],
      ['2026-03-04', 0, 1, 0],
      ['2026-03-05', 1, 0, 1],
      ['2026-03-06', 1, 0, 1],
    ]);
  });

  it('takes the state before the first change from the history, not from the row', () => {
    const timeline: FindingTimeline = {
      since: '2026-03-01T00:00:00Z',
      state: 'not_affected',
      retractedAt: null,
      lastSeenAt: '2026-03-01T00:00:00Z',
      changes: [],
    };
    // no history: the state it was created in (a decision carried over from an earlier SBOM)
    expect(periodsOf(timeline).open).toEqual([]);
    // reopened and closed again
    expect(
      periodsOf({
        ...timeline,
        changes: [
          { at: '2026-03-02T00:00:00Z', fromState: 'not_affected', toState: 'affected', retracted: false },
          { at: '2026-03-04T00:00:00Z', fromState: 'affected', toState: 'not_affected', retracted: false },
        ],
      }).open,
    ).toEqual([{ from: '2026-03-02T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z' }]);
    // a reconstructed row does not know: under investigation, the state every finding starts in
    expect(
      periodsOf({
        ...timeline,
        changes: [{ at: '2026-03-03T00:00:00Z', fromState: null, toState: 'not_affected', retracted: false }],
      }).open,
    ).toEqual([{ from: '2026-03-01T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' }]);
  });

  it("ends listed and open at a retraction, from the history or from the row's retracted_at", () => {
    const base: FindingTimeline = {
      since: '2026-03-01T00:00:00Z',
      state: 'under_investigation',
      retractedAt: null,
      lastSeenAt: '2026-03-01T00:00:00Z',
      changes: [],
    };
    // retracted by the matcher (no history row), after a decision that kept it open
    const byMatcher = periodsOf({
      ...base,
      state: 'affected',
      retractedAt: '2026-03-05T00:00:00Z',
      changes: [
        {
          at: '2026-03-02T00:00:00Z',
          fromState: 'under_investigation',
          toState: 'affected',
          retracted: false,
        },
      ],
    });
    expect(byMatcher.open).toEqual([{ from: '2026-03-01T00:00:00.000Z', to: '2026-03-05T00:00:00.000Z' }]);
    expect(byMatcher.listed).toEqual(byMatcher.open);
    // retracted with a history row (SBOM superseded) and still retracted
    const superseded = periodsOf({
      ...base,
      retractedAt: '2026-03-03T00:00:00Z',
      changes: [
        {
          at: '2026-03-03T00:00:00Z',
          fromState: 'under_investigation',
          toState: 'under_investigation',
          retracted: true,
        },
      ],
    });
    expect(superseded.open).toEqual([{ from: '2026-03-01T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' }]);
    // the history leaves it retracted, the row does not: restored when the matcher last saw it
    const restored = periodsOf({
      ...base,
      lastSeenAt: '2026-03-06T00:00:00Z',
      changes: [
        {
          at: '2026-03-03T00:00:00Z',
          fromState: 'under_investigation',
          toState: 'under_investigation',
          retracted: true,
        },
      ],
    });
    expect(restored.open).toEqual([
      { from: '2026-03-01T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z' },
      { from: '2026-03-06T00:00:00.000Z', to: null },
    ]);
    // a triage of a retracted finding does not reopen it
    expect(
      periodsOf({
        ...base,
        retractedAt: '2026-03-02T00:00:00Z',
        changes: [
          {
            at: '2026-03-04T00:00:00Z',
            fromState: 'under_investigation',
            toState: 'affected',
            retracted: false,
          },
        ],
      }).open,
    ).toEqual([{ from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' }]);
    // never a finding (a pending vendor-CSAF match)
    expect(periodsOf({ ...base, since: null })).toEqual({ listed: [], open: [] });
  });

  it('keeps a retracted finding out of the deadline line', () => {
    const s = buildFindingsSeries({
      findings: [
        {
          severity: 'low',
          listed: [{ from: '2026-03-01T00:00:00Z', to: '2026-03-02T12:00:00Z' }],
          open: [{ from: '2026-03-01T00:00:00Z', to: '2026-03-02T12:00:00Z' }],
          dueDate: '2026-03-10',
        },
      ],
      to: '2026-03-03',
      days: 2,
      bucket: 'day',
    });
    expect(s.points.map((p) => [p.total, p.dueLine])).toEqual([
      [1, 1],
      [0, 0],
      [0, 0],
    ]);
  });
});
