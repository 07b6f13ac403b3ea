import { AppError, ErrorCode, uuidv7 } from '@medsec/core';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { type Severity, severityOf } from './deadlines.ts';
import { recordStateChanges, type StateChange } from './finding-history.service.ts';

/**
 * Findings: vulnerability × component × release, with a VEX state (under_investigation, affected, not_affected with
 * a justification, fixed), remediation status, patient-safety impact, an environmental CVSS score and a due date.
 * A decision can be applied to the same vulnerability across releases and products, previewed first, with an audit
 * entry per finding touched. A change of VEX state, justification or remediation also writes a history row
 * (`finding-history.service.ts`, ADR 0016).
 */
export const VEX_STATES = ['under_investigation', 'affected', 'not_affected', 'fixed'] as const;
/** The VEX states of a finding still open (not yet decided not affected, not fixed), as an SQL list. */
export const OPEN_STATES_SQL = "('under_investigation', 'affected')";
export type VexState = (typeof VEX_STATES)[number];
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;
export const REMEDIATIONS = ['none', 'planned', 'in-progress', 'done', 'wont-fix'] as const;
export const SAFETY_IMPACTS = ['none', 'low', 'medium', 'high', 'critical'] as const;

export interface FindingRow {
  id: string;
  release_id: string;
  component_id: string;
  vulnerability_id: string;
  advisory_id: string;
  match_kind: 'purl' | 'cpe' | 'csaf';
  match_reason: unknown;
  confidence: string | number;
  state: VexState;
  justification: string | null;
  impact_statement: string | null;
  action_statement: string | null;
  remediation: string;
  patient_safety_impact: string | null;
  cvss_environmental_vector: string | null;
  cvss_environmental_score: string | number | null;
  due_date: string | Date | null;
  decided_at: Date | null;
  first_seen_at: Date;
  last_seen_at: Date;
  retracted_at: Date | null;
  version: number;
  // joined
  component_name: string;
  component_version: string | null;
  purl: string | null;
  product_id: string;
  product_name: string;
  release_version: string;
  summary: string | null;
  aliases: string[];
  cvss3_vector: string | null;
  cvss3_score: string | number | null;
  cvss4_vector: string | null;
  cvss4_score: string | number | null;
  kev_date_added: string | Date | null;
  epss: string | number | null;
  epss_percentile: string | number | null;
  qualitative_severity: Severity | null;
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));
const day = (d: string | Date | null): string | null =>
  d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);

export const toFinding = (r: FindingRow, today: string) => {
  const base = num(r.cvss3_score) ?? num(r.cvss4_score);
  const score = num(r.cvss_environmental_score) ?? base;
  const open = r.state === 'under_investigation' || r.state === 'affected';
  const due = day(r.due_date);
  return {
    id: r.id,
    releaseId: r.release_id,
    productId: r.product_id,
    product: r.product_name,
    release: r.release_version,
    componentId: r.component_id,
    component: r.component_name,
    componentVersion: r.component_version,
    purl: r.purl,
    vulnerabilityId: r.vulnerability_id,
    aliases: r.aliases,
    summary: r.summary,
    advisoryId: r.advisory_id,
    matchKind: r.match_kind,
    matchReason: r.match_reason,
    confidence: Number(r.confidence),
    state: r.state,
    justification: r.justification,
    impactStatement: r.impact_statement,
    actionStatement: r.action_statement,
    remediation: r.remediation,
    patientSafetyImpact: r.patient_safety_impact,
    cvss3: r.cvss3_vector ? { vector: r.cvss3_vector, score: num(r.cvss3_score) } : null,
    cvss4: r.cvss4_vector ? { vector: r.cvss4_vector, score: num(r.cvss4_score) } : null,
    environmental: r.cvss_environmental_vector
      ? { vector: r.cvss_environmental_vector, score: num(r.cvss_environmental_score) }
      : null,
    severity: score !== null ? severityOf(score) : (r.qualitative_severity ?? severityOf(null)),
    kev: r.kev_date_added !== null,
    kevDateAdded: day(r.kev_date_added),
    epss: num(r.epss),
    epssPercentile: num(r.epss_percentile),
    dueDate: due,
    overdue: open && due !== null && due < today,
    retracted: r.retracted_at !== null,
    firstSeenAt: r.first_seen_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    version: r.version,
  };
};
export type Finding = ReturnType<typeof toFinding>;

export const FINDING_SELECT = `
  SELECT f.*, c.name AS component_name, c.version AS component_version, c.purl, r.product_id, p.name AS product_name,
         r.version AS release_version, v.summary, v.aliases, v.cvss3_vector, v.cvss3_score, v.cvss4_vector, v.cvss4_score,
         v.kev_date_added, v.epss, v.epss_percentile, v.qualitative_severity
    FROM findings f
    JOIN sbom_components c ON c.id = f.component_id
    JOIN product_releases r ON r.id = f.release_id
    JOIN products p ON p.id = r.product_id
    JOIN vulnerabilities v ON v.id = f.vulnerability_id`;

export interface FindingFilter {
  releaseId?: string | undefined;
  productId?: string | undefined;
  vulnerabilityId?: string | undefined;
  state?: VexState | undefined;
  overdue?: boolean | undefined;
  kev?: boolean | undefined;
  includeRetracted?: boolean | undefined;
  limit?: number | undefined;
}

export const listFindings = async (ctx: Ctx, filter: FindingFilter) => {
  const params: unknown[] = [orgOf(ctx)];
  const where = ['f.organization_id = $1'];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    where.push(sql(params.length));
  };
  if (filter.releaseId) {
    add((n) => `f.release_id = $${n}`, filter.releaseId);
  }
  if (filter.productId) {
    add((n) => `r.product_id = $${n}`, filter.productId);
  }
  if (filter.vulnerabilityId) {
    add((n) => `(f.vulnerability_id = $${n} OR $${n} = ANY (v.aliases))`, filter.vulnerabilityId);
  }
  if (filter.state) {
    add((n) => `f.state = $${n}`, filter.state);
  }
  if (filter.kev) {
    where.push('v.kev_date_added IS NOT NULL');
  }
  const today = ctx.clock.now().toISOString().slice(0, 10);
  if (filter.overdue) {
    add((n) => `f.due_date < $${n} AND f.state IN ${OPEN_STATES_SQL}`, today);
  }
  if (!filter.includeRetracted) {
    where.push('f.retracted_at IS NULL');
  }
  // vendor-CSAF name matches wait in the review queue (csaf-review.service.ts) until a person confirms them
  where.push("f.review_status IS DISTINCT FROM 'pending'");
  params.push(filter.limit ?? 1000);
  const rows = await ctx.db.query<FindingRow>(
    `${FINDING_SELECT} WHERE ${where.join(' AND ')}
     ORDER BY (v.kev_date_added IS NOT NULL) DESC, coalesce(v.cvss3_score, v.cvss4_score, 0) DESC, f.vulnerability_id, c.name
     LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => toFinding(r, today));
};

export interface FindingPatch {
  state?: VexState | undefined;
  justification?: (typeof VEX_JUSTIFICATIONS)[number] | null | undefined;
  impactStatement?: string | null | undefined;
  actionStatement?: string | null | undefined;
  remediation?: (typeof REMEDIATIONS)[number] | undefined;
  patientSafetyImpact?: (typeof SAFETY_IMPACTS)[number] | null | undefined;
  cvssEnvironmental?: { vector: string; score: number } | null | undefined;
}

const COLUMNS: Record<Exclude<keyof FindingPatch, 'cvssEnvironmental'>, string> = {
  state: 'state',
  justification: 'justification',
  impactStatement: 'impact_statement',
  actionStatement: 'action_statement',
  remediation: 'remediation',
  patientSafetyImpact: 'patient_safety_impact',
};

/** VEX consistency: not_affected needs a justification or an impact statement; affected needs an action statement. */
const checkVex = (
  state: VexState,
  merged: { justification: string | null; impact: string | null; action: string | null },
) => {
  if (state === 'not_affected' && !merged.justification && !merged.impact) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail:
        'not_affected needs a justification or an impact statement (VEX) / 영향 없음에는 근거가 필요합니다',
    });
  }
  if (state === 'affected' && !merged.action) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: 'affected needs an action statement (VEX) / 영향 있음에는 조치 내용이 필요합니다',
    });
  }
};

/**
 * Updates one locked finding and writes its audit entry. Returns the history row the change calls for (when the VEX
 * state, justification or remediation changed), for the caller to write with the others of its transaction.
 */
const applyFindingPatch = async (
  ctx: Ctx,
  tx: Queryable,
  row: FindingRow,
  patch: FindingPatch,
  now: Date,
  note: string | null,
): Promise<StateChange | undefined> => {
  const state = patch.state ?? row.state;
  checkVex(state, {
    justification: patch.justification !== undefined ? patch.justification : row.justification,
    impact: patch.impactStatement !== undefined ? patch.impactStatement : row.impact_statement,
    action: patch.actionStatement !== undefined ? patch.actionStatement : row.action_statement,
  });
  const sets: string[] = [];
  const values: unknown[] = [];
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, column] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, string][]) {
    const v = patch[key];
    const current = (row as unknown as Record<string, unknown>)[column];
    if (v !== undefined && v !== current) {
      values.push(v);
      sets.push(`${column} = $${values.length + 2}`);
      changes[key] = { from: current, to: v };
    }
  }
  if (patch.cvssEnvironmental !== undefined) {
    values.push(patch.cvssEnvironmental?.vector ?? null, patch.cvssEnvironmental?.score ?? null);
    sets.push(
      `cvss_environmental_vector = $${values.length + 1}`,
      `cvss_environmental_score = $${values.length + 2}`,
    );
    changes.cvssEnvironmental = {
      from: row.cvss_environmental_vector,
      to: patch.cvssEnvironmental?.vector ?? null,
    };
  }
  if (sets.length === 0) {
    return undefined;
  }
  values.push(ctx.actor.userId, now);
  await tx.query(
    `UPDATE findings SET ${sets.join(', ')}, decided_by = $${values.length + 1}, decided_at = $${values.length + 2},
       version = version + 1 WHERE organization_id = $1 AND id = $2`,
    [orgOf(ctx), row.id, ...values],
  );
  await recordAudit(ctx, tx, {
    action: 'finding.updated',
    targetType: 'finding',
    targetId: row.id,
    details: {
      vulnerability: row.vulnerability_id,
      component: row.component_name,
      changes,
      ...(note ? { note } : {}),
    },
  });
  if (!changes.state && !changes.justification && !changes.remediation) {
    return undefined;
  }
  return {
    findingId: row.id,
    kind: 'triage',
    fromState: row.state,
    toState: patch.state ?? row.state,
    justification: patch.justification !== undefined ? patch.justification : row.justification,
    fromRemediation: row.remediation,
    toRemediation: patch.remediation ?? row.remediation,
    retracted: row.retracted_at !== null,
    note,
  };
};

/**
 * Triage of one finding; `note` (why) goes into the history row when the state, justification or remediation changes.
 * @throws NOT_FOUND @throws CONFLICT when `version` is not the finding's @throws VALIDATION_FAILED on a VEX rule
 */
export const updateFinding = (
  ctx: Ctx,
  id: string,
  patch: FindingPatch & { version?: number | undefined; note?: string | undefined },
) =>
  withTx(ctx, async (tx) => {
    const [row] = await tx.query<FindingRow>(
      `${FINDING_SELECT} WHERE f.organization_id = $1 AND f.id = $2 FOR UPDATE OF f`,
      [orgOf(ctx), id],
    );
    if (!row) {
      throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such finding / 없는 취약점 항목입니다' });
    }
    if (patch.version !== undefined && patch.version !== row.version) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: 'The finding changed since you opened it / 다른 사용자가 변경했습니다',
      });
    }
    const { version: _version, note, ...fields } = patch;
    const now = ctx.clock.now();
    const change = await applyFindingPatch(ctx, tx, row, fields, now, note ?? null);
    await recordStateChanges(ctx, tx, change ? [change] : [], now);
    const [after] = await tx.query<FindingRow>(
      `${FINDING_SELECT} WHERE f.organization_id = $1 AND f.id = $2`,
      [orgOf(ctx), id],
    );
    return toFinding(after!, ctx.clock.now().toISOString().slice(0, 10));
  });

/**
 * One triage decision for a vulnerability across releases and products: `preview` lists the findings it would touch;
 * otherwise each is updated (with its own audit entry) in one transaction.
 */
export const decideVulnerability = (
  ctx: Ctx,
  input: {
    vulnerabilityId: string;
    productIds: string[] | null;
    patch: FindingPatch;
    preview: boolean;
    note?: string | undefined;
  },
) =>
  withTx(ctx, async (tx) => {
    const params: unknown[] = [orgOf(ctx), input.vulnerabilityId];
    let scope = '';
    if (input.productIds) {
      params.push(input.productIds);
      scope = 'AND r.product_id = ANY ($3)';
    }
    const rows = await tx.query<FindingRow>(
      `${FINDING_SELECT} WHERE f.organization_id = $1 AND (f.vulnerability_id = $2 OR $2 = ANY (v.aliases))
         AND f.retracted_at IS NULL ${scope} ORDER BY p.name, r.version, c.name FOR UPDATE OF f`,
      params,
    );
    const today = ctx.clock.now().toISOString().slice(0, 10);
    if (input.preview) {
      return { touched: rows.map((r) => toFinding(r, today)), applied: false };
    }
    const now = ctx.clock.now();
    const changes: StateChange[] = [];
    for (const r of rows) {
      const change = await applyFindingPatch(ctx, tx, r, input.patch, now, input.note ?? null);
      if (change) {
        changes.push(change);
      }
    }
    await recordStateChanges(ctx, tx, changes, now);
    await recordAudit(ctx, tx, {
      action: 'finding.decision_applied',
      targetType: 'vulnerability',
      targetId: input.vulnerabilityId,
      details: {
        findings: rows.length,
        productIds: input.productIds,
        patch: input.patch,
        ...(input.note ? { note: input.note } : {}),
        id: uuidv7(now.getTime()),
      },
    });
    return { touched: rows.map((r) => toFinding({ ...r }, today)), applied: true };
  });
