/**
 * Time series of findings for the findings page's charts (MFDS 2025 art. 20: vulnerabilities are handled within set
 * deadlines; the charts show whether they are). Pure: the server passes each finding's dates, this counts per day or
 * week.
 */
export const SERIES_SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type SeriesSeverity = (typeof SERIES_SEVERITIES)[number];
export const SERIES_BUCKETS = ['day', 'week'] as const;
export type SeriesBucket = (typeof SERIES_BUCKETS)[number];

/** A span of time (ISO date-times); `to` is null while it lasts. */
export interface SeriesPeriod {
  from: string;
  to: string | null;
}

export interface SeriesFinding {
  severity: SeriesSeverity;
  /** When it was a finding (seen and not retracted), in time order: it counts in the deadline line then. */
  listed: SeriesPeriod[];
  /** When it was open (listed, and under investigation or affected), in time order. */
  open: SeriesPeriod[];
  /** Its due date (`YYYY-MM-DD`), or null. */
  dueDate: string | null;
}

/** The VEX states of a finding still open: not yet decided not affected, not fixed. */
export const OPEN_VEX_STATES: readonly string[] = ['under_investigation', 'affected'];

/** One row of a finding's state history (`finding_state_changes`), as the series reads it. */
export interface SeriesStateChange {
  /** When it happened (ISO date-time). */
  at: string;
  /** The VEX state before; null when the row was reconstructed and the earlier state is not known. */
  fromState: string | null;
  /** The VEX state after. */
  toState: string;
  /** Whether the finding was retracted after the change (SBOM superseded, vendor-CSAF match dismissed). */
  retracted: boolean;
}

/** What the server knows of one finding: its row and its history rows, in order. */
export interface FindingTimeline {
  /**
   * From when it counts: when it was created (first seen, or the match that replaced a superseded SBOM's finding), or
   * when a person confirmed a vendor-CSAF name match; null when it never was a finding (pending or dismissed match).
   */
  since: string | null;
  /** The VEX state now. */
  state: string;
  /** When it was retracted, if it is now (the row's `retracted_at`). */
  retractedAt: string | null;
  /** When the matcher last saw it. */
  lastSeenAt: string;
  /** Its history rows, oldest first. */
  changes: readonly SeriesStateChange[];
}

const ms = (iso: string): number => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

/**
 * When a finding was listed and when it was open, from its creation, its history rows and its row as it is now.
 * Before its first change it was in that change's `fromState` (under investigation, the state every finding starts
 * in, when a reconstructed row does not know); without changes, in its current state. The matcher retracts and
 * restores findings without writing history (its bulk path stays lean), so the row's `retracted_at` is the truth from
 * that moment on, and a finding the history leaves retracted but whose row is not was restored when the matcher last
 * saw it. Times run forward: a change recorded before the one it follows (a clock set back) takes the later time.
 */
export const periodsOf = (t: FindingTimeline): { listed: SeriesPeriod[]; open: SeriesPeriod[] } => {
  if (t.since === null) {
    return { listed: [], open: [] };
  }
  const start = ms(t.since);
  const retractedAt = t.retractedAt === null ? null : ms(t.retractedAt);
  const first = t.changes[0];
  let state = first ? (first.fromState ?? 'under_investigation') : t.state;
  let retracted = false;
  const events: { at: number; state?: string; retracted?: boolean }[] = [];
  let last = start;
  for (const c of t.changes) {
    last = Math.max(last, ms(c.at));
    // from the row's retraction on, the row says what is true: the history's retraction flags are not needed
    events.push(
      retractedAt !== null && last >= retractedAt
        ? { at: last, state: c.toState }
        : { at: last, state: c.toState, retracted: c.retracted },
    );
  }
  if (retractedAt !== null) {
    const at = Math.max(start, retractedAt);
    const i = events.findIndex((e) => e.at > at);
    events.splice(i === -1 ? events.length : i, 0, { at, retracted: true });
  } else if (t.changes.at(-1)?.retracted) {
    events.push({ at: Math.max(last, ms(t.lastSeenAt)), retracted: false });
  }
  const listed: SeriesPeriod[] = [];
  const open: SeriesPeriod[] = [];
  const iso = (n: number) => new Date(n).toISOString();
  let listedFrom: number | null = start;
  let openFrom: number | null = OPEN_VEX_STATES.includes(state) ? start : null;
  for (const e of events) {
    state = e.state ?? state;
    retracted = e.retracted ?? retracted;
    const isOpen = !retracted && OPEN_VEX_STATES.includes(state);
    if (retracted && listedFrom !== null) {
      if (e.at > listedFrom) {
        listed.push({ from: iso(listedFrom), to: iso(e.at) });
      }
      listedFrom = null;
    } else if (!retracted && listedFrom === null) {
      listedFrom = e.at;
    }
    if (!isOpen && openFrom !== null) {
      if (e.at > openFrom) {
        open.push({ from: iso(openFrom), to: iso(e.at) });
      }
      openFrom = null;
    } else if (isOpen && openFrom === null) {
      openFrom = e.at;
    }
  }
  if (listedFrom !== null) {
    listed.push({ from: iso(listedFrom), to: null });
  }
  if (openFrom !== null) {
    open.push({ from: iso(openFrom), to: null });
  }
  return { listed, open };
};

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
 * 7th day) of the `days` before `to`, the last point being `to`. A finding counts as open on the days that end
 * inside one of its open periods (a period that starts and ends on the same day does not count; one that ends on
 * the day the next starts does); it is overdue on those days after its due date, and in the deadline line on the
 * days it is listed up to its due date. Linear in findings and periods plus points (difference arrays).
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
  // a period from the day it starts up to, not including, the day it ends (not open at the end of that day)
  const span = (p: SeriesPeriod): [number, number] => [
    indexFrom(instantDay(p.from)),
    p.to === null ? count : indexFrom(instantDay(p.to)),
  ];
  for (const f of findings) {
    // overdue from the day after the due date
    const due = f.dueDate === null ? count : indexFrom(dayNumber(f.dueDate) + 1);
    for (const p of f.listed) {
      const [start, end] = span(p);
      add(dueLine, start, Math.min(end, due));
    }
    for (const p of f.open) {
      const [start, end] = span(p);
      add(open[f.severity], start, end);
      add(overdue, Math.max(start, due), end);
    }
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
