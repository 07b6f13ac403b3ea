/**
 * Time series of findings for the findings page's charts (MFDS 2025 art. 20: vulnerabilities are handled within set
 * deadlines; the charts show whether they are). Pure: the server passes each finding's dates, this counts per day or
 * week.
 */
export const SERIES_SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type SeriesSeverity = (typeof SERIES_SEVERITIES)[number];
export const SERIES_BUCKETS = ['day', 'week'] as const;
export type SeriesBucket = (typeof SERIES_BUCKETS)[number];

export interface SeriesFinding {
  severity: SeriesSeverity;
  /** When the finding was first seen (ISO date-time or date). */
  firstSeenAt: string;
  /** When it stopped being open (decided not affected or fixed, or retracted), or null while open. */
  closedAt: string | null;
  /** Its due date (`YYYY-MM-DD`), or null. */
  dueDate: string | null;
}

export interface SeriesPoint {
  /** The day (`YYYY-MM-DD`, UTC) the counts are taken at, at its end. */
  date: string;
  /** Open findings per severity. */
  open: Record<SeriesSeverity, number>;
  /** All open findings. */
  total: number;
  /**
   * The deadline line: findings seen by then whose due date has not passed (or that have none) — the most that may
   * still be open if every finding is closed by its due date.
   */
  dueLine: number;
  /** Open findings whose due date has passed. */
  overdue: number;
}

export interface FindingsSeries {
  from: string;
  to: string;
  bucket: SeriesBucket;
  points: SeriesPoint[];
}

const DAY = 86_400_000;
const dayNumber = (iso: string): number => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY);
const isoDay = (n: number): string => new Date(n * DAY).toISOString().slice(0, 10);
/** The UTC day number of an instant (a date alone is its own day). */
const instantDay = (iso: string): number =>
  Math.floor(Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso) / DAY);

/**
 * Counts open findings per severity, the deadline line and the overdue findings at the end of each day (or each
 * 7th day) of the `days` before `to`, the last point being `to`. A finding counts from the day it was first seen up
 * to, not including, the day it was closed; it is overdue on the days after its due date. Linear in findings plus
 * points (difference arrays).
 */
export const buildFindingsSeries = ({
  findings,
  to,
  days,
  bucket,
}: {
  findings: Iterable<SeriesFinding>;
  to: string;
  days: number;
  bucket: SeriesBucket;
}): FindingsSeries => {
  const step = bucket === 'week' ? 7 : 1;
  const count = Math.floor(Math.max(0, days) / step) + 1;
  const last = dayNumber(to);
  const first = last - (count - 1) * step;
  /** The first point index whose day is ≥ `day` (count when none). */
  const indexFrom = (day: number): number => Math.min(count, Math.max(0, Math.ceil((day - first) / step)));
  const zero = () => new Array<number>(count + 1).fill(0);
  const open = Object.fromEntries(SERIES_SEVERITIES.map((s) => [s, zero()])) as Record<
    SeriesSeverity,
    number[]
  >;
  const dueLine = zero();
  const overdue = zero();
  const add = (arr: number[], start: number, end: number) => {
    if (start < end) {
      arr[start]! += 1;
      arr[end]! -= 1;
    }
  };
  for (const f of findings) {
    const seen = indexFrom(instantDay(f.firstSeenAt));
    // closed during day c: not open at the end of day c
    const closed = f.closedAt === null ? count : indexFrom(instantDay(f.closedAt));
    add(open[f.severity], seen, closed);
    // overdue from the day after the due date
    const due = f.dueDate === null ? count : indexFrom(dayNumber(f.dueDate) + 1);
    add(dueLine, seen, due);
    add(overdue, Math.max(seen, due), closed);
  }
  const points: SeriesPoint[] = [];
  const running = {
    dueLine: 0,
    overdue: 0,
    ...Object.fromEntries(SERIES_SEVERITIES.map((s) => [s, 0])),
  } as Record<string, number>;
  for (let i = 0; i < count; i++) {
    running.dueLine! += dueLine[i]!;
    running.overdue! += overdue[i]!;
    const counts = {} as Record<SeriesSeverity, number>;
    let total = 0;
    for (const s of SERIES_SEVERITIES) {
      running[s]! += open[s][i]!;
      counts[s] = running[s]!;
      total += counts[s];
    }
    points.push({
      date: isoDay(first + i * step),
      open: counts,
      total,
      dueLine: running.dueLine!,
      overdue: running.overdue!,
    });
  }
  return { from: isoDay(first), to: isoDay(last), bucket, points };
};
