import {
  type AffectedResult,
  isAffectedByQuery,
  type OsvAdvisory,
  type PackageQuery,
  packageQueryOfPurl,
  uuidv7,
} from '@medsec/core';
import type { Deps } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { copyLine } from '../../db/copy.ts';
import { ANALYZE_AFTER, analyzeTables } from '../../db/sql.ts';
import { deadlinePolicyOf, dueDateOf, type Severity, severityOf } from '../findings/deadlines.ts';
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

type AffectedEntry = OsvAdvisory['affected'][number];

interface CandidateSql {
  id: string;
  vulnerability_id: string;
  match_ecosystem: string;
  match_name: string;
  /** JSON text: `{ index, entry }[]`, the affected entries of this package with their position in the advisory. */
  affected: string | null;
  cvss3_score: string | null;
  cvss4_score: string | null;
  qualitative_severity: Severity | null;
}

/** A candidate advisory for one package key: only its affected entries for that package, with their positions. */
interface CandidateRow extends Omit<CandidateSql, 'affected'> {
  entries: { index: number; entry: AffectedEntry }[];
}

/**
 * Evaluates a candidate's entries as the advisory they come from (withdrawn ones were left out by the query), and
 * maps each match back to the entry's position in the whole advisory, so the recorded reason names it.
 */
const evaluateCandidate = (candidate: CandidateRow, query: PackageQuery): AffectedResult => {
  const partial = { id: candidate.id, affected: candidate.entries.map((e) => e.entry) } as OsvAdvisory;
  const result = isAffectedByQuery(partial, query);
  const at = (i: number) => candidate.entries[i]?.index ?? i;
  return {
    ...result,
    matches: result.matches.map((m) => ({ ...m, affectedIndex: at(m.affectedIndex) })),
    unknown: result.unknown.map((u) => ({ ...u, affectedIndex: at(u.affectedIndex) })),
  };
};

interface PriorRow {
  release_id: string;
  vulnerability_id: string;
  prior_purl: string;
  due_date: string | Date | null;
  first_seen_at: Date;
  state: string;
  justification: string | null;
  impact_statement: string | null;
  action_statement: string | null;
  remediation: string;
  patient_safety_impact: string | null;
  cvss_environmental_vector: string | null;
  cvss_environmental_score: string | null;
  decided_by: string | null;
  decided_at: Date | null;
}

const keyOf = (ecosystem: string, name: string) => `${ecosystem}\u001f${name}`;

const RANK = { high: 3, medium: 2, low: 1 } as const;

/**
 * Evaluates the given components against every advisory for their keys, and writes findings. Set-based: one query
 * for the candidate advisories (without their long texts), one for the existing findings, one for the triage of
 * earlier SBOMs of the same releases, then one statement each for new, seen-again and retracted findings — the
 * cost is the version evaluation in memory, not round trips (PGlite runs each statement in the same thread).
 */
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
  await lockMatching(tx);
  const keys = new Map<string, { e: string; n: string }>();
  for (const c of components) {
    keys.set(keyOf(c.match_ecosystem, c.match_name), { e: c.match_ecosystem, n: c.match_name });
  }
  const wanted = [...keys.values()];
  const rows = await tx.query<CandidateSql>(
    `SELECT a.id, a.vulnerability_id, p.match_ecosystem, p.match_name,
            coalesce(p.affected, (SELECT jsonb_agg(jsonb_build_object('index', x.i - 1, 'entry', x.e))
                                    FROM jsonb_array_elements(a.data::jsonb -> 'affected') WITH ORDINALITY AS x (e, i))::text)
              AS affected,
            v.cvss3_score, v.cvss4_score, v.qualitative_severity
       FROM unnest($1::text[], $2::text[]) AS k (e, n)
      CROSS JOIN LATERAL (SELECT * FROM advisory_packages p
                           WHERE p.match_ecosystem = k.e AND p.match_name = k.n OFFSET 0) AS p
       JOIN advisories a ON a.id = p.advisory_id
       JOIN vulnerabilities v ON v.id = a.vulnerability_id
      WHERE a.withdrawn_at IS NULL`,
    [wanted.map((k) => k.e), wanted.map((k) => k.n)],
  );
  // one candidate per advisory and package key, with the affected entries of every package row it has there
  const grouped = new Map<string, CandidateRow>();
  for (const r of rows) {
    const id = `${r.id}\u001f${keyOf(r.match_ecosystem, r.match_name)}`;
    let c = grouped.get(id);
    if (!c) {
      c = {
        id: r.id,
        vulnerability_id: r.vulnerability_id,
        match_ecosystem: r.match_ecosystem,
        match_name: r.match_name,
        cvss3_score: r.cvss3_score,
        cvss4_score: r.cvss4_score,
        qualitative_severity: r.qualitative_severity,
        entries: [],
      };
      grouped.set(id, c);
    }
    const entries = r.affected ? (JSON.parse(r.affected) as { index: number; entry: AffectedEntry }[]) : [];
    for (const e of entries) {
      if (!c.entries.some((x) => x.index === e.index)) {
        c.entries.push(e);
      }
    }
  }
  const candidates = [...grouped.values()];
  summary.advisories = new Set(candidates.map((c) => c.id)).size;
  const byKey = new Map<string, CandidateRow[]>();
  for (const c of candidates) {
    const k = keyOf(c.match_ecosystem, c.match_name);
    const list = byKey.get(k);
    if (list) {
      list.push(c);
    } else {
      byKey.set(k, [c]);
    }
  }
  const existing = await tx.query<{
    id: string;
    component_id: string;
    vulnerability_id: string;
    retracted_at: Date | null;
    match_kind: string;
  }>(
    `SELECT id, component_id, vulnerability_id, retracted_at, match_kind FROM findings
      WHERE component_id = ANY ($1::uuid[])`,
    [components.map((c) => c.id)],
  );
  const current = new Map<string, Map<string, (typeof existing)[number]>>();
  // a finding of another kind (CPE, vendor CSAF) already holds its component and vulnerability: left as it is
  const heldElsewhere = new Set<string>();
  for (const e of existing) {
    if (e.match_kind !== 'purl') {
      heldElsewhere.add(`${e.component_id}\u001f${e.vulnerability_id}`);
      continue;
    }
    const m = current.get(e.component_id) ?? new Map();
    m.set(e.vulnerability_id, e);
    current.set(e.component_id, m);
  }
  const now = deps.clock.now();
  const seen: { id: string; reason: unknown; confidence: number; advisory_id: string }[] = [];
  const fresh: {
    component: ComponentRow;
    advisory: CandidateRow;
    reason: unknown;
    confidence: number;
  }[] = [];
  const retract: string[] = [];
  const queries = new Map<string, PackageQuery | undefined>();
  for (const component of components) {
    let query = queries.get(component.purl);
    if (!queries.has(component.purl)) {
      query = packageQueryOfPurl(component.purl);
      queries.set(component.purl, query);
    }
    const hits = new Map<string, { advisory: CandidateRow; result: AffectedResult }>();
    for (const advisory of query
      ? (byKey.get(keyOf(component.match_ecosystem, component.match_name)) ?? [])
      : []) {
      if (hits.has(advisory.vulnerability_id)) {
        continue;
      }
      const result = evaluateCandidate(advisory, query as PackageQuery);
      if (result.status === 'affected') {
        hits.set(advisory.vulnerability_id, { advisory, result });
      }
    }
    const mine = current.get(component.id) ?? new Map<string, (typeof existing)[number]>();
    for (const [vulnerabilityId, { advisory, result }] of hits) {
      const best = result.matches.reduce(
        (a, b) => (RANK[b.confidence] > RANK[a.confidence] ? b : a),
        result.matches[0]!,
      );
      const reason = { advisory: advisory.id, purl: component.purl, ...best };
      const confidence = best.confidence === 'high' ? 0.95 : best.confidence === 'medium' ? 0.7 : 0.4;
      const found = mine.get(vulnerabilityId);
      if (found) {
        seen.push({ id: found.id, reason, confidence, advisory_id: advisory.id });
        mine.delete(vulnerabilityId);
      } else if (!heldElsewhere.has(`${component.id}\u001f${vulnerabilityId}`)) {
        fresh.push({ component, advisory, reason, confidence });
      }
    }
    for (const gone of mine.values()) {
      if (!gone.retracted_at) {
        retract.push(gone.id);
      }
    }
  }
  if (seen.length > 0) {
    await tx.query(
      `UPDATE findings f SET last_seen_at = $2, match_reason = r.reason, confidence = r.confidence,
              advisory_id = r.advisory_id, retracted_at = NULL
         FROM jsonb_to_recordset($1::jsonb) AS r (id uuid, reason jsonb, confidence numeric, advisory_id text)
        WHERE f.id = r.id`,
      [JSON.stringify(seen), now],
    );
    summary.updated = seen.length;
  }
  if (retract.length > 0) {
    await tx.query('UPDATE findings SET retracted_at = $2 WHERE id = ANY ($1::uuid[])', [retract, now]);
    summary.retracted = retract.length;
  }
  if (fresh.length > 0) {
    summary.created = await insertFindings(tx, fresh, now);
  }
  if (fresh.length >= ANALYZE_AFTER) {
    await analyzeTables(tx, ['findings (id, component_id, release_id, vulnerability_id)'], fresh.length);
  }
  return summary;
};

const FINDING_COLUMNS = [
  'id',
  'organization_id',
  'release_id',
  'component_id',
  'vulnerability_id',
  'advisory_id',
  'match_kind',
  'match_reason',
  'confidence',
  'due_date',
  'first_seen_at',
  'last_seen_at',
  'state',
  'justification',
  'impact_statement',
  'action_statement',
  'remediation',
  'patient_safety_impact',
  'cvss_environmental_vector',
  'cvss_environmental_score',
  'decided_by',
  'decided_at',
] as const;

/**
 * Serialises matching (until commit): two matches of the same components (an upload and the re-match after an
 * import) would otherwise both see no finding and both write one, or one retract what the other just wrote.
 */
const lockMatching = async (tx: Queryable): Promise<void> => {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('medsec.matching'))");
};

/** New findings, each with its due date from the organization's policy and the triage of an earlier SBOM. */
const insertFindings = async (
  tx: Queryable,
  fresh: { component: ComponentRow; advisory: CandidateRow; reason: unknown; confidence: number }[],
  now: Date,
): Promise<number> => {
  // a finding of the same release, vulnerability and package from an earlier SBOM keeps its triage
  const priors = await tx.query<PriorRow>(
    `SELECT DISTINCT ON (f.release_id, f.vulnerability_id, c.purl) f.release_id, f.vulnerability_id,
            c.purl AS prior_purl, f.due_date, f.first_seen_at, f.state, f.justification, f.impact_statement,
            f.action_statement, f.remediation, f.patient_safety_impact, f.cvss_environmental_vector,
            f.cvss_environmental_score, f.decided_by, f.decided_at
       FROM unnest($1::uuid[], $2::text[], $3::text[]) AS k (r, v, p)
      CROSS JOIN LATERAL (SELECT * FROM findings f
                           WHERE f.release_id = k.r AND f.vulnerability_id = k.v OFFSET 0) AS f
       JOIN sbom_components c ON c.id = f.component_id AND c.purl = k.p
      ORDER BY f.release_id, f.vulnerability_id, c.purl, f.last_seen_at DESC`,
    [
      fresh.map((f) => f.component.release_id),
      fresh.map((f) => f.advisory.vulnerability_id),
      fresh.map((f) => f.component.purl),
    ],
  );
  const priorOf = new Map(
    priors.map((p) => [`${p.release_id}\u001f${p.vulnerability_id}\u001f${p.prior_purl}`, p]),
  );
  const policies = new Map<string, Record<Severity, { fixDays: number }>>();
  for (const orgId of new Set(fresh.map((f) => f.component.organization_id))) {
    policies.set(orgId, await deadlinePolicyOf(tx, orgId));
  }
  const stamp = now.getTime();
  const lines = fresh.map(({ component, advisory, reason, confidence }) => {
    const prior = priorOf.get(
      `${component.release_id}\u001f${advisory.vulnerability_id}\u001f${component.purl}`,
    );
    const score =
      advisory.cvss3_score !== null
        ? Number(advisory.cvss3_score)
        : advisory.cvss4_score !== null
          ? Number(advisory.cvss4_score)
          : null;
    const due = dueDateOf(
      policies.get(component.organization_id) as Record<Severity, { fixDays: number }>,
      score !== null ? severityOf(score) : (advisory.qualitative_severity ?? severityOf(null)),
      now,
    );
    return copyLine([
      uuidv7(stamp),
      component.organization_id,
      component.release_id,
      component.id,
      advisory.vulnerability_id,
      advisory.id,
      'purl',
      JSON.stringify(reason),
      confidence,
      prior?.due_date ?? due,
      prior?.first_seen_at ?? now,
      now,
      prior?.state ?? 'under_investigation',
      prior?.justification ?? null,
      prior?.impact_statement ?? null,
      prior?.action_statement ?? null,
      prior?.remediation ?? 'none',
      prior?.patient_safety_impact ?? null,
      prior?.cvss_environmental_vector ?? null,
      prior?.cvss_environmental_score ?? null,
      prior?.decided_by ?? null,
      prior?.decided_at ?? null,
    ]);
  });
  // one finding per component and vulnerability (so per release): the caller left out the pairs that already have one, and
  // matching runs under one lock, so the COPY meets no conflicting row
  await tx.copyFrom('findings', FINDING_COLUMNS, lines.join(''));
  return lines.length;
};

const COMPONENTS = `
  SELECT c.id, c.organization_id, c.release_id, c.purl, c.match_ecosystem, c.match_name
    FROM sbom_components c JOIN sboms s ON s.id = c.sbom_id
   WHERE s.superseded_at IS NULL AND c.purl IS NOT NULL AND c.match_ecosystem IS NOT NULL`;

/** Matches every component of one SBOM (on upload): by package URL, then by CPE for components without one. */
export const matchSbom = (deps: Deps, sbomId: string): Promise<MatchSummary> =>
  deps.db.transaction(async (tx) => {
    const [size] = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sbom_components WHERE sbom_id = $1',
      [sbomId],
    );
    if ((size?.n ?? 0) >= ANALYZE_AFTER) {
      await analyzeTables(
        tx,
        ['sbom_components (id, sbom_id, match_ecosystem, match_name, cpe)', 'sbom_dependencies'],
        size?.n ?? 0,
      );
    }
    await lockMatching(tx);
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
  const unique = [...new Map(keys.map((k) => [keyOf(k.ecosystem, k.name), k])).values()];
  for (let i = 0; i < unique.length; i += 5000) {
    const chunk = unique.slice(i, i + 5000);
    const s = await deps.db.transaction(async (tx) =>
      matchComponents(
        deps,
        tx,
        await tx.query<ComponentRow>(
          `${COMPONENTS} AND (c.match_ecosystem, c.match_name) IN
             (SELECT e, n FROM unnest($1::text[], $2::text[]) AS k (e, n))`,
          [chunk.map((k) => k.ecosystem), chunk.map((k) => k.name)],
        ),
      ),
    );
    for (const k of Object.keys(total) as (keyof MatchSummary)[]) {
      total[k] += s[k];
    }
  }
  return total;
};
