import {
  buildFindingsSeries,
  type FindingsSeriesQuery,
  type FindingsSeriesResponse,
  periodsOf,
  type SeriesFinding,
  type SeriesStateChange,
} from '@medsec/core';
import { type Ctx, orgOf } from '../../context.ts';
import { getProduct, requireRelease } from '../products/products.service.ts';
import { type Severity, severityOf } from './deadlines.ts';

interface SeriesRow {
  id: string;
  review_status: 'pending' | 'confirmed' | 'dismissed' | null;
  reviewed_at: Date | null;
  first_seen_at: Date;
  retracted_at: Date | null;
  state: string;
  last_seen_at: Date;
  due_date: string | Date | null;
  cvss_environmental_score: string | number | null;
  cvss3_score: string | number | null;
  cvss4_score: string | number | null;
  qualitative_severity: Severity | null;
  /** The finding's history rows in order (`json_agg`), or null when it has none. */
  changes: SeriesStateChange[] | null;
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));
const day = (d: string | Date | null): string | null =>
  d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);

/**
 * When a finding was created: the time in its UUIDv7 id (RFC 9562; every finding is inserted with the id of the
 * clock's time of its match), or undefined for an id of another version.
 */
const createdAtOf = (id: string): Date | undefined => {
  const hex = id.replaceAll('-', '');
  return hex[12] === '7' ? new Date(Number.parseInt(hex.slice(0, 12), 16)) : undefined;
};

/**
 * From when a finding counts. A vendor-CSAF name match counts once a person confirmed it (pending and dismissed ones
 * are not findings). Any other finding counts from its creation: a finding that replaces one of a superseded SBOM
 * carries over the first-seen time, but the replaced one counted until then.
 */
const sinceOf = (r: SeriesRow): Date | null => {
  if (r.review_status === 'pending' || r.review_status === 'dismissed') {
    return null;
  }
  const created = createdAtOf(r.id);
  const from = created && created > r.first_seen_at ? created : r.first_seen_at;
  return r.review_status === 'confirmed' && r.reviewed_at && r.reviewed_at > from ? r.reviewed_at : from;
};

/**
 * A finding's part in the series (ADR 0016): severity as the findings list computes it (environmental score, else
 * CVSS 3.x, else 4.0, else the advisory's rating; today's, for every day), the periods it was listed and open from
 * its history rows (core `periodsOf`), its due date.
 */
export const toSeriesFinding = (r: SeriesRow): SeriesFinding => {
  const score = num(r.cvss_environmental_score) ?? num(r.cvss3_score) ?? num(r.cvss4_score);
  const since = sinceOf(r);
  return {
    severity: score !== null ? severityOf(score) : (r.qualitative_severity ?? severityOf(null)),
    ...periodsOf({
      since: since?.toISOString() ?? null,
      state: r.state,
      retractedAt: r.retracted_at?.toISOString() ?? null,
      lastSeenAt: r.last_seen_at.toISOString(),
      changes: r.changes ?? [],
    }),
    dueDate: day(r.due_date),
  };
};

/**
 * Open findings per severity per day (or week) over the last `days`, with the deadline line and the overdue count,
 * for a release, a product or the whole organization (MFDS 2025 art. 20: handling within deadlines). Exact for
 * decisions: each finding's VEX state on each day comes from its history (`finding_state_changes`).
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
  // each finding's history in order, through the (finding_id, seq) index
  const rows = await ctx.db.query<SeriesRow>(
    `SELECT f.id, f.review_status, f.reviewed_at, f.first_seen_at, f.retracted_at, f.state, f.last_seen_at, f.due_date,
            f.cvss_environmental_score, v.cvss3_score, v.cvss4_score, v.qualitative_severity,
            (SELECT json_agg(json_build_object(
                      'at', to_char(h.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                      'fromState', h.from_state, 'toState', h.to_state, 'retracted', h.retracted) ORDER BY h.seq)
               FROM finding_state_changes h WHERE h.finding_id = f.id) AS changes
       FROM findings f
       JOIN product_releases r ON r.id = f.release_id
       JOIN vulnerabilities v ON v.id = f.vulnerability_id
      WHERE ${where.join(' AND ')}`,
    params,
  );
  const findings = rows.map(toSeriesFinding).filter((f) => f.listed.length > 0);
  const series = buildFindingsSeries({
    findings,
    to: ctx.clock.now().toISOString().slice(0, 10),
    days: query.days,
    bucket: query.bucket,
  });
  return { ...series, findings: findings.length };
};
