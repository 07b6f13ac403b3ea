import {
  AppError,
  ErrorCode,
  type FindingChangeKind,
  type FindingHistory,
  type FindingStateChange,
  uuidv7,
} from '@medsec/core';
import { type Ctx, orgOf } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';

/**
 * The state history of findings (ADR 0016): one row per change of VEX state, justification or remediation a person
 * makes, and per retraction or confirmation made outside the matcher's bulk path (the matcher's own retractions show
 * in `findings.retracted_at` only). Rows are written in the caller's transaction, after the finding row was locked
 * or updated there, so a finding's rows are numbered in the order they happened.
 */
export interface StateChange {
  findingId: string;
  kind: FindingChangeKind;
  fromState: string;
  toState: string;
  /** The justification after the change. */
  justification: string | null;
  fromRemediation: string;
  toRemediation: string;
  /** Whether the finding is retracted after the change. */
  retracted: boolean;
  note: string | null;
}

/** Writes history rows for the actor's organization, all at `at`, in one statement. */
export const recordStateChanges = async (
  ctx: Ctx,
  tx: Queryable,
  changes: readonly StateChange[],
  at: Date,
): Promise<void> => {
  if (changes.length === 0) {
    return;
  }
  // rows of the same finding in one batch follow each other
  const ordinal = new Map<string, number>();
  const rows = changes.map((c) => {
    const n = (ordinal.get(c.findingId) ?? 0) + 1;
    ordinal.set(c.findingId, n);
    return {
      id: uuidv7(at.getTime()),
      finding_id: c.findingId,
      n,
      kind: c.kind,
      from_state: c.fromState,
      to_state: c.toState,
      justification: c.justification,
      from_remediation: c.fromRemediation,
      to_remediation: c.toRemediation,
      retracted: c.retracted,
      note: c.note,
    };
  });
  await tx.query(
    `INSERT INTO finding_state_changes (id, organization_id, finding_id, seq, kind, from_state, to_state, justification,
       from_remediation, to_remediation, retracted, changed_by, changed_by_label, changed_at, note)
     SELECT r.id, $2, r.finding_id,
            coalesce((SELECT max(h.seq) FROM finding_state_changes h WHERE h.finding_id = r.finding_id), 0) + r.n,
            r.kind, r.from_state, r.to_state, r.justification, r.from_remediation, r.to_remediation, r.retracted,
            $3, $4, $5, r.note
       FROM jsonb_to_recordset($1::jsonb) AS r (id uuid, finding_id uuid, n integer, kind text, from_state text,
            to_state text, justification text, from_remediation text, to_remediation text, retracted boolean, note text)`,
    [JSON.stringify(rows), orgOf(ctx), ctx.actor.userId, ctx.actor.label, at],
  );
};

/** The columns of a finding a retraction or confirmation row repeats (its state does not change). */
export interface FindingStateColumns {
  id: string;
  state: string;
  justification: string | null;
  remediation: string;
}

/**
 * History rows for findings whose listing just changed, their state staying as it was: retracted (the release's SBOM
 * was superseded, a vendor-CSAF match was dismissed) or confirmed (a vendor-CSAF match); in the update's transaction.
 */
export const recordListingChanges = (
  ctx: Ctx,
  tx: Queryable,
  findings: readonly FindingStateColumns[],
  change: { kind: 'sbom_superseded' | 'csaf_dismissed' | 'csaf_confirmed'; at: Date; note: string | null },
): Promise<void> =>
  recordStateChanges(
    ctx,
    tx,
    findings.map((f) => ({
      findingId: f.id,
      kind: change.kind,
      fromState: f.state,
      toState: f.state,
      justification: f.justification,
      fromRemediation: f.remediation,
      toRemediation: f.remediation,
      retracted: change.kind !== 'csaf_confirmed',
      note: change.note,
    })),
    change.at,
  );

interface HistoryRow {
  id: string;
  kind: FindingChangeKind;
  from_state: FindingStateChange['fromState'];
  to_state: FindingStateChange['toState'];
  justification: string | null;
  from_remediation: string | null;
  to_remediation: string;
  retracted: boolean;
  changed_at: Date;
  changed_by_name: string;
  note: string | null;
}

/**
 * One finding's history, oldest first, with when it was first seen and when it was retracted (if it is now).
 * @throws NOT_FOUND when the finding is not the caller's organization's
 */
export const getFindingHistory = async (ctx: Ctx, findingId: string): Promise<FindingHistory> => {
  const [finding] = await ctx.db.query<{ first_seen_at: Date; retracted_at: Date | null }>(
    'SELECT first_seen_at, retracted_at FROM findings WHERE organization_id = $1 AND id = $2',
    [orgOf(ctx), findingId],
  );
  if (!finding) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such finding / 없는 취약점 항목입니다' });
  }
  const rows = await ctx.db.query<HistoryRow>(
    `SELECT h.id, h.kind, h.from_state, h.to_state, h.justification, h.from_remediation, h.to_remediation, h.retracted,
            h.changed_at, coalesce(u.display_name, h.changed_by_label) AS changed_by_name, h.note
       FROM finding_state_changes h LEFT JOIN users u ON u.id = h.changed_by
      WHERE h.organization_id = $1 AND h.finding_id = $2
      ORDER BY h.seq`,
    [orgOf(ctx), findingId],
  );
  return {
    findingId,
    firstSeenAt: finding.first_seen_at.toISOString(),
    retractedAt: finding.retracted_at?.toISOString() ?? null,
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      fromState: r.from_state,
      toState: r.to_state,
      justification: r.justification,
      fromRemediation: r.from_remediation,
      toRemediation: r.to_remediation,
      retracted: r.retracted,
      changedAt: r.changed_at.toISOString(),
      changedBy: r.changed_by_name,
      note: r.note,
    })),
  };
};
