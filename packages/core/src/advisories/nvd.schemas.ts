import { z } from 'zod';

/**
 * NVD CVE API 2.0 configurations (the `configurations` of a CVE item): OR/AND nodes of CPE match criteria with
 * optional version bounds. The legacy 1.1 feed shape is converted to this one by `nvdConfigurationsOf`.
 */
export const NvdCpeMatchSchema = z.object({
  vulnerable: z.boolean(),
  criteria: z.string(),
  matchCriteriaId: z.string().optional(),
  versionStartIncluding: z.string().optional(),
  versionStartExcluding: z.string().optional(),
  versionEndIncluding: z.string().optional(),
  versionEndExcluding: z.string().optional(),
});
export type NvdCpeMatch = z.infer<typeof NvdCpeMatchSchema>;

/** A node: CPE match criteria combined by `operator`, inverted by `negate`. */
export const NvdNodeSchema = z.object({
  operator: z.enum(['AND', 'OR']).default('OR'),
  negate: z.boolean().default(false),
  cpeMatch: z.array(NvdCpeMatchSchema),
});
export type NvdNode = z.infer<typeof NvdNodeSchema>;

/** A configuration: nodes combined by `operator` (AND for "running on/with" platforms). */
export const NvdConfigurationSchema = z.object({
  operator: z.enum(['AND', 'OR']).default('OR'),
  negate: z.boolean().default(false),
  nodes: z.array(NvdNodeSchema),
});
export type NvdConfiguration = z.infer<typeof NvdConfigurationSchema>;

/** A component to match by CPE: its CPE name, its version when the CPE leaves it open, and a caller reference. */
export const CpeComponentSchema = z.object({
  cpe: z.string(),
  version: z.string().optional(),
  ref: z.string().optional(),
});
export type CpeComponent = z.infer<typeof CpeComponentSchema>;

/** Why a component satisfied one CPE match criterion. */
export const CpeMatchDetailSchema = z.object({
  configurationIndex: z.number().int(),
  nodeIndex: z.number().int(),
  criteria: z.string(),
  matchCriteriaId: z.string().optional(),
  vulnerable: z.boolean(),
  componentCpe: z.string(),
  componentRef: z.string().optional(),
  version: z.string().optional(),
  versionRange: z.string().optional(),
  confidence: z.enum(['high', 'medium', 'low']),
  notes: z.array(z.string()),
});
export type CpeMatchDetail = z.infer<typeof CpeMatchDetailSchema>;

/**
 * The outcome of evaluating a CVE's configurations against components: `affected` when a configuration is
 * satisfied, `unknown` when one could be satisfied but depends on facts we lack (a component without version,
 * a required platform that is not in the inventory), `not_affected` otherwise.
 */
export const CpeEvaluationSchema = z.object({
  status: z.enum(['affected', 'not_affected', 'unknown']),
  /** The vulnerable criteria matched by components, in satisfied (or undecided) configurations. */
  matches: z.array(CpeMatchDetailSchema),
  /** Non-vulnerable platform criteria that no component matched (AND configurations). */
  missingPlatforms: z.array(z.string()),
  /** Components whose CPE could not be parsed (with the parser's message). */
  rejected: z.array(z.object({ cpe: z.string(), message: z.string() })),
});
export type CpeEvaluation = z.infer<typeof CpeEvaluationSchema>;
