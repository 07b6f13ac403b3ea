import { z } from 'zod';
import { text } from '../api/common.schemas.ts';
import { MFA_POLICIES } from '../auth/auth.schemas.ts';

export const OrganizationSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  mfaPolicy: z.enum(MFA_POLICIES),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Organization = z.infer<typeof OrganizationSchema>;

export const UpdateOrganizationInputSchema = z
  .strictObject({ name: text(200).min(1).optional(), mfaPolicy: z.enum(MFA_POLICIES).optional() })
  .refine((v) => Object.keys(v).length > 0, 'at least one field is required');

export const CreateOrganizationInputSchema = z.strictObject({ name: text(200).min(1) });
