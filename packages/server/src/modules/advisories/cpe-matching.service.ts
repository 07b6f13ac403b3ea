import { createHash } from 'node:crypto';
import {
  evaluateNvdConfigurations,
  type NvdConfiguration,
  nvdConfigurationsOf,
  scoreCvss,
  tryParseCpe,
  uuidv7,
} from '@medsec/core';
import type { Deps } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { canonicalJson } from '../../platform/audit/audit.chain.ts';
import { deadlinePolicyOf, dueDateOf, type Severity, severityOf } from '../findings/deadlines.ts';
import { lockAdvisoryWrites, vulnerabilityIdOf } from './advisories.sql.ts';
import { readAdvisoryDocuments } from './advisory.files.ts';

/**
 * NVD CVE records (API 2.0 JSON, offline) and CPE matching for components without a package URL — firmware, OS
 * parts, embedded libraries. Candidates come from an index on (vendor, product); core `evaluateNvdConfigurations`
 * decides with the configuration logic (AND/OR, negate, version bounds) and its false-positive guards. Only
 * `affected` outcomes become findings (match kind `cpe`, with the matched criterion and confidence).
 */
interface CpeComponentRow {
  id: string;
  organization_id: string;
  release_id: string;
  cpe: string;
  version: string | null;
}

const vendorProduct = (cpe: string): { vendor: string; product: string } | undefined => {
  const name = tryParseCpe(cpe, { lenient: true });
  const v = name?.vendor;
  const p = name?.product;
  // both must be concrete values: a wildcard vendor or product would match far too much (false positives)
  if (!v || !p || v.kind !== 'value' || p.kind !== 'value' || v.wildcards || p.wildcards) {
    return undefined;
  }
  return { vendor: v.quoted.toLowerCase(), product: p.quoted.toLowerCase() };
};

const metricVector = (
  metrics: Record<string, { cvssData?: { vectorString?: string } }[] | undefined>,
  keys: string[],
) => {
  for (const k of keys) {
    const v = metrics[k]?.[0]?.cvssData?.vectorString;
    if (v) {
      return v;
    }
  }
  return undefined;
};

/** Imports NVD API 2.0 documents (files or directories) and re-matches the CPE components they can affect. */
export const importNvd = async (deps: Deps, path: string) => {
  const counts = { read: 0, created: 0, changed: 0, unchanged: 0, refused: 0 };
  const pairs = new Map<string, { vendor: string; product: string }>();
  for await (const item of readAdvisoryDocuments(path)) {
    if (!item.ok) {
      counts.refused++;
      continue;
    }
    const doc = item.doc as { vulnerabilities?: { cve?: Record<string, unknown> }[] };
    for (const v of doc.vulnerabilities ?? []) {
      const cve = v.cve as {
        id?: string;
        published?: string;
        lastModified?: string;
        descriptions?: { lang: string; value: string }[];
        metrics?: Record<string, { cvssData?: { vectorString?: string } }[] | undefined>;
        weaknesses?: { description?: { value: string }[] }[];
      };
      counts.read++;
      if (!cve?.id || !/^CVE-\d{4}-\d+$/.test(cve.id)) {
        counts.refused++;
        continue;
      }
      let configurations: NvdConfiguration[];
      try {
        configurations = nvdConfigurationsOf(cve);
      } catch {
        counts.refused++;
        continue;
      }
      const v3 = metricVector(cve.metrics ?? {}, ['cvssMetricV31', 'cvssMetricV30']);
      const v4 = metricVector(cve.metrics ?? {}, ['cvssMetricV40']);
      const score = (vector: string | undefined) => {
        try {
          return vector ? scoreCvss(vector).baseScore : null;
        } catch {
          return null;
        }
      };
      const cwes = (cve.weaknesses ?? [])
        .flatMap((w) => (w.description ?? []).map((d) => d.value))
        .filter((c) => /^CWE-\d+$/.test(c));
      const summary = cve.descriptions?.find((d) => d.lang === 'en')?.value ?? null;
      const hash = createHash('sha256')
        .update(canonicalJson({ configurations, v3, v4, cwes, summary }))
        .digest('hex');
      const advisoryId = `NVD-${cve.id}`;
      const now = deps.clock.now();
      const keys = new Map<string, { vendor: string; product: string }>();
      for (const c of configurations) {
        for (const n of c.nodes) {
          for (const m of n.cpeMatch) {
            const vp = m.vulnerable ? vendorProduct(m.criteria) : undefined;
            if (vp) {
              keys.set(`${vp.vendor}:${vp.product}`, vp);
            }
          }
        }
      }
      const changed = await deps.db.transaction(async (tx) => {
        await lockAdvisoryWrites(tx);
        const [prev] = await tx.query<{ content_hash: string }>(
          'SELECT content_hash FROM advisories WHERE id = $1',
          [advisoryId],
        );
        if (prev?.content_hash === hash) {
          counts.unchanged++;
          return false;
        }
        const [existing] = await tx.query<{ id: string }>(`SELECT ${vulnerabilityIdOf('$1')} AS id`, [
          cve.id,
        ]);
        const vulnerabilityId = existing?.id ?? cve.id;
        await tx.query(
          `INSERT INTO vulnerabilities (id, summary, published, modified, cvss3_vector, cvss3_score, cvss4_vector, cvss4_score, cwes, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (id) DO UPDATE SET summary = coalesce(vulnerabilities.summary, EXCLUDED.summary),
             published = coalesce(vulnerabilities.published, EXCLUDED.published), modified = greatest(vulnerabilities.modified, EXCLUDED.modified),
             cvss3_vector = coalesce(EXCLUDED.cvss3_vector, vulnerabilities.cvss3_vector), cvss3_score = coalesce(EXCLUDED.cvss3_score, vulnerabilities.cvss3_score),
             cvss4_vector = coalesce(EXCLUDED.cvss4_vector, vulnerabilities.cvss4_vector), cvss4_score = coalesce(EXCLUDED.cvss4_score, vulnerabilities.cvss4_score),
             cwes = (SELECT array_agg(DISTINCT x) FROM unnest(vulnerabilities.cwes || EXCLUDED.cwes) x), updated_at = EXCLUDED.updated_at`,
          [
            vulnerabilityId,
            summary,
            cve.published ?? null,
            cve.lastModified ?? null,
            v3 ?? null,
            score(v3),
            v4 ?? null,
            score(v4),
            cwes,
            now,
          ],
        );
        await tx.query(
          `INSERT INTO advisories (id, source, vulnerability_id, aliases, modified, content_hash, data, imported_at)
           VALUES ($1, 'nvd', $2, $3, $4, $5, $6, $7)
           ON CONFLICT (id) DO UPDATE SET vulnerability_id = EXCLUDED.vulnerability_id, modified = EXCLUDED.modified,
             content_hash = EXCLUDED.content_hash, data = EXCLUDED.data, imported_at = EXCLUDED.imported_at`,
          [
            advisoryId,
            vulnerabilityId,
            [cve.id],
            cve.lastModified ?? null,
            hash,
            JSON.stringify({ configurations }),
            now,
          ],
        );
        await tx.query('DELETE FROM advisory_cpes WHERE advisory_id = $1', [advisoryId]);
        for (const k of keys.values()) {
          await tx.query(
            'INSERT INTO advisory_cpes (advisory_id, vendor, product, configurations) VALUES ($1, $2, $3, $4)',
            [advisoryId, k.vendor, k.product, JSON.stringify(configurations)],
          );
        }
        if (prev) {
          counts.changed++;
        } else {
          counts.created++;
        }
        return true;
      });
      if (changed) {
        for (const [k, vp] of keys) {
          pairs.set(k, vp);
        }
      }
    }
  }
  const rematch = await deps.db.transaction(async (tx) => matchCpe(deps, tx, [...pairs.values()]));
  return { ...counts, rematch };
};

/**
 * Matches CPE-identified components without an ecosystem package (firmware, OS parts) against NVD configurations,
 * for the given vendor/product pairs (all when `pairs` is undefined), or for one SBOM.
 */
export const matchCpe = async (
  deps: Deps,
  tx: Queryable,
  pairs: { vendor: string; product: string }[] | undefined,
  sbomId?: string,
) => {
  const summary = { components: 0, created: 0, updated: 0 };
  const rows = await tx.query<CpeComponentRow>(
    `SELECT c.id, c.organization_id, c.release_id, c.cpe, c.version FROM sbom_components c JOIN sboms s ON s.id = c.sbom_id
      WHERE s.superseded_at IS NULL AND c.cpe IS NOT NULL AND c.match_ecosystem IS NULL ${sbomId ? 'AND c.sbom_id = $1' : ''}`,
    sbomId ? [sbomId] : [],
  );
  const wanted = pairs ? new Set(pairs.map((p) => `${p.vendor}:${p.product}`)) : undefined;
  const now = deps.clock.now();
  const policies = new Map<string, Awaited<ReturnType<typeof deadlinePolicyOf>>>();
  for (const c of rows) {
    const vp = vendorProduct(c.cpe);
    if (!vp || (wanted && !wanted.has(`${vp.vendor}:${vp.product}`))) {
      continue;
    }
    summary.components++;
    const candidates = await tx.query<{
      advisory_id: string;
      vulnerability_id: string;
      configurations: NvdConfiguration[];
      cvss3_score: string | null;
      qualitative_severity: Severity | null;
    }>(
      `SELECT ac.advisory_id, a.vulnerability_id, ac.configurations, v.cvss3_score, v.qualitative_severity
         FROM advisory_cpes ac JOIN advisories a ON a.id = ac.advisory_id JOIN vulnerabilities v ON v.id = a.vulnerability_id
        WHERE ac.vendor = $1 AND ac.product = $2 AND a.withdrawn_at IS NULL`,
      [vp.vendor, vp.product],
    );
    for (const cand of candidates) {
      const result = evaluateNvdConfigurations(cand.configurations, [
        { cpe: c.cpe, ...(c.version ? { version: c.version } : {}), ref: c.id },
      ]);
      if (result.status !== 'affected' || result.matches.length === 0) {
        continue;
      }
      const best = result.matches[0]!;
      const confidence = best.confidence === 'high' ? 0.85 : best.confidence === 'medium' ? 0.6 : 0.35;
      const reason = { advisory: cand.advisory_id, cpe: c.cpe, ...best };
      const score = cand.cvss3_score === null ? null : Number(cand.cvss3_score);
      const severity = score !== null ? severityOf(score) : (cand.qualitative_severity ?? severityOf(null));
      const written = await tx.query<{ inserted: boolean }>(
        `INSERT INTO findings (id, organization_id, release_id, component_id, vulnerability_id, advisory_id, match_kind,
           match_reason, confidence, due_date, first_seen_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'cpe', $7, $8, $9, $10, $10)
         ON CONFLICT (component_id, vulnerability_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at,
           retracted_at = NULL
         RETURNING (xmax = 0) AS inserted`,
        [
          uuidv7(now.getTime()),
          c.organization_id,
          c.release_id,
          c.id,
          cand.vulnerability_id,
          cand.advisory_id,
          JSON.stringify(reason),
          confidence,
          dueDateOf(
            policies.get(c.organization_id) ??
              policies
                .set(c.organization_id, await deadlinePolicyOf(tx, c.organization_id))
                .get(c.organization_id)!,
            severity,
            now,
          ),
          now,
        ],
      );
      if (written[0]?.inserted) {
        summary.created++;
      } else {
        summary.updated++;
      }
    }
  }
  return summary;
};
