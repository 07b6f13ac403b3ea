import { z } from 'zod';
import { pageOf, pageQuery, text } from '../api/common.schemas.ts';

/**
 * The regulatory catalog. Entries are addressed by stable refs (`mfds-2025:art-18:cl-1`), never database ids.
 * Obligation follows the guideline's own rule (MFDS 2025 Ch. I.4): "~하여야 한다" mandatory, "~할 수 있다" recommended.
 */
export const Obligation = {
  mandatory: 'mandatory',
  recommended: 'recommended',
  mixed: 'mixed',
  none: 'none',
} as const;
export type Obligation = (typeof Obligation)[keyof typeof Obligation];
export const OBLIGATIONS = Object.values(Obligation) as [Obligation, ...Obligation[]];

export const REQUIREMENT_KINDS = [
  'article',
  'clause',
  'item',
  'requirement',
  'threat',
  'section',
  'definition',
  'check',
  'guidance',
  'reference',
] as const;
export type RequirementKind = (typeof REQUIREMENT_KINDS)[number];

export const ACTORS = ['manufacturer', 'healthcare-provider', 'user'] as const;

export const REF_PATTERN = /^[a-z0-9][a-z0-9.-]*(:[a-z0-9][a-z0-9.-]*)+$/;
export const RefSchema = z
  .string()
  .max(200)
  .regex(REF_PATTERN, 'a catalog reference such as mfds-2025:art-18:cl-1');

/** One entry of a framework file (catalog/<framework>/requirements.yaml), Korean verbatim. */
export const CatalogEntryFileSchema = z.strictObject({
  ref: RefSchema,
  kind: z.enum(REQUIREMENT_KINDS),
  article: z.number().int().min(0).optional(),
  clause: z.number().int().min(1).optional(),
  item: z.number().int().min(1).optional(),
  parentRef: RefSchema.optional(),
  group: z.string().max(100).optional(),
  titleKo: z.string().max(500).optional(),
  titleEn: z.string().max(500).optional(),
  textKo: z.string().min(1).max(20_000),
  textEn: z.string().max(20_000).optional(),
  obligation: z.enum(OBLIGATIONS),
  actors: z.array(z.enum(ACTORS)).default(['manufacturer']),
  approvalIds: z.array(z.string().regex(/^[A-Z]{2,4}-\d{2}$/)).default([]),
  keyChecks: z.array(z.string()).optional(),
  details: z.array(z.string()).optional(),
  evidenceExamples: z.array(z.string()).optional(),
  /** Reviewer notes in English, e.g. where the two seeds disagree. */
  notes: z.array(z.string()).optional(),
  /** The Korean text was pieced together from a scrambled extraction (each fragment occurs in the seed). */
  reconstructed: z.boolean().optional(),
  /** For threats: the related countermeasures, by security item name (Korean, as in the seed). */
  countermeasures: z.array(z.string()).optional(),
  source: z
    .strictObject({ file: z.string(), lines: z.tuple([z.number().int(), z.number().int()]) })
    .optional(),
});
export type CatalogEntryFile = z.infer<typeof CatalogEntryFileSchema>;

export const CatalogFileSchema = z.strictObject({
  framework: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,62}$/),
  /** For organization frameworks (built-in ones take these from their manifest). */
  version: z.string().max(50).optional(),
  nameKo: z.string().max(300).optional(),
  nameEn: z.string().max(300).optional(),
  entries: z.array(CatalogEntryFileSchema).min(1).max(20_000),
});

/** English written by us, beside the Korean: catalog/<framework>/en.yaml. */
export const CatalogTranslationSchema = z.record(
  RefSchema,
  z.object({
    titleEn: z.string().optional(),
    textEn: z.string(),
    keyChecksEn: z.array(z.string()).optional(),
    detailsEn: z.array(z.string()).optional(),
    evidenceExamplesEn: z.array(z.string()).optional(),
  }),
);

export const FrameworkSchema = z.object({
  id: z.string(),
  version: z.string(),
  nameKo: z.string(),
  nameEn: z.string(),
  source: z.string(),
  builtIn: z.boolean(),
  counts: z.record(z.string(), z.number().int()),
  importedAt: z.iso.datetime(),
});
export type Framework = z.infer<typeof FrameworkSchema>;

export const RequirementSchema = z.object({
  ref: z.string(),
  framework: z.string(),
  revision: z.number().int(),
  kind: z.enum(REQUIREMENT_KINDS),
  article: z.number().int().nullable(),
  clause: z.number().int().nullable(),
  item: z.number().int().nullable(),
  parentRef: z.string().nullable(),
  group: z.string().nullable(),
  titleKo: z.string().nullable(),
  titleEn: z.string().nullable(),
  textKo: z.string(),
  textEn: z.string().nullable(),
  obligation: z.enum(OBLIGATIONS),
  actors: z.array(z.string()),
  approvalIds: z.array(z.string()),
  keyChecks: z.array(z.object({ ko: z.string(), en: z.string().nullable() })),
  details: z.array(z.object({ ko: z.string(), en: z.string().nullable() })),
  evidenceExamples: z.array(z.object({ ko: z.string(), en: z.string().nullable() })),
  notes: z.array(z.string()),
  countermeasures: z.array(z.object({ nameKo: z.string(), refs: z.array(z.string()) })),
  source: z.object({ file: z.string(), lines: z.array(z.number().int()) }).nullable(),
  retired: z.boolean(),
});
export type Requirement = z.infer<typeof RequirementSchema>;

export const ListRequirementsQuerySchema = pageQuery(['ref', 'article'] as const).extend({
  framework: text(64).optional(),
  article: z.coerce.number().int().min(0).max(10_000).optional(),
  kind: z.enum(REQUIREMENT_KINDS).optional(),
  group: text(100).optional(),
  obligation: z.enum(OBLIGATIONS).optional(),
  actor: z.enum(ACTORS).optional(),
  approvalId: z
    .string()
    .regex(/^[A-Z]{2,4}-\d{2}$/)
    .optional(),
  q: text(200).optional(),
  includeRetired: z.enum(['true', 'false']).optional(),
});
export type ListRequirementsQuery = z.infer<typeof ListRequirementsQuerySchema>;
export const RequirementPageSchema = pageOf(RequirementSchema);

export const SearchQuerySchema = z.object({
  q: text(200).min(1),
  framework: text(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export const SearchResultSchema = z.object({
  items: z.array(RequirementSchema.extend({ score: z.number() })),
});

export const ExportQuerySchema = z.object({
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  framework: text(64).optional(),
});

export const ApprovalRequirementSchema = z.object({
  id: z.string(),
  titleKo: z.string(),
  titleEn: z.string().nullable(),
  inferred: z.boolean(),
  articles: z.array(z.number().int()),
});
export const ApprovalRequirementListSchema = z.object({ items: z.array(ApprovalRequirementSchema) });
