import { z } from 'zod';
import { text } from '../api/common.schemas.ts';
import { ROLES } from '../rbac/rbac.rules.ts';

export const ApiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(ROLES),
  prefix: z.string(),
  createdBy: z.uuid(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;
export const ApiTokenListSchema = z.object({ items: z.array(ApiTokenSchema) });

export const CreateApiTokenInputSchema = z.strictObject({
  name: text(100).min(1),
  role: z.enum(ROLES),
  /** Days until expiry; tokens always expire (max one year). */
  expiresInDays: z.number().int().min(1).max(365).default(90),
});

/** Shown once: the secret is stored only as a hash. */
export const CreatedApiTokenSchema = ApiTokenSchema.extend({ token: z.string() });
