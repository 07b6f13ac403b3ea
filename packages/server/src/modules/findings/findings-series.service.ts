import {
  buildFindingsSeries,
  type FindingsSeriesQuery,
  type FindingsSeriesResponse,
  type SeriesFinding,
} from '@medsec/core';
import { type Ctx, orgOf } from '../../context.ts';
import { getProduct, requireRelease } from '../products/products.service.ts';
import { type Severity, severityOf } from './deadlines.ts';

interface SeriesRow {
  first_seen_at: Date;
  retracted_at: Date | null;
  state: string;
  decided_at: Date | null;
  last_seen_at: Date;
  due_date: string | Date | null;
  cvss_environmental_score: string | number | null;
  cvss3_score: string | number | null;
  cvss4_score: string | number | null;
  qualitative_severity: Severity | null;
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));
const day = (d: string | Date | null): string | null =>
  d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);

/**
 * A finding's part in the series. Severity as the findings list computes it (environmental score, else CVSS 3.x,
 * else 4.0, else the advisory's rating). It stops being open when retracted, or when decided not affected or fixed:
 * the time of the last decision is taken as that moment (findings keep no state history of their own; the audit log
 * does, but a module reads another only through its service).
 */
export const toSeriesFinding = (r: SeriesRow): SeriesFinding => {
  const score = num(r.cvss_environmental_score) ?? num(r.cvss3_score) ?? num(r.cvss4_score);
  const closed = r.state === 'not_affected' || r.state === 'fixed';
  return {
    severity: score !== null ? severityOf(score) : (r.qualitative_severity ?? severityOf(null)),
    firstSeenAt: r.first_seen_at.toISOString(),
    closedAt:
      r.retracted_at !== null
        ? r.retracted_at.toISOString()
        : closed
          ? (r.decided_at ?? r.last_seen_at).toISOString()
          : null,
    dueDate: day(r.due_date),
  };
};

/**
 * Open findings per severity per day (or week) over the last `days`, with the deadline line and the overdue count,
 * for a release, a product or the whole organization (MFDS 2025 art. 20: handling within deadlines).
 * @throws NOT_FOUND when the product or release is not the caller's organization's
 */
export const getFindingsSeries = async (
  ctx: Ctx,
  query: FindingsSeriesQuery,
): Promise<FindingsSeriesResponse> => {
  const params: unknown[] = [orgOf(ctx)];
  const where = ['f.organization_id = $1'];
  if (query.productId) {
    await getProduct(ctx, query.productId);
    params.push(query.productId);
    where.push(`r.product_id = $${params.length}`);
  }
  if (query.releaseId) {
    await requireRelease(ctx, ctx.db, query.releaseId);
    params.push(query.releaseId);
    where.push(`f.release_id = $${params.length}`);
  }
  const rows = await ctx.db.query<SeriesRow>(
    `SELECT f.first_seen_at, f.retracted_at, f.state, f.decided_at, f.last_seen_at, f.due_date, f.cvss_environmental_score,
            v.cvss3_score, v.cvss4_score, v.qualitative_severity
       FROM findings f
       JOIN product_releases r ON r.id = f.release_id
       JOIN vulnerabilities v ON v.id = f.vulnerability_id
      WHERE ${where.join(' AND ')}`,
    params,
  );
  const series = buildFindingsSeries({
    findings: rows.map(toSeriesFinding),
    to: ctx.clock.now().toISOString().slice(0, 10),
    days: query.days,
    bucket: query.bucket,
  });
  return { ...series, findings: rows.length };
};
