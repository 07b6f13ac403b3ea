import {
  AppError,
  ErrorCode,
  ErrorReason,
  type MembershipSummarySchema,
  type MfaPolicy,
  ROLE_PERMISSIONS,
  type Role,
  type SessionInfo,
  SessionState,
  type SetupInput,
  uuidv7,
} from '@medsec/core';
import type { z } from 'zod';
import { type Ctx, withTx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { recordAudit, recordAuditAlone } from '../audit/audit.service.ts';
import { openField, sealField } from '../keys/keys.service.ts';
import {
  countUsers,
  findMembership,
  findUserByEmail,
  findUserById,
  insertMembership,
  insertUser,
  isMembershipUsable,
  listMembershipsOfUser,
  type MembershipRow,
  type UserRow,
} from '../users/users.repository.ts';
import { assertPasswordPolicy, burnPasswordCheck, hashPassword, verifyPassword } from './passwords.ts';
import {
  findSessionByTokenHash,
  insertSession,
  revokeOtherSessions,
  revokeSession,
  type SessionRow,
} from './sessions.repository.ts';
import { newRecoveryCode, normaliseRecoveryCode, randomToken, sha256 } from './tokens.ts';
import { checkTotp, newTotpSecret, totpQrSvg, totpUri } from './totp.ts';

/**
 * Sign-in, MFA, sessions and password changes.
 * The failure message never says which part was wrong (MFDS 2025 art. 6 ③ guidance; KISA web-service
 * requirement "인증 실패 시 실패 원인을 구체적으로 알리지 않음").
 */
export const LOGIN_FAILED_DETAIL =
  'Sign-in failed. Check your details or try again later. / 로그인에 실패했습니다. 입력 정보를 확인하거나 잠시 후 다시 시도하세요.';
const loginFailed = (): AppError => new AppError(ErrorCode.UNAUTHENTICATED, { detail: LOGIN_FAILED_DETAIL });

export interface SessionHandle {
  token: string;
  session: SessionRow;
}

// ---------------------------------------------------------------- first run

export const needsSetup = async (ctx: Pick<Ctx, 'db'>): Promise<boolean> => (await countUsers(ctx.db)) === 0;

/**
 * First-run setup: creates the first organization and its administrator with the password the person chooses.
 * No default account exists (MFDS 2025 art. 6 ①: no default or shared credentials; KISA: 초기 비밀번호 변경 강제).
 * @throws PRECONDITION_FAILED (SETUP_DONE) once any user exists; VALIDATION_FAILED for a weak password.
 */
export const completeSetup = async (
  ctx: Ctx,
  input: SetupInput,
): Promise<{ userId: string; organizationId: string }> => {
  assertPasswordPolicy(input.password, ctx.config.passwordPolicy, input.email);
  const passwordHash = await hashPassword(input.password);
  return withTx(ctx, async (tx) => {
    // Serialise concurrent setups: only the first may pass.
    await tx.query('SELECT pg_advisory_xact_lock(724202)');
    if ((await countUsers(tx)) > 0) {
      throw new AppError(ErrorCode.PRECONDITION_FAILED, {
        reason: ErrorReason.SETUP_DONE,
        detail: 'Setup is already complete / 초기 설정이 이미 완료되었습니다',
      });
    }
    const now = ctx.clock.now();
    const organizationId = uuidv7(now.getTime());
    const userId = uuidv7(now.getTime());
    await tx.query(
      'INSERT INTO organizations (id, name, mfa_policy, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)',
      [organizationId, input.organizationName, 'admins', now],
    );
    await insertUser(tx, {
      id: userId,
      email: input.email,
      displayName: input.displayName,
      passwordHash,
      now,
    });
    await insertMembership(tx, { organizationId, userId, role: 'admin', validUntil: null, now });
    const actorCtx: Ctx = { ...ctx, actor: { ...ctx.actor, label: input.email, userId, organizationId } };
    await recordAudit(actorCtx, tx, {
      action: 'setup.completed',
      targetType: 'organization',
      targetId: organizationId,
      details: { organizationName: input.organizationName },
    });
    await recordAudit(actorCtx, tx, {
      action: 'user.created',
      targetType: 'user',
      targetId: userId,
      details: { email: input.email, role: 'admin' },
    });
    return { userId, organizationId };
  });
};

// ---------------------------------------------------------------- helpers

const requiresMfa = (policy: MfaPolicy, role: Role): boolean =>
  policy === 'all' || (policy === 'admins' && role === 'admin');

const isPasswordExpired = (ctx: Ctx, user: UserRow): boolean => {
  const days = ctx.config.passwordPolicy.maxAgeDays;
  return days > 0 && ctx.clock.now().getTime() - user.password_changed_at.getTime() > days * 86_400_000;
};

/** The state a session reaches once the password (and MFA, when enabled) have been checked. */
const stateAfterPrimary = (ctx: Ctx, user: UserRow, membership: MembershipRow): SessionState => {
  if (user.mfa_enabled) {
    return SessionState.mfaPending;
  }
  return stateAfterMfa(ctx, user, membership);
};

const stateAfterMfa = (ctx: Ctx, user: UserRow, membership: MembershipRow): SessionState => {
  if (!user.mfa_enabled && requiresMfa(membership.mfa_policy, membership.role)) {
    return SessionState.mfaEnrollmentRequired;
  }
  if (isPasswordExpired(ctx, user)) {
    return SessionState.passwordChangeRequired;
  }
  return SessionState.active;
};

/** Failed attempts (password or second factor) count towards lockout: 5 in a row lock for 5 minutes by default. */
const registerFailure = async (
  ctx: Ctx,
  tx: Queryable,
  user: UserRow,
  what: string,
  organizationId: string | null,
): Promise<void> => {
  const now = ctx.clock.now();
  const attempts = user.failed_attempts + 1;
  // MFDS 2025 art. 6 ③ example: 5 consecutive failures → lock for 5 minutes (configurable).
  const lock = attempts >= ctx.config.lockout.threshold;
  await tx.query('UPDATE users SET failed_attempts = $2, locked_until = $3, updated_at = $4 WHERE id = $1', [
    user.id,
    lock ? 0 : attempts,
    lock ? new Date(now.getTime() + ctx.config.lockout.durationMs) : user.locked_until,
    now,
  ]);
  const actorCtx: Ctx = { ...ctx, actor: { ...ctx.actor, userId: user.id, label: user.email } };
  await recordAudit(actorCtx, tx, {
    action: what,
    outcome: 'failure',
    targetType: 'user',
    targetId: user.id,
    organizationId,
    details: { attempt: attempts },
  });
  if (lock) {
    await recordAudit(actorCtx, tx, {
      action: 'auth.account_locked',
      outcome: 'failure',
      targetType: 'user',
      targetId: user.id,
      organizationId,
      details: { minutes: ctx.config.lockout.durationMs / 60_000 },
    });
  }
};

const isLocked = (ctx: Ctx, user: UserRow): boolean =>
  user.locked_until !== null && user.locked_until.getTime() > ctx.clock.now().getTime();

const createSession = async (
  ctx: Ctx,
  tx: Queryable,
  userId: string,
  organizationId: string,
  state: SessionState,
  userAgent: string | null,
): Promise<SessionHandle> => {
  const now = ctx.clock.now();
  const token = randomToken();
  const session: SessionRow = {
    id: uuidv7(now.getTime()),
    token_hash: sha256(token),
    user_id: userId,
    organization_id: organizationId,
    state,
    csrf_token: randomToken(24),
    created_at: now,
    last_seen_at: now,
    absolute_expires_at: new Date(now.getTime() + ctx.config.session.absoluteMs),
    reauth_at: null,
    revoked_at: null,
    revoked_reason: null,
    ip: ctx.ip,
    user_agent: userAgent?.slice(0, 300) ?? null,
  };
  await insertSession(tx, session);
  return { token, session };
};

/**
 * When a session becomes fully active: an account holding the admin role anywhere keeps only this session
 * (a new login ends the old one) — MFDS 2025 art. 7 guidance on concurrent sessions of privileged accounts.
 */
const onActivated = async (ctx: Ctx, tx: Queryable, session: SessionRow, user: UserRow): Promise<void> => {
  const now = ctx.clock.now();
  await tx.query(
    'UPDATE users SET last_login_at = $2, failed_attempts = 0, locked_until = NULL WHERE id = $1',
    [user.id, now],
  );
  const memberships = await listMembershipsOfUser(tx, user.id);
  if (memberships.some((m) => m.role === 'admin' && isMembershipUsable(m, now))) {
    const ended = await revokeOtherSessions(tx, user.id, session.id, 'superseded_by_new_admin_login', now);
    if (ended > 0) {
      await recordAudit(ctx, tx, {
        action: 'auth.sessions_ended',
        targetType: 'user',
        targetId: user.id,
        organizationId: session.organization_id,
        details: { ended, reason: 'single_admin_session' },
      });
    }
  }
};

// ---------------------------------------------------------------- login

/** @throws UNAUTHENTICATED with one generic message for every kind of failure. */
export const login = async (
  ctx: Ctx,
  input: { email: string; password: string },
  userAgent: string | null,
): Promise<SessionHandle> => {
  const user = await findUserByEmail(ctx.db, input.email);
  if (!user) {
    await burnPasswordCheck(input.password);
    await recordAuditAlone(ctx, {
      action: 'auth.login',
      outcome: 'failure',
      organizationId: null,
      details: { email: input.email, reason: 'unknown_account' },
    });
    throw loginFailed();
  }
  const actor = { ...ctx.actor, userId: user.id, label: user.email };
  const actorCtx: Ctx = { ...ctx, actor };
  if (isLocked(ctx, user)) {
    await burnPasswordCheck(input.password);
    await recordAuditAlone(actorCtx, {
      action: 'auth.login',
      outcome: 'failure',
      organizationId: null,
      targetType: 'user',
      targetId: user.id,
      details: { reason: 'locked' },
    });
    throw loginFailed();
  }
  const passwordOk = await verifyPassword(user.password_hash, input.password);
  const now = ctx.clock.now();
  const memberships = (await listMembershipsOfUser(ctx.db, user.id)).filter((m) =>
    isMembershipUsable(m, now),
  );
  const membership = memberships[0];
  const failure = await withTx(ctx, async (tx) => {
    const fresh = await findUserById(tx, user.id, true);
    if (!fresh) {
      return true;
    }
    if (!passwordOk) {
      await registerFailure(actorCtx, tx, fresh, 'auth.login', membership?.organization_id ?? null);
      return true;
    }
    if (!membership) {
      await recordAudit(actorCtx, tx, {
        action: 'auth.login',
        outcome: 'failure',
        organizationId: null,
        targetType: 'user',
        targetId: user.id,
        details: { reason: 'no_active_account' },
      });
      return true;
    }
    return false;
  });
  if (failure || !membership) {
    throw loginFailed();
  }
  return withTx(ctx, async (tx) => {
    const fresh = (await findUserById(tx, user.id, true))!;
    const state = stateAfterPrimary(ctx, fresh, membership);
    await tx.query('UPDATE users SET failed_attempts = 0 WHERE id = $1', [user.id]);
    const handle = await createSession(ctx, tx, user.id, membership.organization_id, state, userAgent);
    const sessionCtx: Ctx = {
      ...ctx,
      actor: {
        ...actor,
        organizationId: membership.organization_id,
        role: membership.role,
        sessionId: handle.session.id,
      },
    };
    await recordAudit(sessionCtx, tx, {
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      details: { state },
    });
    if (state === SessionState.active) {
      await onActivated(sessionCtx, tx, handle.session, fresh);
    }
    return handle;
  });
};

// ---------------------------------------------------------------- session resolution

export type ResolvedSession =
  | { ok: true; session: SessionRow; user: UserRow; membership: MembershipRow }
  | { ok: false; reason: 'missing' | 'revoked' | 'idle_timeout' | 'absolute_timeout' | 'no_access' };

/**
 * Looks up a session cookie and applies the timeouts: idle 10 minutes and absolute 12 hours by default
 * (MFDS 2025 art. 7 ③ example: 10-minute session lock; KISA: 일정 시간 미사용 시 세션 종료).
 * `touch` extends the idle window (every request except passive status reads).
 */
export const resolveSession = async (ctx: Ctx, token: string, touch: boolean): Promise<ResolvedSession> => {
  const session = await findSessionByTokenHash(ctx.db, sha256(token));
  if (!session) {
    return { ok: false, reason: 'missing' };
  }
  if (session.revoked_at) {
    return { ok: false, reason: 'revoked' };
  }
  const now = ctx.clock.now();
  const expiry =
    now.getTime() >= session.absolute_expires_at.getTime()
      ? 'absolute_timeout'
      : now.getTime() - session.last_seen_at.getTime() >= ctx.config.session.idleMs
        ? 'idle_timeout'
        : null;
  const user = await findUserById(ctx.db, session.user_id);
  const membership = user ? await findMembership(ctx.db, session.organization_id, user.id) : undefined;
  const endWith = async (
    reason: 'idle_timeout' | 'absolute_timeout' | 'no_access',
  ): Promise<ResolvedSession> => {
    await withTx(ctx, async (tx) => {
      await revokeSession(tx, session.id, reason, now);
      const actorCtx: Ctx = {
        ...ctx,
        actor: {
          ...ctx.actor,
          userId: session.user_id,
          label: user?.email ?? 'unknown',
          organizationId: session.organization_id,
          sessionId: session.id,
        },
      };
      await recordAudit(actorCtx, tx, {
        action: 'auth.session_ended',
        targetType: 'session',
        targetId: session.id,
        details: { reason },
      });
    });
    return { ok: false, reason };
  };
  if (expiry) {
    return endWith(expiry);
  }
  if (!user || !membership || !isMembershipUsable(membership, now)) {
    return endWith('no_access');
  }
  if (touch) {
    await ctx.db.query('UPDATE sessions SET last_seen_at = $2 WHERE id = $1', [session.id, now]);
    session.last_seen_at = now;
  }
  return { ok: true, session, user, membership };
};

export const describeSession = async (
  ctx: Ctx,
  resolved: { session: SessionRow; user: UserRow; membership: MembershipRow },
): Promise<SessionInfo> => {
  const { session, user, membership } = resolved;
  const now = ctx.clock.now();
  const memberships = (await listMembershipsOfUser(ctx.db, user.id))
    .filter((m) => isMembershipUsable(m, now))
    .map(
      (m): z.infer<typeof MembershipSummarySchema> => ({
        organizationId: m.organization_id,
        organizationName: m.organization_name,
        role: m.role,
      }),
    );
  const reauthUntil = session.reauth_at
    ? new Date(session.reauth_at.getTime() + ctx.config.session.reauthMs)
    : null;
  return {
    state: session.state,
    user: {
      id: user.id,
      email: user.email,
      displayName: user.display_name,
      mfaEnabled: user.mfa_enabled,
      locale: user.locale,
    },
    organization: {
      id: membership.organization_id,
      name: membership.organization_name,
      mfaPolicy: membership.mfa_policy,
    },
    role: membership.role,
    permissions: session.state === SessionState.active ? [...ROLE_PERMISSIONS[membership.role]] : [],
    memberships,
    csrfToken: session.csrf_token,
    idleExpiresAt: new Date(session.last_seen_at.getTime() + ctx.config.session.idleMs).toISOString(),
    absoluteExpiresAt: session.absolute_expires_at.toISOString(),
    reauthenticatedUntil: reauthUntil && reauthUntil > now ? reauthUntil.toISOString() : null,
  };
};

/** Replaces the session token (after MFA: a privilege change must not keep a token seen before it). */
const rotateToken = async (tx: Queryable, session: SessionRow): Promise<string> => {
  const token = randomToken();
  session.token_hash = sha256(token);
  await tx.query('UPDATE sessions SET token_hash = $2, state = $3 WHERE id = $1', [
    session.id,
    session.token_hash,
    session.state,
  ]);
  return token;
};

// ---------------------------------------------------------------- second factor

const checkSecondFactor = async (
  ctx: Ctx,
  tx: Queryable,
  user: UserRow,
  code: string,
): Promise<'totp' | 'recovery' | null> => {
  if (!user.mfa_secret_enc) {
    return null;
  }
  const secret = await openField(ctx, tx, user.mfa_secret_enc);
  const step = await checkTotp(secret, code, ctx.clock.now(), user.mfa_last_time_step);
  if (step !== null) {
    await tx.query('UPDATE users SET mfa_last_time_step = $2 WHERE id = $1', [user.id, step]);
    return 'totp';
  }
  const normalised = normaliseRecoveryCode(code);
  if (normalised.length === 16) {
    const used = await tx.query<{ id: string }>(
      'UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING id',
      [user.id, sha256(normalised), ctx.clock.now()],
    );
    if (used.length > 0) {
      return 'recovery';
    }
  }
  return null;
};

/** Completes a sign-in that waits for its second factor. Failures count towards lockout. */
export const verifyMfaLogin = async (ctx: Ctx, session: SessionRow, code: string): Promise<string> => {
  if (session.state !== SessionState.mfaPending) {
    throw new AppError(ErrorCode.CONFLICT, { detail: 'No second factor is pending for this session' });
  }
  const result = await withTx(ctx, async (tx) => {
    const user = (await findUserById(tx, session.user_id, true))!;
    if (isLocked(ctx, user)) {
      return { ok: false as const };
    }
    const method = await checkSecondFactor(ctx, tx, user, code);
    if (!method) {
      await registerFailure(ctx, tx, user, 'auth.mfa_verify', session.organization_id);
      return { ok: false as const };
    }
    const membership = (await findMembership(tx, session.organization_id, user.id))!;
    session.state = stateAfterMfa(ctx, user, membership);
    const token = await rotateToken(tx, session);
    await recordAudit(ctx, tx, {
      action: 'auth.mfa_verify',
      targetType: 'user',
      targetId: user.id,
      details: { method },
    });
    if (session.state === SessionState.active) {
      await onActivated(ctx, tx, session, user);
    }
    return { ok: true as const, token };
  });
  if (!result.ok) {
    throw loginFailed();
  }
  return result.token;
};

export const startMfaEnrollment = async (
  ctx: Ctx,
  userId: string,
): Promise<{ secret: string; otpauthUri: string; qrSvg: string }> =>
  withTx(ctx, async (tx) => {
    const user = (await findUserById(tx, userId, true))!;
    if (user.mfa_enabled) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: 'MFA is already enabled / 이미 MFA가 설정되어 있습니다',
      });
    }
    const secret = newTotpSecret();
    await tx.query('UPDATE users SET mfa_pending_secret_enc = $2, updated_at = $3 WHERE id = $1', [
      user.id,
      await sealField(ctx, tx, secret),
      ctx.clock.now(),
    ]);
    await recordAudit(ctx, tx, { action: 'mfa.enrollment_started', targetType: 'user', targetId: user.id });
    const otpauthUri = totpUri(secret, user.email);
    return { secret, otpauthUri, qrSvg: await totpQrSvg(otpauthUri) };
  });

const issueRecoveryCodes = async (ctx: Ctx, tx: Queryable, userId: string): Promise<string[]> => {
  await tx.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
  const codes = Array.from({ length: 10 }, newRecoveryCode);
  for (const code of codes) {
    await tx.query(
      'INSERT INTO recovery_codes (id, user_id, code_hash, created_at) VALUES ($1, $2, $3, $4)',
      [uuidv7(), userId, sha256(normaliseRecoveryCode(code)), ctx.clock.now()],
    );
  }
  return codes;
};

/** Confirms enrolment with a first code; returns recovery codes (shown once). */
export const confirmMfaEnrollment = async (
  ctx: Ctx,
  session: SessionRow,
  code: string,
): Promise<{ recoveryCodes: string[]; token: string | null }> =>
  withTx(ctx, async (tx) => {
    const user = (await findUserById(tx, session.user_id, true))!;
    if (!user.mfa_pending_secret_enc) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: 'Start MFA enrolment first / MFA 등록을 먼저 시작하세요',
      });
    }
    const secret = await openField(ctx, tx, user.mfa_pending_secret_enc);
    const step = await checkTotp(secret, code, ctx.clock.now(), null);
    if (step === null) {
      await recordAudit(ctx, tx, {
        action: 'mfa.enabled',
        outcome: 'failure',
        targetType: 'user',
        targetId: user.id,
      });
      throw new AppError(ErrorCode.VALIDATION_FAILED, {
        detail: 'The code is not valid / 인증 코드가 올바르지 않습니다',
        errors: [{ path: 'code', message: 'invalid code' }],
      });
    }
    await tx.query(
      `UPDATE users SET mfa_enabled = true, mfa_secret_enc = mfa_pending_secret_enc, mfa_pending_secret_enc = NULL,
         mfa_last_time_step = $2, updated_at = $3 WHERE id = $1`,
      [user.id, step, ctx.clock.now()],
    );
    const recoveryCodes = await issueRecoveryCodes(ctx, tx, user.id);
    await recordAudit(ctx, tx, { action: 'mfa.enabled', targetType: 'user', targetId: user.id });
    let token: string | null = null;
    if (session.state === SessionState.mfaEnrollmentRequired) {
      const fresh = (await findUserById(tx, user.id))!;
      const membership = (await findMembership(tx, session.organization_id, user.id))!;
      session.state = stateAfterMfa(ctx, fresh, membership);
      token = await rotateToken(tx, session);
      if (session.state === SessionState.active) {
        await onActivated(ctx, tx, session, fresh);
      }
    }
    return { recoveryCodes, token };
  });

/** @throws CONFLICT when the organization's policy requires MFA for this user. */
export const disableMfa = async (ctx: Ctx, userId: string, membership: MembershipRow): Promise<void> => {
  if (requiresMfa(membership.mfa_policy, membership.role)) {
    throw new AppError(ErrorCode.CONFLICT, {
      detail: 'The organization requires MFA for your role / 조직 정책상 MFA가 필수입니다',
    });
  }
  await withTx(ctx, async (tx) => {
    await tx.query(
      `UPDATE users SET mfa_enabled = false, mfa_secret_enc = NULL, mfa_pending_secret_enc = NULL, mfa_last_time_step = NULL,
         updated_at = $2 WHERE id = $1`,
      [userId, ctx.clock.now()],
    );
    await tx.query('DELETE FROM recovery_codes WHERE user_id = $1', [userId]);
    await recordAudit(ctx, tx, { action: 'mfa.disabled', targetType: 'user', targetId: userId });
  });
};

export const regenerateRecoveryCodes = async (ctx: Ctx, userId: string): Promise<string[]> =>
  withTx(ctx, async (tx) => {
    const user = (await findUserById(tx, userId, true))!;
    if (!user.mfa_enabled) {
      throw new AppError(ErrorCode.CONFLICT, { detail: 'MFA is not enabled / MFA가 설정되어 있지 않습니다' });
    }
    const codes = await issueRecoveryCodes(ctx, tx, userId);
    await recordAudit(ctx, tx, {
      action: 'mfa.recovery_codes_regenerated',
      targetType: 'user',
      targetId: userId,
    });
    return codes;
  });

// ---------------------------------------------------------------- re-authentication, password, logout

/**
 * Re-authentication before sensitive actions (signing, role changes, key export): password, plus the second
 * factor when enabled. Valid for MEDSEC_REAUTH_MINUTES. Failures count towards lockout.
 */
export const reauthenticate = async (
  ctx: Ctx,
  session: SessionRow,
  input: { password: string; code?: string | undefined },
): Promise<void> => {
  const ok = await withTx(ctx, async (tx) => {
    const user = (await findUserById(tx, session.user_id, true))!;
    if (isLocked(ctx, user)) {
      return false;
    }
    const passwordOk = await verifyPassword(user.password_hash, input.password);
    const secondOk =
      !user.mfa_enabled ||
      (input.code !== undefined && (await checkSecondFactor(ctx, tx, user, input.code)) !== null);
    if (!passwordOk || !secondOk) {
      await registerFailure(ctx, tx, user, 'auth.reauth', session.organization_id);
      return false;
    }
    await tx.query('UPDATE sessions SET reauth_at = $2 WHERE id = $1', [session.id, ctx.clock.now()]);
    await tx.query('UPDATE users SET failed_attempts = 0 WHERE id = $1', [user.id]);
    await recordAudit(ctx, tx, { action: 'auth.reauth', targetType: 'user', targetId: user.id });
    return true;
  });
  if (!ok) {
    throw new AppError(ErrorCode.UNAUTHENTICATED, {
      detail: LOGIN_FAILED_DETAIL,
      reason: ErrorReason.REAUTH_REQUIRED,
    });
  }
};

export const isRecentlyReauthenticated = (ctx: Ctx, session: SessionRow): boolean =>
  session.reauth_at !== null &&
  ctx.clock.now().getTime() - session.reauth_at.getTime() < ctx.config.session.reauthMs;

/**
 * Changes the caller's password: policy, no reuse of the last N passwords, other sessions ended.
 * MFDS 2025 art. 6 (password management); KISA: 최근 사용한 비밀번호 재사용 제한.
 */
export const changePassword = async (
  ctx: Ctx,
  session: SessionRow,
  input: { currentPassword: string; newPassword: string },
): Promise<void> => {
  const user = (await findUserById(ctx.db, session.user_id))!;
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await withTx(ctx, async (tx) =>
      registerFailure(
        ctx,
        tx,
        (await findUserById(tx, user.id, true))!,
        'auth.password_change',
        session.organization_id,
      ),
    );
    throw new AppError(ErrorCode.UNAUTHENTICATED, { detail: LOGIN_FAILED_DETAIL });
  }
  assertPasswordPolicy(input.newPassword, ctx.config.passwordPolicy, user.email);
  const history = await ctx.db.query<{ password_hash: string }>(
    'SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2',
    [user.id, Math.max(1, ctx.config.passwordPolicy.historySize)],
  );
  for (const h of history) {
    if (await verifyPassword(h.password_hash, input.newPassword)) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, {
        detail: `The password was used recently; choose one not among your last ${ctx.config.passwordPolicy.historySize} / 최근 사용한 비밀번호는 사용할 수 없습니다`,
        errors: [{ path: 'newPassword', message: 'reused' }],
      });
    }
  }
  const passwordHash = await hashPassword(input.newPassword);
  await withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    await tx.query(
      'UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3 WHERE id = $1',
      [user.id, passwordHash, now],
    );
    await tx.query(
      'INSERT INTO password_history (id, user_id, password_hash, created_at) VALUES ($1, $2, $3, $4)',
      [uuidv7(), user.id, passwordHash, now],
    );
    const ended = await revokeOtherSessions(tx, user.id, session.id, 'password_changed', now);
    if (session.state === SessionState.passwordChangeRequired) {
      session.state = SessionState.active;
      await tx.query('UPDATE sessions SET state = $2 WHERE id = $1', [session.id, session.state]);
    }
    await recordAudit(ctx, tx, {
      action: 'auth.password_changed',
      targetType: 'user',
      targetId: user.id,
      details: { otherSessionsEnded: ended },
    });
  });
};

export const logout = async (ctx: Ctx, session: SessionRow): Promise<void> =>
  withTx(ctx, async (tx) => {
    await revokeSession(tx, session.id, 'logout', ctx.clock.now());
    await recordAudit(ctx, tx, { action: 'auth.logout', targetType: 'session', targetId: session.id });
  });

/** Moves the session to another organization the user belongs to (consultants managing several). */
export const switchOrganization = async (
  ctx: Ctx,
  session: SessionRow,
  organizationId: string,
): Promise<void> => {
  const user = (await findUserById(ctx.db, session.user_id))!;
  const membership = await findMembership(ctx.db, organizationId, user.id);
  if (!membership || !isMembershipUsable(membership, ctx.clock.now())) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: 'Organization not found / 조직을 찾을 수 없습니다' });
  }
  await withTx(ctx, async (tx) => {
    const state = stateAfterMfa(ctx, user, membership);
    await tx.query('UPDATE sessions SET organization_id = $2, state = $3, reauth_at = NULL WHERE id = $1', [
      session.id,
      organizationId,
      state,
    ]);
    await recordAudit(ctx, tx, {
      action: 'auth.organization_switched',
      targetType: 'organization',
      targetId: organizationId,
      organizationId,
      details: { from: session.organization_id },
    });
  });
};

export const setLocale = async (ctx: Ctx, userId: string, locale: 'ko' | 'en'): Promise<void> => {
  await withTx(ctx, async (tx) => {
    await tx.query('UPDATE users SET locale = $2, updated_at = $3 WHERE id = $1', [
      userId,
      locale,
      ctx.clock.now(),
    ]);
    await recordAudit(ctx, tx, {
      action: 'user.locale_changed',
      targetType: 'user',
      targetId: userId,
      details: { locale },
    });
  });
};

/** Describes a session by id, after a change made to it in this request. */
export const describeSessionById = async (ctx: Ctx, sessionId: string): Promise<SessionInfo> => {
  const [session] = await ctx.db.query<SessionRow>('SELECT * FROM sessions WHERE id = $1', [sessionId]);
  const user = session ? await findUserById(ctx.db, session.user_id) : undefined;
  const membership =
    session && user ? await findMembership(ctx.db, session.organization_id, user.id) : undefined;
  if (!session || !user || !membership) {
    throw new AppError(ErrorCode.UNAUTHENTICATED, { reason: ErrorReason.SESSION_EXPIRED });
  }
  return describeSession(ctx, { session, user, membership });
};

/** Routes a session may use before MFA are few; this guards the ones open to partial sessions. */
export const assertPastMfa = (session: SessionRow): void => {
  if (session.state === SessionState.mfaPending) {
    throw new AppError(ErrorCode.FORBIDDEN, {
      reason: ErrorReason.MFA_REQUIRED,
      detail: 'Finish signing in first / 로그인 절차를 완료하세요',
    });
  }
};
