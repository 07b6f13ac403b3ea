import { AppError, ErrorCode, FINDING_SEVERITIES, OverdueQuerySchema } from '@medsec/core';
import { listOverdueFindings, sendTestNotification, syncAdvisories } from '@medsec/server';
import type { Command } from 'commander';
import { failWith, print, progressReporter, table, UsageError } from '../output.ts';
import { configFrom, type GlobalOptions, withOrgRuntime, withRuntime } from '../runtime.ts';

/** A command group registered by another file (`findings`, `advisories`), or a new one. */
export const groupOf = (program: Command, name: string, description: string): Command =>
  program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);

/**
 * `medsec findings overdue`, `medsec advisories sync`, `medsec notifications test` (issue #5: deadlines and
 * notifications). Exit codes: 0 ok, 1 error (a feed that failed), 2 usage, 3 validation, 4 not found.
 */
export const registerNotificationCommands = (program: Command): void => {
  groupOf(program, 'findings', 'Vulnerability findings / 취약점')
    .command('overdue')
    .description(
      'Open findings past their due date, or due within --within days, across products / 기한 초과',
    )
    .option('--within <days>', 'also list findings due within this many days (0–365)', '0')
    .option('--product <id>', 'only this product')
    .option('--severity <severity>', `only this severity (${FINDING_SEVERITIES.join('|')})`)
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(
      async (opts: { within: string; product?: string; severity?: string; org?: string }, cmd: Command) => {
        const global = cmd.optsWithGlobals<GlobalOptions>();
        const out = { json: Boolean(global.json) };
        try {
          if (!/^\d+$/.test(opts.within)) {
            throw new UsageError('--within must be a whole number of days');
          }
          const parsed = OverdueQuerySchema.safeParse({
            withinDays: opts.within,
            productId: opts.product,
            severity: opts.severity,
            limit: 1000,
          });
          if (!parsed.success) {
            throw new AppError(ErrorCode.VALIDATION_FAILED, {
              detail: parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '),
            });
          }
          const result = await withOrgRuntime(configFrom(global), opts.org, (ctx) =>
            listOverdueFindings(ctx, parsed.data),
          );
          print(
            out,
            result,
            () =>
              `${result.today}: ${result.counts.overdue} overdue, ${result.counts.dueSoon} due within ${result.withinDays} days / 기한 초과 ${result.counts.overdue}건, 기한 임박 ${result.counts.dueSoon}건\n${table(
                result.items.map((i) => ({
                  days: i.daysOverdue,
                  due: i.dueDate,
                  severity: `${i.severity}${i.kev ? ' KEV' : ''}`,
                  vulnerability: i.vulnerabilityId,
                  product: `${i.product} ${i.release}`,
                  component: `${i.component}${i.componentVersion ? `@${i.componentVersion}` : ''}`,
                  state: i.state,
                })),
                ['days', 'due', 'severity', 'vulnerability', 'product', 'component', 'state'],
              )}`,
          );
        } catch (error) {
          failWith(out, error);
        }
      },
    );

  groupOf(program, 'advisories', 'Advisory data (OSV, CISA KEV, EPSS) / 취약점 정보')
    .command('sync')
    .description(
      'Run the online advisory sync once, in process, for the feeds in MEDSEC_ADVISORY_FEEDS (exit 1 when a feed fails) / 온라인 동기화',
    )
    .action(async (_opts, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const config = configFrom(global);
        if (config.advisorySync.feeds.length === 0) {
          throw new UsageError(
            'No feeds configured: set MEDSEC_ADVISORY_FEEDS (e.g. "kev=https://…/known_exploited_vulnerabilities.json") / 설정된 피드가 없습니다',
          );
        }
        const bar = progressReporter({ json: false }, 'sync');
        const total = config.advisorySync.feeds.length;
        const results = await withRuntime(config, (ctx) =>
          syncAdvisories(ctx, async (fraction, message) => {
            bar.update(Math.round(fraction * total), total, message);
          }),
        );
        bar.update(total, total, 'done');
        bar.stop();
        const failed = results.filter((r) => !r.ok);
        print(out, { feeds: results, ok: failed.length === 0 }, () =>
          results
            .map((r) =>
              r.ok
                ? `ok      ${r.source} ${r.url} ${JSON.stringify(r.counts)}`
                : `FAILED  ${r.source} ${r.url}: ${r.error}`,
            )
            .join('\n'),
        );
        if (failed.length > 0) {
          process.exitCode = 1;
        }
      } catch (error) {
        failWith(out, error);
      }
    });

  groupOf(program, 'notifications', 'Deadline notifications / 알림')
    .command('test')
    .description(
      'Send a test message now on every notification channel that is switched on and configured / 테스트 알림',
    )
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(async (opts: { org?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const result = await withOrgRuntime(configFrom(global), opts.org, (ctx) => sendTestNotification(ctx));
        print(out, result, () =>
          result.deliveries
            .map(
              (d) =>
                `${d.status.padEnd(7)} ${d.channel} → ${d.target}${d.lastError ? `: ${d.lastError}` : ''}`,
            )
            .join('\n'),
        );
        if (result.deliveries.some((d) => d.status !== 'sent')) {
          process.exitCode = 1;
        }
      } catch (error) {
        failWith(out, error);
      }
    });
};
