import { z } from 'zod';

/**
 * Issued CSAF advisories (MFDS 2025 arts. 20–22): a security advisory for one vulnerability of a product, or a VEX
 * document for one release; drafted, then issued as revisions (interim or final), each revision's document stored
 * with its SHA-256. Also the review queue of low-confidence vendor-CSAF name matches.
 */
export const CSAF_PROFILES = ['security_advisory', 'vex'] as const;
export type CsafProfile = (typeof CSAF_PROFILES)[number];
export const CSAF_STATUSES = ['draft', 'interim', 'final'] as const;
export type CsafStatus = (typeof CSAF_STATUSES)[number];

export const CreateCsafAdvisorySchema = z.discriminatedUnion('profile', [
  z.strictObject({
    profile: z.literal('security_advisory'),
    productId: z.uuid(),
    vulnerabilityId: z.string().trim().min(3).max(100),
    trackingId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._-]{1,200}$/)
      .optional(),
  }),
  z.strictObject({
    profile: z.literal('vex'),
    releaseId: z.uuid(),
    trackingId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._-]{1,200}$/)
      .optional(),
  }),
]);
export type CreateCsafAdvisory = z.infer<typeof CreateCsafAdvisorySchema>;

export const IssueCsafAdvisorySchema = z.strictObject({
  status: z.enum(['interim', 'final']),
  /** What changed, for the revision history (defaults to "Initial version" / "Updated from findings"). */
  summary: z.string().trim().min(1).max(1000).optional(),
  /** The advisory's row version (If-Match semantics): refused when someone issued in between. */
  version: z.number().int().min(1).optional(),
});
export type IssueCsafAdvisory = z.infer<typeof IssueCsafAdvisorySchema>;

export const CsafRevisionSummarySchema = z.object({
  revision: z.number(),
  status: z.enum(['interim', 'final']),
  summary: z.string(),
  sha256: z.string(),
  issuedAt: z.string(),
  issuedBy: z.string(),
});
export type CsafRevisionSummary = z.infer<typeof CsafRevisionSummarySchema>;

export const CsafAdvisorySchema = z.object({
  id: z.uuid(),
  profile: z.enum(CSAF_PROFILES),
  trackingId: z.string(),
  title: z.string(),
  status: z.enum(CSAF_STATUSES),
  productId: z.uuid(),
  productName: z.string(),
  releaseId: z.uuid().nullable(),
  releaseVersion: z.string().nullable(),
  vulnerabilityId: z.string().nullable(),
  currentRevision: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type CsafAdvisory = z.infer<typeof CsafAdvisorySchema>;

export const CsafAdvisoryDetailSchema = CsafAdvisorySchema.extend({
  revisions: z.array(CsafRevisionSummarySchema),
  /** Whether the findings changed since the latest issued revision (a re-issue would add a revision). */
  changedSinceIssue: z.boolean(),
});
export type CsafAdvisoryDetail = z.infer<typeof CsafAdvisoryDetailSchema>;

export const CSAF_REVIEW_STATUSES = ['pending', 'confirmed', 'dismissed'] as const;
export type CsafReviewStatus = (typeof CSAF_REVIEW_STATUSES)[number];

export const CsafMatchSchema = z.object({
  id: z.uuid(),
  reviewStatus: z.enum(CSAF_REVIEW_STATUSES),
  reviewReason: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  vulnerabilityId: z.string(),
  advisoryId: z.string(),
  productId: z.uuid(),
  productName: z.string(),
  releaseId: z.uuid(),
  releaseVersion: z.string(),
  component: z.string(),
  componentVersion: z.string().nullable(),
  supplier: z.string().nullable(),
  confidence: z.number(),
  matchReason: z.record(z.string(), z.unknown()),
  firstSeenAt: z.string(),
});
export type CsafMatch = z.infer<typeof CsafMatchSchema>;

export const DismissCsafMatchSchema = z.strictObject({
  reason: z.string().trim().min(10).max(2000),
});
