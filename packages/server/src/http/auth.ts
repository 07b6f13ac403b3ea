import type {} from '@fastify/cookie';
import {
  AppError,
  ErrorCode,
  ErrorReason,
  hasPermission,
  isPermission,
  type Permission,
  type RouteAccess,
  SessionState,
} from '@medsec/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { anonymousActor, type Ctx, type Deps } from '../context.ts';
import {
  isRecentlyReauthenticated,
  type ResolvedSession,
  resolveSession,
} from '../platform/auth/auth.service.ts';
import type { SessionRow } from '../platform/auth/sessions.repository.ts';
import { safeEqual } from '../platform/auth/tokens.ts';
import { type ResolvedToken, resolveApiToken } from '../platform/tokens/tokens.service.ts';
import type { MembershipRow, UserRow } from '../platform/users/users.repository.ts';
import type { RateLimiter } from './rate-limit.ts';

/** What each route declares (a route without `access` cannot be registered: see app.ts). */
export interface RouteSecurity {
  access: Permission | RouteAccess;
  /** Needs a re-authentication within MEDSEC_REAUTH_MINUTES (signing, role changes, key export). */
  reauth?: boolean;
  /** false for passive reads (session status) that must not extend the idle timeout. */
  touchSession?: boolean;
  /** Counted by the authentication rate limits (per address and, when known, per account). */
  authRateLimit?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    security?: RouteSecurity;
  }
  interface FastifyRequest {
    ctx: Ctx;
    principal: Principal;
  }
}

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'session'; session: SessionRow; user: UserRow; membership: MembershipRow }
  | { kind: 'token'; token: ResolvedToken };

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

export const sessionCookieName = (tls: boolean): string => (tls ? '__Host-medsec_session' : 'medsec_session');

export const setSessionCookie = (reply: FastifyReply, tls: boolean, token: string): void => {
  // The cookie holds only an opaque random id; nothing about the user (KISA: 쿠키에 중요 정보 저장 금지).
  void reply.setCookie(sessionCookieName(tls), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: tls,
  });
};

export const clearSessionCookie = (reply: FastifyReply, tls: boolean): void => {
  void reply.clearCookie(sessionCookieName(tls), {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: tls,
  });
};

const deny = (code: ErrorCode, detail: string, reason?: ErrorReason): AppError =>
  new AppError(code, { detail, ...(reason ? { reason } : {}) });

const stateReason = (state: SessionState): ErrorReason =>
  state === SessionState.mfaPending
    ? ErrorReason.MFA_REQUIRED
    : state === SessionState.mfaEnrollmentRequired
      ? ErrorReason.MFA_ENROLLMENT_REQUIRED
      : ErrorReason.PASSWORD_CHANGE_REQUIRED;

/** The session principal of a request, for handlers of session-only routes. */
export const requireSession = (request: FastifyRequest): Extract<Principal, { kind: 'session' }> => {
  if (request.principal.kind !== 'session') {
    throw deny(
      ErrorCode.FORBIDDEN,
      'This action needs a signed-in user, not an API token / 사용자 로그인이 필요합니다',
    );
  }
  return request.principal;
};

/**
 * Installs authentication, authorization, CSRF and rate limiting as one onRequest hook, before the body is
 * parsed: an unauthenticated or unauthorised request never reaches validation or a handler.
 */
export const installAuth = (app: FastifyInstance, deps: Deps, limiter: RateLimiter): void => {
  const tls = deps.config.tls !== undefined;
  app.decorateRequest('ctx', undefined as never);
  app.decorateRequest('principal', undefined as never);

  app.addHook('onRequest', async (request, reply) => {
    request.principal = { kind: 'anonymous' };
    request.ctx = { ...deps, actor: anonymousActor(), requestId: String(request.id), ip: request.ip };
    const now = deps.clock.now().getTime();
    const { rateLimit } = deps.config;
    const wait = limiter.hit(`ip:${request.ip}`, rateLimit.globalPerIp, rateLimit.windowMs, now);
    if (wait > 0) {
      void reply.header('retry-after', Math.ceil(wait / 1000));
      throw deny(ErrorCode.RATE_LIMITED, 'Too many requests / 요청이 너무 많습니다');
    }
    const security = request.routeOptions.config.security;
    if (!security) {
      return; // not found, or a non-API asset route registered by a plugin
    }
    if (security.authRateLimit) {
      const w = limiter.hit(`auth-ip:${request.ip}`, rateLimit.authPerIp, rateLimit.windowMs, now);
      if (w > 0) {
        void reply.header('retry-after', Math.ceil(w / 1000));
        throw deny(
          ErrorCode.RATE_LIMITED,
          'Too many sign-in attempts; try again later / 시도가 너무 많습니다. 잠시 후 다시 시도하세요',
        );
      }
    }

    const authorization = request.headers.authorization;
    const cookie = request.cookies[sessionCookieName(tls)];
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const resolved = match?.[1] ? await resolveApiToken(request.ctx, match[1]) : undefined;
      if (!resolved) {
        throw deny(
          ErrorCode.UNAUTHENTICATED,
          'The API token is invalid, expired or revoked / API 토큰이 유효하지 않습니다',
        );
      }
      request.principal = { kind: 'token', token: resolved };
      request.ctx.actor = {
        kind: 'token',
        userId: resolved.createdBy,
        organizationId: resolved.organizationId,
        role: resolved.role,
        label: `token:${resolved.name}`,
        tokenId: resolved.id,
      };
    } else if (cookie) {
      const resolved: ResolvedSession = await resolveSession(
        request.ctx,
        cookie,
        security.touchSession !== false,
      );
      if (resolved.ok) {
        request.principal = {
          kind: 'session',
          session: resolved.session,
          user: resolved.user,
          membership: resolved.membership,
        };
        request.ctx.actor = {
          kind: 'user',
          userId: resolved.user.id,
          organizationId: resolved.membership.organization_id,
          role: resolved.membership.role,
          label: resolved.user.email,
          sessionId: resolved.session.id,
        };
      } else {
        clearSessionCookie(reply, tls);
        if (security.access !== 'public') {
          throw deny(
            ErrorCode.UNAUTHENTICATED,
            'The session has ended; sign in again / 세션이 종료되었습니다. 다시 로그인하세요',
            ErrorReason.SESSION_EXPIRED,
          );
        }
      }
    }

    // CSRF: state-changing requests carry the session's token in a header. A cross-site form cannot set a
    // header, and a cross-site script cannot read the token; anonymous requests still need the header.
    if (!SAFE_METHODS.has(request.method) && request.principal.kind !== 'token') {
      const origin = request.headers.origin;
      const host = request.headers.host;
      const header = request.headers[CSRF_HEADER];
      const sent = typeof header === 'string' ? header : '';
      let originOk = true;
      if (origin && host) {
        try {
          originOk = new URL(origin).host === host;
        } catch {
          originOk = false;
        }
      }
      const tokenOk =
        request.principal.kind === 'session'
          ? sent.length > 0 && safeEqual(sent, request.principal.session.csrf_token)
          : sent.length > 0;
      if (!originOk || !tokenOk) {
        throw deny(
          ErrorCode.FORBIDDEN,
          'Missing or invalid CSRF token / CSRF 토큰이 없거나 올바르지 않습니다',
          ErrorReason.CSRF_FAILED,
        );
      }
    }

    const p = request.principal;
    if (security.access === 'public') {
      return;
    }
    if (p.kind === 'anonymous') {
      throw deny(ErrorCode.UNAUTHENTICATED, 'Sign in first / 로그인이 필요합니다');
    }
    if (security.access === 'partial') {
      if (p.kind !== 'session') {
        throw deny(ErrorCode.FORBIDDEN, 'This action needs a signed-in user / 사용자 로그인이 필요합니다');
      }
      return;
    }
    if (p.kind === 'session' && p.session.state !== SessionState.active) {
      throw deny(
        ErrorCode.FORBIDDEN,
        'Finish signing in first / 로그인 절차를 완료하세요',
        stateReason(p.session.state),
      );
    }
    const role = request.ctx.actor.role!;
    if (security.access !== 'authenticated') {
      if (!isPermission(security.access) || !hasPermission(role, security.access)) {
        throw deny(
          ErrorCode.FORBIDDEN,
          `Your role does not allow this (${security.access}) / 권한이 없습니다`,
        );
      }
    }
    if (security.reauth) {
      if (p.kind !== 'session' || !isRecentlyReauthenticated(request.ctx, p.session)) {
        throw deny(
          ErrorCode.FORBIDDEN,
          'Confirm your password first / 비밀번호를 다시 확인하세요',
          ErrorReason.REAUTH_REQUIRED,
        );
      }
    }
  });
};

/** Counts a sign-in attempt against the account key (after the body is parsed). */
export const hitAccountLimit = (deps: Deps, limiter: RateLimiter, account: string): void => {
  const { authPerAccount, windowMs } = deps.config.rateLimit;
  if (
    limiter.hit(
      `auth-account:${account.toLowerCase()}`,
      authPerAccount,
      windowMs,
      deps.clock.now().getTime(),
    ) > 0
  ) {
    throw deny(
      ErrorCode.RATE_LIMITED,
      'Too many sign-in attempts; try again later / 시도가 너무 많습니다. 잠시 후 다시 시도하세요',
    );
  }
};
