import {
  AppError,
  ComponentSearchQuerySchema,
  type ComponentSearchResult,
  type DependencyLevel,
  type DependencyNode,
  ErrorCode,
  FACET_NONE,
  type FacetValue,
  MAX_PAGE_SIZE,
} from '@medsec/core';
import { type Ctx, getDependencyLevel, getProduct, listSboms, searchComponents } from '@medsec/server';
import type { Command } from 'commander';
import { z } from 'zod';
import { failWith, invalidOptions, print, table, UsageError } from '../output.ts';
import { configFrom, type GlobalOptions, withOrgRuntime } from '../runtime.ts';
import { groupOf } from './notifications.ts';
import { releaseOf } from './vulnerabilities.ts';

/**
 * `medsec sbom components` and `medsec sbom tree`: the component explorer of a release's SBOM in a terminal, through
 * the same services as `GET /api/v1/sboms/:id/components/search` and `…/dependencies` (MFDS 2025 arts. 13, 16: know
 * every component of a release and what pulls it in).
 */

interface SbomTarget {
  product: string;
  release: string;
  sbom?: string;
  org?: string;
}

type SbomSummary = Awaited<ReturnType<typeof listSboms>>[number];

/** `--product` is an id: a malformed one is a validation error (exit 3), as the API's 400. */
const checkProductId = (product: string): void => {
  const parsed = z.uuid().safeParse(product);
  if (!parsed.success) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: `--product: not a product id (UUID): ${product}`,
      errors: [{ path: 'product', message: 'a UUID' }],
    });
  }
};

/**
 * The SBOM a command reads: `--sbom` among the release's SBOMs, else the release's current one, with the heading
 * that names it.
 * @throws NOT_FOUND when the product, the release, the SBOM or any SBOM of the release is missing
 */
const resolveSbom = async (ctx: Ctx, target: SbomTarget): Promise<{ sbom: SbomSummary; heading: string }> => {
  const product = await getProduct(ctx, target.product);
  const release = await releaseOf(ctx, target.product, target.release);
  const sboms = await listSboms(ctx, release.id);
  const sbom = target.sbom
    ? sboms.find((s) => s.id === target.sbom)
    : (sboms.find((s) => s.current) ?? sboms[0]);
  if (!sbom) {
    throw new AppError(ErrorCode.NOT_FOUND, {
      detail: target.sbom
        ? `No SBOM ${target.sbom} in release ${target.release} / 이 릴리스에 없는 SBOM입니다`
        : `Release ${target.release} has no SBOM yet / 이 릴리스에는 아직 SBOM이 없습니다`,
    });
  }
  const format = `${sbom.format === 'spdx' ? 'SPDX' : 'CycloneDX'} ${sbom.specVersion}`;
  return {
    sbom,
    heading: `${product.name} ${release.version} — SBOM ${sbom.fileName} (${format}, ${sbom.componentCount} components / 구성요소 ${sbom.componentCount}개${sbom.current ? '' : ', superseded / 이전 버전'})`,
  };
};

const facetLabel = (value: string): string => (value === FACET_NONE ? '(none / 없음)' : value);

const facetLine = (label: string, values: FacetValue[]): string => {
  const top = values.slice(0, 8).map((v) => `${facetLabel(v.value)} (${v.count})`);
  return `${label}: ${top.join(', ')}${values.length > top.length ? `, … ${values.length - top.length} more / 외 ${values.length - top.length}개` : ''}`;
};

/** The search result as a table with the facet counts under it. */
const renderComponents = (result: ComponentSearchResult, heading: string): string => {
  const first = result.total === 0 ? 0 : (result.page - 1) * result.pageSize + 1;
  const last = (result.page - 1) * result.pageSize + result.items.length;
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  return [
    heading,
    `${result.total} components match, ${first}–${last} shown / 일치하는 구성요소 ${result.total}개 중 ${first}–${last}`,
    table(
      result.items.map((c) => ({
        name: c.group ? `${c.group}/${c.name}` : c.name,
        version: c.version,
        type: c.type,
        licence: c.licenses ?? '-',
        supplier: c.supplier ?? '-',
        findings: c.findings === 0 ? '' : `${c.openFindings} open / ${c.findings}`,
        'depends on': c.dependsOn,
        'used by': c.dependents,
      })),
      ['name', 'version', 'type', 'licence', 'supplier', 'findings', 'depends on', 'used by'],
    ),
    facetLine('licences / 라이선스', result.facets.licenses),
    facetLine('suppliers / 공급자', result.facets.suppliers),
    facetLine('types / 유형', result.facets.types),
    ...(result.page < pages
      ? [`page ${result.page} of ${pages}: --page ${result.page + 1} for more / 다음 쪽`]
      : []),
  ].join('\n');
};

/** A node of the printed tree: the API's node, and how the walk treated it. */
export interface TreeNode extends DependencyNode {
  /** Its key is already on the path above it: a dependency cycle, not opened again. */
  cycle: boolean;
  /** Its dependencies were listed higher up in the tree, so they are not repeated. */
  repeated: boolean;
  /** Dependencies not listed under it (cycle, repeat or `--depth`); 0 when they are. */
  hidden: number;
  children: TreeNode[];
}

const PAGE = 500;

/** Every node of one level (roots when `parent` is undefined), paged through the API's limit. */
const levelOf = async (
  ctx: Ctx,
  sbomId: string,
  parent: string | undefined,
): Promise<{ items: DependencyNode[]; graph: DependencyLevel['graph'] }> => {
  const items: DependencyNode[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const level = await getDependencyLevel(ctx, sbomId, {
      ...(parent === undefined ? {} : { parent }),
      offset,
      limit: PAGE,
    });
    items.push(...level.items);
    if (items.length >= level.total || level.items.length === 0) {
      return { items, graph: level.graph };
    }
  }
};

/**
 * Walks the dependency graph from its roots, depth first, to `maxDepth` levels below them. A key that repeats on its
 * own path is a cycle and a key whose dependencies were already listed is not opened again (as `npm ls` dedupes),
 * so the output stays within the graph's size even for a DAG with much sharing.
 */
const walkDependencyTree = async (
  ctx: Ctx,
  sbomId: string,
  maxDepth: number,
): Promise<{ graph: DependencyLevel['graph']; roots: TreeNode[] }> => {
  const opened = new Set<string>();
  const visit = async (node: DependencyNode, path: Set<string>, depth: number): Promise<TreeNode> => {
    const cycle = path.has(node.key);
    const repeated = !cycle && node.childCount > 0 && opened.has(node.key);
    const tree: TreeNode = { ...node, cycle, repeated, hidden: node.childCount, children: [] };
    if (cycle || repeated || node.childCount === 0 || depth >= maxDepth) {
      return tree;
    }
    opened.add(node.key);
    const below = new Set(path).add(node.key);
    for (const child of (await levelOf(ctx, sbomId, node.key)).items) {
      tree.children.push(await visit(child, below, depth + 1));
    }
    tree.hidden = 0;
    return tree;
  };
  const roots = await levelOf(ctx, sbomId, undefined);
  const out: TreeNode[] = [];
  for (const root of roots.items) {
    out.push(await visit(root, new Set(), 0));
  }
  return { graph: roots.graph, roots: out };
};

const nodeLabel = (n: DependencyNode): string =>
  n.component
    ? `${n.component.group ? `${n.component.group}/` : ''}${n.component.name}${n.component.version ? `@${n.component.version}` : ''}`
    : `(SBOM subject / SBOM 대상 제품) ${n.key}`;

const nodeMarks = (n: TreeNode): string => {
  const marks: string[] = [];
  if (n.openFindings > 0) {
    marks.push(`● ${n.openFindings} open / 미조치 ${n.openFindings}건`);
  }
  if (n.findingsBelow) {
    marks.push('▲ findings below / 하위에 취약점');
  }
  if (n.cycle) {
    marks.push('↻ cycle: already above / 순환: 상위에 이미 있음');
  } else if (n.repeated) {
    marks.push(`(its ${n.hidden} dependencies: see above / 의존성 ${n.hidden}개는 위 참조)`);
  } else if (n.hidden > 0) {
    marks.push(`(+${n.hidden} below --depth / 하위 ${n.hidden}개 생략)`);
  }
  return marks.length > 0 ? `  ${marks.join('  ')}` : '';
};

/** The tree as indented lines with box-drawing branches. */
const renderTree = (roots: TreeNode[]): string[] => {
  const lines: string[] = [];
  const draw = (n: TreeNode, prefix: string, branch: string, childPrefix: string) => {
    lines.push(`${prefix}${branch}${nodeLabel(n)}${nodeMarks(n)}`);
    n.children.forEach((c, i) => {
      const lastChild = i === n.children.length - 1;
      draw(c, prefix + childPrefix, lastChild ? '└── ' : '├── ', lastChild ? '    ' : '│   ');
    });
  };
  for (const root of roots) {
    draw(root, '', '', '');
  }
  return lines;
};

/** Adds `components` and `tree` to the `sbom` group (registered by vulnerabilities.ts). */
export const registerSbomExplorerCommands = (program: Command): void => {
  const sbom = groupOf(program, 'sbom', 'SBOMs: validate, upload / SBOM');

  sbom
    .command('components')
    .description(
      "Components of a release's SBOM: search by name or purl, filter by licence, supplier, type or open findings, with facet counts / 구성요소 탐색",
    )
    .requiredOption('--product <id>', 'product id')
    .requiredOption('--release <version>', 'release version')
    .option('--sbom <id>', "one of the release's SBOMs (default: its current SBOM)")
    .option('--search <text>', 'part of the name, group or purl (case-insensitive)')
    .option('--license <licence>', `licence as listed (exact); ${FACET_NONE} for components without one`)
    .option('--supplier <name>', `supplier as listed (exact); ${FACET_NONE} for components without one`)
    .option('--type <type>', 'component type (library, firmware, …)')
    .option('--with-findings', 'only components with open findings (under investigation or affected)')
    .option('--sort <order>', 'name | findings (open findings first)', 'name')
    .option('--page <n>', 'page, from 1', '1')
    .option('--page-size <n>', `components per page (1–${MAX_PAGE_SIZE})`, String(MAX_PAGE_SIZE))
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(
      async (
        opts: SbomTarget & {
          search?: string;
          license?: string;
          supplier?: string;
          type?: string;
          withFindings?: boolean;
          sort: string;
          page: string;
          pageSize: string;
        },
        cmd: Command,
      ) => {
        const global = cmd.optsWithGlobals<GlobalOptions>();
        const out = { json: Boolean(global.json) };
        try {
          if (opts.sort !== 'name' && opts.sort !== 'findings') {
            throw new UsageError('--sort must be name or findings');
          }
          checkProductId(opts.product);
          const parsed = ComponentSearchQuerySchema.safeParse({
            q: opts.search,
            license: opts.license,
            supplier: opts.supplier,
            type: opts.type,
            withFindings: opts.withFindings ? 'true' : undefined,
            sort: opts.sort === 'findings' ? '-findings' : 'name',
            page: opts.page,
            pageSize: opts.pageSize,
          });
          if (!parsed.success) {
            throw invalidOptions(parsed.error.issues, {
              q: 'search',
              withFindings: 'with-findings',
              pageSize: 'page-size',
            });
          }
          const { result, heading } = await withOrgRuntime(configFrom(global), opts.org, async (ctx) => {
            const { sbom, heading } = await resolveSbom(ctx, opts);
            return { result: await searchComponents(ctx, sbom.id, parsed.data), heading };
          });
          print(out, result, () => renderComponents(result, heading));
        } catch (error) {
          failWith(out, error);
        }
      },
    );

  sbom
    .command('tree')
    .description(
      "The dependency tree of a release's SBOM: roots, then what each depends on; cycles and repeats marked, open findings at and below each node / 의존성 트리",
    )
    .requiredOption('--product <id>', 'product id')
    .requiredOption('--release <version>', 'release version')
    .option('--sbom <id>', "one of the release's SBOMs (default: its current SBOM)")
    .option('--depth <n>', 'levels below the roots to show (default: all)')
    .option('--org <id|name>', 'organization (needed when there are several)')
    .action(async (opts: SbomTarget & { depth?: string }, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      const out = { json: Boolean(global.json) };
      try {
        if (opts.depth !== undefined && !/^\d+$/.test(opts.depth)) {
          throw new UsageError('--depth must be a whole number of levels (0: the roots only)');
        }
        checkProductId(opts.product);
        const depth = opts.depth === undefined ? null : Number(opts.depth);
        const { doc, heading } = await withOrgRuntime(configFrom(global), opts.org, async (ctx) => {
          const { sbom, heading } = await resolveSbom(ctx, opts);
          const tree = await walkDependencyTree(ctx, sbom.id, depth ?? Number.POSITIVE_INFINITY);
          return { doc: { sbomId: sbom.id, depth, graph: tree.graph, roots: tree.roots }, heading };
        });
        print(out, doc, () =>
          [
            heading,
            `${doc.graph.nodes} nodes, ${doc.graph.edges} dependencies, ${doc.graph.roots} root(s) / 노드 ${doc.graph.nodes}개, 의존 관계 ${doc.graph.edges}개, 최상위 ${doc.graph.roots}개`,
            ...(doc.graph.edges === 0
              ? [
                  'The SBOM records no dependencies between its components / 이 SBOM에는 구성요소 간 의존 관계가 기록되어 있지 않습니다',
                ]
              : []),
            ...renderTree(doc.roots),
          ].join('\n'),
        );
      } catch (error) {
        failWith(out, error);
      }
    });
};
