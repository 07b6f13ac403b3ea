import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ComponentSearchQuerySchema,
  type ComponentSearchResult,
  CreateProductSchema,
  CreateReleaseSchema,
  createManualClock,
  DAY,
  type FindingsSeriesResponse,
  SERIES_SEVERITIES,
} from '@medsec/core';
import {
  type Ctx,
  completeSetup,
  createProduct,
  createRelease,
  importOsv,
  listFindings,
  loadConfig,
  matchSbom,
  openRuntime,
  searchComponents,
  systemActor,
  uploadSbom,
} from '@medsec/server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { corpus } from '../../core/src/testing/corpora.ts';
import { INSULIN_PUMP } from '../../server/src/testing/fixtures.ts';
import { withDatabase } from '../../server/src/testing/postgres-global-setup.ts';
import type { TreeNode } from './commands/sbom-explorer.ts';

/**
 * `medsec sbom components|tree` and `medsec findings series|burndown` against real uploaded SBOMs: the medical-device
 * SBOM (55 components, findings from the GitHub advisories) in release 1.0 and kawipiko (Go modules, a dependency
 * graph with cycles, findings from the Go vulnerability database) in release 2.0, both seen 75 days ago, so every
 * finding is 15 days past its 60-day deadline. The CLI runs as its own process on the embedded data directory
 * (int:pglite) or on a PostgreSQL database cloned from the migrated template (int:postgres); its `--json` output is
 * compared with the services behind the API.
 */
const BIN = fileURLToPath(new URL('../bin/medsec.js', import.meta.url));
const KIND = process.env.MEDSEC_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
const root = mkdtempSync(join(tmpdir(), 'medsec-cli-explorer-'));
const env: Record<string, string> = {
  MEDSEC_LOG_LEVEL: 'silent',
  MEDSEC_DATA_DIR: join(root, 'data'),
  DATABASE_URL: '',
};
/** Each command boots the application in its own process: seconds each on a busy machine. */
const SLOW = 300_000;

const day = (offset: number): string => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

const run = (
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; json: <T>() => T }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T }));
    child.stdin.end();
  });

/** Every node of a printed tree, depth first, with its depth. */
const flatten = (nodes: TreeNode[], depth = 0): { node: TreeNode; depth: number }[] =>
  nodes.flatMap((node) => [{ node, depth }, ...flatten(node.children, depth + 1)]);

describe(`medsec sbom components|tree, findings series|burndown (${KIND})`, () => {
  let dropDatabase = async () => undefined;
  let productId = '';
  /** The services' answers, taken while seeding: what `--json` must print. */
  const expected: {
    mpl?: ComponentSearchResult;
    open: Record<string, Record<string, number>>;
  } = { open: {} };

  beforeAll(async () => {
    if (KIND === 'postgres') {
      const adminUrl = inject('pgAdminUrl');
      const name = `medsec_cli_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
      await admin.end();
      env.DATABASE_URL = withDatabase(adminUrl, name);
      env.MEDSEC_KEK = randomBytes(32).toString('base64'); // PostgreSQL keeps no key-encryption key
      dropDatabase = async () => {
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      };
    }
    const clock = createManualClock(new Date());
    const runtime = await openRuntime(loadConfig(env), { clock });
    try {
      const base: Ctx = { ...runtime.deps, actor: systemActor('test'), requestId: null, ip: null };
      const { organizationId } = await completeSetup(base, {
        email: 'admin@example.com',
        displayName: 'Admin',
        organizationName: 'Acme Medical',
        password: 'Correct-Horse-9-Battery',
      });
      const ctx: Ctx = { ...base, actor: { ...base.actor, organizationId } };
      // everything from here on happened 75 days ago: found then, due (60 days) 15 days ago
      clock.set(new Date(Date.now() - 75 * DAY));
      // the services trust typed input: the schemas apply their defaults first, as at the API's edge
      const product = await createProduct(ctx, CreateProductSchema.parse(structuredClone(INSULIN_PUMP)));
      productId = product.id;
      const sboms: Record<string, string> = {};
      for (const [version, file] of [
        ['1.0', corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json')],
        ['2.0', corpus('sbom', 'bom-shelter', 'in-the-wild', 'cyclonedx', 'kawipiko-sbom-cdx.json')],
      ] as const) {
        const release = await createRelease(ctx, product.id, CreateReleaseSchema.parse({ version }));
        const sbom = await uploadSbom(ctx, release.id, readFileSync(file), {
          lenient: false,
          fileName: `${version}.cdx.json`,
        });
        sboms[version] = sbom.id;
      }
      await importOsv(ctx, corpus('osv', 'ghsa-targeted'));
      await importOsv(ctx, corpus('osv', 'go', 'golang-vulndb-osv.jsonl.gz'));
      for (const id of Object.values(sboms)) {
        await matchSbom(ctx, id);
      }
      clock.set(new Date());
      expected.mpl = await searchComponents(
        ctx,
        sboms['1.0']!,
        ComponentSearchQuerySchema.parse({ license: 'MPL-2.0', pageSize: '100' }),
      );
      for (const f of await listFindings(ctx, { productId })) {
        const scope = expected.open[f.release] ?? {};
        scope[f.severity] = (scope[f.severity] ?? 0) + 1;
        expected.open[f.release] = scope;
      }
    } finally {
      await runtime.close();
    }
  }, SLOW);

  afterAll(async () => {
    await dropDatabase();
    rmSync(root, { recursive: true, force: true });
  });

  const total = (counts: Record<string, number> = {}) => Object.values(counts).reduce((n, c) => n + c, 0);

  it(
    'sbom components: a table with findings and facets; --json is what the explorer API returns; filters',
    async () => {
      const human = await run(['sbom', 'components', '--product', productId, '--release', '1.0']);
      expect(human.code, human.stderr).toBe(0);
      const lines = human.stdout.split('\n');
      expect(lines[0]).toBe(
        'GlucoFlow insulin pump 1.0 — SBOM 1.0.cdx.json (CycloneDX 1.4, 55 components / 구성요소 55개)',
      );
      expect(lines[1]).toBe('55 components match, 1–55 shown / 일치하는 구성요소 55개 중 1–55');
      expect(lines[2]).toMatch(/^name +version +type +licence +supplier +findings +depends on +used by$/);
      expect(lines.find((l) => l.startsWith('Newtonsoft.Json '))).toMatch(
        /^Newtonsoft\.Json +9\.0\.1 +library +MIT +James Newton-King +1 open \/ 1 +0 +0$/,
      );
      expect(lines.filter((l) => / open \/ \d/.test(l))).toHaveLength(2); // Newtonsoft.Json and jQuery
      expect(human.stdout).toContain('types / 유형: library (51), firmware (3), device (1)');

      const mpl = await run(
        ['sbom', 'components', '--product', productId, '--release', '1.0'].concat([
          '--license',
          'MPL-2.0',
          '--json',
        ]),
      );
      expect(mpl.code, mpl.stderr).toBe(0);
      expect(mpl.json<ComponentSearchResult>()).toEqual(expected.mpl);

      const search = await run([
        'sbom',
        'components',
        '--product',
        productId,
        '--release',
        '1.0',
        '--search',
        'NEWTONSOFT',
        '--supplier',
        'James Newton-King',
        '--json',
      ]);
      const hit = search.json<ComponentSearchResult>();
      expect(hit.total).toBe(1);
      expect(hit.items[0]).toMatchObject({ name: 'Newtonsoft.Json', openFindings: 1, findings: 1 });
      // each facet is counted under the other filters: the supplier facet still sees the search's one match
      expect(hit.facets.suppliers).toEqual([{ value: 'James Newton-King', count: 1 }]);

      const open = await run([
        'sbom',
        'components',
        '--product',
        productId,
        '--release',
        '2.0',
        '--with-findings',
        '--sort',
        'findings',
        '--page-size',
        '3',
        '--json',
      ]);
      const withFindings = open.json<ComponentSearchResult>();
      expect(withFindings.items).toHaveLength(3);
      expect(withFindings.items.every((c) => c.openFindings > 0)).toBe(true);
      const counts = withFindings.items.map((c) => c.openFindings);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      expect(withFindings.total).toBeGreaterThan(3);
    },
    SLOW,
  );

  it(
    'sbom components: usage (2), validation (3) and not found (4)',
    async () => {
      const args = ['sbom', 'components', '--product', productId, '--release', '1.0'];
      expect((await run([...args, '--sort', 'size'])).code).toBe(2);
      const big = await run([...args, '--page-size', '101', '--json']);
      expect(big.code, big.stdout + big.stderr).toBe(3);
      expect(big.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'page-size' }] });
      const badId = await run(['sbom', 'components', '--product', 'pump', '--release', '1.0', '--json']);
      expect(badId.code, badId.stdout + badId.stderr).toBe(3);
      const missing = await run(['sbom', 'components', '--product', productId, '--release', '9.9', '--json']);
      expect(missing.code, missing.stdout + missing.stderr).toBe(4);
      expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    },
    SLOW,
  );

  it(
    'sbom tree: the Go graph from its subject, every node once, cycles and repeats not opened again, findings marked',
    async () => {
      const res = await run(['sbom', 'tree', '--product', productId, '--release', '2.0', '--json']);
      expect(res.code, res.stderr).toBe(0);
      const doc = res.json<{
        depth: number | null;
        graph: { nodes: number; edges: number; roots: number };
        roots: TreeNode[];
      }>();
      expect(doc.depth).toBeNull();
      expect(doc.graph.roots).toBe(1);
      expect(doc.roots[0]!.component).toBeNull(); // the SBOM's subject
      const all = flatten(doc.roots);
      expect(new Set(all.map((n) => n.node.key)).size).toBe(doc.graph.nodes);
      const cycles = all.filter((n) => n.node.cycle);
      expect(cycles.length).toBeGreaterThan(0);
      for (const { node } of all) {
        // a node is opened once: its dependencies are listed under it, or it says why not
        if (node.cycle || node.repeated) {
          expect(node.children).toEqual([]);
          expect(node.hidden).toBe(node.childCount);
        } else {
          expect(node.children).toHaveLength(node.childCount);
        }
      }
      const opened = all.filter((n) => n.node.children.length > 0).map((n) => n.node.key);
      expect(new Set(opened).size).toBe(opened.length);
      const text = all.find((n) => n.node.component?.name === 'golang.org/x/text')!.node;
      expect(text.openFindings).toBeGreaterThan(0);
      expect(doc.roots[0]!.findingsBelow).toBe(true);

      const human = await run(['sbom', 'tree', '--product', productId, '--release', '2.0']);
      expect(human.code, human.stderr).toBe(0);
      const lines = human.stdout.trimEnd().split('\n');
      expect(lines[1]).toBe(
        `${doc.graph.nodes} nodes, ${doc.graph.edges} dependencies, 1 root(s) / 노드 ${doc.graph.nodes}개, 의존 관계 ${doc.graph.edges}개, 최상위 1개`,
      );
      expect(lines.slice(2)).toHaveLength(all.length); // one line per node of the JSON tree
      expect(lines[2]).toMatch(/^\(SBOM subject \/ SBOM 대상 제품\) pkg:golang\/.*▲ findings below/);
      expect(lines.filter((l) => l.includes('↻ cycle: already above / 순환: 상위에 이미 있음'))).toHaveLength(
        cycles.length,
      );
      expect(
        lines.find((l) => /[├└]── golang\.org\/x\/text@v0\.3\.7/.test(l) && !l.includes('see above')),
      ).toContain(`● ${text.openFindings} open / 미조치 ${text.openFindings}건`);
      // branches: each line below the root is indented by four columns per level
      for (const [i, { depth }] of all.entries()) {
        if (depth > 0) {
          expect(lines[2 + i]!.slice((depth - 1) * 4, depth * 4)).toMatch(/^[├└]── $/);
        }
      }
    },
    SLOW,
  );

  it(
    'sbom tree --depth stops and says how much is below; an SBOM without edges is a flat list',
    async () => {
      const shallow = await run(['sbom', 'tree', '--product', productId, '--release', '2.0', '--depth', '1']);
      expect(shallow.code, shallow.stderr).toBe(0);
      const lines = shallow.stdout.trimEnd().split('\n');
      expect(lines.slice(3).every((l) => /^[├└]── /.test(l))).toBe(true);
      expect(lines.find((l) => l.includes('github.com/lucas-clemente/quic-go@v0.25.0'))).toMatch(
        /\(\+\d+ below --depth \/ 하위 \d+개 생략\)$/,
      );
      const flat = await run(['sbom', 'tree', '--product', productId, '--release', '1.0', '--json']);
      const doc = flat.json<{ graph: { edges: number }; roots: TreeNode[] }>();
      expect(doc.graph.edges).toBe(0);
      expect(doc.roots).toHaveLength(55);
      expect(
        doc.roots
          .filter((r) => r.openFindings > 0)
          .map((r) => r.component?.name)
          .sort(),
      ).toEqual(['Newtonsoft.Json', 'jQuery']);
      expect(
        (await run(['sbom', 'tree', '--product', productId, '--release', '1.0', '--depth', 'all'])).code,
      ).toBe(2);
    },
    SLOW,
  );

  it(
    'findings series --json: the API series over 90 days, open since day -75, overdue since day -14',
    async () => {
      const res = await run(['findings', 'series', '--product', productId, '--json']);
      expect(res.code, res.stderr).toBe(0);
      const series = res.json<FindingsSeriesResponse>();
      const n = total(expected.open['1.0']) + total(expected.open['2.0']);
      expect(n).toBeGreaterThan(10);
      expect(series).toMatchObject({ from: day(-90), to: day(0), bucket: 'day', findings: n });
      expect(series.points).toHaveLength(91);
      const at = (d: string) => series.points.find((p) => p.date === d)!;
      expect(at(day(-76))).toMatchObject({ total: 0, dueLine: 0, overdue: 0 });
      expect(at(day(-75))).toMatchObject({ total: n, dueLine: n, overdue: 0 });
      expect(at(day(-15))).toMatchObject({ total: n, dueLine: n, overdue: 0 }); // the due date itself
      expect(at(day(-14))).toMatchObject({ total: n, dueLine: 0, overdue: n });
      const last = series.points.at(-1)!;
      for (const s of SERIES_SEVERITIES) {
        expect(last.open[s]).toBe((expected.open['1.0']?.[s] ?? 0) + (expected.open['2.0']?.[s] ?? 0));
      }

      // an earlier window: --from/--to give the same points for the same dates, ending on --to
      const window = await run([
        'findings',
        'series',
        '--product',
        productId,
        '--from',
        day(-80),
        '--to',
        day(-20),
        '--json',
      ]);
      expect(window.code, window.stderr).toBe(0);
      const earlier = window.json<FindingsSeriesResponse>();
      expect(earlier).toMatchObject({ from: day(-80), to: day(-20) });
      expect(earlier.points).toHaveLength(61);
      expect(earlier.points).toEqual(series.points.filter((p) => p.date >= day(-80) && p.date <= day(-20)));

      const weekly = await run([
        'findings',
        'series',
        '--product',
        productId,
        '--release',
        '1.0',
        '--bucket',
        'week',
        '--json',
      ]);
      const week = weekly.json<FindingsSeriesResponse>();
      expect(week.points).toHaveLength(13);
      expect(week.points.at(-1)!.total).toBe(total(expected.open['1.0']));
    },
    SLOW,
  );

  it(
    'findings series and burndown as text charts: one line per change, bars, legend and today in both languages',
    async () => {
      const series = await run(['findings', 'series', '--product', productId, '--release', '1.0']);
      expect(series.code, series.stderr).toBe(0);
      const open = expected.open['1.0']!;
      const n = total(open);
      const lines = series.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(
        `Open findings by severity / 심각도별 미조치 취약점 — GlucoFlow insulin pump 1.0, ${day(-90)} … ${day(0)} (daily / 일별), ${n} findings / 취약점 ${n}건`,
      );
      expect(lines[1]).toMatch(/^date +critical +high +medium +low +none +total +chart$/);
      const bar = SERIES_SEVERITIES.map((s) =>
        ({ critical: 'C', high: 'H', medium: 'M', low: 'L', none: 'N' })[s].repeat(open[s] ?? 0),
      ).join('');
      const row = (d: string) => lines.find((l) => l.startsWith(d));
      expect(row(day(-90))).toMatch(/ 0 *$/);
      expect(row(day(-75))).toMatch(new RegExp(` ${n} +${bar}$`));
      expect(row(day(-50))).toBeUndefined(); // unchanged days are left out
      expect(series.stdout).toContain('unchanged points not shown; --json gives all 91');
      expect(lines.at(-1)).toBe('C critical, H high, M medium, L low, N none / 긴급, 높음, 중간, 낮음, 없음');

      const burndown = await run(['findings', 'burndown', '--product', productId, '--release', '1.0']);
      expect(burndown.code, burndown.stderr).toBe(0);
      const b = burndown.stdout.trimEnd().split('\n');
      expect(b[0]).toMatch(
        /^Burn-down against deadlines \/ 기한 대비 미조치 현황 — GlucoFlow insulin pump 1\.0/,
      );
      expect(b[1]).toMatch(/^date +open +due line +overdue +chart$/);
      const brow = (d: string) => b.find((l) => l.startsWith(d));
      expect(brow(day(-75))).toMatch(new RegExp(` ${n} +${n} +0 +${'#'.repeat(n)}\\|$`));
      expect(brow(day(-14))).toMatch(new RegExp(` ${n} +0 +${n} +\\|${'!'.repeat(n)}$`));
      expect(b.at(-1)).toBe(
        `${day(0)}: ${n} open, ${n} overdue, deadline line 0 / 미조치 ${n}건, 기한 초과 ${n}건, 기한선 0건`,
      );
    },
    SLOW,
  );

  it(
    'findings series: usage (2) and validation (3)',
    async () => {
      expect((await run(['findings', 'series', '--release', '1.0'])).code).toBe(2); // --release needs --product
      expect((await run(['findings', 'burndown', '--from', '2026-02-30'])).code).toBe(2);
      expect((await run(['findings', 'series', '--bucket', 'month'])).code).toBe(2);
      expect((await run(['findings', 'series', '--days', '30', '--from', day(-30)])).code).toBe(2);
      const future = await run(['findings', 'series', '--to', day(3), '--json']);
      expect(future.code, future.stdout + future.stderr).toBe(3);
      expect(future.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'to' }] });
      const short = await run(['findings', 'burndown', '--from', day(-3), '--json']);
      expect(short.code, short.stdout + short.stderr).toBe(3);
      expect(short.json()).toMatchObject({ errors: [{ path: 'from' }] });
      const unknown = await run(['findings', 'series', '--product', '01900000-0000-7000-8000-000000000000']);
      expect(unknown.code, unknown.stdout + unknown.stderr).toBe(4);
    },
    SLOW,
  );
});
