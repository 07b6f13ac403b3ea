import { z } from 'zod';
import { text } from '../api/common.schemas.ts';

/**
 * A finding's state history (`finding_state_changes`, ADR 0016): each triage decision that changes its VEX state,
 * justification or remediation, and each retraction or confirmation made by a person or by an SBOM upload, with who
 * and when (MFDS 2025 art. 20: vulnerability handling is recorded and can be shown).
 */
export const FINDING_CHANGE_KINDS = [
  /** A person's decision: one finding, or one decision applied across releases and products. */
  'triage',
  /** The release got a new SBOM: the finding of the old one is retracted (its triage carries over). */
  'sbom_superseded',
  /** A person confirmed a vendor-CSAF name match: a finding from then on. */
  'csaf_confirmed',
  /** A person dismissed a vendor-CSAF name match: retracted. */
  'csaf_dismissed',
  /** Written by migration 0012 from the state findings had then: the earlier state is not known. */
  'reconstructed',
] as const;
export type FindingChangeKind = (typeof FINDING_CHANGE_KINDS)[number];

const STATES = ['under_investigation', 'affected', 'not_affected', 'fixed'] as const;

export const FindingStateChangeSchema = z.object({
  id: z.uuid(),
  kind: z.enum(FINDING_CHANGE_KINDS),
  /** Null only on a reconstructed row. */
  fromState: z.enum(STATES).nullable(),
  toState: z.enum(STATES),
  /** The VEX justification after the change. */
  justification: z.string().nullable(),
  /** Null only on a reconstructed row. */
  fromRemediation: z.string().nullable(),
  toRemediation: z.string(),
  /** Whether the finding was retracted after the change. */
  retracted: z.boolean(),
  changedAt: z.string(),
  /** The person's display name, or the token or system label. */
  changedBy: z.string(),
  note: z.string().nullable(),
});
export type FindingStateChange = z.infer<typeof FindingStateChangeSchema>;

export const FindingHistorySchema = z.object({
  findingId: z.uuid(),
  /** When the matcher first saw the finding (carried over from the same component in an earlier SBOM). */
  firstSeenAt: z.string(),
  /**
   * When it was retracted, if it is now. The matcher retracts findings no advisory affects any more without a
   * history row, so a retraction may show here only.
   */
  retractedAt: z.string().nullable(),
  /** Oldest first. */
  items: z.array(FindingStateChangeSchema),
});
export type FindingHistory = z.infer<typeof FindingHistorySchema>;

/** A note a person gives with a decision: kept in the history row of each finding it changes. */
export const FindingChangeNoteSchema = text(2000).min(1);
