import { createHash } from 'node:crypto';
import {
  formatCpe,
  type NvdConfiguration,
  normalizePackageName,
  type OsvAdvisory,
  type OsvAffected,
  packageFromPurl,
  parseVers,
  scoreCvss,
  splitEcosystem,
  tryParseCpe,
} from '@medsec/core';
import type { Deps } from '../../context.ts';
import { canonicalJson } from '../../platform/audit/audit.chain.ts';
import { matchCsafNameProducts, replaceCsafNameProducts } from '../csaf/csaf-name-matching.service.ts';
import { lockAdvisoryWrites, vulnerabilityIdOf } from './advisories.sql.ts';
import { readAdvisoryDocuments } from './advisory.files.ts';
import { matchCpe } from './cpe-matching.service.ts';
import { rematchKeys } from './matching.service.ts';

/**
 * Vendor CSAF 2.0 advisories (e.g. CISA's ICS-medical advisories). Each vulnerability's affected products
 * (known_affected, first_affected, last_affected) are read from the product tree (vendor → product name → version or
 * version range, plus `full_product_names`), and linked to SBOM components in one of three ways:
 * - a product with a `product_identification_helper.purl` becomes an OSV-shaped affected package of the advisory
 *   (`advisory_packages`), matched by the regular purl matcher (`rematchKeys`: ecosystem order, match kind `purl`);
 * - a product with a `cpe` helper becomes an NVD-shaped configuration (`advisory_cpes`), matched by the regular CPE
 *   matcher (`matchCpe`, components without a purl, match kind `cpe`);
 * - any other product is compared by supplier, name and version: medical-device advisories rarely carry a purl or
 *   CPE, so these matches are marked `csaf` with low confidence, always name what they compared, and wait in the
 *   review queue (`review_status = 'pending'`) until a person confirms or dismisses them. A dismissed match stays
 *   retracted when the advisory is imported again. These products are kept in `csaf_name_products` and compared by
 *   `csaf/csaf-name-matching.service.ts`, here and after every SBOM upload.
 * All three kinds also match SBOMs uploaded later (the matchers see the advisory's index rows).
 */
interface CsafProduct {
  id: string;
  vendor: string | null;
  name: string | null;
  version: string | null;
  range: string | null;
  purl: string | null;
  cpe: string | null;
}

type Helper = { purl?: unknown; cpe?: unknown } | undefined;
const helperOf = (h: Helper) => ({
  purl: typeof h?.purl === 'string' && h.purl.startsWith('pkg:') ? h.purl : null,
  cpe: typeof h?.cpe === 'string' && h.cpe.toLowerCase().startsWith('cpe:') ? h.cpe : null,
});

const flatten = (
  branches: unknown[],
  trail: { vendor?: string; name?: string } = {},
  out: CsafProduct[] = [],
) => {
  for (const b of branches as {
    category?: string;
    name?: string;
    branches?: unknown[];
    product?: { product_id: string; product_identification_helper?: Helper };
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
        ...helperOf(b.product.product_identification_helper),
      });
    }
    flatten(b.branches ?? [], next, out);
  }
  return out;
};

/** Products named outside the branches (`full_product_names`): identified by their helper only. */
const fullProductNames = (tree: { full_product_names?: unknown[] } | undefined): CsafProduct[] =>
  (
    (tree?.full_product_names ?? []) as {
      product_id: string;
      name?: string;
      product_identification_helper?: Helper;
    }[]
  )
    .filter((p) => typeof p?.product_id === 'string')
    .map((p) => ({
      id: p.product_id,
      vendor: null,
      name: p.name ?? null,
      version: null,
      range: null,
      ...helperOf(p.product_identification_helper),
    }));

/**
 * A CSAF version range as one interval: lower bound (inclusive) and upper bound (exclusive `<` or inclusive `<=`).
 * Undefined for what an interval cannot say (an exclusive lower bound, several intervals, `!=`).
 */
const intervalOf = (
  range: string | null,
): { lower: string | null; upper: { version: string; inclusive: boolean } | null } | undefined => {
  const text = range?.trim();
  if (!text) {
    return undefined;
  }
  let constraints: { comparator: string; version: string }[];
  if (text.startsWith('vers:')) {
    try {
      const vers = parseVers(text);
      if (vers.all) {
        return { lower: null, upper: null };
      }
      constraints = vers.constraints;
    } catch {
      return undefined;
    }
  } else {
    const m = /^(<=|<|>=)\s*(\S+)$/.exec(text);
    if (!m) {
      return undefined;
    }
    constraints = [{ comparator: m[1]!, version: m[2]! }];
  }
  const lower = constraints.filter((c) => c.comparator === '>=');
  const upper = constraints.filter((c) => c.comparator === '<' || c.comparator === '<=');
  if (lower.length > 1 || upper.length > 1 || lower.length + upper.length !== constraints.length) {
    return undefined;
  }
  return {
    lower: lower[0]?.version ?? null,
    upper: upper[0] ? { version: upper[0].version, inclusive: upper[0].comparator === '<=' } : null,
  };
};

/** The OSV affected entry a purl-identified product stands for (its exact version, or its range). */
const osvAffectedOf = (p: CsafProduct): OsvAffected | undefined => {
  const pkg = p.purl ? packageFromPurl(p.purl) : undefined;
  if (!pkg) {
    return undefined;
  }
  const base = {
    package: { ecosystem: pkg.ecosystem, name: pkg.name, purl: p.purl! },
    severity: [],
  };
  const version = pkg.version ?? p.version;
  if (version) {
    return { ...base, versions: [version], ranges: [] };
  }
  const interval = intervalOf(p.range);
  if (!interval) {
    return undefined;
  }
  const events = [
    { kind: 'introduced' as const, version: interval.lower ?? '0' },
    ...(interval.upper
      ? [
          {
            kind: interval.upper.inclusive ? ('last_affected' as const) : ('fixed' as const),
            version: interval.upper.version,
          },
        ]
      : []),
  ];
  return { ...base, versions: [], ranges: [{ type: 'ECOSYSTEM', events }] };
};

/** The NVD configuration a CPE-identified product stands for (the CPE's version, or the product's range). */
const cpeConfigurationOf = (
  p: CsafProduct,
): { vendor: string; product: string; configuration: NvdConfiguration } | undefined => {
  const name = p.cpe ? tryParseCpe(p.cpe, { lenient: true }) : undefined;
  const v = name?.vendor;
  const pr = name?.product;
  if (!name || !v || !pr || v.kind !== 'value' || pr.kind !== 'value' || v.wildcards || pr.wildcards) {
    return undefined;
  }
  const criteria = formatCpe(name);
  const bounds: Record<string, string> = {};
  if (name.version.kind !== 'value') {
    const interval = intervalOf(p.range);
    if (p.version) {
      bounds.versionStartIncluding = p.version;
      bounds.versionEndIncluding = p.version;
    } else if (interval) {
      if (interval.lower) {
        bounds.versionStartIncluding = interval.lower;
      }
      if (interval.upper) {
        bounds[interval.upper.inclusive ? 'versionEndIncluding' : 'versionEndExcluding'] =
          interval.upper.version;
      }
    } else {
      return undefined; // a CPE for every version without a range the product states: too broad
    }
  }
  return {
    vendor: v.quoted.toLowerCase(),
    product: pr.quoted.toLowerCase(),
    configuration: {
      operator: 'OR',
      negate: false,
      nodes: [{ operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria, ...bounds }] }],
    },
  };
};

export interface CsafImportCounts {
  read: number;
  created: number;
  unchanged: number;
  refused: number;
  /** Components linked by supplier, name and version (waiting for review). */
  findings: number;
  /** Products matched through the regular matchers: with a purl, with a CPE. */
  purlProducts: number;
  cpeProducts: number;
  /** Findings the regular matchers created from purl and CPE products. */
  purlFindings: number;
  cpeFindings: number;
}

export const importCsaf = async (deps: Deps, path: string): Promise<CsafImportCounts> => {
  const counts: CsafImportCounts = {
    read: 0,
    created: 0,
    unchanged: 0,
    refused: 0,
    findings: 0,
    purlProducts: 0,
    cpeProducts: 0,
    purlFindings: 0,
    cpeFindings: 0,
  };
  const purlKeys = new Map<string, { ecosystem: string; name: string }>();
  const cpePairs = new Map<string, { vendor: string; product: string }>();
  const nameAdvisories: string[] = [];
  for await (const item of readAdvisoryDocuments(path)) {
    counts.read++;
    const doc = item.ok
      ? (item.doc as {
          document?: { category?: string; tracking?: { id?: string; current_release_date?: string } };
          product_tree?: { branches?: unknown[]; full_product_names?: unknown[] };
          vulnerabilities?: unknown[];
        })
      : undefined;
    const trackingId = doc?.document?.tracking?.id;
    if (!doc || !trackingId || !String(doc.document?.category ?? '').startsWith('csaf_')) {
      counts.refused++;
      continue;
    }
    const products = new Map(
      [...flatten(doc.product_tree?.branches ?? []), ...fullProductNames(doc.product_tree)].map((p) => [
        p.id,
        p,
      ]),
    );
    for (const v of (doc.vulnerabilities ?? []) as {
      cve?: string;
      title?: string;
      cwe?: { id: string };
      scores?: { cvss_v3?: { vectorString?: string } }[];
      product_status?: { known_affected?: string[]; first_affected?: string[]; last_affected?: string[] };
    }[]) {
      const vid = v.cve ?? `${trackingId}`;
      const advisoryId = `CSAF-${trackingId}${v.cve ? `:${v.cve}` : ''}`;
      const status = v.product_status ?? {};
      const affected = [
        ...new Set([
          ...(status.known_affected ?? []),
          ...(status.first_affected ?? []),
          ...(status.last_affected ?? []),
        ]),
      ]
        .map((id) => products.get(id))
        .filter((p): p is CsafProduct => !!p);
      const purlEntries = affected.flatMap((p) => {
        const a = osvAffectedOf(p);
        return a ? [{ id: p.id, entry: a }] : [];
      });
      const byPurl = purlEntries.map((e) => e.entry);
      const purlIds = new Set(purlEntries.map((e) => e.id));
      const byCpe = affected
        .filter((p) => !purlIds.has(p.id))
        .flatMap((p) => {
          const c = cpeConfigurationOf(p);
          return c ? [{ id: p.id, ...c }] : [];
        });
      const cpeIds = new Set(byCpe.map((c) => c.id));
      const byName = affected.filter((p) => !purlIds.has(p.id) && !cpeIds.has(p.id));
      const vector = v.scores?.find((s) => s.cvss_v3?.vectorString)?.cvss_v3?.vectorString;
      let score: number | null = null;
      try {
        score = vector ? scoreCvss(vector).baseScore : null;
      } catch {
        score = null;
      }
      const hash = createHash('sha256').update(canonicalJson({ v, affected })).digest('hex');
      const now = deps.clock.now();
      // the OSV shape the purl matcher evaluates; each entry also names the CSAF product (vendor, name, version or
      // range, helpers) for the vulnerability page; entries without a package are skipped by the matcher
      const entries = affected.map((p) => ({
        ...(purlEntries.find((e) => e.id === p.id)?.entry ?? { versions: [], ranges: [], severity: [] }),
        productId: p.id,
        vendor: p.vendor,
        name: p.name,
        version: p.version,
        range: p.range,
        purl: p.purl,
        cpe: p.cpe,
      }));
      const data: Omit<OsvAdvisory, 'affected'> & { affected: typeof entries; trackingId: string } = {
        id: advisoryId,
        modified: doc.document?.tracking?.current_release_date ?? now.toISOString(),
        aliases: v.cve ? [v.cve] : [],
        related: [],
        upstream: [],
        severity: [],
        affected: entries,
        references: [],
        cwes: v.cwe ? [v.cwe.id] : [],
        ...(v.title ? { summary: v.title } : {}),
        trackingId,
      };
      const written = await deps.db.transaction(async (tx) => {
        await lockAdvisoryWrites(tx);
        const [prev] = await tx.query<{ content_hash: string }>(
          'SELECT content_hash FROM advisories WHERE id = $1',
          [advisoryId],
        );
        if (prev?.content_hash === hash) {
          counts.unchanged++;
          return false;
        }
        const [existing] = await tx.query<{ id: string }>(`SELECT ${vulnerabilityIdOf('$1')} AS id`, [vid]);
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
          [advisoryId, vulnerabilityId, [trackingId], hash, JSON.stringify(data), now],
        );
        counts.created++;
        // purl products: index rows for the regular purl matcher (same keys as OSV advisories)
        await tx.query('DELETE FROM advisory_packages WHERE advisory_id = $1', [advisoryId]);
        const keys = new Map<string, { ecosystem: string; base: string; name: string }>();
        for (const a of byPurl) {
          const base = splitEcosystem(a.package!.ecosystem).base;
          const name = normalizePackageName(a.package!.ecosystem, a.package!.name);
          keys.set(`${a.package!.ecosystem}\u001f${name}`, { ecosystem: a.package!.ecosystem, base, name });
        }
        for (const k of keys.values()) {
          await tx.query(
            'INSERT INTO advisory_packages (advisory_id, ecosystem, match_ecosystem, match_name) VALUES ($1, $2, $3, $4)',
            [advisoryId, k.ecosystem, k.base, k.name],
          );
          purlKeys.set(`${k.base}\u001f${k.name}`, { ecosystem: k.base, name: k.name });
        }
        // CPE products: index rows for the regular CPE matcher, one per vendor/product with its configurations
        await tx.query('DELETE FROM advisory_cpes WHERE advisory_id = $1', [advisoryId]);
        const pairs = new Map<
          string,
          { vendor: string; product: string; configurations: NvdConfiguration[] }
        >();
        for (const c of byCpe) {
          const k = `${c.vendor}:${c.product}`;
          const entry = pairs.get(k) ?? { vendor: c.vendor, product: c.product, configurations: [] };
          entry.configurations.push(c.configuration);
          pairs.set(k, entry);
        }
        for (const [k, p] of pairs) {
          await tx.query(
            'INSERT INTO advisory_cpes (advisory_id, vendor, product, configurations) VALUES ($1, $2, $3, $4)',
            [advisoryId, p.vendor, p.product, JSON.stringify(p.configurations)],
          );
          cpePairs.set(k, { vendor: p.vendor, product: p.product });
        }
        // name-only products: stored for later SBOMs (and compared with the current components below)
        const named = await replaceCsafNameProducts(
          tx,
          advisoryId,
          byName.map((p) => ({
            productId: p.id,
            vendor: p.vendor,
            name: p.name,
            version: p.version,
            range: p.range,
          })),
        );
        if (named > 0) {
          nameAdvisories.push(advisoryId);
        }
        return true;
      });
      if (written) {
        counts.purlProducts += byPurl.length;
        counts.cpeProducts += byCpe.length;
      }
    }
  }
  if (nameAdvisories.length > 0) {
    // one pass over the current components for all written advisories (the name key is computed per component)
    const s = await deps.db.transaction((tx) =>
      matchCsafNameProducts(deps, tx, { advisoryIds: nameAdvisories }),
    );
    counts.findings = s.candidates;
  }
  if (purlKeys.size > 0) {
    const s = await rematchKeys(deps, [...purlKeys.values()]);
    counts.purlFindings = s.created;
  }
  if (cpePairs.size > 0) {
    const s = await deps.db.transaction((tx) => matchCpe(deps, tx, [...cpePairs.values()]));
    counts.cpeFindings = s.created;
  }
  return counts;
};
