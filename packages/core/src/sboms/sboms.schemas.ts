import { z } from 'zod';

/**
 * The normalised SBOM: one shape for CycloneDX 1.2–1.7 (JSON, XML), SPDX 2.2/2.3 (JSON, YAML, tag-value) and
 * SPDX 3.0 JSON-LD. MFDS 2025 arts. 13, 16, 20–22: the manufacturer knows every software component of each release,
 * so parsers keep every component they can and list what they had to drop (`issues`).
 */
export const SbomFormat = { cyclonedx: 'cyclonedx', spdx: 'spdx' } as const;
export type SbomFormat = (typeof SbomFormat)[keyof typeof SbomFormat];
export const SBOM_FORMATS = Object.values(SbomFormat) as [SbomFormat, ...SbomFormat[]];

/** What `detectSbomFormat` finds from the content alone (never from a file name). */
export const DETECTED_FORMATS = [
  'cyclonedx-json',
  'cyclonedx-xml',
  'spdx-json',
  'spdx-yaml',
  'spdx-tag-value',
  'spdx-3-jsonld',
  /** Recognised so the error can say so; not imported. */
  'spdx-rdf-xml',
  /** The SPDX 2.3 "XML" draft serialisation; recognised, not imported. */
  'spdx-xml',
  'unknown',
] as const;
export type DetectedFormat = (typeof DETECTED_FORMATS)[number];

/** CycloneDX 1.6 component types, plus SPDX purposes that CycloneDX lacks (`source`, `archive`, `install`, `other`). */
export const COMPONENT_TYPES = [
  'application',
  'framework',
  'library',
  'container',
  'platform',
  'operating-system',
  'device',
  'device-driver',
  'firmware',
  'file',
  'machine-learning-model',
  'data',
  'cryptographic-asset',
  'source',
  'archive',
  'install',
  'other',
] as const;
export type ComponentType = (typeof COMPONENT_TYPES)[number];

export const COMPONENT_SCOPES = ['required', 'optional', 'excluded'] as const;
export type ComponentScope = (typeof COMPONENT_SCOPES)[number];

/** Hash algorithms, spelled as CycloneDX spells them; SPDX-only ones keep SPDX's name with a hyphen. */
export const HASH_ALGS = [
  'MD5',
  'SHA-1',
  'SHA-256',
  'SHA-384',
  'SHA-512',
  'SHA3-256',
  'SHA3-384',
  'SHA3-512',
  'BLAKE2b-256',
  'BLAKE2b-384',
  'BLAKE2b-512',
  'BLAKE3',
  'SHA-224',
  'MD2',
  'MD4',
  'MD6',
  'ADLER32',
] as const;
export type HashAlg = (typeof HASH_ALGS)[number];

export const HashSchema = z.object({ alg: z.enum(HASH_ALGS), value: z.string().regex(/^[0-9a-f]+$/) });
export type Hash = z.infer<typeof HashSchema>;

export const PropertySchema = z.object({ name: z.string().min(1), value: z.string() });
export type Property = z.infer<typeof PropertySchema>;

/** A person, organisation or unknown kind of party (SPDX `Person:` / `Organization:`, CycloneDX entities). */
export const PartySchema = z.object({
  name: z.string().min(1),
  email: z.string().optional(),
  kind: z.enum(['person', 'organization']).optional(),
});
export type Party = z.infer<typeof PartySchema>;

export const ToolSchema = z.object({
  name: z.string().min(1),
  version: z.string().optional(),
  vendor: z.string().optional(),
});
export type Tool = z.infer<typeof ToolSchema>;

export const ComponentSchema = z.object({
  /** CycloneDX `bom-ref`, SPDX 2 `SPDXID` or SPDX 3 `spdxId`; made up (`component-N`) when the source has none. */
  key: z.string().min(1),
  type: z.enum(COMPONENT_TYPES),
  name: z.string().min(1),
  version: z.string().optional(),
  /** CycloneDX `group` (Maven groupId, npm scope …). */
  group: z.string().optional(),
  /** Canonical package URL (as `packageurl-js` writes it). */
  purl: z.string().optional(),
  cpe: z.string().optional(),
  /** SWID `tagId`. */
  swid: z.string().optional(),
  supplier: PartySchema.optional(),
  /** CycloneDX `author(s)`, SPDX `originator`. */
  author: PartySchema.optional(),
  /** CycloneDX `publisher` (counts as the supplier when no supplier is given, see completeness). */
  publisher: z.string().optional(),
  hashes: z.array(HashSchema),
  /** SPDX licence expression, canonical form (operators upper case, parentheses only where needed). */
  licenses: z.string().optional(),
  /** Licence names that are no SPDX expression ("GPLv3/Commercial", "Qualcomm"). */
  licenseNames: z.array(z.string()),
  copyright: z.string().optional(),
  description: z.string().optional(),
  properties: z.array(PropertySchema),
  /** FDA premarket guidance: level of support (from a `Level of Support`-style property or an SPDX annotation). */
  supportLevel: z.string().optional(),
  /** FDA premarket guidance: end-of-support date or statement (property, or SPDX 2.3 `validUntilDate`). */
  endOfSupport: z.string().optional(),
  scope: z.enum(COMPONENT_SCOPES).optional(),
  /** The enclosing component, for CycloneDX nested components (assemblies). */
  parentKey: z.string().optional(),
});
export type Component = z.infer<typeof ComponentSchema>;

/** One node of the dependency graph: `from` depends on (or contains) every key in `to`. */
export const DependencySchema = z.object({ from: z.string().min(1), to: z.array(z.string().min(1)) });
export type Dependency = z.infer<typeof DependencySchema>;

/** Something the parser dropped or moved, and why; `pointer` is a JSON pointer (an element path for XML). */
export const SbomIssueSchema = z.object({
  /** `error`: the part was dropped (strict mode refuses the document); `warning`: kept in another form. */
  severity: z.enum(['error', 'warning']),
  /** What was dropped: a component, a field of one, a dependency edge, a part of the document. */
  dropped: z.enum(['document', 'component', 'field', 'dependency']),
  pointer: z.string().optional(),
  line: z.number().int().min(1).optional(),
  /** Korean / English, like every user-facing message. */
  message: z.string().min(1),
});
export type SbomIssue = z.infer<typeof SbomIssueSchema>;

export const SbomMetadataSchema = z.object({
  format: z.enum(SBOM_FORMATS),
  /** The serialisation the document came in. */
  sourceFormat: z.enum(DETECTED_FORMATS),
  /** `1.6`, `2.3`, `3.0.1` … */
  specVersion: z.string().min(1),
  /** CycloneDX `serialNumber` (urn:uuid), SPDX 2 `documentNamespace`, SPDX 3 document `spdxId`. */
  serialNumber: z.string().optional(),
  /** CycloneDX BOM version. */
  version: z.number().int().optional(),
  name: z.string().optional(),
  /** ISO 8601 creation time (CycloneDX `metadata.timestamp`, SPDX `created`). */
  created: z.string().optional(),
  tools: z.array(ToolSchema),
  /** Authors of the SBOM data (CycloneDX `metadata.authors`, SPDX `Person:`/`Organization:` creators). */
  authors: z.array(PartySchema),
  supplier: PartySchema.optional(),
  /** Licence of the SBOM document itself (SPDX `dataLicense`, CycloneDX `metadata.licenses`). */
  dataLicense: z.string().optional(),
  /** The CycloneDX `metadata.component` (the product the BOM describes); not part of `components`. */
  component: ComponentSchema.optional(),
  /** Keys of what the document describes (SPDX `DESCRIBES`, the CycloneDX metadata component). */
  describes: z.array(z.string()),
});
export type SbomMetadata = z.infer<typeof SbomMetadataSchema>;

export const SbomSchema = z.object({
  metadata: SbomMetadataSchema,
  components: z.array(ComponentSchema),
  dependencies: z.array(DependencySchema),
  issues: z.array(SbomIssueSchema),
});
export type Sbom = z.infer<typeof SbomSchema>;

export const ParseSbomOptionsSchema = z.object({
  /** Import what is sound and list the rest in `issues` instead of refusing the document. */
  lenient: z.boolean().default(false),
});
export type ParseSbomOptions = z.input<typeof ParseSbomOptionsSchema>;

/** One NTIA / FDA element over all components: how many have it, and which do not. */
export const ElementCoverageSchema = z.object({
  present: z.number().int().min(0),
  missing: z.array(z.object({ key: z.string(), name: z.string(), version: z.string().optional() })),
});
export type ElementCoverage = z.infer<typeof ElementCoverageSchema>;

export const COMPONENT_ELEMENTS = [
  'supplier',
  'name',
  'version',
  'uniqueIdentifier',
  'dependencyRelationship',
  'supportLevel',
  'endOfSupport',
] as const;
export type ComponentElement = (typeof COMPONENT_ELEMENTS)[number];

export const CompletenessReportSchema = z.object({
  componentCount: z.number().int().min(0),
  /** Per element: NTIA minimum elements (supplier … dependency relationship) and FDA extras (support, end of support). */
  elements: z.record(z.enum(COMPONENT_ELEMENTS), ElementCoverageSchema),
  /** NTIA document-level elements. */
  document: z.object({ author: z.boolean(), timestamp: z.boolean() }),
  /** Every NTIA minimum element present for every component and for the document. */
  ntiaComplete: z.boolean(),
  /** NTIA complete and every component has a support level and an end-of-support entry. */
  fdaComplete: z.boolean(),
});
export type CompletenessReport = z.infer<typeof CompletenessReportSchema>;

export const DIFF_FIELDS = ['version', 'hashes', 'licenses'] as const;
export const ComponentChangeSchema = z.object({
  identity: z.string(),
  before: ComponentSchema,
  after: ComponentSchema,
  changes: z.array(
    z.object({ field: z.enum(DIFF_FIELDS), before: z.string().optional(), after: z.string().optional() }),
  ),
});
export type ComponentChange = z.infer<typeof ComponentChangeSchema>;

export const SbomDiffSchema = z.object({
  added: z.array(ComponentSchema),
  removed: z.array(ComponentSchema),
  changed: z.array(ComponentChangeSchema),
  unchanged: z.number().int().min(0),
});
export type SbomDiff = z.infer<typeof SbomDiffSchema>;
