import { createHash } from 'node:crypto';
import { compareVersions, scoreCvss, uuidv7, versContains } from '@medsec/core';
import type { Deps } from '../../context.ts';
import { canonicalJson } from '../../platform/audit/audit.chain.ts';
import { DEFAULT_DEADLINES, dueDateOf, severityOf } from '../findings/deadlines.ts';
import { readAdvisoryDocuments } from './advisory.files.ts';

/**
 * Vendor CSAF 2.0 advisories (e.g. CISA's ICS-medical advisories): each vulnerability's known-affected products are
 * read from the product tree (vendor → product name → version or version range) and linked to SBOM components by
 * supplier, name and version. Medical-device advisories rarely carry a purl or CPE, so these matches are marked
 * `csaf` with low confidence and always name what they compared.
 */
interface CsafProduct {
  id: string;
  vendor: string | null;
  name: string | null;
  version: string | null;
  range: string | null;
}

const flatten = (
  branches: unknown[],
  trail: { vendor?: string; name?: string } = {},
  out: CsafProduct[] = [],
) => {
  for (const b of branches as {
    category?: string;
    name?: string;
    branches?: unknown[];
    product?: { product_id: string };
  }[]) {
    const next = { ...trail };
    if (b.category === 'vendor') {
      next.vendor = b.name;
    }
    if (b.category === 'product_name' || b.category === 'product_family') {
      next.name = b.name;
    }
    if (b.product) {
      out.push({
        id: b.product.product_id,
        vendor: next.vendor ?? null,
        name: next.name ?? null,
        version: b.category === 'product_version' ? (b.name ?? null) : null,
        range: b.category === 'product_version_range' ? (b.name ?? null) : null,
      });
    }
    flatten(b.branches ?? [], next, out);
  }
  return out;
};

const norm = (s: string | null | undefined) =>
  (s ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Whether a component version satisfies a CSAF product version or range (`vers:` or `<=3.64`-style). */
export const versionMatches = (p: CsafProduct, version: string | null): boolean => {
  if (p.version) {
    return version !== null && norm(p.version) === norm(version);
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

export const importCsaf = async (deps: Deps, path: string) => {
  const counts = { read: 0, created: 0, unchanged: 0, refused: 0, findings: 0 };
  for await (const item of readAdvisoryDocuments(path)) {
    counts.read++;
    const doc = item.ok
      ? (item.doc as {
          document?: { category?: string; tracking?: { id?: string } };
          product_tree?: { branches?: unknown[] };
          vulnerabilities?: unknown[];
        })
      : undefined;
    const trackingId = doc?.document?.tracking?.id;
    if (!doc || !trackingId || !String(doc.document?.category ?? '').startsWith('csaf_')) {
      counts.refused++;
      continue;
    }
    const products = new Map(flatten(doc.product_tree?.branches ?? []).map((p) => [p.id, p]));
    for (const v of (doc.vulnerabilities ?? []) as {
      cve?: string;
      title?: string;
      cwe?: { id: string };
      scores?: { cvss_v3?: { vectorString?: string } }[];
      product_status?: { known_affected?: string[] };
    }[]) {
      const vid = v.cve ?? `${trackingId}`;
      const advisoryId = `CSAF-${trackingId}${v.cve ? `:${v.cve}` : ''}`;
      const affected = (v.product_status?.known_affected ?? [])
        .map((id) => products.get(id))
        .filter((p): p is CsafProduct => !!p);
      const vector = v.scores?.find((s) => s.cvss_v3?.vectorString)?.cvss_v3?.vectorString;
      let score: number | null = null;
      try {
        score = vector ? scoreCvss(vector).baseScore : null;
      } catch {
        score = null;
      }
      const hash = createHash('sha256').update(canonicalJson({ v, affected })).digest('hex');
      const now = deps.clock.now();
      await deps.db.transaction(async (tx) => {
        const [prev] = await tx.query<{ content_hash: string }>(
          'SELECT content_hash FROM advisories WHERE id = $1',
          [advisoryId],
        );
        if (prev?.content_hash === hash) {
          counts.unchanged++;
          return;
        }
        const [existing] = await tx.query<{ id: string }>(
          'SELECT id FROM vulnerabilities WHERE id = $1 OR $1 = ANY (aliases) ORDER BY (id = $1) DESC LIMIT 1',
          [vid],
        );
        const vulnerabilityId = existing?.id ?? vid;
        await tx.query(
          `INSERT INTO vulnerabilities (id, summary, cvss3_vector, cvss3_score, cwes, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (id) DO UPDATE SET summary = coalesce(vulnerabilities.summary, EXCLUDED.summary),
             cvss3_vector = coalesce(vulnerabilities.cvss3_vector, EXCLUDED.cvss3_vector),
             cvss3_score = coalesce(vulnerabilities.cvss3_score, EXCLUDED.cvss3_score), updated_at = EXCLUDED.updated_at`,
          [vulnerabilityId, v.title ?? null, vector ?? null, score, v.cwe ? [v.cwe.id] : [], now],
        );
        await tx.query(
          `INSERT INTO advisories (id, source, vulnerability_id, aliases, content_hash, data, imported_at)
           VALUES ($1, 'csaf', $2, $3, $4, $5, $6)
           ON CONFLICT (id) DO UPDATE SET content_hash = EXCLUDED.content_hash, data = EXCLUDED.data, imported_at = EXCLUDED.imported_at`,
          [advisoryId, vulnerabilityId, [trackingId], hash, JSON.stringify({ trackingId, affected }), now],
        );
        counts.created++;
        // link to components: supplier ~ vendor, name ~ product name, version within the product's version/range
        const components = await tx.query<{
          id: string;
          organization_id: string;
          release_id: string;
          name: string;
          version: string | null;
          supplier: string | null;
        }>(
          `SELECT c.id, c.organization_id, c.release_id, c.name, c.version, c.supplier FROM sbom_components c
             JOIN sboms s ON s.id = c.sbom_id WHERE s.superseded_at IS NULL AND lower(c.name) = ANY ($1)`,
          [[...new Set(affected.map((p) => (p.name ?? '').toLowerCase()))]],
        );
        for (const c of components) {
          const product = affected.find(
            (p) =>
              norm(p.name) === norm(c.name) &&
              (!p.vendor ||
                !c.supplier ||
                norm(c.supplier).includes(norm(p.vendor)) ||
                norm(p.vendor).includes(norm(c.supplier))) &&
              versionMatches(p, c.version),
          );
          if (!product) {
            continue;
          }
          await tx.query(
            `INSERT INTO findings (id, organization_id, release_id, component_id, vulnerability_id, advisory_id, match_kind,
               match_reason, confidence, due_date, first_seen_at, last_seen_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'csaf', $7, 0.3, $8, $9, $9)
             ON CONFLICT (release_id, component_id, vulnerability_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at, retracted_at = NULL`,
            [
              uuidv7(now.getTime()),
              c.organization_id,
              c.release_id,
              c.id,
              vulnerabilityId,
              advisoryId,
              JSON.stringify({
                advisory: advisoryId,
                reason: 'vendor-product',
                vendor: product.vendor,
                product: product.name,
                version: product.version ?? product.range,
                confidence: 'low',
                notes: ['matched by supplier, name and version; the advisory gives no purl or CPE'],
              }),
              dueDateOf(DEFAULT_DEADLINES, severityOf(score), now),
              now,
            ],
          );
          counts.findings++;
        }
      });
    }
  }
  return counts;
};
