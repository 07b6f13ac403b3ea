/**
 * `npm run bench`: measures the foundation's hot paths on the embedded database (and on PostgreSQL when
 * MEDSEC_BENCH_DATABASE_URL is set). Figures go to docs/benchmarks.md with the machine and the command.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createManualClock, evaluateApplicability, parseSbom, uuidv7 } from '@medsec/core';
import {
  buildApp,
  type Ctx,
  createPgliteDb,
  createPostgresDb,
  type Db,
  loadConfig,
  migrate,
  recordAuditAlone,
  systemActor,
  verifyAuditChain,
} from '@medsec/server';
import { corpus } from '../packages/core/src/testing/corpora.ts';
import { importOsv } from '../packages/server/src/modules/advisories/advisories.service.ts';
import { matchSbom } from '../packages/server/src/modules/advisories/matching.service.ts';
import { importBuiltInCatalog } from '../packages/server/src/modules/catalog/catalog.import.ts';
import { searchCatalog } from '../packages/server/src/modules/catalog/catalog.service.ts';
import {
  assessmentChecklist,
  checklistCsv,
} from '../packages/server/src/modules/compliance/compliance.service.ts';
import { createProduct, createRelease } from '../packages/server/src/modules/products/products.service.ts';
import { uploadSbom } from '../packages/server/src/modules/sboms/sboms.service.ts';
import { hashPassword, verifyPassword } from '../packages/server/src/platform/auth/passwords.ts';
import { createMemoryKeyring } from '../packages/server/src/platform/keys/keyring.ts';
import { INSULIN_PUMP } from '../packages/server/src/testing/fixtures.ts';
import {
  benchScale,
  cleanupScaleData,
  parseFloor,
  prepareScaleData,
  type ScaleData,
  type ScaleRow,
} from './scale.ts';

const fmt = (n: number, digits = 1): string => n.toFixed(digits);

const timeIt = async (label: string, n: number, fn: (i: number) => Promise<unknown>): Promise<void> => {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    await fn(i);
  }
  const ms = performance.now() - start;
  console.log(`| ${label} | ${n} | ${fmt(ms)} ms | ${fmt(ms / n, 3)} ms | ${fmt((n / ms) * 1000, 0)} /s |`);
};

const benchDb = async (db: Db, label: string): Promise<void> => {
  await migrate(db);
  const clock = createManualClock(new Date());
  const config = loadConfig({
    MEDSEC_LOG_LEVEL: 'silent',
    MEDSEC_RATE_LIMIT_GLOBAL_PER_IP: '1000000',
    MEDSEC_RATE_LIMIT_AUTH_PER_IP: '100000',
    MEDSEC_RATE_LIMIT_AUTH_PER_ACCOUNT: '100000',
  });
  const deps = { db, clock, config, keyring: createMemoryKeyring() };
  const ctx: Ctx = { ...deps, actor: systemActor('bench'), requestId: null, ip: null };
  console.log(`\n### ${label}\n\n| operation | n | total | per op | rate |\n|---|---|---|---|---|`);
  await timeIt('audit append (own transaction)', 2000, () =>
    recordAuditAlone(ctx, { action: 'bench.event', details: { n: 1 } }),
  );
  const start = performance.now();
  const result = await verifyAuditChain(db);
  const ms = performance.now() - start;
  console.log(
    `| audit chain verify | ${result.events} events | ${fmt(ms)} ms | ${fmt(ms / result.events, 4)} ms | ${fmt((result.events / ms) * 1000, 0)} /s |`,
  );
  // catalog: first import (all frameworks, datasets, links), then an unchanged re-import (skipped by hash)
  await timeIt('catalog import, first (2 frameworks, 603 entries, 5 datasets, 151 links)', 1, () =>
    importBuiltInCatalog(db, clock),
  );
  await timeIt('catalog re-import, unchanged', 5, () => importBuiltInCatalog(db, clock));
  await timeIt('catalog search, Korean phrase', 200, () =>
    searchCatalog(ctx, '취약점을 해결하기 위한 패치', undefined, 25),
  );
  // products: rules in core, then product creation (decisions stored), release (items seeded), 붙임2 export
  const orgId = uuidv7();
  await db.query(
    `INSERT INTO organizations (id, name, created_at, updated_at) VALUES ($1, 'Bench', now(), now())`,
    [orgId],
  );
  const org: Ctx = { ...ctx, actor: { ...ctx.actor, organizationId: orgId } };
  const entries = (
    await db.query<{
      ref: string;
      framework_id: string;
      kind: string;
      article: number | null;
      clause: number | null;
      item: number | null;
      group_key: string | null;
      parent_ref: string | null;
    }>(
      'SELECT ref, framework_id, kind, article, clause, item, group_key, parent_ref FROM catalog_requirements',
    )
  ).map((r) => ({
    ref: r.ref,
    framework: r.framework_id,
    kind: r.kind,
    article: r.article,
    clause: r.clause,
    item: r.item,
    group: r.group_key,
    parentRef: r.parent_ref,
  }));
  const profile = {
    ...INSULIN_PUMP.profile,
    operatingSystems: [...INSULIN_PUMP.profile.operatingSystems],
    domains: [...INSULIN_PUMP.profile.domains],
    interfaces: [...INSULIN_PUMP.profile.interfaces],
    deviceRoleClass: null,
  };
  await timeIt(`applicability rules (core), ${entries.length} entries`, 200, async () =>
    evaluateApplicability(profile, entries),
  );
  let productId = '';
  await timeIt('create product (decisions stored)', 20, async (i) => {
    productId = (
      await createProduct(org, { ...INSULIN_PUMP, model: `B-${i}`, profile, importer: null, grade: 3 })
    ).id;
  });
  let releaseId = '';
  await timeIt('create release (assessment items seeded)', 10, async (i) => {
    releaseId = (
      await createRelease(org, productId, {
        version: `1.${i}`,
        releaseDate: null,
        status: 'in-development',
        basedOn: releaseId || null,
        notes: '',
      })
    ).id;
  });
  await timeIt('붙임2 checklist export (CSV)', 20, async () =>
    checklistCsv(await assessmentChecklist(org, releaseId)),
  );
  // SBOMs and advisories (issue #5): a large real SBOM, the whole Go vulnerability database, matching
  const keycloak = readFileSync(
    corpus('sbom', 'cyclonedx', 'bom-examples', 'SBOM', 'keycloak-10.0.2', 'bom.json'),
    'utf8',
  );
  const flux = readFileSync(
    corpus('sbom', 'bom-shelter', 'in-the-wild', 'spdx', 'flux_0.26.3_sbom.spdx.json'),
    'utf8',
  );
  await timeIt(
    `parse CycloneDX JSON (keycloak, ${parseSbom(keycloak).components.length} components)`,
    20,
    async () => parseSbom(keycloak),
  );
  await timeIt(`parse SPDX JSON (flux, ${parseSbom(flux).components.length} packages)`, 20, async () =>
    parseSbom(flux),
  );
  let sbomId = '';
  await timeIt('upload SBOM (flux, lenient: parse, schema, store components + graph)', 5, async () => {
    sbomId = (
      await uploadSbom(org, releaseId, Buffer.from(flux), { lenient: true, fileName: 'flux.spdx.json' })
    ).id;
  });
  const goDb = corpus('osv', 'go', 'golang-vulndb-osv.jsonl.gz');
  let imported = 0;
  await timeIt('import OSV Go database (.jsonl.gz, first time)', 1, async () => {
    imported = (await importOsv(deps, goDb)).created;
  });
  console.log(`| (Go advisories imported: ${imported}) | | | | |`);
  await timeIt('re-import OSV Go database (unchanged, skipped by hash)', 1, () => importOsv(deps, goDb));
  await timeIt('match SBOM against advisories (flux vs Go vulndb)', 5, () => matchSbom(deps, sbomId));
  const { app } = await buildApp(deps);
  await timeIt('GET /healthz (in process)', 2000, () => app.inject({ method: 'GET', url: '/healthz' }));
  await timeIt('GET /api/v1/setup (in process, one query)', 1000, () =>
    app.inject({ method: 'GET', url: '/api/v1/setup' }),
  );
  await app.close();
};

console.log(`MedSec Workbench benchmarks — ${new Date().toISOString()}`);
console.log(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${fmt(totalmem() / 2 ** 30, 0)} GiB`,
);
console.log(
  '\n### argon2id (19 MiB, t=2, p=1)\n\n| operation | n | total | per op | rate |\n|---|---|---|---|---|',
);
let hash = '';
await timeIt('hash', 20, async () => {
  hash = await hashPassword('Correct-Horse-9-Battery');
});
await timeIt('verify', 20, () => verifyPassword(hash, 'Correct-Horse-9-Battery'));

const printRows = (rows: ScaleRow[]): void => {
  for (const r of rows) {
    console.log(
      `| ${r.operation} | ${r.n} | ${Number.isNaN(r.ms) ? '' : `${fmt(r.ms, 0)} ms`} | ${r.rate ?? ''} |`,
    );
  }
};

/** Issue #5 at scale, on a fresh database: what an air-gapped site does on its first day, then every day. */
const scaleSection = async (db: Db, label: string, data: ScaleData): Promise<void> => {
  await migrate(db);
  const clock = createManualClock(new Date());
  await importBuiltInCatalog(db, clock);
  const config = loadConfig({ MEDSEC_LOG_LEVEL: 'silent' });
  const deps = { db, clock, config, keyring: createMemoryKeyring() };
  const orgId = uuidv7();
  await db.query(
    `INSERT INTO organizations (id, name, created_at, updated_at) VALUES ($1, 'Bench', now(), now())`,
    [orgId],
  );
  const ctx: Ctx = {
    ...deps,
    actor: { ...systemActor('bench'), organizationId: orgId },
    requestId: null,
    ip: null,
  };
  const profile = {
    ...INSULIN_PUMP.profile,
    operatingSystems: [...INSULIN_PUMP.profile.operatingSystems],
    domains: [...INSULIN_PUMP.profile.domains],
    interfaces: [...INSULIN_PUMP.profile.interfaces],
    deviceRoleClass: null,
  };
  const product = await createProduct(ctx, { ...INSULIN_PUMP, profile, importer: null, grade: 3 });
  const newRelease = async (version: string): Promise<string> =>
    (
      await createRelease(ctx, product.id, {
        version,
        releaseDate: null,
        status: 'in-development',
        basedOn: null,
        notes: '',
      })
    ).id;
  console.log(`\n### Scale: ${label}\n\n| operation | n | time | rate |\n|---|---|---|---|`);
  printRows(await benchScale(deps, ctx, newRelease, data));
};

const onlyScale = process.argv.includes('--scale-only');
if (!onlyScale) {
  const lite = await createPgliteDb();
  await benchDb(lite, 'PGlite (in memory)');
  await lite.close();
}

const pgUrl = process.env.MEDSEC_BENCH_DATABASE_URL;
if (pgUrl && !onlyScale) {
  const pg = await createPostgresDb(pgUrl);
  await pg.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  await benchDb(pg, 'PostgreSQL 15 (local server)');
  await pg.close();
}

if (!process.argv.includes('--no-scale')) {
  const prepStart = performance.now();
  const data = await prepareScaleData();
  console.log(
    `\n### Scale data (issue #5)\n\n${data.realCount} real OSV records + ${data.variantCount} varied copies; a CycloneDX 1.6 SBOM of 10 000 components (${data.sbomMatchable} name packages with advisories); prepared in ${fmt((performance.now() - prepStart) / 1000)} s.\n\n| operation | n | time | rate |\n|---|---|---|---|`,
  );
  printRows(parseFloor(data));
  // the embedded database as it runs in production: PGlite in a data directory (files on disk)
  const dir = mkdtempSync(join(tmpdir(), 'medsec-bench-pglite-'));
  const lite = await createPgliteDb(dir);
  await scaleSection(lite, 'PGlite (data directory on disk)', data);
  await lite.close();
  rmSync(dir, { recursive: true, force: true });
  if (pgUrl) {
    const pg = await createPostgresDb(pgUrl);
    await pg.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    await scaleSection(pg, 'PostgreSQL 15 (local server)', data);
    await pg.close();
  }
  cleanupScaleData(data);
}
