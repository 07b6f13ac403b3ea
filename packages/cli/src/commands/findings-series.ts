import {
  AppError,
  type Clock,
  ErrorCode,
  FindingsSeriesQuerySchema,
  type FindingsSeriesResponse,
  SERIES_BUCKETS,
} from '@medsec/core';
import { type Ctx, getFindingsSeries, getProduct } from '@medsec/server';
import type { Command } from 'commander';
import { failWith, invalidOptions, print, UsageError } from '../output.ts';
import { configFrom, type GlobalOptions, withOrgRuntime } from '../runtime.ts';
import { renderBurndownChart, renderSeverityChart } from '../text-charts.ts';
import { groupOf } from './notifications.ts';
import { releaseOf } from './vulnerabilities.ts';

/**
 * `medsec findings series` and `medsec findings burndown`: the findings page's two charts (open findings by severity
 * over time; open findings against the deadline line, overdue ones marked) as text, or with `--json` the series of
 * `GET /api/v1/findings/series` (MFDS 2025 art. 20: vulnerabilities are handled within set deadlines).
 */

interface SeriesOptions {
  product?: string;
  release?: string;
  days?: string;
  from?: string;
  to?: string;
  bucket: string;
  org?: string;
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
const isDay = (value: string): boolean =>
  ISO_DAY.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

/** Checks what needs no database: the option shapes and combinations (exit 2). */
const checkUsage = (opts: SeriesOptions): void => {
  if (opts.release !== undefined && opts.product === undefined) {
    throw new UsageError('--release needs --product');
  }
  if (opts.days !== undefined && opts.from !== undefined) {
    throw new UsageError('Give --days or --from, not both');
  }
  if (opts.days !== undefined && !/^\d+$/.test(opts.days)) {
    throw new UsageError('--days must be a whole number of days');
  }
  for (const [name, value] of [
    ['from', opts.from],
    ['to', opts.to],
  ] as const) {
    if (value !== undefined && !isDay(value)) {
      throw new UsageError(`--${name} must be a date YYYY-MM-DD`);
    }
  }
  if (!(SERIES_BUCKETS as readonly string[]).includes(opts.bucket)) {
    throw new UsageError(`--bucket must be ${SERIES_BUCKETS.join(' or ')}`);
  }
};

/**
 * The series for the options. The API's series ends today; `--to` ends it on an earlier day by reading the same
 * findings with the clock at the end of that day (a point's counts depend only on its own date, so the points are
 * those the API gives for the same dates). `--from` sets the window's length (`days`).
 * @throws VALIDATION_FAILED for a window outside 7–730 days, `--to` after today or a malformed product id
 * @throws NOT_FOUND when the product or release is not the organization's
 */
const loadSeries = async (
  ctx: Ctx,
  opts: SeriesOptions,
): Promise<{ series: FindingsSeriesResponse; scope: string }> => {
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const to = opts.to ?? today;
  if (to > today) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: `--to: ${to} is after today (${today}) / 미래 날짜입니다`,
      errors: [{ path: 'to', message: 'not after today' }],
    });
  }
  if (opts.from !== undefined && opts.from > to) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: `--from: ${opts.from} is after --to ${to}`,
      errors: [{ path: 'from', message: 'not after --to' }],
    });
  }
  const parsed = FindingsSeriesQuerySchema.safeParse({
    productId: opts.product,
    days: opts.from !== undefined ? dayNumber(to) - dayNumber(opts.from) : opts.days,
    bucket: opts.bucket,
  });
  if (!parsed.success) {
    throw invalidOptions(
      parsed.error.issues.map((i) =>
        i.path[0] === 'days' && opts.from !== undefined
          ? { ...i, message: `the window from --from to --to must be 7–730 days (${i.message})` }
          : i,
      ),
      { productId: 'product', days: opts.from !== undefined ? 'from' : 'days' },
    );
  }
  const query = { ...parsed.data };
  let scope = 'all products / 전체 제품';
  if (opts.product !== undefined) {
    const product = await getProduct(ctx, opts.product);
    scope = product.name;
    if (opts.release !== undefined) {
      query.releaseId = (await releaseOf(ctx, opts.product, opts.release)).id;
      scope = `${product.name} ${opts.release}`;
    }
  }
  const endOfDay: Clock = { now: () => new Date(dayNumber(to) * DAY_MS + DAY_MS - 1) };
  const series = await getFindingsSeries(to === today ? ctx : { ...ctx, clock: endOfDay }, query);
  return { series, scope };
};

const withSeriesOptions = (command: Command): Command =>
  command
    .option('--product <id>', 'product id (default: every product of the organization)')
    .option('--release <version>', 'release version (with --product)')
    .option('--days <n>', 'days back from --to (7–730; default 90)')
    .option('--from <date>', 'first day, YYYY-MM-DD (instead of --days)')
    .option('--to <date>', 'last day, YYYY-MM-DD (default: today)')
    .option('--bucket <bucket>', 'day | week', 'day')
    .option('--org <id|name>', 'organization (needed when there are several)');

/** Adds `series` and `burndown` to the `findings` group (registered by vulnerabilities.ts). */
export const registerFindingsSeriesCommands = (program: Command): void => {
  const findings = groupOf(program, 'findings', 'Vulnerability findings / 취약점');
  const charts = [
    {
      name: 'series',
      description:
        'Open findings by severity per day or week, as a text chart; --json: the series of GET /api/v1/findings/series / 심각도별 추이',
      render: renderSeverityChart,
    },
    {
      name: 'burndown',
      description:
        'Open findings against the deadline line, overdue ones marked, as a text chart; --json: the same series / 기한 대비 현황',
      render: renderBurndownChart,
    },
  ] as const;
  for (const chart of charts) {
    withSeriesOptions(findings.command(chart.name).description(chart.description)).action(
      async (opts: SeriesOptions, cmd: Command) => {
        const global = cmd.optsWithGlobals<GlobalOptions>();
        const out = { json: Boolean(global.json) };
        try {
          checkUsage(opts);
          const { series, scope } = await withOrgRuntime(configFrom(global), opts.org, (ctx) =>
            loadSeries(ctx, opts),
          );
          print(out, series, () => chart.render(series, scope));
        } catch (error) {
          failWith(out, error);
        }
      },
    );
  }
};
