import {
  AppError,
  ancestorsOf,
  type ComponentSearchQuery,
  type ComponentSearchResult,
  type DependencyLevel,
  type DependencyQuery,
  ErrorCode,
  FACET_NONE,
  type FacetValue,
  indexDependencies,
  pathTo,
} from '@medsec/core';
import { type Ctx, orgOf } from '../../context.ts';
import { OPEN_STATES_SQL } from '../findings/findings.service.ts';
import { getSbom } from './sboms.service.ts';

/**
 * The component explorer of an SBOM: paged search with facet counts, and the dependency graph level by level.
 * Read-only; every query is scoped by the caller's organization through the SBOM row.
 */

const FACET_LIMIT = 100;

type Facet = 'license' | 'supplier' | 'type';

/** WHERE clauses of a search; `except` leaves one facet's own filter out (for that facet's counts). */
const whereOf = (
  query: ComponentSearchQuery,
  params: unknown[],
  releaseId: string,
  except?: Facet,
): string => {
  const where = ['c.organization_id = $1', 'c.sbom_id = $2'];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    where.push(sql(params.length));
  };
  if (query.q) {
    add(
      (n) =>
        `(strpos(lower(c.name), lower($${n})) > 0 OR strpos(lower(coalesce(c.group_name, '')), lower($${n})) > 0 OR strpos(lower(coalesce(c.purl, '')), lower($${n})) > 0)`,
      query.q,
    );
  }
  const facet = (name: Facet, column: string, value: string | undefined) => {
    if (value === undefined || value === '' || except === name) {
      return;
    }
    if (value === FACET_NONE) {
      where.push(`c.${column} IS NULL`);
    } else {
      add((n) => `c.${column} = $${n}`, value);
    }
  };
  facet('license', 'licenses', query.license);
  facet('supplier', 'supplier', query.supplier);
  facet('type', 'type', query.type);
  if (query.withFindings === 'true') {
    add(
      (n) =>
        `EXISTS (SELECT 1 FROM findings f WHERE f.release_id = $${n} AND f.component_id = c.id AND f.retracted_at IS NULL AND f.state IN ${OPEN_STATES_SQL})`,
      releaseId,
    );
  }
  return where.join(' AND ');
};

interface ExplorerRow {
  id: string;
  key: string;
  type: string;
  name: string;
  version: string | null;
  group_name: string | null;
  purl: string | null;
  cpe: string | null;
  supplier: string | null;
  licenses: string | null;
  findings: number;
  open_findings: number;
  depends_on: number;
  dependents: number;
}

/**
 * One page of an SBOM's components matching the search and filters, with their findings and dependency counts, and
 * the facet counts (licence, supplier, type) under the other filters.
 * @throws NOT_FOUND when the SBOM is not the caller's organization's
 */
export const searchComponents = async (
  ctx: Ctx,
  sbomId: string,
  query: ComponentSearchQuery,
): Promise<ComponentSearchResult> => {
  const { releaseId } = await getSbom(ctx, sbomId);
  const base = () => [orgOf(ctx), sbomId] as unknown[];
  const params = base();
  const where = whereOf(query, params, releaseId);
  const [{ total } = { total: 0 }] = await ctx.db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM sbom_components c WHERE ${where}`,
    params,
  );
  const order =
    query.sort === '-findings'
      ? 'open_findings DESC, findings DESC, lower(c.name), c.version, c.id'
      : 'lower(c.name), c.version, c.id';
  params.push(releaseId, query.pageSize, (query.page - 1) * query.pageSize);
  const release = params.length - 2;
  const rows = await ctx.db.query<ExplorerRow>(
    `WITH fc AS (
       SELECT f.component_id, count(*)::int AS findings,
              (count(*) FILTER (WHERE f.state IN ${OPEN_STATES_SQL}))::int AS open_findings
         FROM findings f WHERE f.organization_id = $1 AND f.release_id = $${release} AND f.retracted_at IS NULL
        GROUP BY f.component_id)
     SELECT c.id, c.key, c.type, c.name, c.version, c.group_name, c.purl, c.cpe, c.supplier, c.licenses,
            coalesce(fc.findings, 0) AS findings, coalesce(fc.open_findings, 0) AS open_findings,
            (SELECT count(*)::int FROM sbom_dependencies d WHERE d.sbom_id = c.sbom_id AND d.from_key = c.key) AS depends_on,
            (SELECT count(*)::int FROM sbom_dependencies d WHERE d.sbom_id = c.sbom_id AND d.to_key = c.key) AS dependents
       FROM sbom_components c LEFT JOIN fc ON fc.component_id = c.id
      WHERE ${where}
      ORDER BY ${order}
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  const facet = async (name: Facet, column: string): Promise<FacetValue[]> => {
    const p = base();
    const w = whereOf(query, p, releaseId, name);
    return ctx.db.query<FacetValue>(
      `SELECT coalesce(c.${column}, '${FACET_NONE}') AS value, count(*)::int AS count
         FROM sbom_components c WHERE ${w}
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${FACET_LIMIT}`,
      p,
    );
  };
  const [licenses, suppliers, types] = await Promise.all([
    facet('license', 'licenses'),
    facet('supplier', 'supplier'),
    facet('type', 'type'),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      key: r.key,
      type: r.type,
      name: r.name,
      version: r.version,
      group: r.group_name,
      purl: r.purl,
      cpe: r.cpe,
      supplier: r.supplier,
      licenses: r.licenses,
      findings: r.findings,
      openFindings: r.open_findings,
      dependsOn: r.depends_on,
      dependents: r.dependents,
    })),
    page: query.page,
    pageSize: query.pageSize,
    total,
    facets: { licenses, suppliers, types },
  };
};

const noSuchNode = () =>
  new AppError(ErrorCode.NOT_FOUND, {
    detail: 'No such component in this SBOM / 이 SBOM에 없는 구성요소입니다',
  });

/** The graph of an SBOM (whose organization the caller has checked): component keys, edges, index, all nodes. */
const loadGraph = async (ctx: Ctx, sbomId: string) => {
  const [keys, edgeRows] = await Promise.all([
    ctx.db.query<{ key: string }>(
      'SELECT key FROM sbom_components WHERE organization_id = $1 AND sbom_id = $2',
      [orgOf(ctx), sbomId],
    ),
    ctx.db.query<{ from_key: string; to_key: string }>(
      'SELECT from_key, to_key FROM sbom_dependencies WHERE sbom_id = $1',
      [sbomId],
    ),
  ]);
  const edges = edgeRows.map((e) => ({ from: e.from_key, to: e.to_key }));
  const index = indexDependencies({ nodes: keys.map((k) => k.key), edges });
  const nodes = new Set([...keys.map((k) => k.key), ...index.children.keys(), ...index.incoming.keys()]);
  return { edges, index, nodes };
};

/**
 * One level of the dependency tree: the roots (no parent) or the direct dependencies of `parent`, paged, each with
 * its component (null for a key that is no component, such as the SBOM's subject), how many children it has, its
 * open findings and whether any component below it has some. Roots include one node of each cycle nothing else
 * reaches (core `dependencyRoots`); the client stops a branch where a key repeats on its own path.
 * @throws NOT_FOUND when the SBOM is not the caller's organization's, or `parent` is no node of its graph
 */
export const getDependencyLevel = async (
  ctx: Ctx,
  sbomId: string,
  query: DependencyQuery,
): Promise<DependencyLevel> => {
  const { releaseId } = await getSbom(ctx, sbomId);
  const [{ edges, index, nodes }, hits] = await Promise.all([
    loadGraph(ctx, sbomId),
    ctx.db.query<{ key: string; open: number }>(
      `SELECT c.key, count(*)::int AS open FROM findings f JOIN sbom_components c ON c.id = f.component_id
        WHERE f.organization_id = $1 AND f.release_id = $2 AND c.sbom_id = $3 AND f.retracted_at IS NULL
          AND f.state IN ${OPEN_STATES_SQL}
        GROUP BY c.key`,
      [orgOf(ctx), releaseId, sbomId],
    ),
  ]);
  if (query.parent !== undefined && !nodes.has(query.parent)) {
    throw noSuchNode();
  }
  const open = new Map(hits.map((h) => [h.key, h.open]));
  const below = ancestorsOf(edges, open.keys());
  const level = query.parent === undefined ? index.roots : (index.children.get(query.parent) ?? []);
  const page = level.slice(query.offset, query.offset + query.limit);
  const components = await ctx.db.query<{
    id: string;
    key: string;
    type: string;
    name: string;
    version: string | null;
    group_name: string | null;
    purl: string | null;
  }>(
    `SELECT id, key, type, name, version, group_name, purl FROM sbom_components
      WHERE organization_id = $1 AND sbom_id = $2 AND key = ANY ($3::text[])`,
    [orgOf(ctx), sbomId, page],
  );
  const byKey = new Map(components.map((c) => [c.key, c]));
  return {
    parent: query.parent ?? null,
    total: level.length,
    offset: query.offset,
    items: page.map((key) => {
      const c = byKey.get(key);
      return {
        key,
        component: c
          ? { id: c.id, type: c.type, name: c.name, version: c.version, group: c.group_name, purl: c.purl }
          : null,
        childCount: index.children.get(key)?.length ?? 0,
        openFindings: open.get(key) ?? 0,
        findingsBelow: below.has(key),
      };
    }),
    graph: { nodes: nodes.size, edges: edges.length, roots: index.roots.length },
  };
};

/**
 * Where a component sits in the tree: one shortest path of keys from a root to it (core `pathTo`), so the explorer
 * can open the tree down to it ("show in tree": which dependency pulls a vulnerable component in).
 * @throws NOT_FOUND when the SBOM is not the caller's organization's, or `key` is no node of its graph
 */
export const getDependencyPath = async (
  ctx: Ctx,
  sbomId: string,
  key: string,
): Promise<{ path: string[] }> => {
  await getSbom(ctx, sbomId);
  const { index } = await loadGraph(ctx, sbomId);
  const path = pathTo(index, key);
  if (!path) {
    throw noSuchNode();
  }
  return { path };
};
