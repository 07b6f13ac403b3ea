import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError, ErrorCode } from '@medsec/core';
import {
  createFileEvidence,
  createFromTemplate,
  getDocument,
  listDocuments,
  listEvidence,
} from '@medsec/server';
import type { Command } from 'commander';
import { failWith, print, table, UsageError } from '../output.ts';
import { configFrom, type GlobalOptions, withOrgRuntime } from '../runtime.ts';

/**
 * `medsec evidence …` and `medsec documents …`: the evidence library and the document register from the command line
 * (uploads from CI pipelines; listing and verification for auditors). Signing stays in the web app: it needs a person
 * who has just re-authenticated.
 */
export const registerRecordCommands = (program: Command): void => {
  const evidence = program.command('evidence').description('Evidence library / 증거 자료');

  evidence
    .command('list')
    .description('List evidence (title, file, SHA-256, version, linked items) / 증거 목록')
    .option('--expiring <days>', 'only evidence expiring or due for review within this many days')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(async (opts: { expiring?: string; org?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const days = opts.expiring === undefined ? undefined : Number(opts.expiring);
        if (days !== undefined && (!Number.isInteger(days) || days < 0)) {
          throw new UsageError('--expiring must be a whole number of days');
        }
        const items = await withOrgRuntime(configFrom(global), opts.org, (ctx) =>
          listEvidence(ctx, { expiringWithinDays: days }),
        );
        print(out, items, () =>
          table(
            items.map((e) => ({
              id: e.id,
              title: e.title,
              file: e.current?.fileName ?? e.current?.url ?? '',
              sha256: e.current?.sha256?.slice(0, 16) ?? '',
              version: e.currentVersion,
              items: e.linkedItems,
            })),
            ['id', 'title', 'file', 'sha256', 'version', 'items'],
          ),
        );
      } catch (error) {
        failWith(out, error);
      }
    });

  evidence
    .command('upload <file>')
    .description('Upload a file as evidence (type checked by content) / 증거 업로드')
    .option('--title <title>', 'title (default: the file name)')
    .option('--description <text>', 'description', '')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(
      async (file: string, opts: { title?: string; description: string; org?: string }, cmd: Command) => {
        const global = cmd.optsWithGlobals<GlobalOptions>();
        const out = { json: Boolean(global.json) };
        try {
          let size: number;
          try {
            size = statSync(file).size;
          } catch {
            throw new AppError(ErrorCode.NOT_FOUND, { detail: `${file}: no such file / 파일이 없습니다` });
          }
          const config = configFrom(global);
          if (size > config.uploadLimitBytes) {
            throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, {
              detail: `${file}: ${size} bytes is over the ${config.uploadLimitBytes}-byte limit`,
            });
          }
          const created = await withOrgRuntime(config, opts.org, (ctx) =>
            createFileEvidence(
              ctx,
              { fileName: basename(file), bytes: readFileSync(file), fields: {} },
              {
                title: opts.title ?? basename(file),
                description: opts.description,
                reviewDate: null,
                expiresAt: null,
              },
            ),
          );
          print(out, created, () => `${created.id}  ${created.title}  sha256 ${created.current?.sha256}`);
        } catch (error) {
          failWith(out, error);
        }
      },
    );

  const documents = program.command('documents').description('Controlled documents / 문서 관리');

  documents
    .command('list')
    .description('The document register / 문서 목록')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(async (opts: { org?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const items = await withOrgRuntime(configFrom(global), opts.org, (ctx) => listDocuments(ctx, {}));
        print(out, items, () =>
          table(
            items.map((d) => ({
              number: d.number,
              rev: d.revision,
              status: d.status,
              type: d.type,
              title: d.title,
              retentionEnd: d.retentionEnd ?? '—',
            })),
            ['number', 'rev', 'status', 'type', 'retentionEnd', 'title'],
          ),
        );
      } catch (error) {
        failWith(out, error);
      }
    });

  documents
    .command('from-template <key>')
    .description(
      "Create a catalog template's document list, e.g. procedure-outline (붙임1) / 서식으로 문서 생성",
    )
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(async (key: string, opts: { org?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const result = await withOrgRuntime(configFrom(global), opts.org, (ctx) =>
          createFromTemplate(ctx, key, null),
        );
        print(
          out,
          result,
          () =>
            `created / 생성: ${result.created.map((d) => d.number).join(', ') || '—'}; skipped / 건너뜀: ${result.skipped.join(', ') || '—'}`,
        );
      } catch (error) {
        failWith(out, error);
      }
    });

  documents
    .command('verify <id>')
    .description(
      'Verify the signatures of a document against its stored files; exit 1 when one fails / 서명 검증',
    )
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(async (id: string, opts: { org?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const doc = await withOrgRuntime(configFrom(global), opts.org, (ctx) => getDocument(ctx, id));
        const sigs = doc.revisions.flatMap((r) => r.signatures.map((s) => ({ revision: r.revision, ...s })));
        const ok = sigs.every((s) => s.valid);
        print(out, { ok, number: doc.number, signatures: sigs }, () =>
          [
            `${doc.number} rev.${doc.revision} (${doc.status}): ${ok ? 'all signatures valid / 서명 유효' : 'INVALID signature / 서명 무효'}`,
            ...sigs.map(
              (s) =>
                `  rev.${s.revision} ${s.meaning.padEnd(9)} ${s.signerName}  ${s.signedAt}  ${s.valid ? 'ok' : `FAIL: ${s.problem}`}`,
            ),
          ].join('\n'),
        );
        if (!ok) {
          process.exitCode = 1;
        }
      } catch (error) {
        failWith(out, error);
      }
    });
};
