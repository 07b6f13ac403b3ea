import { z } from 'zod';
import { EmailSchema, text } from '../api/common.schemas.ts';
import { ROLES } from '../rbac/rbac.rules.ts';

export const SessionState = {
  active: 'active',
  mfaPending: 'mfa_pending',
  mfaEnrollmentRequired: 'mfa_enrollment_required',
  passwordChangeRequired: 'password_change_required',
} as const;
export type SessionState = (typeof SessionState)[keyof typeof SessionState];
const SESSION_STATES = Object.values(SessionState) as [SessionState, ...SessionState[]];

export const MfaPolicy = { optional: 'optional', admins: 'admins', all: 'all' } as const;
export type MfaPolicy = (typeof MfaPolicy)[keyof typeof MfaPolicy];
export const MFA_POLICIES = Object.values(MfaPolicy) as [MfaPolicy, ...MfaPolicy[]];

export const SetupStatusSchema = z.object({ needsSetup: z.boolean() });

export const SetupInputSchema = z.strictObject({
  organizationName: text(200).min(1),
  email: EmailSchema,
  displayName: text(200).min(1),
  password: z.string().min(1).max(1024),
});
export type SetupInput = z.infer<typeof SetupInputSchema>;

export const LoginInputSchema = z.strictObject({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(1024),
});
export type LoginInput = z.infer<typeof LoginInputSchema>;

export const MfaCodeInputSchema = z.strictObject({
  code: z.string().trim().min(6).max(32),
});

export const ReauthInputSchema = z.strictObject({
  password: z.string().min(1).max(1024),
  code: z.string().trim().min(6).max(32).optional(),
});

export const ChangePasswordInputSchema = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
});

export const MembershipSummarySchema = z.object({
  organizationId: z.uuid(),
  organizationName: z.string(),
  role: z.enum(ROLES),
});

export const SessionInfoSchema = z.object({
  state: z.enum(SESSION_STATES),
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    displayName: z.string(),
    mfaEnabled: z.boolean(),
    locale: z.enum(['ko', 'en']),
  }),
  organization: z.object({ id: z.uuid(), name: z.string(), mfaPolicy: z.enum(MFA_POLICIES) }),
  role: z.enum(ROLES),
  permissions: z.array(z.string()),
  memberships: z.array(MembershipSummarySchema),
  csrfToken: z.string(),
  idleExpiresAt: z.iso.datetime(),
  absoluteExpiresAt: z.iso.datetime(),
  reauthenticatedUntil: z.iso.datetime().nullable(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const LoginResultSchema = z.object({ session: SessionInfoSchema });

export const MfaEnrollmentSchema = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrSvg: z.string(),
});

export const RecoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });

export const SwitchOrganizationInputSchema = z.strictObject({ organizationId: z.uuid() });

export const LocaleInputSchema = z.strictObject({ locale: z.enum(['ko', 'en']) });
