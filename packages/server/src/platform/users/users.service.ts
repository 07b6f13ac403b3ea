import {
  AppError,
  type CreateInvitationInput,
  ErrorCode,
  type ListMembersQuery,
  type Member,
  type Page,
  parseSort,
  type Role,
  type UpdateMemberInput,
  uuidv7,
} from '@medsec/core';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { escapeLike } from '../../db/sql.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { assertPasswordPolicy, hashPassword, verifyPassword } from '../auth/passwords.ts';
import { revokeOtherSessions } from '../auth/sessions.repository.ts';
import { randomToken, sha256 } from '../auth/tokens.ts';
import {
  countActiveAdmins,
  findMembership,
  findUserByEmail,
  insertMembership,
  insertUser,
} from './users.repository.ts';

/**
 * Members of an organization and their lifecycle: invite, role change, validity date, disable, unlock.
 * Every change is audited in its own transaction (MFDS 2025 art. 7: account management and records).
 */
interface MemberRow {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  status: 'active' | 'disabled';
  valid_until: Date | null;
  mfa_enabled: boolean;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date;
}

const toMember = (r: MemberRow, now: Date): Member => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  status: r.status,
  expired: r.valid_until !== null && r.valid_until.getTime() <= now.getTime(),
  validUntil: r.valid_until?.toISOString() ?? null,
  mfaEnabled: r.mfa_enabled,
  locked: r.locked_until !== null && r.locked_until.getTime() > now.getTime(),
  lastLoginAt: r.last_login_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

const MEMBER_SELECT = `SELECT u.id, u.email, u.display_name, m.role, m.status, m.valid_until, u.mfa_enabled, u.locked_until,
  u.last_login_at, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id`;

const SORT: Record<string, string> = {
  email: 'u.email',
  displayName: 'u.display_name',
  role: 'm.role',
  createdAt: 'm.created_at',
  lastLoginAt: 'u.last_login_at',
};

export const listMembers = async (ctx: Ctx, q: ListMembersQuery): Promise<Page<Member>> => {
  const params: unknown[] = [orgOf(ctx)];
  const where = ['m.organization_id = $1'];
  if (q.role) {
    params.push(q.role);
    where.push(`m.role = $${params.length}`);
  }
  if (q.status) {
    params.push(q.status);
    where.push(`m.status = $${params.length}`);
  }
  if (q.q) {
    params.push(escapeLike(q.q));
    where.push(
      `(u.email ILIKE '%' || $${params.length} || '%' OR u.display_name ILIKE '%' || $${params.length} || '%')`,
    );
  }
  const sort = parseSort(q.sort, { field: 'email', desc: false });
  const [count] = await ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM memberships m JOIN users u ON u.id = m.user_id WHERE ${where.join(' AND ')}`,
    params,
  );
  const rows = await ctx.db.query<MemberRow>(
    `${MEMBER_SELECT} WHERE ${where.join(' AND ')} ORDER BY ${SORT[sort.field] ?? 'u.email'} ${sort.desc ? 'DESC' : 'ASC'} NULLS LAST, u.id
     LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, q.pageSize, (q.page - 1) * q.pageSize],
  );
  const now = ctx.clock.now();
  return {
    items: rows.map((r) => toMember(r, now)),
    page: q.page,
    pageSize: q.pageSize,
    total: count?.n ?? 0,
  };
};

const getMemberRow = async (q: Queryable, orgId: string, userId: string): Promise<MemberRow> => {
  const [row] = await q.query<MemberRow>(`${MEMBER_SELECT} WHERE m.organization_id = $1 AND m.user_id = $2`, [
    orgId,
    userId,
  ]);
  if (!row) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: 'User not found / 사용자를 찾을 수 없습니다' });
  }
  return row;
};

/** @throws NOT_FOUND when the user is not a member of the actor's organization. */
export const getMember = async (ctx: Ctx, userId: string): Promise<Member> =>
  toMember(await getMemberRow(ctx.db, orgOf(ctx), userId), ctx.clock.now());

/** Refuses a change that would leave the organization without an active administrator. */
const assertAdminRemains = async (tx: Queryable, orgId: string, before: MemberRow): Promise<void> => {
  if (before.role === 'admin' && before.status === 'active' && (await countActiveAdmins(tx, orgId)) <= 1) {
    throw new AppError(ErrorCode.CONFLICT, {
      detail: 'The organization must keep at least one active administrator / 최소 1명의 관리자가 필요합니다',
    });
  }
};

/** Role change (requires re-authentication at the route), validity date, display name. */
export const updateMember = async (ctx: Ctx, userId: string, input: UpdateMemberInput): Promise<Member> => {
  const orgId = orgOf(ctx);
  await withTx(ctx, async (tx) => {
    const before = await getMemberRow(tx, orgId, userId);
    const now = ctx.clock.now();
    if (input.role !== undefined && input.role !== before.role) {
      if (before.role === 'admin') {
        await assertAdminRemains(tx, orgId, before);
      }
      await tx.query(
        'UPDATE memberships SET role = $3, updated_at = $4 WHERE organization_id = $1 AND user_id = $2',
        [orgId, userId, input.role, now],
      );
      // A changed role takes effect on the next request; other sessions end so nothing runs on the old grant.
      await revokeOtherSessions(
        tx,
        userId,
        userId === ctx.actor.userId ? (ctx.actor.sessionId ?? null) : null,
        'role_changed',
        now,
      );
      await recordAudit(ctx, tx, {
        action: 'user.role_changed',
        targetType: 'user',
        targetId: userId,
        details: { from: before.role, to: input.role },
      });
    }
    if (input.validUntil !== undefined) {
      const validUntil = input.validUntil === null ? null : new Date(input.validUntil);
      if (validUntil && validUntil.getTime() <= now.getTime() && before.role === 'admin') {
        await assertAdminRemains(tx, orgId, before);
      }
      await tx.query(
        'UPDATE memberships SET valid_until = $3, updated_at = $4 WHERE organization_id = $1 AND user_id = $2',
        [orgId, userId, validUntil, now],
      );
      await recordAudit(ctx, tx, {
        action: 'user.validity_changed',
        targetType: 'user',
        targetId: userId,
        details: { from: before.valid_until?.toISOString() ?? null, to: validUntil?.toISOString() ?? null },
      });
    }
    if (input.displayName !== undefined && input.displayName !== before.display_name) {
      await tx.query('UPDATE users SET display_name = $2, updated_at = $3 WHERE id = $1', [
        userId,
        input.displayName,
        now,
      ]);
      await recordAudit(ctx, tx, {
        action: 'user.updated',
        targetType: 'user',
        targetId: userId,
        details: { displayName: input.displayName },
      });
    }
  });
  return getMember(ctx, userId);
};

/** Disabling ends the user's sessions at once. */
export const setMemberStatus = async (
  ctx: Ctx,
  userId: string,
  status: 'active' | 'disabled',
): Promise<Member> => {
  const orgId = orgOf(ctx);
  if (status === 'disabled' && userId === ctx.actor.userId) {
    throw new AppError(ErrorCode.CONFLICT, {
      detail: 'You cannot disable your own account / 본인 계정은 비활성화할 수 없습니다',
    });
  }
  await withTx(ctx, async (tx) => {
    const before = await getMemberRow(tx, orgId, userId);
    if (before.status === status) {
      return;
    }
    if (status === 'disabled') {
      await assertAdminRemains(tx, orgId, before);
    }
    const now = ctx.clock.now();
    await tx.query(
      'UPDATE memberships SET status = $3, updated_at = $4 WHERE organization_id = $1 AND user_id = $2',
      [orgId, userId, status, now],
    );
    if (status === 'disabled') {
      await tx.query(
        `UPDATE sessions SET revoked_at = $3, revoked_reason = 'account_disabled' WHERE user_id = $1 AND organization_id = $2 AND revoked_at IS NULL`,
        [userId, orgId, now],
      );
    }
    await recordAudit(ctx, tx, {
      action: status === 'disabled' ? 'user.disabled' : 'user.enabled',
      targetType: 'user',
      targetId: userId,
    });
  });
  return getMember(ctx, userId);
};

export const unlockMember = async (ctx: Ctx, userId: string): Promise<Member> => {
  await withTx(ctx, async (tx) => {
    await getMemberRow(tx, orgOf(ctx), userId);
    await tx.query('UPDATE users SET locked_until = NULL, failed_attempts = 0 WHERE id = $1', [userId]);
    await recordAudit(ctx, tx, { action: 'user.unlocked', targetType: 'user', targetId: userId });
  });
  return getMember(ctx, userId);
};

// ---------------------------------------------------------------- invitations

interface InvitationRow {
  id: string;
  organization_id: string;
  email: string;
  role: Role;
  valid_until: Date | null;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
}

const INVITATION_DAYS = 7;

const toInvitation = (r: InvitationRow) => ({
  id: r.id,
  email: r.email,
  role: r.role,
  validUntil: r.valid_until?.toISOString() ?? null,
  expiresAt: r.expires_at.toISOString(),
  acceptedAt: r.accepted_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

export const listInvitations = async (ctx: Ctx) => {
  const rows = await ctx.db.query<InvitationRow>(
    'SELECT * FROM invitations WHERE organization_id = $1 ORDER BY created_at DESC LIMIT 500',
    [orgOf(ctx)],
  );
  return rows.map(toInvitation);
};

/** Creates an invitation; the token is returned once and stored hashed. */
export const createInvitation = async (ctx: Ctx, input: CreateInvitationInput) => {
  const orgId = orgOf(ctx);
  const now = ctx.clock.now();
  const token = randomToken(32);
  const row: InvitationRow = {
    id: uuidv7(now.getTime()),
    organization_id: orgId,
    email: input.email,
    role: input.role,
    valid_until: input.validUntil ? new Date(input.validUntil) : null,
    expires_at: new Date(now.getTime() + INVITATION_DAYS * 86_400_000),
    accepted_at: null,
    revoked_at: null,
    created_at: now,
  };
  await withTx(ctx, async (tx) => {
    const existing = await findUserByEmail(tx, input.email);
    if (existing && (await findMembership(tx, orgId, existing.id))) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: 'This person is already a member / 이미 구성원입니다',
      });
    }
    await tx.query(
      `INSERT INTO invitations (id, organization_id, email, role, valid_until, token_hash, expires_at, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        row.id,
        orgId,
        row.email,
        row.role,
        row.valid_until,
        sha256(token),
        row.expires_at,
        ctx.actor.userId,
        now,
      ],
    );
    await recordAudit(ctx, tx, {
      action: 'user.invited',
      targetType: 'invitation',
      targetId: row.id,
      details: { email: row.email, role: row.role },
    });
  });
  return { ...toInvitation(row), token, acceptPath: `/invite/${token}` };
};

export const revokeInvitation = async (ctx: Ctx, id: string): Promise<void> =>
  withTx(ctx, async (tx) => {
    const rows = await tx.query(
      'UPDATE invitations SET revoked_at = $3 WHERE id = $1 AND organization_id = $2 AND accepted_at IS NULL AND revoked_at IS NULL RETURNING id',
      [id, orgOf(ctx), ctx.clock.now()],
    );
    if (rows.length === 0) {
      throw new AppError(ErrorCode.NOT_FOUND, { detail: 'Invitation not found / 초대를 찾을 수 없습니다' });
    }
    await recordAudit(ctx, tx, { action: 'invitation.revoked', targetType: 'invitation', targetId: id });
  });

const findOpenInvitation = async (q: Queryable, token: string, now: Date) => {
  const [row] = await q.query<InvitationRow & { organization_name: string }>(
    `SELECT i.*, o.name AS organization_name FROM invitations i JOIN organizations o ON o.id = i.organization_id
      WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $2`,
    [sha256(token), now],
  );
  if (!row) {
    throw new AppError(ErrorCode.NOT_FOUND, {
      detail: 'The invitation is invalid or has expired / 초대가 유효하지 않거나 만료되었습니다',
    });
  }
  return row;
};

export const previewInvitation = async (ctx: Ctx, token: string) => {
  const row = await findOpenInvitation(ctx.db, token, ctx.clock.now());
  return {
    email: row.email,
    organizationName: row.organization_name,
    role: row.role,
    existingAccount: (await findUserByEmail(ctx.db, row.email)) !== undefined,
  };
};

/**
 * Accepts an invitation: a new account chooses its password; an existing account proves it with its own.
 * @throws NOT_FOUND for an invalid token; VALIDATION_FAILED for a weak password.
 */
export const acceptInvitation = async (
  ctx: Ctx,
  input: { token: string; displayName: string; password: string },
): Promise<void> => {
  const now = ctx.clock.now();
  const invitation = await findOpenInvitation(ctx.db, input.token, now);
  const existing = await findUserByEmail(ctx.db, invitation.email);
  let passwordHash: string | null = null;
  if (existing) {
    if (!(await verifyPassword(existing.password_hash, input.password))) {
      throw new AppError(ErrorCode.UNAUTHENTICATED, { detail: 'Sign-in failed / 인증에 실패했습니다' });
    }
  } else {
    assertPasswordPolicy(input.password, ctx.config.passwordPolicy, invitation.email);
    passwordHash = await hashPassword(input.password);
  }
  await withTx(ctx, async (tx) => {
    const claimed = await tx.query(
      'UPDATE invitations SET accepted_at = $2 WHERE id = $1 AND accepted_at IS NULL RETURNING id',
      [invitation.id, now],
    );
    if (claimed.length === 0) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: 'The invitation was already used / 이미 사용된 초대입니다',
      });
    }
    const userId = existing?.id ?? uuidv7(now.getTime());
    if (!existing && passwordHash) {
      await insertUser(tx, {
        id: userId,
        email: invitation.email,
        displayName: input.displayName,
        passwordHash,
        now,
      });
    }
    await insertMembership(tx, {
      organizationId: invitation.organization_id,
      userId,
      role: invitation.role,
      validUntil: invitation.valid_until,
      now,
    });
    const actorCtx: Ctx = {
      ...ctx,
      actor: { ...ctx.actor, userId, label: invitation.email, organizationId: invitation.organization_id },
    };
    await recordAudit(actorCtx, tx, {
      action: 'invitation.accepted',
      targetType: 'invitation',
      targetId: invitation.id,
      details: { role: invitation.role, newAccount: !existing },
    });
    if (!existing) {
      await recordAudit(actorCtx, tx, {
        action: 'user.created',
        targetType: 'user',
        targetId: userId,
        details: { email: invitation.email, role: invitation.role },
      });
    }
  });
};
