import { AppError, ErrorCode } from '@medsec/core';
import { type Ctx, listMembers, setMemberStatus } from '@medsec/server';
import type { Command } from 'commander';
import { failWith, print, table } from '../output.ts';
import { configFrom, type GlobalOptions, resolveOrg, withRuntime } from '../runtime.ts';

export const registerUsersCommands = (program: Command): void => {
  const users = program.command('users').description('Accounts / 사용자 계정');
  users
    .command('list')
    .description('List the members of an organization / 사용자 목록')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(async (opts: { org?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const page = await withRuntime(configFrom(global), async (ctx) => {
          const organizationId = await resolveOrg(ctx, opts.org);
          const scoped: Ctx = { ...ctx, actor: { ...ctx.actor, organizationId } };
          return listMembers(scoped, { page: 1, pageSize: 100 });
        });
        print(out, page, () =>
          table(page.items, [
            'email',
            'displayName',
            'role',
            'status',
            'mfaEnabled',
            'locked',
            'validUntil',
            'lastLoginAt',
          ]),
        );
      } catch (error) {
        failWith(out, error);
      }
    });
  users
    .command('disable')
    .description('Disable an account (its sessions end) / 계정 비활성화')
    .requiredOption('--email <email>', 'the account')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(async (opts: { email: string; org?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        const member = await withRuntime(configFrom(global), async (ctx) => {
          const organizationId = await resolveOrg(ctx, opts.org);
          const [user] = await ctx.db.query<{ id: string }>(
            'SELECT id FROM users WHERE lower(email) = lower($1)',
            [opts.email],
          );
          if (!user) {
            throw new AppError(ErrorCode.NOT_FOUND, { detail: `No account ${opts.email} / 계정이 없습니다` });
          }
          return setMemberStatus({ ...ctx, actor: { ...ctx.actor, organizationId } }, user.id, 'disabled');
        });
        print(out, member, () => `Disabled / 비활성화됨: ${member.email}`);
      } catch (error) {
        failWith(out, error);
      }
    });
};
