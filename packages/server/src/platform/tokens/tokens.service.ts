import { type ApiToken, AppError, ErrorCode, type Role, uuidv7 } from '@medsec/core';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { randomToken, sha256 } from '../auth/tokens.ts';
import { findMembership, isMembershipUsable } from '../users/users.repository.ts';

/**
 * API tokens for the CLI and CI: scoped to one organization and one role, shown once, stored as SHA-256,
 * always expiring, revocable. A token stops working when its creator's account is disabled or expires.
 */
interface TokenRow {
  id: string;
  organization_id: string;
  created_by: string;
  name: string;
  role: Role;
  prefix: string;
  token_hash: string;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

export interface ResolvedToken {
  id: string;
  name: string;
  role: Role;
  organizationId: string;
  createdBy: string;
}

const TOKEN_PREFIX = 'msk_';

const toApi = (r: TokenRow): ApiToken => ({
  id: r.id,
  name: r.name,
  role: r.role,
  prefix: r.prefix,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

export const resolveApiToken = async (ctx: Ctx, token: string): Promise<ResolvedToken | undefined> => {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) {
    return undefined;
  }
  const [row] = await ctx.db.query<TokenRow>('SELECT * FROM api_tokens WHERE token_hash = $1', [
    sha256(token),
  ]);
  const now = ctx.clock.now();
  if (!row || row.revoked_at || row.expires_at.getTime() <= now.getTime()) {
    return undefined;
  }
  const creator = await findMembership(ctx.db, row.organization_id, row.created_by);
  if (!creator || !isMembershipUsable(creator, now)) {
    return undefined;
  }
  await ctx.db.query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [row.id, now]);
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    organizationId: row.organization_id,
    createdBy: row.created_by,
  };
};

/** Administrators see every token of the organization; others see their own. */
export const listApiTokens = async (ctx: Ctx, all: boolean): Promise<ApiToken[]> => {
  const rows = await ctx.db.query<TokenRow>(
    `SELECT * FROM api_tokens WHERE organization_id = $1 ${all ? '' : 'AND created_by = $2'} ORDER BY created_at DESC LIMIT 500`,
    all ? [orgOf(ctx)] : [orgOf(ctx), ctx.actor.userId],
  );
  return rows.map(toApi);
};

/**
 * @throws FORBIDDEN when a non-administrator asks for a role other than their own.
 */
export const createApiToken = async (
  ctx: Ctx,
  input: { name: string; role: Role; expiresInDays: number },
  isAdmin: boolean,
): Promise<ApiToken & { token: string }> => {
  if (!isAdmin && input.role !== ctx.actor.role) {
    throw new AppError(ErrorCode.FORBIDDEN, {
      detail: 'A token can carry only your own role / 본인 역할의 토큰만 만들 수 있습니다',
    });
  }
  const now = ctx.clock.now();
  const secret = `${TOKEN_PREFIX}${randomToken(32)}`;
  const row: TokenRow = {
    id: uuidv7(now.getTime()),
    organization_id: orgOf(ctx),
    created_by: ctx.actor.userId!,
    name: input.name,
    role: input.role,
    prefix: secret.slice(0, 10),
    token_hash: sha256(secret),
    expires_at: new Date(now.getTime() + input.expiresInDays * 86_400_000),
    last_used_at: null,
    revoked_at: null,
    created_at: now,
  };
  await withTx(ctx, async (tx) => {
    await tx.query(
      `INSERT INTO api_tokens (id, organization_id, created_by, name, role, prefix, token_hash, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        row.id,
        row.organization_id,
        row.created_by,
        row.name,
        row.role,
        row.prefix,
        row.token_hash,
        row.expires_at,
        row.created_at,
      ],
    );
    await recordAudit(ctx, tx, {
      action: 'token.created',
      targetType: 'api_token',
      targetId: row.id,
      details: { name: row.name, role: row.role, expiresAt: row.expires_at.toISOString() },
    });
  });
  return { ...toApi(row), token: secret };
};

/** @throws NOT_FOUND for tokens of other organizations (or other users, for non-administrators). */
export const revokeApiToken = async (ctx: Ctx, id: string, isAdmin: boolean): Promise<void> =>
  withTx(ctx, async (tx) => {
    const rows = await tx.query<{ id: string }>(
      `UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND organization_id = $2 AND revoked_at IS NULL
       ${isAdmin ? '' : 'AND created_by = $4'} RETURNING id`,
      isAdmin ? [id, orgOf(ctx), ctx.clock.now()] : [id, orgOf(ctx), ctx.clock.now(), ctx.actor.userId],
    );
    if (rows.length === 0) {
      throw new AppError(ErrorCode.NOT_FOUND, { detail: 'Token not found / 토큰을 찾을 수 없습니다' });
    }
    await recordAudit(ctx, tx, { action: 'token.revoked', targetType: 'api_token', targetId: id });
  });
