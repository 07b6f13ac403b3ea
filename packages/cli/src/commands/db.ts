import { getMigrationStatus, migrateAndImport, openDb } from '@medsec/server';
import type { Command } from 'commander';
import { failWith, print, table } from '../output.ts';
import { configFrom, type GlobalOptions } from '../runtime.ts';

export const registerDbCommands = (program: Command): void => {
  const db = program.command('db').description('Database schema / 데이터베이스 스키마');
  db.command('migrate')
    .description('Apply pending migrations (required before starting on PostgreSQL) / 마이그레이션 적용')
    .action(async (_opts, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      try {
        const { db: handle, release } = await openDb(configFrom(global));
        try {
          const applied = await migrateAndImport(handle);
          print({ json: Boolean(global.json) }, { applied }, () =>
            applied.length
              ? `Applied / 적용됨: ${applied.join(', ')}`
              : 'Schema is up to date / 스키마가 최신 상태입니다',
          );
        } finally {
          await handle.close();
          release();
        }
      } catch (error) {
        failWith({ json: Boolean(global.json) }, error);
      }
    });
  db.command('status')
    .description('Show applied and pending migrations / 마이그레이션 상태')
    .action(async (_opts, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      try {
        const { db: handle, release } = await openDb(configFrom(global));
        try {
          const status = await getMigrationStatus(handle);
          print({ json: Boolean(global.json) }, status, () =>
            [
              table(
                status.applied.map((a) => ({ ...a, state: 'applied' })),
                ['version', 'name', 'appliedAt', 'state'],
              ),
              status.pending.length
                ? table(
                    status.pending.map((p) => ({ ...p, state: 'pending' })),
                    ['version', 'name', 'state'],
                  )
                : 'No pending migrations / 대기 중인 마이그레이션 없음',
            ].join('\n\n'),
          );
        } finally {
          await handle.close();
          release();
        }
      } catch (error) {
        failWith({ json: Boolean(global.json) }, error);
      }
    });
};
