import {
  ChangePasswordInputSchema,
  LocaleInputSchema,
  LoginInputSchema,
  LoginResultSchema,
  MfaCodeInputSchema,
  MfaEnrollmentSchema,
  OkSchema,
  ReauthInputSchema,
  RecoveryCodesSchema,
  SessionInfoSchema,
  SetupInputSchema,
  SetupStatusSchema,
  SwitchOrganizationInputSchema,
} from '@medsec/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clearSessionCookie, hitAccountLimit, requireSession, setSessionCookie } from '../../http/auth.ts';
import type { RegisterRoutes } from '../../http/types.ts';
import {
  assertPastMfa,
  changePassword,
  completeSetup,
  confirmMfaEnrollment,
  describeSession,
  describeSessionById,
  disableMfa,
  login,
  logout,
  needsSetup,
  reauthenticate,
  regenerateRecoveryCodes,
  resolveSession,
  setLocale,
  startMfaEnrollment,
  switchOrganization,
  verifyMfaLogin,
} from './auth.service.ts';

const tags = ['auth'];

export const registerAuthRoutes: RegisterRoutes = (app, deps) => {
  const tls = deps.config.tls !== undefined;

  /** Describes the session after a change (optionally under a new token, which replaces the cookie). */
  const currentSession = async (request: FastifyRequest, reply: FastifyReply, token?: string) => {
    if (token) {
      setSessionCookie(reply, tls, token);
    }
    return { session: await describeSessionById(request.ctx, requireSession(request).session.id) };
  };

  app.get('/api/v1/setup', {
    config: { security: { access: 'public' } },
    schema: {
      tags: ['setup'],
      summary: 'Whether first-run setup is still needed',
      response: { 200: SetupStatusSchema },
    },
    handler: async (request) => ({ needsSetup: await needsSetup(request.ctx) }),
  });

  app.post('/api/v1/setup', {
    config: { security: { access: 'public', authRateLimit: true } },
    schema: {
      tags: ['setup'],
      summary:
        'First-run setup: create the first organization and its administrator (only while no user exists)',
      body: SetupInputSchema,
      response: { 201: OkSchema },
    },
    handler: async (request, reply) => {
      await completeSetup(request.ctx, request.body);
      return reply.status(201).send({ ok: true as const });
    },
  });

  app.post('/api/v1/auth/login', {
    config: { security: { access: 'public', authRateLimit: true } },
    schema: {
      tags,
      summary:
        'Sign in with e-mail and password; the session may then need MFA, enrolment or a password change',
      body: LoginInputSchema,
      response: { 200: LoginResultSchema },
    },
    handler: async (request, reply) => {
      hitAccountLimit(deps, deps.limiter, request.body.email);
      const handle = await login(request.ctx, request.body, request.headers['user-agent'] ?? null);
      setSessionCookie(reply, tls, handle.token);
      const resolved = await resolveSession(request.ctx, handle.token, false);
      if (!resolved.ok) {
        throw new Error('new session did not resolve');
      }
      return { session: await describeSession(request.ctx, resolved) };
    },
  });

  app.post('/api/v1/auth/mfa/verify', {
    config: { security: { access: 'partial', authRateLimit: true } },
    schema: {
      tags,
      summary: 'Complete sign-in with a TOTP or recovery code',
      body: MfaCodeInputSchema,
      response: { 200: LoginResultSchema },
    },
    handler: async (request, reply) => {
      const p = requireSession(request);
      hitAccountLimit(deps, deps.limiter, p.user.email);
      const token = await verifyMfaLogin(request.ctx, p.session, request.body.code);
      return currentSession(request, reply, token);
    },
  });

  app.get('/api/v1/auth/session', {
    config: { security: { access: 'partial', touchSession: false } },
    schema: {
      tags,
      summary: 'The current session (does not extend the idle timeout)',
      response: { 200: LoginResultSchema },
    },
    handler: async (request, reply) => currentSession(request, reply),
  });

  app.post('/api/v1/auth/session/refresh', {
    config: { security: { access: 'partial' } },
    schema: {
      tags,
      summary: 'Extend the idle timeout ("stay signed in")',
      response: { 200: LoginResultSchema },
    },
    handler: async (request, reply) => currentSession(request, reply),
  });

  app.post('/api/v1/auth/logout', {
    config: { security: { access: 'partial' } },
    schema: {
      tags,
      summary: 'Sign out: the session is invalidated on the server',
      response: { 200: OkSchema },
    },
    handler: async (request, reply) => {
      await logout(request.ctx, requireSession(request).session);
      clearSessionCookie(reply, tls);
      return { ok: true as const };
    },
  });

  app.post('/api/v1/auth/reauth', {
    config: { security: { access: 'authenticated', authRateLimit: true } },
    schema: {
      tags,
      summary: 'Confirm the password (and code) before a sensitive action',
      body: ReauthInputSchema,
      response: { 200: LoginResultSchema },
    },
    handler: async (request, reply) => {
      await reauthenticate(request.ctx, requireSession(request).session, request.body);
      return currentSession(request, reply);
    },
  });

  app.post('/api/v1/auth/password', {
    config: { security: { access: 'partial', authRateLimit: true } },
    schema: {
      tags,
      summary: 'Change the password (policy and history apply; other sessions end)',
      body: ChangePasswordInputSchema,
      response: { 200: LoginResultSchema },
    },
    handler: async (request, reply) => {
      const p = requireSession(request);
      assertPastMfa(p.session);
      await changePassword(request.ctx, p.session, request.body);
      return currentSession(request, reply);
    },
  });

  app.post('/api/v1/auth/mfa/enroll', {
    config: { security: { access: 'partial' } },
    schema: {
      tags,
      summary: 'Start TOTP enrolment: a new secret and its QR code',
      response: { 200: MfaEnrollmentSchema },
    },
    handler: async (request) => {
      const p = requireSession(request);
      assertPastMfa(p.session);
      return startMfaEnrollment(request.ctx, p.user.id);
    },
  });

  app.post('/api/v1/auth/mfa/confirm', {
    config: { security: { access: 'partial', authRateLimit: true } },
    schema: {
      tags,
      summary: 'Confirm TOTP enrolment with a first code; returns recovery codes once',
      body: MfaCodeInputSchema,
      response: { 200: RecoveryCodesSchema.extend({ session: SessionInfoSchema }) },
    },
    handler: async (request, reply) => {
      const p = requireSession(request);
      assertPastMfa(p.session);
      const { recoveryCodes, token } = await confirmMfaEnrollment(request.ctx, p.session, request.body.code);
      const { session } = await currentSession(request, reply, token ?? undefined);
      return { recoveryCodes, session };
    },
  });

  app.post('/api/v1/auth/mfa/disable', {
    config: { security: { access: 'authenticated', reauth: true } },
    schema: {
      tags,
      summary: 'Turn MFA off (re-authentication required; refused where the organization requires MFA)',
      response: { 200: OkSchema },
    },
    handler: async (request) => {
      const p = requireSession(request);
      await disableMfa(request.ctx, p.user.id, p.membership);
      return { ok: true as const };
    },
  });

  app.post('/api/v1/auth/mfa/recovery-codes', {
    config: { security: { access: 'authenticated', reauth: true } },
    schema: {
      tags,
      summary: 'Replace the recovery codes (re-authentication required)',
      response: { 200: RecoveryCodesSchema },
    },
    handler: async (request) => ({
      recoveryCodes: await regenerateRecoveryCodes(request.ctx, requireSession(request).user.id),
    }),
  });

  app.post('/api/v1/auth/switch-organization', {
    config: { security: { access: 'authenticated' } },
    schema: {
      tags,
      summary: 'Work in another organization you belong to',
      body: SwitchOrganizationInputSchema,
      response: { 200: LoginResultSchema },
    },
    handler: async (request, reply) => {
      await switchOrganization(request.ctx, requireSession(request).session, request.body.organizationId);
      return currentSession(request, reply);
    },
  });

  app.put('/api/v1/auth/locale', {
    config: { security: { access: 'partial' } },
    schema: {
      tags,
      summary: 'Set the preferred language',
      body: LocaleInputSchema,
      response: { 200: OkSchema },
    },
    handler: async (request) => {
      await setLocale(request.ctx, requireSession(request).user.id, request.body.locale);
      return { ok: true as const };
    },
  });
};
