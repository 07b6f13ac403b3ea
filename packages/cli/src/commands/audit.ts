import { createWriteStream } from 'node:fs';
import { AppError, ErrorCode } from '@medsec/core';
import {
  auditCsvHeader,
  auditCsvRow,
  iterateAuditEvents,
  recordAuditAlone,
  verifyAuditChain,
} from '@medsec/server';
import type { Command } from 'commander';
import { failWith, print } from '../output.ts';
import { configFrom, type GlobalOptions, resolveOrg, withRuntime } from '../runtime.ts';

export const registerAuditCommands = (program: Command): void => {
  const audit = program.command('audit').description('Tamper-evident audit log / 감사 로그');
  audit
    .command('verify')
    .description('Recompute the hash chain; exit 0 only when it is intact / 해시 체인 검증')
    .action(async (_opts, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const result = await withRuntime(configFrom(global), (ctx) => verifyAuditChain(ctx.db));
        const { ok, events, firstBrokenEventId } = result;
        print(
          out,
          { ok, events, firstBrokenEventId, firstBrokenSeq: result.firstBrokenSeq, problem: result.problem },
          () =>
            ok
              ? `Audit chain intact: ${events} events, last hash ${result.lastHash ?? '-'} / 감사 로그 무결성 확인: ${events}건`
              : `Audit chain BROKEN at event ${firstBrokenEventId ?? '(end of log)'} (seq ${result.firstBrokenSeq ?? '-'}): ${result.problem} / 감사 로그 변조 탐지`,
        );
        process.exitCode = ok ? 0 : 1;
      } catch (error) {
        failWith(out, error);
      }
    });
  audit
    .command('export')
    .description('Export the events of an organization as CSV or JSON lines / 감사 로그 내보내기')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .option('--format <csv|jsonl>', 'format', 'jsonl')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (opts: { org?: string; format: string; out?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        if (opts.format !== 'csv' && opts.format !== 'jsonl') {
          throw new AppError(ErrorCode.VALIDATION_FAILED, { detail: '--format must be csv or jsonl' });
        }
        const count = await withRuntime(configFrom(global), async (ctx) => {
          const organizationId = await resolveOrg(ctx, opts.org);
          const scoped = { ...ctx, actor: { ...ctx.actor, organizationId } };
          await recordAuditAlone(scoped, {
            action: 'audit.exported',
            details: { format: opts.format, via: 'cli' },
          });
          const sink = opts.out ? createWriteStream(opts.out, { mode: 0o600 }) : process.stdout;
          let n = 0;
          if (opts.format === 'csv') {
            sink.write(`\ufeff${auditCsvHeader()}`);
          }
          for await (const event of iterateAuditEvents(scoped, {})) {
            sink.write(opts.format === 'csv' ? auditCsvRow(event) : `${JSON.stringify(event)}\n`);
            n++;
          }
          if (opts.out) {
            await new Promise<void>((resolve) => (sink as ReturnType<typeof createWriteStream>).end(resolve));
          }
          return n;
        });
        if (opts.out) {
          print(
            out,
            { ok: true, events: count, file: opts.out },
            () => `Exported ${count} events to ${opts.out}`,
          );
        }
      } catch (error) {
        failWith(out, error);
      }
    });
};
