import type { OverdueItem, OverdueList, OverdueQuery } from '@medsec/core';
import { type Ctx, orgOf } from '../../context.ts';
import {
  FINDING_SELECT,
  type Finding,
  type FindingRow,
  OPEN_STATES_SQL,
  toFinding,
} from './findings.service.ts';

/**
 * The overdue view: open findings (under investigation or affected, not retracted) of the organization whose fix-by
 * date has passed, or falls within the next `withinDays` days, across products and releases.
 * MFDS 2025 art. 20 guidance: a vulnerability is communicated and fixed within set deadlines.
 */
const DAY_MS = 86_400_000;

export const todayOf = (now: Date): string => now.toISOString().slice(0, 10);

/** Whole days from `due` to `today` (both YYYY-MM-DD): positive when past due. */
export const daysPast = (due: string, today: string): number =>
  Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / DAY_MS);

const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

export const toOverdueItem = (f: Finding, today: string): OverdueItem => {
  const days = daysPast(f.dueDate!, today);
  return {
    findingId: f.id,
    status: days > 0 ? 'overdue' : 'due_soon',
    daysOverdue: days,
    dueDate: f.dueDate!,
    severity: f.severity,
    kev: f.kev,
    vulnerabilityId: f.vulnerabilityId,
    summary: f.summary,
    productId: f.productId,
    product: f.product,
    releaseId: f.releaseId,
    release: f.release,
    component: f.component,
    componentVersion: f.componentVersion,
    state: f.state,
    remediation: f.remediation,
  };
};

/**
 * Open findings of the actor's organization with a due date on or before today + `dueWithinDays` (all open findings
 * with a due date when it is null), as full findings, oldest due date first.
 */
export const listOpenFindingsDue = async (
  ctx: Ctx,
  filter: { productId?: string | undefined; dueWithinDays: number | null; limit?: number },
): Promise<Finding[]> => {
  const today = todayOf(ctx.clock.now());
  const params: unknown[] = [orgOf(ctx)];
  const where = [
    'f.organization_id = $1',
    `f.state IN ${OPEN_STATES_SQL}`,
    'f.retracted_at IS NULL',
    'f.due_date IS NOT NULL',
  ];
  if (filter.dueWithinDays !== null) {
    params.push(addDays(today, filter.dueWithinDays));
    where.push(`f.due_date <= $${params.length}`);
  }
  if (filter.productId) {
    params.push(filter.productId);
    where.push(`r.product_id = $${params.length}`);
  }
  params.push(filter.limit ?? 5000);
  const rows = await ctx.db.query<FindingRow>(
    `${FINDING_SELECT} WHERE ${where.join(' AND ')}
     ORDER BY f.due_date, coalesce(v.cvss3_score, v.cvss4_score, 0) DESC, f.vulnerability_id, c.name, f.id
     LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => toFinding(r, today));
};

/** Overdue and due-soon findings with their days overdue; severity is filtered after scoring (environmental first). */
export const listOverdueFindings = async (ctx: Ctx, query: OverdueQuery): Promise<OverdueList> => {
  const today = todayOf(ctx.clock.now());
  const findings = await listOpenFindingsDue(ctx, {
    productId: query.productId,
    dueWithinDays: query.withinDays,
  });
  const all = findings
    .filter((f) => !query.severity || f.severity === query.severity)
    .map((f) => toOverdueItem(f, today));
  return {
    today,
    withinDays: query.withinDays,
    counts: {
      overdue: all.filter((i) => i.status === 'overdue').length,
      dueSoon: all.filter((i) => i.status === 'due_soon').length,
    },
    items: all.slice(0, query.limit),
  };
};
