import { uuidv7 } from '@medsec/core';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';

/**
 * Deadline policy per severity. The defaults follow the reference the MFDS 2025 guideline cites for vulnerability
 * handling (art. 20 guidance: communicate within 30 days, fix within 60); a manufacturer may set its own.
 */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DEFAULT_DEADLINES: Record<Severity, { communicateDays: number; fixDays: number }> = {
  critical: { communicateDays: 30, fixDays: 60 },
  high: { communicateDays: 30, fixDays: 60 },
  medium: { communicateDays: 30, fixDays: 60 },
  low: { communicateDays: 30, fixDays: 60 },
  none: { communicateDays: 30, fixDays: 60 },
};

/** CVSS base score → severity band (FIRST: 0 none, 0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0–10 critical). */
export const severityOf = (score: number | null | undefined): Severity => {
  if (score === null || score === undefined || Number.isNaN(score)) {
    return 'medium'; // unknown severity is treated as medium until scored (a person decides)
  }
  if (score >= 9) {
    return 'critical';
  }
  if (score >= 7) {
    return 'high';
  }
  if (score >= 4) {
    return 'medium';
  }
  return score > 0 ? 'low' : 'none';
};

/** The deadline policy of one organization (defaults where it has set none), for jobs that run without a caller. */
export const deadlinePolicyOf = async (
  q: Queryable,
  organizationId: string,
): Promise<Record<Severity, { communicateDays: number; fixDays: number }>> => {
  const rows = await q.query<{ severity: Severity; communicate_days: number; fix_days: number }>(
    'SELECT severity, communicate_days, fix_days FROM deadline_policies WHERE organization_id = $1',
    [organizationId],
  );
  const policy = structuredClone(DEFAULT_DEADLINES);
  for (const r of rows) {
    policy[r.severity] = { communicateDays: r.communicate_days, fixDays: r.fix_days };
  }
  return policy;
};

export const getDeadlinePolicy = (
  ctx: Ctx,
  q: Queryable = ctx.db,
): Promise<Record<Severity, { communicateDays: number; fixDays: number }>> => deadlinePolicyOf(q, orgOf(ctx));

export const setDeadlinePolicy = (
  ctx: Ctx,
  policy: Partial<Record<Severity, { communicateDays: number; fixDays: number }>>,
) =>
  withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    for (const [severity, p] of Object.entries(policy)) {
      await tx.query(
        `INSERT INTO deadline_policies (organization_id, severity, communicate_days, fix_days, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (organization_id, severity) DO UPDATE SET communicate_days = EXCLUDED.communicate_days,
           fix_days = EXCLUDED.fix_days, updated_at = EXCLUDED.updated_at`,
        [orgOf(ctx), severity, p.communicateDays, p.fixDays, now],
      );
    }
    await recordAudit(ctx, tx, {
      action: 'deadlines.updated',
      targetType: 'organization',
      targetId: orgOf(ctx),
      details: { policy, id: uuidv7(now.getTime()) },
    });
    return getDeadlinePolicy(ctx, tx);
  });

/** The fix-by date of a finding first seen at `seen` with a given severity. */
export const dueDateOf = (
  policy: Record<Severity, { fixDays: number }>,
  severity: Severity,
  seen: Date,
): string => new Date(seen.getTime() + policy[severity].fixDays * 86_400_000).toISOString().slice(0, 10);
