import { type AffectedResult, isAffectedByPurl, type OsvAdvisory, uuidv7 } from '@medsec/core';
import type { Deps } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { DEFAULT_DEADLINES, dueDateOf, type Severity, severityOf } from '../findings/deadlines.ts';
import { matchCpe } from './cpe-matching.service.ts';

/**
 * Matching components against advisories. A component is matched by its purl: the OSV ecosystem and normalised name
 * select the candidate advisories through an index (`advisory_packages`), then each advisory's ranges are evaluated
 * with the ecosystem's version order (core `isAffectedByPurl`). Each match records why it matched and with what
 * confidence. Only the current SBOM of each release is matched; a component no advisory affects any more has its
 * findings retracted (withdrawn advisories, corrected ranges), never deleted.
 */
export interface MatchSummary {
  components: number;
  advisories: number;
  created: number;
  updated: number;
  retracted: number;
}

interface ComponentRow {
  id: string;
  organization_id: string;
  release_id: string;
  purl: string;
  match_ecosystem: string;
  match_name: string;
}

interface CandidateRow {
  id: string;
  vulnerability_id: string;
  data: OsvAdvisory;
  withdrawn_at: Date | null;
  match_ecosystem: string;
  match_name: string;
  cvss3_score: string | null;
  cvss4_score: string | null;
  qualitative_severity: Severity | null;
}

const keyOf = (ecosystem: string, name: string) => `${ecosystem}\u001f${name}`;

const policyCache = new Map<string, Record<Severity, { fixDays: number }>>();
const policyOf = async (q: Queryable, orgId: string) => {
  const rows = await q.query<{ severity: Severity; fix_days: number }>(
    'SELECT severity, fix_days FROM deadline_policies WHERE organization_id = $1',
    [orgId],
  );
  const policy = structuredClone(DEFAULT_DEADLINES) as Record<Severity, { fixDays: number }>;
  for (const r of rows) {
    policy[r.severity] = { fixDays: r.fix_days };
  }
  policyCache.set(orgId, policy);
  return policy;
};

/** Evaluates the given components against every advisory for their keys, and writes findings. */
const matchComponents = async (
  deps: Deps,
  tx: Queryable,
  components: ComponentRow[],
): Promise<MatchSummary> => {
  const summary: MatchSummary = {
    components: components.length,
    advisories: 0,
    created: 0,
    updated: 0,
    retracted: 0,
  };
  if (components.length === 0) {
    return summary;
  }
  const keys = [...new Set(components.map((c) => keyOf(c.match_ecosystem, c.match_name)))];
  const candidates = await tx.query<CandidateRow>(
    `SELECT DISTINCT ON (a.id, p.match_ecosystem, p.match_name) a.id, a.vulnerability_id, a.data, a.withdrawn_at,
            p.match_ecosystem, p.match_name, v.cvss3_score, v.cvss4_score, v.qualitative_severity
       FROM advisory_packages p JOIN advisories a ON a.id = p.advisory_id JOIN vulnerabilities v ON v.id = a.vulnerability_id
      WHERE (p.match_ecosystem || chr(31) || p.match_name) = ANY ($1)`,
    [keys],
  );
  summary.advisories = new Set(candidates.map((c) => c.id)).size;
  const byKey = new Map<string, CandidateRow[]>();
  for (const c of candidates) {
    const k = keyOf(c.match_ecosystem, c.match_name);
    byKey.set(k, [...(byKey.get(k) ?? []), c]);
  }
  const now = deps.clock.now();
  policyCache.clear();
  for (const component of components) {
    const hits = new Map<string, { advisory: CandidateRow; result: AffectedResult }>();
    for (const advisory of byKey.get(keyOf(component.match_ecosystem, component.match_name)) ?? []) {
      if (advisory.withdrawn_at) {
        continue;
      }
      const result = isAffectedByPurl(advisory.data, component.purl);
      if (result.status === 'affected' && !hits.has(advisory.vulnerability_id)) {
        hits.set(advisory.vulnerability_id, { advisory, result });
      }
    }
    const existing = await tx.query<{ id: string; vulnerability_id: string; retracted_at: Date | null }>(
      `SELECT id, vulnerability_id, retracted_at FROM findings WHERE component_id = $1 AND match_kind = 'purl'`,
      [component.id],
    );
    const current = new Map(existing.map((e) => [e.vulnerability_id, e]));
    for (const [vulnerabilityId, { advisory, result }] of hits) {
      const rank = { high: 3, medium: 2, low: 1 } as const;
      const best = result.matches.reduce(
        (a, b) => (rank[b.confidence] > rank[a.confidence] ? b : a),
        result.matches[0]!,
      );
      const reason = { advisory: advisory.id, purl: component.purl, ...best };
      const confidence = best.confidence === 'high' ? 0.95 : best.confidence === 'medium' ? 0.7 : 0.4;
      const found = current.get(vulnerabilityId);
      if (found) {
        await tx.query(
          `UPDATE findings SET last_seen_at = $2, match_reason = $3, confidence = $4, advisory_id = $5, retracted_at = NULL
            WHERE id = $1`,
          [found.id, now, JSON.stringify(reason), confidence, advisory.id],
        );
        summary.updated++;
        current.delete(vulnerabilityId);
        continue;
      }
      const policy =
        policyCache.get(component.organization_id) ?? (await policyOf(tx, component.organization_id));
      const score =
        advisory.cvss3_score !== null
          ? Number(advisory.cvss3_score)
          : advisory.cvss4_score !== null
            ? Number(advisory.cvss4_score)
            : null;
      // a finding of the same release, vulnerability and package from an earlier SBOM keeps its triage
      const [prior] = await tx.query<Record<string, unknown>>(
        `SELECT f.* FROM findings f JOIN sbom_components c ON c.id = f.component_id
          WHERE f.release_id = $1 AND f.vulnerability_id = $2 AND c.purl = $3 ORDER BY f.last_seen_at DESC LIMIT 1`,
        [component.release_id, vulnerabilityId, component.purl],
      );
      await tx.query(
        `INSERT INTO findings (id, organization_id, release_id, component_id, vulnerability_id, advisory_id, match_kind,
           match_reason, confidence, due_date, first_seen_at, last_seen_at, state, justification, impact_statement,
           action_statement, remediation, patient_safety_impact, cvss_environmental_vector, cvss_environmental_score,
           decided_by, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'purl', $7, $8, coalesce($11::date, $9::date), coalesce($12::timestamptz, $10::timestamptz), $10,
           coalesce($13, 'under_investigation'), $14, $15, $16, coalesce($17, 'none'), $18, $19, $20, $21, $22)`,
        [
          uuidv7(now.getTime()),
          component.organization_id,
          component.release_id,
          component.id,
          vulnerabilityId,
          advisory.id,
          JSON.stringify(reason),
          confidence,
          dueDateOf(
            policy,
            score !== null ? severityOf(score) : (advisory.qualitative_severity ?? severityOf(null)),
            now,
          ),
          now,
          prior?.due_date ?? null,
          prior?.first_seen_at ?? null,
          prior?.state ?? null,
          prior?.justification ?? null,
          prior?.impact_statement ?? null,
          prior?.action_statement ?? null,
          prior?.remediation ?? null,
          prior?.patient_safety_impact ?? null,
          prior?.cvss_environmental_vector ?? null,
          prior?.cvss_environmental_score ?? null,
          prior?.decided_by ?? null,
          prior?.decided_at ?? null,
        ],
      );
      summary.created++;
    }
    for (const gone of current.values()) {
      if (!gone.retracted_at) {
        await tx.query('UPDATE findings SET retracted_at = $2 WHERE id = $1', [gone.id, now]);
        summary.retracted++;
      }
    }
  }
  return summary;
};

const COMPONENTS = `
  SELECT c.id, c.organization_id, c.release_id, c.purl, c.match_ecosystem, c.match_name
    FROM sbom_components c JOIN sboms s ON s.id = c.sbom_id
   WHERE s.superseded_at IS NULL AND c.purl IS NOT NULL AND c.match_ecosystem IS NOT NULL`;

/** Matches every component of one SBOM (on upload): by package URL, then by CPE for components without one. */
export const matchSbom = (deps: Deps, sbomId: string): Promise<MatchSummary> =>
  deps.db.transaction(async (tx) => {
    const cpe = await matchCpe(deps, tx, undefined, sbomId);
    const byPurl = await matchComponents(
      deps,
      tx,
      await tx.query<ComponentRow>(`${COMPONENTS} AND c.sbom_id = $1`, [sbomId]),
    );
    return { ...byPurl, created: byPurl.created + cpe.created, updated: byPurl.updated + cpe.updated };
  });

/** Re-matches only the components new or changed advisory data can affect (by ecosystem and package name). */
export const rematchKeys = async (
  deps: Deps,
  keys: { ecosystem: string; name: string }[],
): Promise<MatchSummary> => {
  const total: MatchSummary = { components: 0, advisories: 0, created: 0, updated: 0, retracted: 0 };
  const unique = [...new Set(keys.map((k) => keyOf(k.ecosystem, k.name)))];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const s = await deps.db.transaction(async (tx) =>
      matchComponents(
        deps,
        tx,
        await tx.query<ComponentRow>(
          `${COMPONENTS} AND (c.match_ecosystem || chr(31) || c.match_name) = ANY ($1)`,
          [chunk],
        ),
      ),
    );
    for (const k of Object.keys(total) as (keyof MatchSummary)[]) {
      total[k] += s[k];
    }
  }
  return total;
};
