import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { combineObligations, obligationOf } from '@medsec/core';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_FRAMEWORKS, DEFAULT_CATALOG_DIR, loadFrameworkFiles } from './catalog.import.ts';

/**
 * The reviewed catalog files against the seeds: structure, completeness, numbering, mappings, and every Korean
 * text verbatim in the source (after whitespace normalisation). The seeds are required: MEDSEC_SEEDS_DIR,
 * default ../shared/seeds.
 */
const SEEDS = resolve(
  process.env.MEDSEC_SEEDS_DIR ?? join(DEFAULT_CATALOG_DIR, '..', '..', 'shared', 'seeds'),
);
const manifest = BUILT_IN_FRAMEWORKS.find((f) => f.id === 'mfds-2025')!;
const loaded = loadFrameworkFiles(DEFAULT_CATALOG_DIR, manifest);
const { approvals } = loaded;
const entries = loaded.entries.filter((e) => ['article', 'clause', 'item'].includes(e.kind));
const checks = loaded.entries.filter((e) => e.kind === 'check');
const definitions = loaded.entries.filter((e) => e.kind === 'definition');
const squash = (s: string) => s.replace(/\s+/g, '');

describe('MFDS 2025 catalog files', () => {
  it('has all 22 articles, in order, with titles', () => {
    const articles = entries.filter((e) => e.kind === 'article');
    expect(articles.map((a) => a.article)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(articles.every((a) => a.titleKo && a.titleKo.length > 1)).toBe(true);
    expect(articles.find((a) => a.article === 18)?.titleKo).toBe('침해행위 신고');
  });

  it('numbers clauses and items continuously from 1 under each parent', () => {
    const byParent = new Map<string, number[]>();
    for (const e of entries.filter((x) => x.kind !== 'article')) {
      const n = e.kind === 'clause' ? e.clause! : e.item!;
      byParent.set(`${e.parentRef}|${e.kind}`, [...(byParent.get(`${e.parentRef}|${e.kind}`) ?? []), n]);
    }
    for (const [parent, numbers] of byParent) {
      expect(numbers, parent).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    }
  });

  it('uses stable refs that match the numbering', () => {
    for (const e of entries) {
      const expected =
        e.kind === 'article'
          ? `mfds-2025:art-${e.article}`
          : e.kind === 'clause'
            ? `mfds-2025:art-${e.article}:cl-${e.clause}`
            : `${e.parentRef}:item-${e.item}`;
      expect(e.ref).toBe(expected);
    }
  });

  it("derives every obligation from the wording by the guideline's rule", () => {
    for (const e of entries.filter((x) => x.kind === 'clause')) {
      expect(e.obligation, e.ref).toBe(obligationOf(e.textKo));
    }
    for (const a of entries.filter((x) => x.kind === 'article')) {
      const clauses = entries.filter((x) => x.parentRef === a.ref && x.kind === 'clause');
      const expected = clauses.length
        ? combineObligations(clauses.map((c) => c.obligation))
        : obligationOf(a.textKo);
      expect(a.obligation, a.ref).toBe(expected);
    }
    expect(entries.find((e) => e.ref === 'mfds-2025:art-18:cl-1')?.obligation).toBe('mandatory');
    expect(entries.find((e) => e.ref === 'mfds-2025:art-21:cl-1')?.obligation).toBe('recommended');
  });

  it('resolves every approval-review requirement ID it cites, and lists the full RA/SI/DC/IA/UC/TRE series', () => {
    const known = new Set(approvals.map((a) => a.id));
    for (const e of entries) {
      for (const id of e.approvalIds) {
        expect(known.has(id), `${e.ref} cites ${id}`).toBe(true);
      }
    }
    const series = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);
    for (const id of [
      ...series('RA', 5),
      ...series('SI', 11),
      ...series('DC', 3),
      ...series('IA', 8),
      ...series('UC', 7),
      ...series('TRE', 1),
    ]) {
      expect(known.has(id), id).toBe(true);
    }
  });

  it('quotes every Korean text verbatim from the seed', () => {
    const seedFile = join(SEEDS, '001_661d32929660fd05.txt');
    expect(existsSync(seedFile), `seed 001 not found at ${seedFile} (set MEDSEC_SEEDS_DIR)`).toBe(true);
    const seed = squash(readFileSync(seedFile, 'utf8'));
    for (const e of entries) {
      expect(seed.includes(squash(e.textKo)), `${e.ref} text not in seed`).toBe(true);
      for (const k of [...(e.keyChecks ?? []), ...(e.evidenceExamples ?? []), ...(e.details ?? [])]) {
        expect(seed.includes(squash(k)), `${e.ref}: "${k.slice(0, 40)}…" not in seed`).toBe(true);
      }
    }
    for (const a of approvals.filter((x) => !x.inferred)) {
      expect(seed.includes(squash(a.titleKo)), a.id).toBe(true);
    }
  });

  it('has an English translation beside every entry, keeping the modal force (shall / may)', () => {
    for (const e of entries) {
      expect(e.textEn, e.ref).toBeTruthy();
      if (e.kind === 'article') {
        expect(e.titleEn, e.ref).toBeTruthy();
      }
      if (e.kind === 'clause') {
        const hasShall = /\bshall\b/.test(e.textEn!);
        const hasMay = /\bmay\b/.test(e.textEn!);
        expect({ ref: e.ref, shall: hasShall, may: hasMay }).toEqual({
          ref: e.ref,
          shall: e.obligation === 'mandatory' || e.obligation === 'mixed',
          may: e.obligation === 'recommended' || e.obligation === 'mixed',
        });
      }
    }
  });

  it('has the 31 definitions of Ch. I.2 (가.–도.), verbatim, with English', () => {
    expect(definitions).toHaveLength(31);
    // Page numbers ("- 3 -") of the extraction interrupt text that runs across pages.
    const seed = squash(
      readFileSync(join(SEEDS, '001_661d32929660fd05.txt'), 'utf8').replace(/^- \d+ -$/gm, ''),
    );
    for (const d of definitions) {
      expect(seed.includes(squash(d.textKo)), d.ref).toBe(true);
      expect(d.textEn, d.ref).toBeTruthy();
      expect(d.titleEn, d.ref).toBeTruthy();
    }
    expect(definitions.find((d) => d.titleKo === '잔여 위험')?.notes).toEqual([
      'Source cited: KS P ISO 14971:2019',
    ]);
  });

  it('has the GMP audit checklist (붙임3) rows 1–38, verbatim, each under its article, with English', () => {
    expect(checks.map((c) => c.item)).toEqual(Array.from({ length: 38 }, (_, i) => i + 1));
    const raw = readFileSync(join(SEEDS, '001_661d32929660fd05.txt'), 'utf8').split('\n');
    const start = raw.findIndex((l, i) => i > 10_000 && l.trim() === '붙임 3');
    // The table interleaves row numbers and article labels with the question text: drop them to compare.
    const region = raw
      .slice(start, start + 400)
      .filter(
        (l) =>
          !/^\s*(\d{1,2}|- \d+ -)\s*$/.test(l) &&
          !/^\s*제\d+조\(/.test(l) &&
          !/^\s*(관리 활동\)|명세서 관리 활동\))\s*$/.test(l),
      )
      .join('');
    for (const c of checks) {
      expect(squash(region).includes(squash(c.textKo)), c.ref).toBe(true);
      expect(c.parentRef).toBe(`mfds-2025:art-${c.article}`);
      expect(c.textEn, c.ref).toMatch(/\?$/);
    }
    // Every article from 2 to 22 has at least one checklist row.
    expect([...new Set(checks.map((c) => c.article))]).toEqual(Array.from({ length: 21 }, (_, i) => i + 2));
  });

  it('translates the key checks, details and evidence examples of art. 2 item by item', () => {
    const art2 = entries.find((e) => e.ref === 'mfds-2025:art-2')!;
    expect(art2.keyChecksEn).toHaveLength(art2.keyChecks!.length);
    expect(art2.detailsEn).toHaveLength(art2.details!.length);
    expect(art2.evidenceExamplesEn).toHaveLength(art2.evidenceExamples!.length);
    expect(art2.keyChecksEn!.every((k) => k.endsWith('?'))).toBe(true);
  });

  it('cites source line numbers inside the seed for every entry', () => {
    const lines = readFileSync(join(SEEDS, '001_661d32929660fd05.txt'), 'utf8').split('\n').length;
    for (const e of entries) {
      expect(e.source?.lines[0]).toBeGreaterThan(0);
      expect(e.source?.lines[1]).toBeLessThanOrEqual(lines);
    }
  });
});

describe('KISA digital-healthcare device requirements', () => {
  const all = loadFrameworkFiles(
    DEFAULT_CATALOG_DIR,
    BUILT_IN_FRAMEWORKS.find((f) => f.id === 'kisa-healthcare')!,
  ).entries;
  const kisa = all.filter((e) => e.ref.startsWith('kisa-healthcare:dev-'));
  const services = all.filter((e) => !e.ref.startsWith('kisa-healthcare:dev-') && e.kind !== 'threat');
  const idOf = (ref: string) => ref.replace('kisa-healthcare:dev-', '');

  it('has every device requirement 1.1.1–6.1.2, numbered continuously within each security item', () => {
    expect(kisa).toHaveLength(63);
    const bySection = new Map<string, number[]>();
    for (const e of kisa) {
      const [a, b, c] = idOf(e.ref).split('.').map(Number);
      bySection.set(`${a}.${b}`, [...(bySection.get(`${a}.${b}`) ?? []), c!]);
    }
    for (const [section, numbers] of bySection) {
      expect(numbers, section).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    }
    expect([...new Set(kisa.map((e) => idOf(e.ref).split('.')[0]))]).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(idOf(kisa.at(-1)!.ref)).toBe('6.1.2');
  });

  it('quotes every requirement verbatim from seed 000, with its security item and an English translation', () => {
    const seedFile = join(SEEDS, '000_c0456e1f97fc7b59.txt');
    expect(existsSync(seedFile), `seed 000 not found at ${seedFile}`).toBe(true);
    const seed = squash(readFileSync(seedFile, 'utf8'));
    for (const e of kisa) {
      expect(seed.includes(squash(e.textKo)), e.ref).toBe(true);
      expect(e.titleKo!.length, e.ref).toBeGreaterThan(6);
      expect(e.textEn, e.ref).toMatch(/\bshall\b/);
      expect(e.obligation).toBe(obligationOf(e.textKo));
    }
  });

  it('has the service requirements: mobile app, web service and infrastructure (server, web server, DBMS)', () => {
    const count = (prefix: string) =>
      services.filter((e) => e.ref.startsWith(`kisa-healthcare:${prefix}-`)).length;
    expect({ app: count('app'), web: count('web'), infra: count('infra') }).toEqual({
      app: 27,
      web: 11,
      infra: 36,
    });
    const seed = squash(readFileSync(join(SEEDS, '000_c0456e1f97fc7b59.txt'), 'utf8'));
    const refs = new Set<string>();
    for (const e of services) {
      expect(refs.has(e.ref), `duplicate ${e.ref}`).toBe(false);
      refs.add(e.ref);
      expect(seed.includes(squash(e.textKo.replace(/^- /gm, '- '))), e.ref).toBe(true);
      expect(e.textEn, e.ref).toBeTruthy();
      expect(e.obligation, e.ref).toBe(
        obligationOf(e.textKo) === 'none' ? 'mandatory' : obligationOf(e.textKo),
      );
    }
    // web-service numbers run across the security items of a type
    expect(services.filter((e) => e.group === 'web-1').map((e) => e.ref.split('.').pop())).toEqual([
      '01',
      '02',
      '03',
      '04',
    ]);
  });

  it('has the threat catalog with its countermeasures, each naming a device security item that exists', () => {
    const threats = all.filter((e) => e.kind === 'threat');
    const perCategory = (c: string) => threats.filter((t) => t.group === `threat-${c}`).length;
    expect([perCategory('1'), perCategory('2'), perCategory('3'), perCategory('4')]).toEqual([9, 2, 4, 14]);
    const seed = squash(readFileSync(join(SEEDS, '000_c0456e1f97fc7b59.txt'), 'utf8'));
    const sections = new Set(kisa.map((k) => squash(k.titleKo!.replace(/^[\d.]+\s*/, ''))));
    for (const t of threats) {
      // Table cells wrap across page breaks: the start and the end of each description are checked verbatim.
      const text = squash(t.textKo);
      expect(seed.includes(text.slice(0, 14)), `${t.ref} start`).toBe(true);
      expect(seed.includes(text.slice(-14)), `${t.ref} end`).toBe(true);
      expect(t.countermeasures?.length, t.ref).toBeGreaterThan(0);
      for (const c of t.countermeasures ?? []) {
        expect(sections.has(squash(c)), `${t.ref}: countermeasure ${c}`).toBe(true);
      }
    }
  });

  it('notes the two places where the seeds disagree (rollback; personal medical data on the device)', () => {
    const notes = (id: string) => kisa.find((e) => e.ref === `kisa-healthcare:dev-${id}`)?.notes ?? [];
    expect(notes('5.1.4').join(' ')).toMatch(/rollback/i);
    expect(notes('3.5.1').join(' ')).toMatch(/personal/i);
  });
});
