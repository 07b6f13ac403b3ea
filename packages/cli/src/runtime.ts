import { userInfo } from 'node:os';
import { AppError, ErrorCode } from '@medsec/core';
import { type Config, type Ctx, loadConfig, openRuntime, type Runtime, systemActor } from '@medsec/server';

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

/** Configuration from the environment, with `--data-dir` overriding MEDSEC_DATA_DIR. */
export const configFrom = (opts: GlobalOptions, extra: Record<string, string | undefined> = {}): Config =>
  loadConfig(process.env, { MEDSEC_DATA_DIR: opts.dataDir, ...extra });

const cliActorLabel = (): string => {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
};

/** Runs `fn` on an opened runtime (embedded data directory or DATABASE_URL) and always closes it. */
export const withRuntime = async <T>(
  config: Config,
  fn: (ctx: Ctx, runtime: Runtime) => Promise<T>,
  migrateMode: 'auto' | 'always' | 'never' = 'auto',
): Promise<T> => {
  const runtime = await openRuntime(config, { migrate: migrateMode });
  try {
    const ctx: Ctx = { ...runtime.deps, actor: systemActor(cliActorLabel()), requestId: null, ip: null };
    return await fn(ctx, runtime);
  } finally {
    await runtime.close();
  }
};

/** Picks the organization: `--org` (id or exact name), or the only one. */
export const resolveOrg = async (ctx: Ctx, org: string | undefined): Promise<string> => {
  const orgs = await ctx.db.query<{ id: string; name: string }>(
    'SELECT id, name FROM organizations ORDER BY created_at',
  );
  const match = org ? orgs.filter((o) => o.id === org || o.name === org) : orgs;
  if (match.length === 1) {
    return match[0]!.id;
  }
  if (match.length === 0) {
    throw new AppError(ErrorCode.NOT_FOUND, {
      detail: org ? `Organization ${org} not found` : 'No organization yet: run `medsec admin create` first',
    });
  }
  throw new AppError(ErrorCode.VALIDATION_FAILED, {
    detail: `Several organizations: choose one with --org (${orgs.map((o) => o.name).join(', ')})`,
  });
};

/** `withRuntime` acting in one organization (`--org`, or the only one), as the CLI user. */
export const withOrgRuntime = <T>(
  config: Config,
  org: string | undefined,
  fn: (ctx: Ctx, runtime: Runtime) => Promise<T>,
): Promise<T> =>
  withRuntime(config, async (ctx, runtime) => {
    const organizationId = await resolveOrg(ctx, org);
    return fn({ ...ctx, actor: { ...ctx.actor, organizationId } }, runtime);
  });
