import type { Clock, Role } from '@medsec/core';
import type { Config } from './config.ts';
import type { Db, Queryable } from './db/client.ts';
import { translateDbError } from './db/errors.ts';
import type { Keyring } from './platform/keys/keyring.ts';

/** Who is acting. Every service call carries one; audit events record it. */
export interface Actor {
  kind: 'user' | 'token' | 'system' | 'anonymous';
  userId: string | null;
  organizationId: string | null;
  role: Role | null;
  /** E-mail, token name or `system`: what an auditor reads. */
  label: string;
  sessionId?: string;
  tokenId?: string;
}

/** Long-lived dependencies of the application. */
export interface Deps {
  db: Db;
  clock: Clock;
  config: Config;
  keyring: Keyring;
}

/** One request's (or one CLI command's, or one job's) context. */
export interface Ctx extends Deps {
  actor: Actor;
  requestId: string | null;
  ip: string | null;
}

export const systemActor = (label = 'system'): Actor => ({
  kind: 'system',
  userId: null,
  organizationId: null,
  role: null,
  label,
});

export const anonymousActor = (): Actor => ({
  kind: 'anonymous',
  userId: null,
  organizationId: null,
  role: null,
  label: 'anonymous',
});

/** Only services open transactions. Inside, use `tx` only; database errors become AppErrors. */
export const withTx = async <T>(ctx: Deps, fn: (tx: Queryable) => Promise<T>): Promise<T> => {
  try {
    return await ctx.db.transaction(fn);
  } catch (error) {
    throw translateDbError(error);
  }
};

/** The organization the actor works in; services scope every tenant query by it. */
export const orgOf = (ctx: Ctx): string => {
  if (!ctx.actor.organizationId) {
    throw new Error('actor has no organization');
  }
  return ctx.actor.organizationId;
};
