import { AppError, type CsafMatch, type CsafReviewStatus, ErrorCode } from '@medsec/core';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { type FindingStateColumns, recordListingChanges } from '../findings/finding-history.service.ts';

/**
 * The review queue of vendor-CSAF matches made by supplier, product name and version (match kind `csaf`, low
 * confidence): they stay out of the findings lists, exports and advisories until a person confirms one (a normal
 * finding from then on) or dismisses it with a reason (retracted, and kept retracted when the advisory is imported
 * again). Both decisions are audited in the same transaction (MFDS 2025 art. 20: a record of how each reported
 * vulnerability was handled).
 */
interface MatchRow {
  id: string;
  review_status: CsafReviewStatus;
  review_reason: string | null;
  reviewed_at: Date | null;
  vulnerability_id: string;
  advisory_id: string;
  product_id: string;
  product_name: string;
  release_id: string;
  release_version: string;
  component_name: string;
  component_version: string | null;
  supplier: string | null;
  confidence: string | number;
  match_reason: Record<string, unknown>;
  first_seen_at: Date;
}

const SELECT = `
  SELECT f.id, f.review_status, f.review_reason, f.reviewed_at, f.vulnerability_id, f.advisory_id, r.product_id,
         p.name AS product_name, f.release_id, r.version AS release_version, c.name AS component_name,
         c.version AS component_version, c.supplier, f.confidence, f.match_reason, f.first_seen_at
    FROM findings f
    JOIN sbom_components c ON c.id = f.component_id
    JOIN product_releases r ON r.id = f.release_id
    JOIN products p ON p.id = r.product_id`;

const toMatch = (r: MatchRow): CsafMatch => ({
  id: r.id,
  reviewStatus: r.review_status,
  reviewReason: r.review_reason,
  reviewedAt: r.reviewed_at ? r.reviewed_at.toISOString() : null,
  vulnerabilityId: r.vulnerability_id,
  advisoryId: r.advisory_id,
  productId: r.product_id,
  productName: r.product_name,
  releaseId: r.release_id,
  releaseVersion: r.release_version,
  component: r.component_name,
  componentVersion: r.component_version,
  supplier: r.supplier,
  confidence: Number(r.confidence),
  matchReason: r.match_reason,
  firstSeenAt: r.first_seen_at.toISOString(),
});

/**
 * The organization's vendor-CSAF name matches with the given review status (pending by default). Pending and
 * confirmed matches of a superseded SBOM (retracted by the upload) are left out: the new SBOM's components have
 * their own (csaf-name-matching.service.ts); dismissals are listed whatever SBOM they were made on.
 */
export const listCsafMatches = async (
  ctx: Ctx,
  filter: { status?: CsafReviewStatus | undefined; releaseId?: string | undefined } = {},
): Promise<CsafMatch[]> => {
  const rows = await ctx.db.query<MatchRow>(
    `${SELECT} WHERE f.organization_id = $1 AND f.match_kind = 'csaf' AND f.review_status = $2
       AND (f.review_status = 'dismissed' OR f.retracted_at IS NULL)
       AND ($3::uuid IS NULL OR f.release_id = $3)
     ORDER BY f.first_seen_at DESC, f.id LIMIT 1000`,
    [orgOf(ctx), filter.status ?? 'pending', filter.releaseId ?? null],
  );
  return rows.map(toMatch);
};

const review = (
  ctx: Ctx,
  id: string,
  decision: { status: 'confirmed' | 'dismissed'; reason: string | null },
): Promise<CsafMatch> =>
  withTx(ctx, async (tx) => {
    const [row] = await tx.query<MatchRow>(
      `${SELECT} WHERE f.organization_id = $1 AND f.id = $2 AND f.match_kind = 'csaf' FOR UPDATE OF f`,
      [orgOf(ctx), id],
    );
    if (!row) {
      throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such CSAF match / 없는 CSAF 매칭입니다' });
    }
    if (row.review_status !== 'pending') {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: `This match was already ${row.review_status} / 이미 검토된 매칭입니다`,
      });
    }
    const now = ctx.clock.now();
    const reviewed = await tx.query<FindingStateColumns>(
      `UPDATE findings SET review_status = $3, review_reason = $4, reviewed_by = $5, reviewed_at = $6,
         retracted_at = CASE WHEN $3 = 'dismissed' THEN $6::timestamptz ELSE retracted_at END, version = version + 1
       WHERE organization_id = $1 AND id = $2
       RETURNING id, state, justification, remediation`,
      [orgOf(ctx), id, decision.status, decision.reason, ctx.actor.userId, now],
    );
    // the finding's history: a finding from now on, or retracted
    await recordListingChanges(ctx, tx, reviewed, {
      kind: decision.status === 'confirmed' ? 'csaf_confirmed' : 'csaf_dismissed',
      at: now,
      note: decision.reason,
    });
    await recordAudit(ctx, tx, {
      action:
        decision.status === 'confirmed' ? 'finding.csaf_match_confirmed' : 'finding.csaf_match_dismissed',
      targetType: 'finding',
      targetId: id,
      details: {
        vulnerability: row.vulnerability_id,
        advisory: row.advisory_id,
        component: row.component_name,
        release: row.release_id,
        ...(decision.reason ? { reason: decision.reason } : {}),
      },
    });
    const [after] = await tx.query<MatchRow>(`${SELECT} WHERE f.organization_id = $1 AND f.id = $2`, [
      orgOf(ctx),
      id,
    ]);
    return toMatch(after!);
  });

/**
 * Confirms a pending match: it becomes a normal finding (listed, triaged, exported).
 * @throws NOT_FOUND @throws CONFLICT when already reviewed
 */
export const confirmCsafMatch = (ctx: Ctx, id: string): Promise<CsafMatch> =>
  review(ctx, id, { status: 'confirmed', reason: null });

/**
 * Dismisses a pending match with a reason: retracted, and not revived by a later import.
 * @throws NOT_FOUND @throws CONFLICT when already reviewed
 */
export const dismissCsafMatch = (ctx: Ctx, id: string, reason: string): Promise<CsafMatch> =>
  review(ctx, id, { status: 'dismissed', reason });
