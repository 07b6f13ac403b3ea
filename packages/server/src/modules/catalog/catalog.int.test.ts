import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  addMember,
  bootstrapAdmin,
  createClient,
  STRONG_PASSWORD,
  signIn,
  type TestClient,
} from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import {
  BUILT_IN_FRAMEWORKS,
  DEFAULT_CATALOG_DIR,
  importFramework,
  loadFrameworkFiles,
} from './catalog.import.ts';

describe('regulatory catalog', () => {
  let t: TestApp;
  let reader: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await bootstrapAdmin(t);
    reader = await signIn(t, (await addMember(t, admin.client, 'developer')).email, STRONG_PASSWORD);
  });
  afterAll(async () => {
    await t.close();
  });

  it('is loaded at migrate time: 22 articles with clauses and items', async () => {
    const res = await reader.get('/api/v1/catalog/frameworks');
    const mfds = res
      .json<{ items: { id: string; counts: Record<string, number> }[] }>()
      .items.find((f) => f.id === 'mfds-2025');
    expect(mfds?.counts.article).toBe(22);
    expect(mfds?.counts.clause).toBeGreaterThan(30);
    expect(mfds?.counts.item).toBeGreaterThan(40);
  });

  it('holds the KISA device requirements too, searchable in English', async () => {
    const res = await reader.get('/api/v1/catalog/frameworks');
    const kisa = res
      .json<{ items: { id: string; counts: Record<string, number> }[] }>()
      .items.find((f) => f.id === 'kisa-healthcare');
    expect(kisa?.counts.requirement).toBe(63 + 74);
    expect(kisa?.counts.threat).toBe(29);
    const threat = (await reader.get('/api/v1/catalog/requirements/kisa-healthcare:threat-1.01')).json<{
      titleKo: string;
      countermeasures: { nameKo: string; refs: string[] }[];
    }>();
    expect(threat.titleKo).toBe('인증우회');
    expect(threat.countermeasures).toEqual([
      {
        nameKo: '사용자 인증',
        refs: [
          'kisa-healthcare:dev-1.1.1',
          'kisa-healthcare:dev-1.1.2',
          'kisa-healthcare:dev-1.1.3',
          'kisa-healthcare:dev-1.1.4',
        ],
      },
      { nameKo: '접근통제', refs: Array.from({ length: 9 }, (_, i) => `kisa-healthcare:dev-1.3.${i + 1}`) },
    ]);
    const found = (await reader.get('/api/v1/catalog/search?q=rollback%20function')).json<{
      items: { ref: string; notes: string[] }[];
    }>();
    expect(found.items[0]?.ref).toBe('kisa-healthcare:dev-5.1.4');
    expect(found.items[0]?.notes.join(' ')).toMatch(/disagree/);
  });

  it('filters by article, kind, obligation, actor and approval ID', async () => {
    const art18 = (
      await reader.get('/api/v1/catalog/requirements?framework=mfds-2025&article=18&kind=clause')
    ).json<{ items: { ref: string; obligation: string; actors: string[] }[] }>();
    expect(art18.items.map((r) => r.ref)).toEqual(['mfds-2025:art-18:cl-1', 'mfds-2025:art-18:cl-2']);
    expect(art18.items[0]).toMatchObject({ obligation: 'mandatory', actors: ['manufacturer'] });
    expect(art18.items[1]).toMatchObject({ obligation: 'recommended', actors: ['healthcare-provider'] });
    const recommended = (
      await reader.get('/api/v1/catalog/requirements?obligation=recommended&kind=clause&pageSize=100')
    ).json<{ items: { obligation: string }[]; total: number }>();
    expect(recommended.total).toBeGreaterThan(5);
    expect(recommended.items.every((r) => r.obligation === 'recommended')).toBe(true);
    const providers = (
      await reader.get('/api/v1/catalog/requirements?actor=healthcare-provider&pageSize=100')
    ).json<{ items: { actors: string[] }[] }>();
    expect(providers.items.every((r) => r.actors.includes('healthcare-provider'))).toBe(true);
    const ra04 = (await reader.get('/api/v1/catalog/requirements?approvalId=RA-04')).json<{
      items: { ref: string }[];
    }>();
    expect(ra04.items.map((r) => r.ref)).toContain('mfds-2025:art-4');
  });

  it('shows one entry with its parent, children and mapped approval IDs', async () => {
    const art4 = await reader.get('/api/v1/catalog/requirements/mfds-2025:art-4');
    expect(art4.status).toBe(200);
    const body = art4.json<{
      titleKo: string;
      children: { ref: string; kind: string }[];
      approvalRequirements: { id: string; titleKo: string }[];
      keyChecks: unknown[];
      imdrf: { article: number | null; approvalId: string | null; principle: string }[];
      links: { direction: string; otherRef: string; basisEn: string }[];
      activities: { direction: string; artefact: string }[];
    }>();
    expect(body.titleKo).toBe('보안 통신');
    // mappings both ways: IMDRF rows of art. 4, KISA requirements that point at it, the guide's activity tables
    expect(body.imdrf.length).toBeGreaterThan(0);
    expect(body.imdrf.every((m) => m.article === 4 || m.approvalId !== null)).toBe(true);
    expect(body.imdrf.some((m) => m.principle === 'secure-communications')).toBe(true);
    expect(
      body.links.some((l) => l.direction === 'incoming' && l.otherRef.startsWith('kisa-healthcare:dev-4')),
    ).toBe(true);
    expect(body.activities.length).toBeGreaterThan(0);
    expect(body.children.filter((c) => c.kind === 'guidance').length).toBeGreaterThan(3);
    expect(body.children.filter((c) => c.kind !== 'guidance').map((c) => c.ref)).toEqual([
      'mfds-2025:art-4:item-1',
      'mfds-2025:art-4:item-2',
      'mfds-2025:art-4:item-3',
      // the GMP audit checklist rows (붙임3) of art. 4
      'mfds-2025:gmp-4',
      'mfds-2025:gmp-5',
      'mfds-2025:gmp-6',
      'mfds-2025:gmp-7',
    ]);
    expect(body.approvalRequirements).toContainEqual(
      expect.objectContaining({ id: 'RA-04', titleKo: '네트워크 및 보안 구성 설정' }),
    );
    const clause = (await reader.get('/api/v1/catalog/requirements/mfds-2025:art-18:cl-1')).json<{
      parent: { ref: string };
    }>();
    expect(clause.parent.ref).toBe('mfds-2025:art-18');
    // the KISA side sees the same link from its end
    const kisa = (await reader.get('/api/v1/catalog/requirements/kisa-healthcare:dev-4.1.1')).json<{
      links: { direction: string; otherRef: string }[];
    }>();
    expect(
      kisa.links.some((l) => l.direction === 'outgoing' && l.otherRef.startsWith('mfds-2025:art-')),
    ).toBe(true);
    const art18 = (await reader.get('/api/v1/catalog/requirements/mfds-2025:art-18')).json<{
      numericExamples: { value: number; unit: string }[];
    }>();
    expect(art18.numericExamples).toContainEqual(expect.objectContaining({ value: 24, unit: 'hours' }));
    expect((await reader.get('/api/v1/catalog/requirements/mfds-2025:art-99')).status).toBe(404);
    expect((await reader.get('/api/v1/catalog/requirements/not a ref')).status).toBe(400);
  });

  it('serves the IMDRF mapping table with inferred cells marked, the templates and the KISA service model', async () => {
    const mapping = (await reader.get('/api/v1/catalog/imdrf-mapping')).json<{
      principles: { key: string }[];
      rows: { row: number; inferred: string[]; note: string | null; article: number | null }[];
    }>();
    expect(mapping.principles.length).toBeGreaterThanOrEqual(7);
    expect(mapping.rows.length).toBeGreaterThanOrEqual(20);
    expect(mapping.rows.filter((r) => r.inferred.length > 0).every((r) => r.note)).toBe(true);
    const templates = (await reader.get('/api/v1/catalog/templates')).json<{
      items: { key: string; documents: { number: string }[] }[];
    }>();
    expect(
      templates.items.find((x) => x.key === 'procedure-outline')?.documents.map((d) => d.number),
    ).toContain('QP-SEC-002');
    expect((await reader.get('/api/v1/catalog/templates/submission-checklist')).status).toBe(200);
    expect((await reader.get('/api/v1/catalog/templates/nope')).status).toBe(404);
    const model = (await reader.get('/api/v1/catalog/service-model')).json<{ domains: { key: string }[] }>();
    expect(model.domains).toHaveLength(4);
  });

  it('finds practical guidance and referenced standards by search too', async () => {
    const res = await reader.get(`/api/v1/catalog/search?q=${encodeURIComponent('IMDRF/CYBER WG/N60')}`);
    expect(res.json<{ items: { kind: string }[] }>().items.some((i) => i.kind === 'reference')).toBe(true);
  });

  it('finds a Korean phrase from the middle of a clause, whatever its spacing, best first', async () => {
    // from art. 18 ①: "…운영 환경에서 전자적 침해행위가 발생한 것을 인지한 경우…"
    const res = await reader.get(
      `/api/v1/catalog/search?q=${encodeURIComponent('침해행위가 발생한 것을 인지한')}`,
    );
    const items = res.json<{ items: { ref: string; score: number }[] }>().items;
    expect(items[0]?.ref).toBe('mfds-2025:art-18:cl-1');
    const spaced = await reader.get(`/api/v1/catalog/search?q=${encodeURIComponent('발생한것을인지한')}`);
    expect(spaced.json<{ items: { ref: string }[] }>().items[0]?.ref).toBe('mfds-2025:art-18:cl-1');
    const none = await reader.get(`/api/v1/catalog/search?q=${encodeURIComponent('존재하지않는문구xyz')}`);
    expect(none.json<{ items: unknown[] }>().items).toEqual([]);
    const wild = await reader.get(`/api/v1/catalog/search?q=${encodeURIComponent('%_%')}`);
    expect(wild.json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('lists the approval-review requirement IDs with the articles that cite them', async () => {
    const res = (await reader.get('/api/v1/catalog/approval-requirements')).json<{
      items: { id: string; articles: number[]; inferred: boolean }[];
    }>();
    expect(res.items).toHaveLength(35);
    expect(res.items.find((a) => a.id === 'SI-10')?.articles).toEqual([3]);
    expect(res.items.find((a) => a.id === 'TRE-01')).toMatchObject({ inferred: false, articles: [11] });
    expect(res.items.find((a) => a.id === 'SI-07')?.articles).toEqual([5, 11]);
  });

  it('exports JSON and CSV, and records the export', async () => {
    const json = await reader.get('/api/v1/catalog/export?format=json&framework=mfds-2025');
    const rows =
      json.json<
        {
          ref: string;
          framework: string;
          article: number;
          kind: string;
          textKo: string;
          obligation: string;
          approvalIds: string[];
          parentRef: string | null;
        }[]
      >();
    expect(rows.length).toBeGreaterThan(100);
    expect(rows[0]).toMatchObject({
      ref: 'mfds-2025:art-1',
      framework: 'mfds-2025',
      article: 1,
      kind: 'article',
      parentRef: null,
    });
    const csv = await reader.get('/api/v1/catalog/export?format=csv');
    expect(csv.body.split('\r\n')[0]).toContain('ref,framework,kind,article');
    const xlsx = await t.app.inject({
      method: 'GET',
      url: '/api/v1/catalog/export?format=xlsx&framework=mfds-2025',
      headers: { cookie: reader.cookie! },
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('ref');
    expect(sheet.rowCount - 1).toBe(rows.length);
    expect(sheet.getRow(2).getCell(1).value).toBe('mfds-2025:art-1');
    expect(wb.worksheets[1]!.rowCount - 1).toBe(35);
    const [event] = await t.deps.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'catalog.exported'",
    );
    expect(event?.n).toBe(3);
  });

  it('re-imports idempotently; a changed entry is a new revision; a removed one is retired, not deleted', async () => {
    const manifest = BUILT_IN_FRAMEWORKS[0]!;
    const again = await importFramework(
      t.deps.db,
      t.clock,
      manifest,
      loadFrameworkFiles(DEFAULT_CATALOG_DIR, manifest),
    );
    expect(again.skipped).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'medsec-catalog-'));
    try {
      cpSync(DEFAULT_CATALOG_DIR, dir, { recursive: true });
      const file = join(dir, manifest.files.requirements);
      const doc = parse(readFileSync(file, 'utf8')) as { entries: { ref: string; textKo: string }[] };
      doc.entries = doc.entries.filter((e) => e.ref !== 'mfds-2025:art-22:cl-2');
      const target = doc.entries.find((e) => e.ref === 'mfds-2025:art-21:cl-1')!;
      target.textKo = `${target.textKo} (개정)`;
      writeFileSync(file, stringify(doc));
      const summary = await importFramework(t.deps.db, t.clock, manifest, loadFrameworkFiles(dir, manifest));
      expect(summary).toMatchObject({ changed: 1, retired: 1, created: 0 });
      const [changed] = await t.deps.db.query<{ revision: number }>(
        "SELECT revision FROM catalog_requirements WHERE ref = 'mfds-2025:art-21:cl-1'",
      );
      expect(changed?.revision).toBe(2);
      const retired = await reader.get('/api/v1/catalog/requirements/mfds-2025:art-22:cl-2');
      expect(retired.json<{ retired: boolean }>().retired).toBe(true);
      const list = (await reader.get('/api/v1/catalog/requirements?article=22&kind=clause')).json<{
        total: number;
      }>();
      expect(list.total).toBe(1);
      // the original files restore it (revision 3, "restored")
      const back = await importFramework(
        t.deps.db,
        t.clock,
        manifest,
        loadFrameworkFiles(DEFAULT_CATALOG_DIR, manifest),
      );
      expect(back).toMatchObject({ changed: 2, retired: 0 });
      const revisions = await t.deps.db.query<{ change: string }>(
        "SELECT change FROM catalog_requirement_revisions v JOIN catalog_requirements r ON r.id = v.requirement_id WHERE r.ref = 'mfds-2025:art-22:cl-2' ORDER BY v.revision",
      );
      expect(revisions.map((r) => r.change)).toEqual(['created', 'retired', 'restored']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a malformed framework file with a clear error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medsec-catalog-bad-'));
    try {
      cpSync(DEFAULT_CATALOG_DIR, dir, { recursive: true });
      const file = join(dir, 'mfds-2025/requirements.yaml');
      const doc = parse(readFileSync(file, 'utf8')) as { entries: Record<string, unknown>[] };
      doc.entries[0]!.obligation = 'sometimes';
      writeFileSync(file, stringify(doc));
      expect(() => loadFrameworkFiles(dir, BUILT_IN_FRAMEWORKS[0]!)).toThrow(
        /does not match the catalog schema/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs a signed-in user', async () => {
    expect((await createClient(t).get('/api/v1/catalog/frameworks')).status).toBe(401);
  });
});
