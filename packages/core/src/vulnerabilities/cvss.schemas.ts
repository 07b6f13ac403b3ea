import { z } from 'zod';
import { CVSS_VERSIONS } from './cvss-metrics.ts';

export { CVSS_VERSIONS, type CvssVersion } from './cvss-metrics.ts';

/** Qualitative severity (CVSS v3.1/v4.0 §5 rating scale; v2 uses NVD's Low/Medium/High bands). */
export const CVSS_SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type CvssSeverity = (typeof CVSS_SEVERITIES)[number];

/** CVSS v4.0 nomenclature: which metric groups the score reflects. */
export const CVSS4_NOMENCLATURES = ['CVSS-B', 'CVSS-BT', 'CVSS-BE', 'CVSS-BTE'] as const;

/**
 * A scored CVSS vector. `temporalScore` is the v2/v3 temporal score or the v4 threat score (CVSS-BT);
 * `environmentalScore` the v2/v3 environmental score or the v4 score with environmental metrics (CVSS-BE or
 * CVSS-BTE). Both are `null` when the vector sets none of those metrics (unless scored with `fillNotDefined`).
 * `score` is the most specific of them and `severity` its rating.
 */
export const CvssScoreSchema = z.object({
  version: z.enum(CVSS_VERSIONS),
  vector: z.string(),
  metrics: z.record(z.string(), z.string()),
  baseScore: z.number().min(0).max(10),
  temporalScore: z.number().min(0).max(10).nullable(),
  environmentalScore: z.number().min(0).max(10).nullable(),
  score: z.number().min(0).max(10),
  severity: z.enum(CVSS_SEVERITIES),
  baseSeverity: z.enum(CVSS_SEVERITIES),
  nomenclature: z.enum(CVSS4_NOMENCLATURES).optional(),
  /** CVSS v4.0 supplemental metrics (Safety, Automatable, Recovery, Value Density, Response Effort, Urgency), kept as given; they never change the score. */
  supplemental: z.record(z.string(), z.string()),
});
export type CvssScore = z.infer<typeof CvssScoreSchema>;

/** Input of a scoring request (CLI `medsec cvss score`, API). */
export const CvssScoreInputSchema = z.object({ vector: z.string().min(1).max(500) });
export type CvssScoreInput = z.infer<typeof CvssScoreInputSchema>;
