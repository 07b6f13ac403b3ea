import { completeSetup } from '@medsec/server';
import type { Command } from 'commander';
import { failWith, print, promptHidden, readStdin, UsageError } from '../output.ts';
import { configFrom, type GlobalOptions, withRuntime } from '../runtime.ts';

/** First-run administrator: the person chooses the password; there is no default account. */
export const registerAdminCommands = (program: Command): void => {
  const admin = program.command('admin').description('First-run administration / 초기 관리자');
  admin
    .command('create')
    .description(
      'Create the first administrator and organization (only while no user exists). The password is read from standard input when it is not a terminal. / 최초 관리자 생성',
    )
    .requiredOption('--email <email>', 'administrator e-mail')
    .option('--name <name>', 'display name (default: the e-mail name)')
    .option('--org <name>', 'organization name (default: the e-mail domain)')
    .action(async (opts: { email: string; name?: string; org?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        let password: string;
        if (process.stdin.isTTY) {
          password = await promptHidden('Password / 비밀번호: ');
          const again = await promptHidden('Repeat / 비밀번호 확인: ');
          if (password !== again) {
            throw new UsageError('The passwords differ / 비밀번호가 일치하지 않습니다');
          }
        } else {
          password = (await readStdin()).replace(/\r?\n$/, '');
        }
        const [local, domain] = opts.email.split('@');
        const result = await withRuntime(configFrom(global), (ctx) =>
          completeSetup(ctx, {
            email: opts.email.trim().toLowerCase(),
            displayName: opts.name ?? local ?? opts.email,
            organizationName: opts.org ?? domain ?? 'Organization',
            password,
          }),
        );
        print(
          out,
          { ok: true, ...result },
          () =>
            `Administrator ${opts.email} created / 관리자 생성 완료 (organization ${result.organizationId})`,
        );
      } catch (error) {
        failWith(out, error);
      }
    });
};
