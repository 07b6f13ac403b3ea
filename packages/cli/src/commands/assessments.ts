import { writeFileSync } from 'node:fs';
import { AppError, ErrorCode } from '@medsec/core';
import {
  assessmentChecklist,
  assessmentProgress,
  type Ctx,
  checklistCsv,
  checklistXlsx,
  getProduct,
  listReleases,
  recordAuditAlone,
} from '@medsec/server';
import type { Command } from 'commander';
import { failWith, print, table, UsageError } from '../output.ts';
import { configFrom, type GlobalOptions, withOrgRuntime } from '../runtime.ts';

const findRelease = async (ctx: Ctx, productId: string, version: string) => {
  const release = (await listReleases(ctx, productId)).find((r) => r.version === version);
  if (!release) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: `No release ${version} of product ${productId}` });
  }
  return release;
};

/** `medsec assessments …`: progress and the 붙임2 checklist of a product release. */
export const registerAssessmentCommands = (program: Command): void => {
  const assessments = program.command('assessments').description('Assessments of product releases / 평가');

  assessments
    .command('progress')
    .description('Progress per article: items by status, % verified / 진행 현황')
    .requiredOption('--product <id>', 'product id')
    .requiredOption('--release <version>', 'release version')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(async (opts: { product: string; release: string; org?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const progress = await withOrgRuntime(configFrom(global), opts.org, async (ctx) =>
          assessmentProgress(ctx, (await findRelease(ctx, opts.product, opts.release)).id),
        );
        print(out, progress, () =>
          [
            `Overall / 전체: ${progress.overall.byStatus.verified}/${progress.overall.total} verified (${progress.overall.verifiedPercent}%)`,
            `Mandatory MFDS / 의무 조항: ${progress.mandatory.verifiedPercent}% verified`,
            table(
              progress.byArticle.map((b) => ({
                article: b.key,
                total: b.total,
                verified: b.byStatus.verified,
                inProgress: b.byStatus['in-progress'],
                percent: `${b.verifiedPercent}%`,
              })),
              ['article', 'total', 'verified', 'inProgress', 'percent'],
            ),
          ].join('\n'),
        );
      } catch (error) {
        failWith(out, error);
      }
    });

  assessments
    .command('export')
    .description(
      'Write the 붙임2 checklist: requirement, applied (Y/N), conformity method, evidence/document number, reason not applied / 체크리스트',
    )
    .requiredOption('--product <id>', 'product id')
    .requiredOption('--release <version>', 'release version')
    .option('--format <format>', 'csv | xlsx', 'csv')
    .option('--out <file>', 'write to this file (default: standard output)')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(
      async (
        opts: { product: string; release: string; format: string; out?: string; org?: string },
        cmd: Command,
      ) => {
        const global = cmd.optsWithGlobals<GlobalOptions>();
        const out = { json: Boolean(global.json) };
        try {
          if (opts.format !== 'csv' && opts.format !== 'xlsx') {
            throw new UsageError('--format must be csv or xlsx');
          }
          const data = await withOrgRuntime(configFrom(global), opts.org, async (ctx) => {
            const product = await getProduct(ctx, opts.product);
            const release = await findRelease(ctx, opts.product, opts.release);
            const rows = await assessmentChecklist(ctx, release.id);
            await recordAuditAlone(ctx, {
              action: 'assessment.exported',
              targetType: 'release',
              targetId: release.id,
              details: { format: opts.format, rows: rows.length, via: 'cli' },
            });
            return opts.format === 'xlsx'
              ? await checklistXlsx(rows, {
                  product: `${product.name} ${product.model}`,
                  version: release.version,
                  generatedAt: ctx.clock.now(),
                })
              : Buffer.from(checklistCsv(rows), 'utf8');
          });
          if (opts.out) {
            writeFileSync(opts.out, data);
            if (out.json) {
              print(out, { ok: true, file: opts.out, bytes: data.length }, () => '');
            } else {
              process.stderr.write(`${opts.out}: ${data.length} bytes / 저장했습니다\n`);
            }
          } else {
            process.stdout.write(data);
          }
        } catch (error) {
          failWith(out, error);
        }
      },
    );
};
