import { createHash } from 'node:crypto';
import {
  AppError,
  assessCompleteness,
  type Component,
  diffSboms,
  ErrorCode,
  type ExportFormat,
  exportSbom,
  normalizePackageName,
  packageFromPurl,
  type Sbom,
  splitEcosystem,
  uuidv7,
} from '@medsec/core';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { copyLine } from '../../db/copy.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { enqueueJob } from '../../platform/jobs/jobs.service.ts';
import { putBlob } from '../evidence/evidence.service.ts';
import { type FindingStateColumns, recordListingChanges } from '../findings/finding-history.service.ts';
import { requireRelease } from '../products/products.service.ts';
import { assertSbomSize, readSbomDocument } from './sbom.validate.ts';

/**
 * SBOMs per release (MFDS 2025 arts. 13, 16): uploaded in any supported format (found by content), validated against
 * the official schema, normalised into components and a dependency graph, kept in versions (a new upload supersedes
 * the previous one of the release), matched against advisories on the job queue, compared and exported. Access to
 * an SBOM's content is audited (art. 16 ③: protect the SBOM data).
 */

/** The OSV ecosystem (base) and normalised name a component is matched on, from its purl. */
export const matchKeyOf = (purl: string | undefined): { ecosystem: string; name: string } | undefined => {
  if (!purl) {
    return undefined;
  }
  const pkg = packageFromPurl(purl);
  if (!pkg) {
    return undefined;
  }
  return {
    ecosystem: splitEcosystem(pkg.ecosystem).base,
    name: normalizePackageName(pkg.ecosystem, pkg.name),
  };
};

export interface UploadOptions {
  lenient: boolean;
  fileName: string;
}

const decode = (bytes: Buffer): string => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: 'The SBOM is not UTF-8 text / UTF-8 문서가 아닙니다',
    });
  }
};

const COMPONENT_COLUMNS = [
  'id',
  'organization_id',
  'sbom_id',
  'release_id',
  'key',
  'type',
  'name',
  'version',
  'group_name',
  'purl',
  'purl_type',
  'match_ecosystem',
  'match_name',
  'cpe',
  'supplier',
  'author',
  'hashes',
  'licenses',
  'properties',
  'support_level',
  'end_of_support',
  'scope',
] as const;

/**
 * The components of a new SBOM, by COPY (its rows cannot exist yet: the SBOM row is new in this transaction). A
 * document that repeats a component key keeps the first one, as the parser's graph does.
 */
const insertComponents = async (
  ctx: Ctx,
  tx: Queryable,
  sbomId: string,
  releaseId: string,
  components: Component[],
) => {
  const now = ctx.clock.now().getTime();
  const organizationId = orgOf(ctx);
  const keys = new Set<string>();
  const lines: string[] = [];
  for (const c of components) {
    if (keys.has(c.key)) {
      continue;
    }
    keys.add(c.key);
    const key = matchKeyOf(c.purl);
    lines.push(
      copyLine([
        uuidv7(now),
        organizationId,
        sbomId,
        releaseId,
        c.key,
        c.type,
        c.name,
        c.version ?? null,
        c.group ?? null,
        c.purl ?? null,
        c.purl ? (/^pkg:([^/]+)\//.exec(c.purl)?.[1] ?? null) : null,
        key?.ecosystem ?? null,
        key?.name ?? null,
        c.cpe ?? null,
        c.supplier?.name ?? c.publisher ?? null,
        c.author?.name ?? null,
        JSON.stringify(c.hashes ?? []),
        c.licenses ?? (c.licenseNames.length ? c.licenseNames.join(' | ') : null),
        JSON.stringify(c.properties ?? []),
        c.supportLevel ?? null,
        c.endOfSupport && /^\d{4}-\d{2}-\d{2}/.test(c.endOfSupport) ? c.endOfSupport.slice(0, 10) : null,
        c.scope ?? null,
      ]),
    );
  }
  await tx.copyFrom('sbom_components', COMPONENT_COLUMNS, lines.join(''));
};

/** The dependency graph of a new SBOM, by COPY, each edge once. */
const insertDependencies = async (tx: Queryable, sbomId: string, sbom: Sbom) => {
  const edges = new Set<string>();
  const lines: string[] = [];
  for (const d of sbom.dependencies) {
    for (const to of d.to) {
      const edge = `${d.from}\u0000${to}`;
      if (!edges.has(edge)) {
        edges.add(edge);
        lines.push(copyLine([sbomId, d.from, to]));
      }
    }
  }
  await tx.copyFrom('sbom_dependencies', ['sbom_id', 'from_key', 'to_key'], lines.join(''));
};

export interface SbomSummary {
  id: string;
  releaseId: string;
  format: string;
  sourceFormat: string;
  specVersion: string;
  name: string | null;
  fileName: string;
  sha256: string;
  size: number;
  componentCount: number;
  completeness: unknown;
  issues: unknown[];
  lenient: boolean;
  current: boolean;
  createdAt: string;
}

interface SbomRow {
  id: string;
  release_id: string;
  format: string;
  source_format: string;
  spec_version: string;
  name: string | null;
  file_name: string;
  sha256: string;
  size: string | number;
  component_count: number;
  completeness: unknown;
  issues: unknown[];
  lenient: boolean;
  superseded_at: Date | null;
  created_at: Date;
  serial: string | null;
  document_created: Date | null;
}

const toSummary = (r: SbomRow): SbomSummary => ({
  id: r.id,
  releaseId: r.release_id,
  format: r.format,
  sourceFormat: r.source_format,
  specVersion: r.spec_version,
  name: r.name,
  fileName: r.file_name,
  sha256: r.sha256,
  size: Number(r.size),
  componentCount: r.component_count,
  completeness: r.completeness,
  issues: r.issues,
  lenient: r.lenient,
  current: r.superseded_at === null,
  createdAt: r.created_at.toISOString(),
});

/**
 * Stores an SBOM for a release in one transaction (content, components, dependency graph; the previous SBOM of the
 * release superseded) and queues the matching job. Returns the summary with the completeness report.
 */
export const uploadSbom = async (
  ctx: Ctx,
  releaseId: string,
  bytes: Buffer,
  options: UploadOptions,
): Promise<SbomSummary & { jobId: string }> => {
  assertSbomSize(bytes.length, ctx.config.sbomLimits); // MEDSEC_SBOM_MAX_BYTES, before anything reads it
  await requireRelease(ctx, ctx.db, releaseId); // an unknown (or another organization's) release before any parsing
  const sbom = await readSbomDocument(decode(bytes), {
    lenient: options.lenient,
    limits: ctx.config.sbomLimits,
    fileName: options.fileName,
  });
  const completeness = assessCompleteness(sbom);
  return withTx(ctx, async (tx) => {
    await requireRelease(ctx, tx, releaseId);
    const now = ctx.clock.now();
    const id = uuidv7(now.getTime());
    const hash = await putBlob(ctx, tx, bytes);
    // the previous SBOM of the release is superseded; its findings are retracted (their triage carries over to the
    // same component and vulnerability when the new SBOM is matched), each with a history row
    const retracted = await tx.query<FindingStateColumns>(
      // the findings are found by probing the (component, vulnerability) index per component: joined as a set, the
      // planner scanned all the organization's findings, even for a release with no SBOM yet
      `UPDATE findings SET retracted_at = $3
        WHERE id = ANY (ARRAY(
                SELECT f.id FROM sboms s JOIN sbom_components c ON c.sbom_id = s.id
                 CROSS JOIN LATERAL (SELECT f.id FROM findings f
                                      WHERE f.component_id = c.id AND f.retracted_at IS NULL OFFSET 0) AS f
                 WHERE s.organization_id = $1 AND s.release_id = $2 AND s.superseded_at IS NULL))
       RETURNING id, state, justification, remediation`,
      [orgOf(ctx), releaseId, now],
    );
    await recordListingChanges(ctx, tx, retracted, { kind: 'sbom_superseded', at: now, note: null });
    await tx.query(
      `UPDATE sboms SET superseded_at = $3 WHERE organization_id = $1 AND release_id = $2 AND superseded_at IS NULL`,
      [orgOf(ctx), releaseId, now],
    );
    const created =
      sbom.metadata.created && !Number.isNaN(Date.parse(sbom.metadata.created))
        ? new Date(sbom.metadata.created)
        : null;
    await tx.query(
      `INSERT INTO sboms (id, organization_id, release_id, format, source_format, spec_version, name, serial, document_created,
         file_name, sha256, size, component_count, completeness, issues, lenient, uploaded_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        id,
        orgOf(ctx),
        releaseId,
        sbom.metadata.format,
        sbom.metadata.sourceFormat,
        sbom.metadata.specVersion,
        sbom.metadata.name ?? sbom.metadata.component?.name ?? null,
        sbom.metadata.serialNumber ?? null,
        created,
        options.fileName,
        hash,
        bytes.length,
        sbom.components.length,
        JSON.stringify(completeness),
        JSON.stringify(sbom.issues),
        options.lenient,
        ctx.actor.userId,
        now,
      ],
    );
    await insertComponents(ctx, tx, id, releaseId, sbom.components);
    await insertDependencies(tx, id, sbom);
    const jobId = await enqueueJob(ctx, tx, {
      type: 'sbom.match',
      organizationId: orgOf(ctx),
      payload: { sbomId: id },
    });
    await recordAudit(ctx, tx, {
      action: 'sbom.uploaded',
      targetType: 'release',
      targetId: releaseId,
      details: {
        sbomId: id,
        fileName: options.fileName,
        sha256: hash,
        format: `${sbom.metadata.sourceFormat} ${sbom.metadata.specVersion}`,
        components: sbom.components.length,
        dropped: sbom.issues.length,
        lenient: options.lenient,
      },
    });
    const [row] = await tx.query<SbomRow>('SELECT * FROM sboms WHERE id = $1', [id]);
    return { ...toSummary(row!), jobId };
  });
};

export const listSboms = async (ctx: Ctx, releaseId: string): Promise<SbomSummary[]> => {
  await requireRelease(ctx, ctx.db, releaseId);
  return (
    await ctx.db.query<SbomRow>(
      'SELECT * FROM sboms WHERE organization_id = $1 AND release_id = $2 ORDER BY (superseded_at IS NULL) DESC, created_at DESC, superseded_at DESC',
      [orgOf(ctx), releaseId],
    )
  ).map(toSummary);
};

const requireSbom = async (ctx: Ctx, q: Queryable, id: string): Promise<SbomRow> => {
  const [row] = await q.query<SbomRow>('SELECT * FROM sboms WHERE organization_id = $1 AND id = $2', [
    orgOf(ctx),
    id,
  ]);
  if (!row) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such SBOM / 없는 SBOM입니다' });
  }
  return row;
};

export const getSbom = async (ctx: Ctx, id: string) => toSummary(await requireSbom(ctx, ctx.db, id));

interface ComponentRow {
  id: string;
  key: string;
  type: string;
  name: string;
  version: string | null;
  group_name: string | null;
  purl: string | null;
  cpe: string | null;
  supplier: string | null;
  author: string | null;
  hashes: { alg: string; value: string }[];
  licenses: string | null;
  properties: { name: string; value: string }[];
  support_level: string | null;
  end_of_support: string | Date | null;
  scope: string | null;
}

export const listComponents = async (ctx: Ctx, sbomId: string, q?: string) => {
  await requireSbom(ctx, ctx.db, sbomId);
  const rows = await ctx.db.query<ComponentRow & { findings: number }>(
    `SELECT c.*, (SELECT count(*)::int FROM findings f WHERE f.component_id = c.id AND f.retracted_at IS NULL) AS findings
       FROM sbom_components c WHERE c.organization_id = $1 AND c.sbom_id = $2
        AND ($3::text IS NULL OR lower(c.name) LIKE '%' || lower($3) || '%' OR lower(coalesce(c.purl, '')) LIKE '%' || lower($3) || '%')
      ORDER BY c.name, c.version LIMIT 5000`,
    [orgOf(ctx), sbomId, q ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    type: r.type,
    name: r.name,
    version: r.version,
    group: r.group_name,
    purl: r.purl,
    cpe: r.cpe,
    supplier: r.supplier,
    author: r.author,
    hashes: r.hashes,
    licenses: r.licenses,
    supportLevel: r.support_level,
    endOfSupport:
      r.end_of_support === null
        ? null
        : String(
            r.end_of_support instanceof Date ? r.end_of_support.toISOString().slice(0, 10) : r.end_of_support,
          ),
    scope: r.scope,
    findings: r.findings,
  }));
};

/** Rebuilds the normalised SBOM from the stored rows (for export and diff). */
const loadSbom = async (q: Queryable, row: SbomRow): Promise<Sbom> => {
  const components = await q.query<ComponentRow>(
    'SELECT * FROM sbom_components WHERE sbom_id = $1 ORDER BY key',
    [row.id],
  );
  const deps = await q.query<{ from_key: string; to_key: string }>(
    'SELECT from_key, to_key FROM sbom_dependencies WHERE sbom_id = $1 ORDER BY from_key, to_key',
    [row.id],
  );
  const grouped = new Map<string, string[]>();
  for (const d of deps) {
    grouped.set(d.from_key, [...(grouped.get(d.from_key) ?? []), d.to_key]);
  }
  return {
    metadata: {
      format: row.format as Sbom['metadata']['format'],
      sourceFormat: row.source_format as Sbom['metadata']['sourceFormat'],
      specVersion: row.spec_version,
      ...(row.serial ? { serialNumber: row.serial } : {}),
      ...(row.name ? { name: row.name } : {}),
      ...(row.document_created ? { created: row.document_created.toISOString() } : {}),
      tools: [{ name: 'MedSec Workbench' }],
      authors: [],
      describes: [],
    },
    components: components.map((c) => ({
      key: c.key,
      type: c.type as Component['type'],
      name: c.name,
      ...(c.version ? { version: c.version } : {}),
      ...(c.group_name ? { group: c.group_name } : {}),
      ...(c.purl ? { purl: c.purl } : {}),
      ...(c.cpe ? { cpe: c.cpe } : {}),
      ...(c.supplier ? { supplier: { name: c.supplier } } : {}),
      ...(c.author ? { author: { name: c.author } } : {}),
      hashes: c.hashes as Component['hashes'],
      ...(c.licenses && !c.licenses.includes(' | ') ? { licenses: c.licenses } : {}),
      licenseNames: c.licenses?.includes(' | ') ? c.licenses.split(' | ') : [],
      properties: c.properties,
      ...(c.support_level ? { supportLevel: c.support_level } : {}),
      ...(c.end_of_support
        ? {
            endOfSupport: String(
              c.end_of_support instanceof Date
                ? c.end_of_support.toISOString().slice(0, 10)
                : c.end_of_support,
            ),
          }
        : {}),
      ...(c.scope ? { scope: c.scope as Component['scope'] } : {}),
    })),
    dependencies: [...grouped.entries()].map(([from, to]) => ({ from, to })),
    issues: [],
  };
};

/**
 * Exports an SBOM as CycloneDX 1.6 JSON/XML or SPDX 2.3 JSON, with the SHA-256 of the document for integrity
 * (art. 16 ③); the access is audited.
 */
export const exportStoredSbom = (ctx: Ctx, id: string, format: ExportFormat) =>
  withTx(ctx, async (tx) => {
    const row = await requireSbom(ctx, tx, id);
    const text = exportSbom(await loadSbom(tx, row), format, {});
    const sha256 = createHash('sha256').update(text).digest('hex');
    await recordAudit(ctx, tx, {
      action: 'sbom.exported',
      targetType: 'sbom',
      targetId: id,
      details: { format, sha256 },
    });
    return {
      text,
      sha256,
      fileName: `${row.file_name.replace(/\.[^.]+$/, '')}.${format === 'cyclonedx-xml' ? 'cdx.xml' : format === 'spdx-json' ? 'spdx.json' : 'cdx.json'}`,
    };
  });

/** Added, removed and changed components between two SBOMs, with findings that are new or gone. */
export const compareSboms = async (ctx: Ctx, fromId: string, toId: string) => {
  const [a, b] = [await requireSbom(ctx, ctx.db, fromId), await requireSbom(ctx, ctx.db, toId)];
  const diff = diffSboms(await loadSbom(ctx.db, a), await loadSbom(ctx.db, b));
  const vulns = async (sbomId: string) =>
    new Set(
      (
        await ctx.db.query<{ v: string }>(
          `SELECT DISTINCT f.vulnerability_id || ' ' || c.name AS v FROM findings f
             JOIN sbom_components c ON c.id = f.component_id JOIN sboms s ON s.id = c.sbom_id
            WHERE c.sbom_id = $1
              -- a superseded SBOM's findings were retracted when it was superseded: they still describe it
              AND (f.retracted_at IS NULL OR (s.superseded_at IS NOT NULL AND f.retracted_at >= s.superseded_at))`,
          [sbomId],
        )
      ).map((r) => r.v),
    );
  const [va, vb] = [await vulns(a.id), await vulns(b.id)];
  return {
    ...diff,
    newFindings: [...vb].filter((v) => !va.has(v)).sort(),
    goneFindings: [...va].filter((v) => !vb.has(v)).sort(),
  };
};
