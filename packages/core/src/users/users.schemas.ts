import { z } from 'zod';
import { EmailSchema, pageOf, pageQuery, text } from '../api/common.schemas.ts';
import { ROLES } from '../rbac/rbac.rules.ts';

export const MemberStatus = { active: 'active', disabled: 'disabled' } as const;
export type MemberStatus = (typeof MemberStatus)[keyof typeof MemberStatus];

export const MemberSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  status: z.enum(['active', 'disabled']),
  expired: z.boolean(),
  validUntil: z.iso.datetime().nullable(),
  mfaEnabled: z.boolean(),
  locked: z.boolean(),
  lastLoginAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type Member = z.infer<typeof MemberSchema>;

export const MEMBER_SORT_FIELDS = ['email', 'displayName', 'role', 'createdAt', 'lastLoginAt'] as const;

export const ListMembersQuerySchema = pageQuery(MEMBER_SORT_FIELDS).extend({
  role: z.enum(ROLES).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  q: text(200).optional(),
});
export type ListMembersQuery = z.infer<typeof ListMembersQuerySchema>;

export const MemberPageSchema = pageOf(MemberSchema);

export const UpdateMemberInputSchema = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    validUntil: z.iso.datetime().nullable().optional(),
    displayName: text(200).min(1).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'at least one field is required');
export type UpdateMemberInput = z.infer<typeof UpdateMemberInputSchema>;

export const CreateInvitationInputSchema = z.strictObject({
  email: EmailSchema,
  role: z.enum(ROLES),
  /** Account validity end (accounts past it cannot sign in). */
  validUntil: z.iso.datetime().nullable().optional(),
});
export type CreateInvitationInput = z.infer<typeof CreateInvitationInputSchema>;

export const InvitationSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: z.enum(ROLES),
  validUntil: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime(),
  acceptedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export const InvitationListSchema = z.object({ items: z.array(InvitationSchema) });

/** Returned once, when the invitation is made: the token is never shown again. */
export const CreatedInvitationSchema = InvitationSchema.extend({ token: z.string(), acceptPath: z.string() });

export const InvitationPreviewSchema = z.object({
  email: z.string(),
  organizationName: z.string(),
  role: z.enum(ROLES),
  existingAccount: z.boolean(),
});

export const AcceptInvitationInputSchema = z.strictObject({
  token: z.string().min(20).max(200),
  displayName: text(200).min(1),
  password: z.string().min(1).max(1024),
});
