import { z } from 'zod';

/**
 * OSV records (OpenSSF OSV schema 1.x, https://ossf.github.io/osv-schema/): the input shape we accept and the
 * normalised advisory the rest of MedSec works with. The official JSON Schema is applied by the importer
 * (ajv, `schemas/osv`); these zod shapes give typed access and the checks `normalizeOsv` reports with paths.
 */

const text = z.string();
const opaque = z.record(z.string(), z.unknown());

/** One range event as written: exactly one of `introduced`, `fixed`, `last_affected`, `limit`. */
export const OsvEventInputSchema = z.record(z.string(), z.string());

export const OsvRangeInputSchema = z.object({
  type: z.string(),
  repo: z.string().optional(),
  events: z.array(OsvEventInputSchema),
  database_specific: opaque.optional(),
});

export const OsvSeverityInputSchema = z.object({ type: z.string(), score: z.string() });

export const OsvAffectedInputSchema = z.object({
  package: z
    .object({ ecosystem: z.string().optional(), name: z.string().optional(), purl: z.string().optional() })
    .optional(),
  severity: z.array(OsvSeverityInputSchema).nullish(),
  ranges: z.array(OsvRangeInputSchema).nullish(),
  versions: z.array(z.string()).nullish(),
  ecosystem_specific: opaque.nullish(),
  database_specific: opaque.nullish(),
});

/** An OSV record as found in a file (unknown fields are kept out; `credits` is ignored). */
export const OsvRecordInputSchema = z.object({
  schema_version: z.string().optional(),
  id: z.string().min(1),
  modified: z.string().min(1),
  published: z.string().nullish(),
  withdrawn: z.string().nullish(),
  aliases: z.array(z.string()).nullish(),
  related: z.array(z.string()).nullish(),
  upstream: z.array(z.string()).nullish(),
  summary: z.string().nullish(),
  details: z.string().nullish(),
  severity: z.array(OsvSeverityInputSchema).nullish(),
  affected: z.array(OsvAffectedInputSchema).nullish(),
  references: z.array(z.object({ type: z.string().optional(), url: z.string() })).nullish(),
  database_specific: opaque.nullish(),
});
export type OsvRecordInput = z.infer<typeof OsvRecordInputSchema>;

/** The OSV range event kinds (`limit` only bounds GIT ranges). */
export const OSV_EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
export type OsvEventKind = (typeof OSV_EVENT_KINDS)[number];

/** OSV range types: SemVer 2.0 versions, the ecosystem's own versions, or git commits. */
export const OSV_RANGE_TYPES = ['SEMVER', 'ECOSYSTEM', 'GIT'] as const;
export type OsvRangeType = (typeof OSV_RANGE_TYPES)[number];

export const OsvEventSchema = z.object({ kind: z.enum(OSV_EVENT_KINDS), version: text });
export type OsvEvent = z.infer<typeof OsvEventSchema>;

export const OsvRangeSchema = z.object({
  type: z.enum(OSV_RANGE_TYPES),
  repo: text.optional(),
  events: z.array(OsvEventSchema),
});
export type OsvRange = z.infer<typeof OsvRangeSchema>;

export const OsvSeveritySchema = z.object({ type: text, score: text });
export type OsvSeverity = z.infer<typeof OsvSeveritySchema>;

export const OsvPackageSchema = z.object({ ecosystem: text, name: text, purl: text.optional() });
export type OsvPackage = z.infer<typeof OsvPackageSchema>;

export const OsvAffectedSchema = z.object({
  package: OsvPackageSchema.optional(),
  ranges: z.array(OsvRangeSchema),
  versions: z.array(text),
  severity: z.array(OsvSeveritySchema),
  ecosystemSpecific: opaque.optional(),
  databaseSpecific: opaque.optional(),
});
export type OsvAffected = z.infer<typeof OsvAffectedSchema>;

/** A normalised OSV advisory. Timestamps are ISO 8601 strings as published; lists are never missing. */
export const OsvAdvisorySchema = z.object({
  id: text,
  schemaVersion: text.optional(),
  modified: text,
  published: text.optional(),
  withdrawn: text.optional(),
  aliases: z.array(text),
  related: z.array(text),
  upstream: z.array(text),
  summary: text.optional(),
  details: text.optional(),
  severity: z.array(OsvSeveritySchema),
  affected: z.array(OsvAffectedSchema),
  references: z.array(z.object({ type: text.optional(), url: text })),
  cwes: z.array(text),
  databaseSpecific: opaque.optional(),
});
export type OsvAdvisory = z.infer<typeof OsvAdvisorySchema>;

/** A problem found in an OSV record: `error` refuses the record, `warning` flags it. */
export const OsvIssueSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: text,
  path: text,
  message: text,
});
export type OsvIssue = z.infer<typeof OsvIssueSchema>;

/** A package version to check against advisories. `ecosystem` may carry a release (`Debian:12`). */
export const PackageQuerySchema = z.object({
  ecosystem: text,
  name: text,
  version: text,
  /** Debian/Ubuntu/RPM: whether `name` is a source package (default) or a binary package name. */
  nameKind: z.enum(['source', 'binary']).optional(),
});
export type PackageQuery = z.infer<typeof PackageQuerySchema>;

/** How sure a match is: `high` exact package and valid version; lower when release, name kind or version is uncertain. */
export const MATCH_CONFIDENCES = ['high', 'medium', 'low'] as const;
export type MatchConfidence = (typeof MATCH_CONFIDENCES)[number];

/** Why a package version is affected by one `affected[]` entry. */
export const OsvMatchSchema = z.object({
  affectedIndex: z.number().int(),
  ecosystem: text,
  packageName: text,
  reason: z.enum(['version-list', 'range']),
  rangeIndex: z.number().int().optional(),
  rangeType: z.enum(OSV_RANGE_TYPES).optional(),
  /** The events that bound the matching interval (`introduced` and the closing `fixed`/`last_affected`, if any). */
  introduced: text.optional(),
  fixed: text.optional(),
  lastAffected: text.optional(),
  confidence: z.enum(MATCH_CONFIDENCES),
  notes: z.array(text),
});
export type OsvMatch = z.infer<typeof OsvMatchSchema>;

/** Outcomes of `isAffected`. */
export const AFFECTED_STATUSES = ['affected', 'not_affected', 'unknown', 'withdrawn'] as const;
export type AffectedStatus = (typeof AFFECTED_STATUSES)[number];

/**
 * The result of evaluating an advisory for a package version. `withdrawn` means the advisory was withdrawn;
 * `matches` then still says what it would have matched, so findings can be retracted precisely.
 */
export const AffectedResultSchema = z.object({
  status: z.enum(AFFECTED_STATUSES),
  packageMatched: z.boolean(),
  matches: z.array(OsvMatchSchema),
  unknown: z.array(z.object({ affectedIndex: z.number().int(), reason: text })),
});
export type AffectedResult = z.infer<typeof AffectedResultSchema>;
