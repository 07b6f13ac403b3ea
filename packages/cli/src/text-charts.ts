import { type FindingsSeriesResponse, SERIES_SEVERITIES, type SeriesSeverity } from '@medsec/core';
import { table } from './output.ts';

/**
 * Text renderings of the findings charts for a terminal (the web draws the same series as SVG, ADR 0015): open
 * findings per severity as stacked letters, and the burn-down against the deadline line. Pure functions of the
 * API's series, so the `--json` output and the text show the same numbers.
 */

type Point = FindingsSeriesResponse['points'][number];

/** Widest bar in characters; longer bars are scaled down. */
export const BAR_WIDTH = 40;

/** One letter per severity, upper case like the CVSS ratings they stand for. */
const SEVERITY_LETTER: Record<SeriesSeverity, string> = {
  critical: 'C',
  high: 'H',
  medium: 'M',
  low: 'L',
  none: 'N',
};

/** Scales counts so that `max` fills `width` characters (never up: one finding is one character when it fits). */
const scaleOf = (max: number, width: number): number => (max > width ? width / max : 1);

/**
 * The points worth a line: the first, the last and every one whose charted numbers (`keyOf`) differ from the point
 * before. The API's 91 daily points are mostly repeats; `--json` keeps them all.
 */
export const changedPoints = (points: Point[], keyOf: (p: Point) => string): Point[] =>
  points.filter((p, i) => i === 0 || i === points.length - 1 || keyOf(p) !== keyOf(points[i - 1]!));

const severityKey = (p: Point): string => SERIES_SEVERITIES.map((s) => p.open[s]).join(',');
const burndownKey = (p: Point): string => `${p.total},${p.dueLine},${p.overdue}`;

/**
 * A stacked bar of open findings, most severe first: `CCHMMM`. Scaled segments are rounded on their running total,
 * so the bar's length is the scaled total and no severity with findings disappears.
 */
export const severityBar = (open: Record<SeriesSeverity, number>, scale: number): string => {
  let bar = '';
  let running = 0;
  for (const s of SERIES_SEVERITIES) {
    if (open[s] === 0) {
      continue;
    }
    running += open[s];
    const end = Math.max(bar.length + 1, Math.round(running * scale));
    bar += SEVERITY_LETTER[s].repeat(end - bar.length);
  }
  return bar;
};

/**
 * A burn-down bar: `#` for findings open within their deadline, `!` for overdue ones, and `|` where the deadline
 * line stands (inserted, so no finding is hidden behind it).
 */
export const burndownBar = (point: Pick<Point, 'total' | 'dueLine' | 'overdue'>, scale: number): string => {
  const open = Math.round(point.total * scale);
  const overdue = point.overdue > 0 ? Math.max(1, Math.round(point.overdue * scale)) : 0;
  const bar = `${'#'.repeat(Math.max(0, open - overdue))}${'!'.repeat(Math.min(open, overdue))}`;
  const at = Math.round(point.dueLine * scale);
  return `${bar.slice(0, at).padEnd(at)}|${bar.slice(at)}`;
};

/** Where a series is from: the scope and the window, in both languages. */
const headerOf = (series: FindingsSeriesResponse, title: string, scope: string): string =>
  `${title} — ${scope}, ${series.from} … ${series.to} (${series.bucket === 'week' ? 'weekly / 주별' : 'daily / 일별'}), ${series.findings} findings / 취약점 ${series.findings}건`;

const omitted = (all: Point[], shown: Point[]): string[] =>
  shown.length < all.length
    ? [
        `(${all.length - shown.length} unchanged points not shown; --json gives all ${all.length} / 변동 없는 ${all.length - shown.length}개 시점 생략)`,
      ]
    : [];

/** The severity chart as text: one line per changed point with its counts and a stacked bar, then a legend. */
export const renderSeverityChart = (series: FindingsSeriesResponse, scope: string): string => {
  const shown = changedPoints(series.points, severityKey);
  const scale = scaleOf(Math.max(0, ...series.points.map((p) => p.total)), BAR_WIDTH);
  const rows = shown.map((p) => ({
    date: p.date,
    ...p.open,
    total: p.total,
    chart: severityBar(p.open, scale),
  }));
  return [
    headerOf(series, 'Open findings by severity / 심각도별 미조치 취약점', scope),
    table(rows, ['date', ...SERIES_SEVERITIES, 'total', 'chart']),
    ...omitted(series.points, shown),
    `${SERIES_SEVERITIES.map((s) => `${SEVERITY_LETTER[s]} ${s}`).join(', ')} / 긴급, 높음, 중간, 낮음, 없음${scale < 1 ? `; one letter ≈ ${(1 / scale).toFixed(1)} findings` : ''}`,
  ].join('\n');
};

/** The burn-down as text: open findings against the deadline line, overdue ones marked, then today's numbers. */
export const renderBurndownChart = (series: FindingsSeriesResponse, scope: string): string => {
  const shown = changedPoints(series.points, burndownKey);
  const scale = scaleOf(Math.max(0, ...series.points.map((p) => Math.max(p.total, p.dueLine))), BAR_WIDTH);
  const rows = shown.map((p) => ({
    date: p.date,
    open: p.total,
    'due line': p.dueLine,
    overdue: p.overdue,
    chart: burndownBar(p, scale),
  }));
  const last = series.points.at(-1);
  return [
    headerOf(series, 'Burn-down against deadlines / 기한 대비 미조치 현황', scope),
    table(rows, ['date', 'open', 'due line', 'overdue', 'chart']),
    ...omitted(series.points, shown),
    `# open within deadline / 기한 내 미조치, ! overdue / 기한 초과, | deadline line / 기한선${scale < 1 ? `; one mark ≈ ${(1 / scale).toFixed(1)} findings` : ''}`,
    last
      ? `${last.date}: ${last.total} open, ${last.overdue} overdue, deadline line ${last.dueLine} / 미조치 ${last.total}건, 기한 초과 ${last.overdue}건, 기한선 ${last.dueLine}건`
      : '',
  ].join('\n');
};
