import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError, ErrorCode } from '@medsec/core';
import { createBackup, restoreBackup } from '@medsec/server';
import type { Command } from 'commander';
import { failWith, print, progressReporter } from '../output.ts';
import { configFrom, type GlobalOptions, withRuntime } from '../runtime.ts';

export const registerBackupCommands = (program: Command): void => {
  const backup = program
    .command('backup')
    .description('Backup and restore (embedded or PostgreSQL) / 백업·복원');
  backup
    .command('create')
    .description('Write a logical backup (gzip JSON lines with a SHA-256 trailer) / 백업 생성')
    .requiredOption('--out <file>', 'backup file to write')
    .action(async (opts: { out: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const progress = progressReporter(out, 'backup');
        const summary = await withRuntime(configFrom(global), (ctx) =>
          createBackup(ctx, resolve(opts.out), (p) =>
            progress.update(p.tableIndex + 1, p.tables, `${p.table} (${p.rows} rows)`),
          ),
        );
        progress.stop();
        print(
          out,
          summary,
          () =>
            `Backup written / 백업 완료: ${summary.file} (${summary.rows} rows, sha256 ${summary.sha256})`,
        );
      } catch (error) {
        failWith(out, error);
      }
    });
  backup
    .command('restore')
    .description('Restore into an empty data directory or empty PostgreSQL database / 빈 저장소로 복원')
    .requiredOption('--in <file>', 'backup file')
    .option('--data-dir <dir>', 'embedded data directory to restore into (must be empty or absent)')
    .option(
      '--keyring <file>',
      'keyring file of the source installation, copied into the new data directory (sealed fields need it)',
    )
    .action(async (opts: { in: string; dataDir?: string; keyring?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const config = configFrom({ ...global, dataDir: opts.dataDir ?? global.dataDir });
        if (!existsSync(opts.in)) {
          throw new AppError(ErrorCode.NOT_FOUND, { detail: `No such file: ${opts.in}` });
        }
        if (config.storage.kind === 'pglite') {
          const dir = config.storage.dataDir;
          if (existsSync(dir) && readdirSync(dir).length > 0) {
            throw new AppError(ErrorCode.PRECONDITION_FAILED, {
              detail: `The data directory ${dir} is not empty / 데이터 디렉터리가 비어 있지 않습니다`,
            });
          }
          if (opts.keyring) {
            mkdirSync(join(dir, 'keys'), { recursive: true, mode: 0o700 });
            copyFileSync(opts.keyring, join(dir, 'keys', 'keyring.json'));
          }
        }
        const progress = progressReporter(out, 'restore');
        const summary = await withRuntime(
          config,
          (ctx) =>
            restoreBackup(ctx, resolve(opts.in), (p) =>
              progress.update(p.tableIndex + 1, p.tables, `${p.table} (${p.rows} rows)`),
            ),
          'always',
        );
        progress.stop();
        const missing = summary.kekIds.filter((id) => !opts.keyring && id !== 'env');
        print(out, { ok: true, ...summary }, () =>
          [
            `Restored / 복원 완료: ${summary.rows} rows`,
            missing.length
              ? `Note: sealed fields need the source keyring (${missing.join(', ')}); pass --keyring or set MEDSEC_KEK_FILE.`
              : '',
          ]
            .filter(Boolean)
            .join('\n'),
        );
      } catch (error) {
        failWith(out, error);
      }
    });
};
