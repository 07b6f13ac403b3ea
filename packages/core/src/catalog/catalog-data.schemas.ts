import { z } from 'zod';
import { OBLIGATIONS, RefSchema, RequirementSchema } from './catalog.schemas.ts';

/**
 * Schemas of the catalog's structured data files beside the entry files: the practical guidance of each article
 * (guidance points, security-activity tables, examples that carry numbers), the IMDRF ↔ requirement ID ↔ article
 * mapping table, document templates (붙임1, 붙임2), the KISA service model and the KISA ↔ MFDS cross-references.
 * `catalog/schema/*.schema.json` are generated from these (npm run catalog:schema) for editors and reviewers.
 * Korean keys (…Ko) hold verbatim seed text; `reconstructed: true` marks text pieced together from a scrambled table.
 */
const source = z.strictObject({ file: z.string(), lines: z.tuple([z.number().int(), z.number().int()]) });
const ko = z.string().min(1).max(20_000);
const en = z.string().max(20_000);
const list = (s: z.ZodString) => z.array(s).max(500).default([]);
const key = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'kebab-case key');

export const GuidancePointSchema = z.strictObject({
  key: z.number().int().min(1),
  headingKo: ko.optional(),
  headingEn: en.optional(),
  textKo: ko,
  textEn: en,
  obligation: z.enum(OBLIGATIONS),
  clause: z.number().int().min(1).optional(),
  detailsKo: list(ko),
  detailsEn: list(en),
  reconstructed: z.boolean().optional(),
  source,
});
export type GuidancePoint = z.infer<typeof GuidancePointSchema>;

export const ACTIVITY_AREAS = ['manufacturer', 'provider-or-user', 'provider', 'user'] as const;
export const ACTIVITY_ARTEFACTS = [
  'policy-document',
  'organization',
  'record',
  'user-manual',
  'device',
  'checklist',
  'other',
] as const;

/** One row set of a 보안 활동 table: who does what, where, from which inputs, producing which outputs. */
export const SecurityActivitySchema = z.strictObject({
  nameKo: ko,
  nameEn: en,
  basisKo: ko.optional(),
  clauses: z.array(z.number().int().min(1)).default([]),
  areaKo: ko.optional(),
  areaEn: en.optional(),
  area: z.enum(ACTIVITY_AREAS).optional(),
  actorKo: ko.optional(),
  actorEn: en.optional(),
  direction: z.enum(['input', 'output']),
  artefact: z.enum(ACTIVITY_ARTEFACTS),
  artefactKo: ko.optional(),
  descriptionKo: ko.optional(),
  descriptionEn: en.optional(),
  examplesKo: list(ko),
  examplesEn: list(en),
  reconstructed: z.boolean().optional(),
  source,
});
export type SecurityActivity = z.infer<typeof SecurityActivitySchema>;

export const NUMERIC_UNITS = [
  'minutes',
  'hours',
  'days',
  'months',
  'years',
  'attempts',
  'bits',
  'characters',
  'count',
  'percent',
  'score',
] as const;

/** An example or rule of the guideline that carries a number (24-hour report, 5 failed logins, ≥112-bit …). */
export const NumericExampleSchema = z.strictObject({
  key,
  value: z.number(),
  unit: z.enum(NUMERIC_UNITS),
  clause: z.number().int().min(1).optional(),
  textKo: ko,
  textEn: en,
  reconstructed: z.boolean().optional(),
  source,
});
export type NumericExample = z.infer<typeof NumericExampleSchema>;

export const PracticeFileSchema = z.strictObject({
  framework: z.string(),
  articles: z
    .array(
      z.strictObject({
        article: z.number().int().min(1),
        guidance: z.array(GuidancePointSchema).default([]),
        activities: z.array(SecurityActivitySchema).default([]),
        numericExamples: z.array(NumericExampleSchema).default([]),
      }),
    )
    .max(1000),
});
export type PracticeFile = z.infer<typeof PracticeFileSchema>;

const APPROVAL_ID = /^[A-Z]{2,4}-\d{2}$/;
export const MAPPING_CELLS = ['imdrf', 'approvalId', 'article'] as const;

/** The Ch. II table: IMDRF N60 principle ↔ approval-review requirement ID ↔ article. */
export const ImdrfMappingFileSchema = z.strictObject({
  principles: z
    .array(z.strictObject({ key, titleKo: ko, titleEn: en, reconstructed: z.boolean().optional() }))
    .min(1),
  imdrf: z
    .array(
      z.strictObject({
        key,
        principle: key,
        textEn: en,
        textKo: ko.optional(),
        noteKo: ko.optional(),
        reconstructed: z.boolean().optional(),
        source,
      }),
    )
    .min(1),
  mappings: z
    .array(
      z.strictObject({
        row: z.number().int().min(1),
        imdrf: key,
        approvalId: z.string().regex(APPROVAL_ID).nullable(),
        approvalTitleKo: ko.optional(),
        /** The article item's wording printed in the article column. */
        articleTextKo: ko.optional(),
        article: z.number().int().min(1).nullable(),
        articleTitleKo: ko.optional(),
        inferred: z.array(z.enum(MAPPING_CELLS)).default([]),
        reconstructed: z.boolean().optional(),
        note: en.optional(),
        source,
      }),
    )
    .min(1),
});
export type ImdrfMappingFile = z.infer<typeof ImdrfMappingFileSchema>;

export const DOCUMENT_TYPES = [
  'procedure',
  'guideline',
  'standard',
  'plan',
  'report',
  'record-template',
  'record',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

interface TemplateSection {
  no: string;
  titleKo?: string | undefined;
  titleEn?: string | undefined;
  textKo?: string | undefined;
  textEn?: string | undefined;
  reconstructed?: boolean | undefined;
  sections: TemplateSection[];
}
const TemplateSectionSchema: z.ZodType<TemplateSection> = z.lazy(() =>
  z.strictObject({
    no: z.string().max(20),
    titleKo: ko.optional(),
    titleEn: en.optional(),
    textKo: ko.optional(),
    textEn: en.optional(),
    reconstructed: z.boolean().optional(),
    sections: z.array(TemplateSectionSchema).default([]),
  }),
);

export const TemplateDocumentSchema = z.strictObject({
  number: z.string().regex(/^[A-Z][A-Z0-9-]{1,30}$/),
  titleKo: ko,
  titleEn: en,
  type: z.enum(DOCUMENT_TYPES),
  retentionKo: ko.optional(),
  retentionYears: z.number().int().min(0).max(100).optional(),
  retentionBasis: z.enum(['from-manufacture', 'after-marketing', 'other']).optional(),
});
export type TemplateDocument = z.infer<typeof TemplateDocumentSchema>;

/** Document templates of the guideline (붙임1 procedure outline, 붙임2 submission forms) as data. */
export const TemplatesFileSchema = z.strictObject({
  framework: z.string(),
  templates: z
    .array(
      z.strictObject({
        key,
        titleKo: ko,
        titleEn: en,
        documentNo: z.string().max(40).optional(),
        source,
        sections: z.array(TemplateSectionSchema).default([]),
        roles: z
          .array(
            z.strictObject({
              key,
              titleKo: ko,
              titleEn: en,
              dutiesKo: list(ko),
              dutiesEn: list(en),
              reconstructed: z.boolean().optional(),
            }),
          )
          .default([]),
        documents: z.array(TemplateDocumentSchema).default([]),
        columns: z.array(z.strictObject({ key, titleKo: ko, titleEn: en })).default([]),
        rows: z
          .array(
            z.strictObject({
              cells: z.record(z.string(), z.string()),
              cellsEn: z.record(z.string(), z.string()).default({}),
              reconstructed: z.boolean().optional(),
            }),
          )
          .default([]),
        notesKo: list(ko),
        notesEn: list(en),
      }),
    )
    .min(1),
});
export type TemplatesFile = z.infer<typeof TemplatesFileSchema>;
export type CatalogTemplate = TemplatesFile['templates'][number];

export const INTERFACE_KINDS = [
  'bluetooth',
  'bluetooth-le',
  'wifi',
  'usb',
  'ethernet',
  'cellular',
  'nfc',
  'zigbee',
  'serial',
  'other',
] as const;

/** KISA service model: the four service domains, device role classes and device types. */
export const KisaModelFileSchema = z.strictObject({
  framework: z.string(),
  domains: z
    .array(
      z.strictObject({
        key,
        titleKo: ko,
        titleEn: en,
        descriptionKo: ko.optional(),
        descriptionEn: en.optional(),
        functionsKo: list(ko),
        functionsEn: list(en),
        rolesKo: list(ko),
        rolesEn: list(en),
        deviceExamplesKo: list(ko),
        deviceExamplesEn: list(en),
        reconstructed: z.boolean().optional(),
        source,
      }),
    )
    .min(1),
  deviceRoleClasses: z
    .array(
      z.strictObject({
        key,
        titleKo: ko,
        titleEn: en,
        descriptionKo: ko.optional(),
        descriptionEn: en.optional(),
        examplesKo: list(ko),
        examplesEn: list(en),
        reconstructed: z.boolean().optional(),
        source,
      }),
    )
    .default([]),
  deviceTypes: z
    .array(
      z.strictObject({
        key,
        domains: z.array(key).default([]),
        roleClass: key.optional(),
        titleKo: ko,
        titleEn: en,
        osKo: list(ko),
        interfacesKo: list(ko),
        interfaces: z.array(z.enum(INTERFACE_KINDS)).default([]),
        reconstructed: z.boolean().optional(),
        source,
      }),
    )
    .default([]),
});
export type KisaModelFile = z.infer<typeof KisaModelFileSchema>;

/** Cross-references between frameworks (KISA requirement ↔ MFDS article), each with its basis. */
export const LinksFileSchema = z.strictObject({
  links: z
    .array(
      z.strictObject({
        from: RefSchema,
        to: RefSchema,
        relation: z.enum(['supports', 'related']),
        basisEn: z.string().min(1).max(2000),
        statedInSeed: z.boolean().default(false),
      }),
    )
    .max(10_000),
  disagreements: z
    .array(
      z.strictObject({
        topic: z.string().max(200),
        kisaRef: RefSchema,
        mfdsRef: RefSchema,
        kisaSaysEn: z.string().max(2000),
        mfdsSaysEn: z.string().max(2000),
        lines: z.unknown().optional(),
      }),
    )
    .default([]),
});
export type LinksFile = z.infer<typeof LinksFileSchema>;

/** API shapes. */
export const CatalogLinkSchema = z.object({
  from: z.string(),
  to: z.string(),
  relation: z.enum(['supports', 'related']),
  basisEn: z.string(),
  statedInSeed: z.boolean(),
});
export type CatalogLink = z.infer<typeof CatalogLinkSchema>;

export const ImdrfMappingSchema = z.object({
  principles: z.array(z.object({ key: z.string(), titleKo: z.string(), titleEn: z.string() })),
  imdrf: z.array(
    z.object({
      key: z.string(),
      principle: z.string(),
      textEn: z.string(),
      textKo: z.string().nullable(),
      noteKo: z.string().nullable(),
    }),
  ),
  rows: z.array(
    z.object({
      row: z.number().int(),
      imdrf: z.string(),
      principle: z.string(),
      approvalId: z.string().nullable(),
      approvalTitleKo: z.string().nullable(),
      articleTextKo: z.string().nullable(),
      article: z.number().int().nullable(),
      articleTitleKo: z.string().nullable(),
      inferred: z.array(z.enum(MAPPING_CELLS)),
      note: z.string().nullable(),
    }),
  ),
});
export type ImdrfMapping = z.infer<typeof ImdrfMappingSchema>;
export type ImdrfMappingRow = ImdrfMapping['rows'][number];

/** A cross-reference seen from one entry: the other side, which way it points, and why. */
export const RequirementLinkSchema = CatalogLinkSchema.extend({
  direction: z.enum(['outgoing', 'incoming']),
  otherRef: z.string(),
  otherTitleKo: z.string().nullable(),
  otherTitleEn: z.string().nullable(),
});

export const CatalogDatasetSummarySchema = z.object({
  framework: z.string(),
  key: z.string(),
  titleKo: z.string(),
  titleEn: z.string(),
  revision: z.number().int(),
});

/**
 * One entry with everything around it: parent and children, approval-review IDs, the IMDRF mapping rows of its
 * article, cross-references both ways, and (for MFDS articles and their clauses) the security-activity tables and
 * numeric examples of the practical guide.
 */
export const RequirementDetailSchema = RequirementSchema.extend({
  parent: RequirementSchema.nullable(),
  children: z.array(RequirementSchema),
  approvalRequirements: z.array(
    z.object({ id: z.string(), titleKo: z.string(), titleEn: z.string().nullable() }),
  ),
  imdrf: z.array(ImdrfMappingSchema.shape.rows.element.extend({ imdrfTextEn: z.string() })),
  links: z.array(RequirementLinkSchema),
  activities: z.array(SecurityActivitySchema),
  numericExamples: z.array(NumericExampleSchema),
});
export type RequirementDetail = z.infer<typeof RequirementDetailSchema>;
