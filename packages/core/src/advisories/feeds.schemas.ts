import { z } from 'zod';

/** CVE id as CISA and FIRST write it (`CVE-YYYY-NNNN…`). */
export const CveIdSchema = z.string().regex(/^CVE-\d{4}-\d{4,19}$/, 'a CVE id such as CVE-2021-44228');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

/** One entry of the CISA Known Exploited Vulnerabilities catalog, normalised (JSON and CSV give the same). */
export const KevRecordSchema = z.object({
  cveId: CveIdSchema,
  vendorProject: z.string(),
  product: z.string(),
  vulnerabilityName: z.string(),
  dateAdded: isoDate,
  shortDescription: z.string(),
  requiredAction: z.string(),
  dueDate: isoDate,
  /** `known` when CISA knows of use in ransomware campaigns; `unknown` otherwise. */
  knownRansomwareCampaignUse: z.enum(['known', 'unknown']),
  notes: z.string(),
  cwes: z.array(z.string()),
});
export type KevRecord = z.infer<typeof KevRecordSchema>;

/** An EPSS score row (FIRST Exploit Prediction Scoring System daily CSV). */
export const EpssRecordSchema = z.object({
  cveId: CveIdSchema,
  /** Probability of exploitation activity in the next 30 days, 0–1. */
  epss: z.number().min(0).max(1),
  /** Percentile of this score among all scored CVEs, 0–1. */
  percentile: z.number().min(0).max(1),
});
export type EpssRecord = z.infer<typeof EpssRecordSchema>;

/** A row that could not be read, with its 1-based line (CSV) or index (JSON) and the reason. */
export const FeedIssueSchema = z.object({ row: z.number().int(), message: z.string() });
export type FeedIssue = z.infer<typeof FeedIssueSchema>;
