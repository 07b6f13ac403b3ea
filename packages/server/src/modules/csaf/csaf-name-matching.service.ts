import { compareVersions, uuidv7, versContains } from '@medsec/core';
import type { Deps } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { deadlinePolicyOf, dueDateOf, type Severity, severityOf } from '../findings/deadlines.ts';

/**
 * Vendor-CSAF matching by name: products of a CSAF advisory that carry neither a purl nor a CPE helper (most
 * medical-device advisories) are kept in `csaf_name_products` and compared with SBOM components by product name,
 * supplier ~ vendor and version within the product's version or range. A match is low-confidence: it becomes a
 * finding with `review_status = 'pending'` (the review queue, csaf-review.service.ts), not a listed finding.
 *
 * One function serves both directions (ADR 0012): on import, the new advisories' products × every current component;
 * after an SBOM upload (the `sbom.match` job), that SBOM's components × every stored product. Re-running is
 * idempotent — an existing match is only seen again — and a decision is kept: a candidate whose vulnerability was
 * dismissed for a component of the same name and version in an earlier SBOM of the release is not proposed again;
 * one that was confirmed there becomes a confirmed finding with the earlier triage (as purl matching carries triage
 * over to a new SBOM).
 */

/** A vendor-CSAF product known by vendor, product name and version or version range only. */
export interface CsafNameProduct {
  productId: string;
  vendor: string | null;
  name: string | null;
  version: string | null;
  range: string | null;
}

export interface CsafNameMatchSummary {
  /** Component × vulnerability pairs the products name. */
  candidates: number;
  /** New pending matches (review queue). */
  created: number;
  /** Matches that already existed (seen again). */
  updated: number;
  /** New confirmed findings: the same component was confirmed in an earlier SBOM of the release. */
  carried: number;
  /** Not proposed: dismissed for the same component in an earlier SBOM of the release. */
  dismissedBefore: number;
}

/**
 * The lookup key of a product or component name: lower case, every run of characters other than a-z and 0-9 as
 * one space, trimmed. SQL computes the same with `btrim(regexp_replace(lower(x), '[^a-z0-9]+', ' ', 'g'))`.
 */
const csafNameKey = (s: string | null | undefined): string =>
  (s ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const NAME_KEY_SQL = (column: string) => `btrim(regexp_replace(lower(${column}), '[^a-z0-9]+', ' ', 'g'))`;

/** Whether a component version satisfies a CSAF product version or range (`vers:` or `<=3.64`-style). */
const csafVersionMatches = (
  p: { version: string | null; range: string | null },
  version: string | null,
): boolean => {
  if (p.version) {
    return version !== null && csafNameKey(p.version) === csafNameKey(version);
  }
  const range = p.range?.trim();
  if (!range) {
    return false;
  }
  if (range.startsWith('vers:')) {
    if (/^vers:[^/]+\/\*$/.test(range)) {
      return true;
    }
    try {
      return version !== null && versContains(range, version);
    } catch {
      return false;
    }
  }
  const m = /^(<=|<|>=|>|=)\s*(\S+)$/.exec(range);
  if (!m || version === null) {
    return false;
  }
  const c = compareVersions('generic', version, m[2]!);
  return m[1] === '<='
    ? c <= 0
    : m[1] === '<'
      ? c < 0
      : m[1] === '>='
        ? c >= 0
        : m[1] === '>'
          ? c > 0
          : c === 0;
};

/** Supplier ~ vendor: either contains the other (after `csafNameKey`); unknown on either side does not exclude. */
const vendorMatches = (vendor: string | null, supplier: string | null): boolean => {
  const v = csafNameKey(vendor);
  const s = csafNameKey(supplier);
  return !v || !s || s.includes(v) || v.includes(s);
};

/**
 * Replaces the name-only products of one advisory (called by the import, in its transaction). Products without a
 * name are left out: nothing could be compared with them. Returns how many rows the advisory has now.
 */
export const replaceCsafNameProducts = async (
  tx: Queryable,
  advisoryId: string,
  products: CsafNameProduct[],
): Promise<number> => {
  await tx.query('DELETE FROM csaf_name_products WHERE advisory_id = $1', [advisoryId]);
  const rows = [
    ...new Map(
      products
        .filter((p) => csafNameKey(p.name) !== '')
        .map((p) => [
          p.productId,
          {
            product_id: p.productId,
            vendor: p.vendor,
            name: p.name,
            name_key: csafNameKey(p.name),
            version: p.version,
            version_range: p.range,
          },
        ]),
    ).values(),
  ];
  if (rows.length > 0) {
    await tx.query(
      `INSERT INTO csaf_name_products (advisory_id, product_id, vendor, name, name_key, version, version_range)
       SELECT $2, r.product_id, r.vendor, r.name, r.name_key, r.version, r.version_range
         FROM jsonb_to_recordset($1::jsonb) AS r (product_id text, vendor text, name text, name_key text,
              version text, version_range text)`,
      [JSON.stringify(rows), advisoryId],
    );
  }
  return rows.length;
};

interface ProductRow {
  advisory_id: string;
  product_id: string;
  vendor: string | null;
  name: string;
  name_key: string;
  version: string | null;
  version_range: string | null;
  vulnerability_id: string;
  cvss3_score: string | null;
  cvss4_score: string | null;
  qualitative_severity: Severity | null;
}

interface ComponentRow {
  id: string;
  organization_id: string;
  release_id: string;
  name: string;
  version: string | null;
  supplier: string | null;
}

interface Candidate {
  component: ComponentRow;
  product: ProductRow;
}

const PRODUCTS = `
  SELECT p.advisory_id, p.product_id, p.vendor, p.name, p.name_key, p.version, p.version_range, a.vulnerability_id,
         v.cvss3_score, v.cvss4_score, v.qualitative_severity
    FROM csaf_name_products p
    JOIN advisories a ON a.id = p.advisory_id AND a.withdrawn_at IS NULL
    JOIN vulnerabilities v ON v.id = a.vulnerability_id`;

/** Components of current SBOMs only. */
const COMPONENTS = `
  SELECT c.id, c.organization_id, c.release_id, c.name, c.version, c.supplier
    FROM sbom_components c JOIN sboms s ON s.id = c.sbom_id
   WHERE s.superseded_at IS NULL`;

interface DecidedRow {
  release_id: string;
  vulnerability_id: string;
  component_id: string;
  name: string;
  version: string | null;
  review_status: 'confirmed' | 'dismissed';
  review_reason: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
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
  due_date: string | null;
  first_seen_at: Date;
}

const sep = '\u001f';

/**
 * Compares stored name-only CSAF products with current SBOM components and writes the review-queue entries, in the
 * caller's transaction. `advisoryIds`: those advisories' products against every current component (import);
 * `sbomId`: that SBOM's components against every stored product (upload). Withdrawn advisories are left out.
 */
export const matchCsafNameProducts = async (
  deps: Deps,
  tx: Queryable,
  scope: { advisoryIds: string[] } | { sbomId: string },
): Promise<CsafNameMatchSummary> => {
  const summary: CsafNameMatchSummary = {
    candidates: 0,
    created: 0,
    updated: 0,
    carried: 0,
    dismissedBefore: 0,
  };
  const bySbom = 'sbomId' in scope;
  if (!bySbom && scope.advisoryIds.length === 0) {
    return summary;
  }
  // two steps with plain plans (no join of components with products the planner could turn into repeated scans):
  // the products, then the components whose name key one of them has — or the other way round for one SBOM
  let products: ProductRow[];
  let components: ComponentRow[];
  if (bySbom) {
    components = await tx.query<ComponentRow>(`${COMPONENTS} AND c.sbom_id = $1::uuid`, [scope.sbomId]);
    const keys = [...new Set(components.map((c) => csafNameKey(c.name)))].filter((k) => k !== '');
    products =
      keys.length > 0
        ? await tx.query<ProductRow>(`${PRODUCTS} WHERE p.name_key = ANY ($1::text[])`, [keys])
        : [];
  } else {
    products = await tx.query<ProductRow>(`${PRODUCTS} WHERE p.advisory_id = ANY ($1::text[])`, [
      scope.advisoryIds,
    ]);
    const keys = [...new Set(products.map((p) => p.name_key))];
    components =
      keys.length > 0
        ? await tx.query<ComponentRow>(`${COMPONENTS} AND ${NAME_KEY_SQL('c.name')} = ANY ($1::text[])`, [
            keys,
          ])
        : [];
  }
  const order = (p: ProductRow) => `${p.advisory_id}${sep}${p.product_id}`;
  const productsOf = new Map<string, ProductRow[]>();
  for (const p of products.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))) {
    const list = productsOf.get(p.name_key);
    if (list) {
      list.push(p);
    } else {
      productsOf.set(p.name_key, [p]);
    }
  }
  // one candidate per component and vulnerability: the first product (by advisory and product id) that matches
  const candidates = new Map<string, Candidate>();
  for (const c of components) {
    for (const p of productsOf.get(csafNameKey(c.name)) ?? []) {
      const key = `${c.id}${sep}${p.vulnerability_id}`;
      if (
        !candidates.has(key) &&
        vendorMatches(p.vendor, c.supplier) &&
        csafVersionMatches({ version: p.version, range: p.version_range }, c.version)
      ) {
        candidates.set(key, { component: c, product: p });
      }
    }
  }
  const all = [...candidates.values()];
  summary.candidates = all.length;
  if (all.length === 0) {
    return summary;
  }
  // findings these components already have for these vulnerabilities (any match kind: a purl or CPE finding wins)
  const existing = await tx.query<{
    id: string;
    component_id: string;
    vulnerability_id: string;
    match_kind: string;
  }>(
    `SELECT f.id, f.component_id, f.vulnerability_id, f.match_kind FROM findings f
       JOIN unnest($1::uuid[], $2::text[]) AS k (c, v) ON f.component_id = k.c AND f.vulnerability_id = k.v`,
    [all.map((c) => c.component.id), all.map((c) => c.product.vulnerability_id)],
  );
  const existingOf = new Map(existing.map((e) => [`${e.component_id}${sep}${e.vulnerability_id}`, e]));
  // decisions on the same vulnerability for a component of the same name and version in an earlier SBOM of the
  // release (an SBOM upload gives every component a new id); the latest decision counts
  const releasePairs = [
    ...new Set(all.map((c) => `${c.component.release_id}${sep}${c.product.vulnerability_id}`)),
  ].map((k) => k.split(sep));
  const decided = await tx.query<DecidedRow>(
    `SELECT f.release_id, f.vulnerability_id, f.component_id, c.name, c.version, f.review_status, f.review_reason,
            f.reviewed_by, f.reviewed_at, f.state, f.justification, f.impact_statement, f.action_statement,
            f.remediation, f.patient_safety_impact, f.cvss_environmental_vector, f.cvss_environmental_score,
            f.decided_by, f.decided_at, f.due_date::text AS due_date, f.first_seen_at
       FROM unnest($1::uuid[], $2::text[]) AS k (r, v)
       JOIN findings f ON f.release_id = k.r AND f.vulnerability_id = k.v
       JOIN sbom_components c ON c.id = f.component_id
      WHERE f.match_kind = 'csaf' AND f.review_status IN ('confirmed', 'dismissed')
      ORDER BY f.reviewed_at DESC NULLS LAST, f.id DESC`,
    [releasePairs.map((p) => p[0]), releasePairs.map((p) => p[1])],
  );
  const decisionOf = new Map<string, DecidedRow>();
  for (const d of decided) {
    const key = [d.release_id, d.vulnerability_id, csafNameKey(d.name), d.version ?? ''].join(sep);
    if (!decisionOf.has(key)) {
      decisionOf.set(key, d);
    }
  }
  const now = deps.clock.now();
  const seen: string[] = [];
  const fresh: Record<string, unknown>[] = [];
  const policies = new Map<string, Record<Severity, { fixDays: number }>>();
  for (const { component: c, product: p } of all) {
    const found = existingOf.get(`${c.id}${sep}${p.vulnerability_id}`);
    if (found) {
      if (found.match_kind === 'csaf') {
        seen.push(found.id);
      }
      continue;
    }
    const prior = decisionOf.get(
      [c.release_id, p.vulnerability_id, csafNameKey(c.name), c.version ?? ''].join(sep),
    );
    if (prior?.review_status === 'dismissed') {
      summary.dismissedBefore++;
      continue;
    }
    let policy = policies.get(c.organization_id);
    if (!policy) {
      policy = await deadlinePolicyOf(tx, c.organization_id);
      policies.set(c.organization_id, policy);
    }
    const score =
      p.cvss3_score !== null ? Number(p.cvss3_score) : p.cvss4_score !== null ? Number(p.cvss4_score) : null;
    const severity = score !== null ? severityOf(score) : (p.qualitative_severity ?? severityOf(null));
    fresh.push({
      id: uuidv7(now.getTime()),
      organization_id: c.organization_id,
      release_id: c.release_id,
      component_id: c.id,
      vulnerability_id: p.vulnerability_id,
      advisory_id: p.advisory_id,
      match_reason: {
        advisory: p.advisory_id,
        reason: 'vendor-product',
        vendor: p.vendor,
        product: p.name,
        version: p.version ?? p.version_range,
        confidence: 'low',
        notes: ['matched by supplier, name and version; the advisory gives no purl or CPE'],
      },
      due_date: prior?.due_date ?? dueDateOf(policy, severity, now),
      first_seen_at: prior?.first_seen_at ?? now,
      review_status: prior ? 'confirmed' : 'pending',
      review_reason: prior?.review_reason ?? null,
      reviewed_by: prior?.reviewed_by ?? null,
      reviewed_at: prior?.reviewed_at ?? null,
      state: prior?.state ?? 'under_investigation',
      justification: prior?.justification ?? null,
      impact_statement: prior?.impact_statement ?? null,
      action_statement: prior?.action_statement ?? null,
      remediation: prior?.remediation ?? 'none',
      patient_safety_impact: prior?.patient_safety_impact ?? null,
      cvss_environmental_vector: prior?.cvss_environmental_vector ?? null,
      cvss_environmental_score: prior?.cvss_environmental_score ?? null,
      decided_by: prior?.decided_by ?? null,
      decided_at: prior?.decided_at ?? null,
    });
  }
  if (seen.length > 0) {
    // a dismissed match stays retracted
    await tx.query(
      `UPDATE findings SET last_seen_at = $2,
              retracted_at = CASE WHEN review_status = 'dismissed' THEN retracted_at ELSE NULL END
        WHERE id = ANY ($1::uuid[])`,
      [seen, now],
    );
    summary.updated = seen.length;
  }
  if (fresh.length > 0) {
    const inserted = await tx.query<{ review_status: string }>(
      `INSERT INTO findings (id, organization_id, release_id, component_id, vulnerability_id, advisory_id, match_kind,
         match_reason, confidence, due_date, first_seen_at, last_seen_at, review_status, review_reason, reviewed_by,
         reviewed_at, state, justification, impact_statement, action_statement, remediation, patient_safety_impact,
         cvss_environmental_vector, cvss_environmental_score, decided_by, decided_at)
       SELECT r.id, r.organization_id, r.release_id, r.component_id, r.vulnerability_id, r.advisory_id, 'csaf',
              r.match_reason, 0.3, r.due_date, r.first_seen_at, $2, r.review_status, r.review_reason, r.reviewed_by,
              r.reviewed_at, r.state, r.justification, r.impact_statement, r.action_statement, r.remediation,
              r.patient_safety_impact, r.cvss_environmental_vector, r.cvss_environmental_score, r.decided_by,
              r.decided_at
         FROM jsonb_to_recordset($1::jsonb) AS r (id uuid, organization_id uuid, release_id uuid, component_id uuid,
              vulnerability_id text, advisory_id text, match_reason jsonb, due_date date, first_seen_at timestamptz,
              review_status text, review_reason text, reviewed_by uuid, reviewed_at timestamptz, state text,
              justification text, impact_statement text, action_statement text, remediation text,
              patient_safety_impact text, cvss_environmental_vector text, cvss_environmental_score numeric,
              decided_by uuid, decided_at timestamptz)
       ON CONFLICT (component_id, vulnerability_id) DO NOTHING
       RETURNING review_status`,
      [JSON.stringify(fresh), now],
    );
    summary.created = inserted.filter((r) => r.review_status === 'pending').length;
    summary.carried = inserted.length - summary.created;
  }
  return summary;
};

/**
 * Name matching for one uploaded SBOM against every stored name-only CSAF product (the `sbom.match` job runs it
 * after the purl and CPE matchers), in its own transaction. A superseded SBOM matches nothing.
 */
export const matchCsafNamesOfSbom = (deps: Deps, sbomId: string): Promise<CsafNameMatchSummary> =>
  deps.db.transaction((tx) => matchCsafNameProducts(deps, tx, { sbomId }));
