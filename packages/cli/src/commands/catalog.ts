import { writeFileSync } from 'node:fs';
import { AppError, ErrorCode, type Requirement } from '@medsec/core';
import {
  exportRequirements,
  getImdrfMapping,
  getRequirement,
  importOrganizationFramework,
  listApprovalRequirements,
  listFrameworks,
  listRequirements,
  listTemplates,
  recordAudit,
  requirementsCsv,
  requirementsXlsx,
  searchCatalog,
} from '@medsec/server';
import type { Command } from 'commander';
import { failWith, print, table, UsageError } from '../output.ts';
import { configFrom, type GlobalOptions, resolveOrg, withRuntime } from '../runtime.ts';

const short = (r: Requirement) => ({
  ref: r.ref,
  obligation: r.obligation,
  approvalIds: r.approvalIds.join(' '),
  text:
    (r.titleKo ? `[${r.titleKo}] ` : '') + (r.textKo.length > 70 ? `${r.textKo.slice(0, 70)}…` : r.textKo),
});

/** `medsec catalog …`: the regulatory catalog (built-in frameworks are loaded at migrate time). */
export const registerCatalogCommands = (program: Command): void => {
  const catalog = program
    .command('catalog')
    .description('Regulatory catalog: MFDS 2025 guideline and more / 규제 카탈로그');

  catalog
    .command('list')
    .description('List frameworks, or the entries of one / 프레임워크 또는 항목 목록')
    .option('--framework <id>', 'list the entries of this framework')
    .option('--article <n>', 'only this article')
    .option('--obligation <o>', 'mandatory | recommended | mixed | none')
    .action(async (opts: { framework?: string; article?: string; obligation?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        await withRuntime(configFrom(global), async (ctx) => {
          if (!opts.framework) {
            const frameworks = await listFrameworks(ctx);
            print(out, frameworks, () =>
              table(
                frameworks.map((f) => ({ id: f.id, version: f.version, name: f.nameKo, ...f.counts })),
                ['id', 'version', 'article', 'clause', 'item', 'name'],
              ),
            );
            return;
          }
          if (opts.obligation && !['mandatory', 'recommended', 'mixed', 'none'].includes(opts.obligation)) {
            throw new UsageError('--obligation must be mandatory, recommended, mixed or none');
          }
          const items: Requirement[] = [];
          for (let page = 1; ; page++) {
            const res = await listRequirements(ctx, {
              page,
              pageSize: 100,
              framework: opts.framework,
              ...(opts.article ? { article: Number(opts.article) } : {}),
              ...(opts.obligation ? { obligation: opts.obligation as Requirement['obligation'] } : {}),
            });
            items.push(...res.items);
            if (res.items.length < 100) {
              break;
            }
          }
          print(out, items, () => table(items.map(short), ['ref', 'obligation', 'approvalIds', 'text']));
        });
      } catch (error) {
        failWith(out, error);
      }
    });

  catalog
    .command('show <ref>')
    .description('Show one entry: Korean verbatim, English, obligation, mappings / 항목 상세')
    .action(async (ref: string, _opts, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const r = await withRuntime(configFrom(global), (ctx) => getRequirement(ctx, ref));
        print(out, r, () =>
          [
            `${r.ref}  (${r.kind}, ${r.obligation}, ${r.actors.join('+')})`,
            r.titleKo ? `${r.titleKo}${r.titleEn ? ` / ${r.titleEn}` : ''}` : '',
            '',
            r.textKo,
            r.textEn ? `\n${r.textEn}` : '',
            r.approvalRequirements.length
              ? `\nApproval-review IDs / 허가·심사 요구사항: ${r.approvalRequirements.map((a) => `${a.id} ${a.titleKo}`).join(', ')}`
              : '',
            r.children.length ? `\nChildren / 하위 항목: ${r.children.map((c) => c.ref).join(', ')}` : '',
            r.imdrf.length
              ? `\nIMDRF mapping / IMDRF 매핑:\n${r.imdrf.map((m) => `  row ${m.row}: ${m.principle} · ${m.approvalId ?? '—'} · art. ${m.article ?? '—'}${m.inferred.length ? ` (inferred: ${m.inferred.join(', ')})` : ''}`).join('\n')}`
              : '',
            r.links.length
              ? `\nCross-references / 상호 참조:\n${r.links.map((l) => `  ${l.direction === 'outgoing' ? '→' : '←'} ${l.otherRef} (${l.relation}): ${l.basisEn}`).join('\n')}`
              : '',
            r.activities.length
              ? `\nSecurity activities / 보안 활동:\n${r.activities.map((a) => `  ${a.nameKo} [${a.direction}: ${a.artefactKo ?? a.artefact}]`).join('\n')}`
              : '',
            r.numericExamples.length
              ? `\nNumbers / 수치 예시:\n${r.numericExamples.map((n) => `  ${n.value} ${n.unit}: ${n.textKo}`).join('\n')}`
              : '',
            r.source ? `\nSource / 출처: ${r.source.file} lines ${r.source.lines.join('–')}` : '',
          ]
            .filter((l) => l !== '')
            .join('\n'),
        );
      } catch (error) {
        failWith(out, error);
      }
    });

  catalog
    .command('mapping')
    .description(
      'The IMDRF N60 ↔ approval-review requirement ID ↔ article table; * marks an inferred cell / IMDRF 매핑표',
    )
    .action(async (_opts, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const mapping = await withRuntime(configFrom(global), (ctx) => getImdrfMapping(ctx));
        const star = (m: (typeof mapping.rows)[number], cell: 'imdrf' | 'approvalId' | 'article') =>
          m.inferred.includes(cell) ? '*' : '';
        print(out, mapping, () =>
          table(
            mapping.rows.map((m) => ({
              row: m.row,
              principle: m.principle,
              imdrf: `${m.imdrf}${star(m, 'imdrf')}`,
              id: `${m.approvalId ?? '—'}${star(m, 'approvalId')}`,
              article: `${m.article ?? '—'}${star(m, 'article')}`,
              title: m.articleTitleKo ?? '',
            })),
            ['row', 'principle', 'imdrf', 'id', 'article', 'title'],
          ),
        );
      } catch (error) {
        failWith(out, error);
      }
    });

  catalog
    .command('templates')
    .description('Document templates of the guideline (붙임1, 붙임2) / 서식')
    .action(async (_opts, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const items = await withRuntime(configFrom(global), (ctx) => listTemplates(ctx));
        print(out, items, () =>
          items
            .map((t) =>
              [
                `${t.key}: ${t.titleKo} / ${t.titleEn}${t.documentNo ? ` (${t.documentNo})` : ''}`,
                ...t.documents.map(
                  (d) =>
                    `  ${d.number.padEnd(12)} ${d.type.padEnd(16)} ${d.titleKo}${d.retentionYears ? ` · ${d.retentionYears}y` : ''}`,
                ),
              ].join('\n'),
            )
            .join('\n'),
        );
      } catch (error) {
        failWith(out, error);
      }
    });

  catalog
    .command('search <text>')
    .description('Search Korean or English text, best first / 검색')
    .option('--framework <id>', 'only this framework')
    .option('--limit <n>', 'at most this many results', '25')
    .action(async (text: string, opts: { framework?: string; limit: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
          throw new UsageError('--limit must be 1–100');
        }
        if (text.trim().length === 0 || text.length > 200) {
          throw new AppError(ErrorCode.VALIDATION_FAILED, {
            detail: 'The search text must be 1–200 characters',
          });
        }
        const items = await withRuntime(configFrom(global), (ctx) =>
          searchCatalog(ctx, text, opts.framework, limit),
        );
        print(out, items, () =>
          table(
            items.map((r) => ({ ...short(r), score: r.score.toFixed(2) })),
            ['ref', 'score', 'obligation', 'text'],
          ),
        );
      } catch (error) {
        failWith(out, error);
      }
    });

  catalog
    .command('export')
    .description('Export the catalog as JSON (array, one object per entry) or CSV / 내보내기')
    .option('--format <json|csv|xlsx>', 'format', 'json')
    .option('--framework <id>', 'only this framework')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (opts: { format: string; framework?: string; out?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        if (opts.format !== 'json' && opts.format !== 'csv' && opts.format !== 'xlsx') {
          throw new UsageError('--format must be json, csv or xlsx');
        }
        if (opts.format === 'xlsx' && !opts.out) {
          throw new UsageError('--format xlsx needs --out FILE');
        }
        const { items, approvals } = await withRuntime(configFrom(global), async (ctx) => ({
          items: await exportRequirements(ctx, opts.framework),
          approvals: await listApprovalRequirements(ctx),
        }));
        if (opts.framework && items.length === 0) {
          throw new AppError(ErrorCode.NOT_FOUND, {
            detail: `No framework ${opts.framework} / 프레임워크가 없습니다`,
          });
        }
        const body =
          opts.format === 'xlsx'
            ? await requirementsXlsx(items, approvals)
            : opts.format === 'csv'
              ? requirementsCsv(items)
              : `${JSON.stringify(items, null, 2)}\n`;
        if (opts.out) {
          writeFileSync(opts.out, body);
          process.stderr.write(`${items.length} entries written to ${opts.out}\n`);
        } else {
          process.stdout.write(body);
        }
      } catch (error) {
        failWith(out, error);
      }
    });

  catalog
    .command('import')
    .description(
      "Import an organization's own framework file (same schema; e.g. IEC 81001-5-1 or an internal standard) / 조직 프레임워크 가져오기",
    )
    .requiredOption(
      '--file <file>',
      'framework file (YAML or JSON): { framework, version?, nameKo?, nameEn?, entries: [...] }',
    )
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(async (opts: { file: string; org?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const summary = await withRuntime(configFrom(global), async (ctx) => {
          const organizationId = await resolveOrg(ctx, opts.org);
          return importOrganizationFramework(ctx.db, ctx.clock, organizationId, opts.file, (tx, result) =>
            recordAudit({ ...ctx, actor: { ...ctx.actor, organizationId } }, tx, {
              action: 'catalog.imported',
              targetType: 'framework',
              targetId: result.framework,
              details: { ...result },
            }),
          );
        });
        print(out, { ok: true, ...summary }, () =>
          summary.skipped
            ? `${summary.framework}: unchanged / 변경 없음`
            : `${summary.framework}: ${summary.created} created, ${summary.changed} changed, ${summary.retired} retired / 가져오기 완료`,
        );
      } catch (error) {
        failWith(out, error);
      }
    });
};
