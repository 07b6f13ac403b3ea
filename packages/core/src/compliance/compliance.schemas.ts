import { z } from 'zod';
import { text } from '../api/common.schemas.ts';

/** Applicability decisions and assessments: API shapes. */
export const ITEM_STATUSES = [
  'not-started',
  'in-progress',
  'implemented',
  'verified',
  'not-applicable',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const METHODS = [
  'test',
  'inspection',
  'analysis',
  'document-review',
  'third-party-certificate',
] as const;
export type Method = (typeof METHODS)[number];

export const ApplicabilityChangeSchema = z.object({
  ref: z.string(),
  from: z.boolean().nullable(),
  to: z.boolean(),
  reasonEn: z.string(),
  reasonKo: z.string(),
});

export const ApplicabilityViewSchema = z.object({
  ref: z.string(),
  framework: z.string(),
  kind: z.string(),
  article: z.number().int().nullable(),
  group: z.string().nullable(),
  obligation: z.string(),
  titleKo: z.string().nullable(),
  titleEn: z.string().nullable(),
  textKo: z.string(),
  textEn: z.string().nullable(),
  applicable: z.boolean(),
  byRule: z.boolean(),
  ruleId: z.string(),
  basis: z.string(),
  reasonEn: z.string(),
  reasonKo: z.string(),
  override: z
    .object({
      applicable: z.boolean(),
      justification: z.string(),
      reference: z.string().nullable(),
      by: z.string().nullable(),
      at: z.string(),
    })
    .nullable(),
});

export const ApplicabilityQuerySchema = z.object({
  framework: text(64).optional(),
  applicable: z.enum(['true', 'false']).optional(),
  overridden: z.enum(['true', 'false']).optional(),
});

export const OverrideInputSchema = z.strictObject({
  applicable: z.boolean(),
  /** Why the rule's decision does not hold for this product (mandatory). */
  justification: text(4000).min(10, 'give a justification of at least 10 characters'),
  /** Where the reasoning is documented, e.g. the risk-management file number. */
  reference: text(200).nullable().default(null),
});

const isoDate = z.iso.date();

export const AssessmentItemSchema = z.object({
  id: z.uuid(),
  ref: z.string(),
  framework: z.string(),
  kind: z.string(),
  article: z.number().int().nullable(),
  group: z.string().nullable(),
  obligation: z.string(),
  titleKo: z.string().nullable(),
  titleEn: z.string().nullable(),
  textKo: z.string(),
  textEn: z.string().nullable(),
  applicable: z.boolean(),
  reasonEn: z.string().nullable(),
  reasonKo: z.string().nullable(),
  status: z.enum(ITEM_STATUSES),
  ownerId: z.uuid().nullable(),
  ownerName: z.string().nullable(),
  dueDate: z.string().nullable(),
  method: z.enum(METHODS).nullable(),
  notes: z.string(),
  inheritedFrom: z.uuid().nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type AssessmentItem = z.infer<typeof AssessmentItemSchema>;

export const AssessmentQuerySchema = z.object({
  status: z.enum(ITEM_STATUSES).optional(),
  framework: text(64).optional(),
  article: z.coerce.number().int().min(0).max(1000).optional(),
  group: text(100).optional(),
  obligation: z.enum(['mandatory', 'recommended', 'mixed', 'none']).optional(),
  ownerId: z.uuid().optional(),
  includeNotApplicable: z.enum(['true', 'false']).optional(),
});

export const ItemPatchSchema = z.strictObject({
  status: z.enum(ITEM_STATUSES).optional(),
  ownerId: z.uuid().nullable().optional(),
  dueDate: isoDate.nullable().optional(),
  method: z.enum(METHODS).nullable().optional(),
  notes: text(8000).optional(),
});
export const ItemUpdateSchema = ItemPatchSchema.extend({
  /** The version the editor saw; a stale one is refused with 409. */
  version: z.number().int().min(1).optional(),
});
export const BulkUpdateSchema = z.strictObject({
  itemIds: z.array(z.uuid()).min(1).max(2000),
  set: ItemPatchSchema.refine((p) => Object.keys(p).length > 0, 'set at least one field'),
});

const BucketSchema = z.object({
  key: z.string(),
  framework: z.string(),
  total: z.number().int(),
  byStatus: z.record(z.enum(ITEM_STATUSES), z.number().int()),
  verifiedPercent: z.number(),
});
export const ProgressSchema = z.object({
  byArticle: z.array(BucketSchema),
  byGroup: z.array(BucketSchema),
  overall: BucketSchema,
  mandatory: BucketSchema,
});

export const MissingItemSchema = AssessmentItemSchema.extend({ missing: z.array(z.string()) });

export const ReleaseDiffSchema = z.object({
  basedOn: z.uuid().nullable(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  changed: z.array(
    z.object({
      ref: z.string(),
      fields: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })),
    }),
  ),
});

export const ItemHistorySchema = z.object({
  items: z.array(z.object({ at: z.string(), by: z.string().nullable(), changes: z.unknown() })),
});
