import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CatalogTemplate, type ImdrfMappingFile, type KisaModelFile, obligationOf } from '@medsec/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILT_IN_FRAMEWORKS, DEFAULT_CATALOG_DIR, loadFrameworkFiles } from './catalog.import.ts';

/**
 * The catalog's structured data against the seeds: practical guidance, security-activity tables and numeric
 * examples per article, the IMDRF mapping table, the document templates (붙임1, 붙임2), referenced standards, the
 * KISA service model and the KISA ↔ MFDS cross-references. Korean text is verbatim; where a scrambled table had to
 * be pieced together (`reconstructed: true`) every fragment must still occur in the seed.
 */
const SEEDS = resolve(
  process.env.MEDSEC_SEEDS_DIR ?? join(DEFAULT_CATALOG_DIR, '..', '..', 'shared', 'seeds'),
);
const squash = (s: string) => s.replace(/\s+/g, '');
const seedText = (file: string) => {
  const path = join(SEEDS, file);
  expect(existsSync(path), `seed not found at ${path} (set MEDSEC_SEEDS_DIR)`).toBe(true);
  return squash(readFileSync(path, 'utf8').replace(/^- \d+ -$/gm, ''));
};
const MFDS_SEED = '001_661d32929660fd05.txt';
const KISA_SEED = '000_c0456e1f97fc7b59.txt';

const mfds = loadFrameworkFiles(DEFAULT_CATALOG_DIR, BUILT_IN_FRAMEWORKS.find((f) => f.id === 'mfds-2025')!);
const kisa = loadFrameworkFiles(
  DEFAULT_CATALOG_DIR,
  BUILT_IN_FRAMEWORKS.find((f) => f.id === 'kisa-healthcare')!,
);
const dataset = <T>(fw: typeof mfds, key: string) => fw.datasets.find((d) => d.key === key)?.data as T;
const mapping = dataset<ImdrfMappingFile>(mfds, 'imdrf-mapping');
const procedure = dataset<CatalogTemplate>(mfds, 'procedure-outline');
const model = dataset<KisaModelFile>(kisa, 'service-model');
const articleOf = (n: number) => mfds.entries.find((e) => e.ref === `mfds-2025:art-${n}`)!;

/** Every Korean text (keys ending in Ko) under a value, with whether its object is marked reconstructed. */
const koreanTexts = (
  node: unknown,
  path = '$',
  reconstructed = false,
): { path: string; text: string; rec: boolean }[] => {
  if (Array.isArray(node)) {
    return node.flatMap((v, i) => koreanTexts(v, `${path}[${i}]`, reconstructed));
  }
  if (!node || typeof node !== 'object') {
    return [];
  }
  const obj = node as Record<string, unknown>;
  const rec = reconstructed || obj.reconstructed === true;
  return Object.entries(obj).flatMap(([k, v]) => {
    if (/Ko$/.test(k) && typeof v === 'string') {
      return [{ path: `${path}.${k}`, text: v, rec }];
    }
    if (/Ko$/.test(k) && Array.isArray(v) && v.every((x) => typeof x === 'string')) {
      return v.map((text, i) => ({ path: `${path}.${k}[${i}]`, text: text as string, rec }));
    }
    return koreanTexts(v, `${path}.${k}`, rec);
  });
};

const expectVerbatim = (seed: string, node: unknown) => {
  const texts = koreanTexts(node);
  expect(texts.length).toBeGreaterThan(0);
  for (const t of texts) {
    const ok = t.rec
      ? t.text
          .split(/\s+/)
          .filter(Boolean)
          .every((f) => seed.includes(squash(f)))
      : seed.includes(squash(t.text));
    expect(ok, `${t.path}: ${t.text.slice(0, 60)}`).toBe(true);
  }
};

const yamlOf = (file: string) => parse(readFileSync(join(DEFAULT_CATALOG_DIR, file), 'utf8'));

describe('MFDS 2025 practical guidance (Ch. II)', () => {
  const guidance = mfds.entries.filter((e) => e.kind === 'guidance');

  it('has guidance points under articles 2–22, each under its article, verbatim, with English and obligation', () => {
    const seed = seedText(MFDS_SEED);
    const articles = new Set(guidance.map((g) => g.article));
    for (let n = 2; n <= 22; n++) {
      expect(articles.has(n), `art. ${n} has guidance`).toBe(true);
    }
    for (const g of guidance) {
      expect(g.parentRef).toBe(`mfds-2025:art-${g.article}`);
      expect(g.ref).toMatch(/^mfds-2025:art-\d+:guide-\d+$/);
      expect(seed.includes(squash(g.textKo)), g.ref).toBe(true);
      expect(g.textEn, g.ref).toBeTruthy();
      // the guideline's rule, allowing for the passive mandatory forms (되어야 한다) the rule in core also reads
      if (obligationOf(g.textKo) !== 'none') {
        expect(g.obligation, g.ref).not.toBe('none');
      }
    }
  });

  it('keeps the practice files verbatim (reconstructed texts fragment by fragment)', () => {
    const seed = seedText(MFDS_SEED);
    for (const file of ['mfds-2025/practice-01-11.yaml', 'mfds-2025/practice-12-22.yaml']) {
      expectVerbatim(seed, yamlOf(file));
    }
  });

  it('has security-activity tables with area, actor, direction and artefact', () => {
    const withActivities = mfds.entries.filter(
      (e) => e.kind === 'article' && (e.activities?.length ?? 0) > 0,
    );
    expect(withActivities.length).toBeGreaterThanOrEqual(15);
    const all = withActivities.flatMap((a) => a.activities ?? []);
    expect(new Set(all.map((a) => a.direction))).toEqual(new Set(['input', 'output']));
    expect(all.some((a) => a.artefact === 'user-manual')).toBe(true);
    expect(all.some((a) => a.artefact === 'device')).toBe(true);
    expect(all.every((a) => a.nameEn.length > 0)).toBe(true);
  });

  it('carries the numbers the guideline gives as examples', () => {
    const numbers = mfds.entries.flatMap((e) =>
      (e.numericExamples ?? []).map((n) => ({ article: e.article, value: n.value, unit: n.unit })),
    );
    const has = (article: number, value: number, unit: string) =>
      numbers.some((n) => n.article === article && n.value === value && n.unit === unit);
    expect(has(18, 24, 'hours'), '24-hour report (art. 18)').toBe(true);
    expect(
      numbers.some((n) => n.value === 112 && n.unit === 'bits'),
      '≥112-bit security strength',
    ).toBe(true);
    expect(
      numbers.some((n) => n.value === 5 && n.unit === 'attempts'),
      '5 failed logins',
    ).toBe(true);
    expect(
      numbers.some((n) => n.value === 10 && n.unit === 'minutes'),
      '10-minute session lock',
    ).toBe(true);
    expect(
      numbers.some((n) => n.value === 30 && n.unit === 'days'),
      '30 days',
    ).toBe(true);
    expect(
      numbers.some((n) => n.value === 60 && n.unit === 'days'),
      '60 days',
    ).toBe(true);
  });
});

describe('IMDRF N60 ↔ approval-review requirement ID ↔ article (Ch. II table)', () => {
  it('resolves every cell: IMDRF requirement, principle, requirement ID and article', () => {
    const principles = new Set(mapping.principles.map((p) => p.key));
    const imdrf = new Map(mapping.imdrf.map((i) => [i.key, i]));
    const ids = new Set(mfds.approvals.map((a) => a.id));
    expect(mapping.mappings.length).toBeGreaterThanOrEqual(20);
    expect(mapping.mappings.map((m) => m.row)).toEqual(mapping.mappings.map((_, i) => i + 1));
    for (const m of mapping.mappings) {
      const i = imdrf.get(m.imdrf);
      expect(i, `row ${m.row}`).toBeDefined();
      expect(principles.has(i!.principle), `row ${m.row} principle`).toBe(true);
      if (m.approvalId) {
        expect(ids.has(m.approvalId), `row ${m.row}: ${m.approvalId}`).toBe(true);
      }
      if (m.article !== null) {
        expect(articleOf(m.article), `row ${m.row}: art. ${m.article}`).toBeDefined();
      }
      expect(m.approvalId !== null || m.article !== null, `row ${m.row} maps to something`).toBe(true);
    }
  });

  it('explains every inferred cell and keeps the Korean verbatim', () => {
    for (const m of mapping.mappings.filter((x) => x.inferred.length > 0)) {
      expect(m.note, `row ${m.row} says why it was inferred`).toBeTruthy();
    }
    expectVerbatim(seedText(MFDS_SEED), yamlOf('mfds-2025/imdrf-mapping.yaml'));
    // the table's last row (AI) prints "-" in the IMDRF column: N60 has no AI principle
    const printed = mapping.imdrf.filter((i) => i.textEn !== '-');
    expect(printed.length).toBeGreaterThanOrEqual(15);
    expect(printed.every((i) => i.textEn.startsWith('The manufacturer'))).toBe(true);
  });

  it('maps the secure-communication principle to art. 4', () => {
    const comm = mapping.principles.find((p) => p.titleKo === '보안통신');
    expect(comm).toBeDefined();
    const rows = mapping.mappings.filter(
      (m) => mapping.imdrf.find((i) => i.key === m.imdrf)?.principle === comm!.key,
    );
    expect(rows.some((r) => r.article === 4)).toBe(true);
  });
});

describe('Templates (붙임1, 붙임2) and references (Ch. IV)', () => {
  it('has the procedure outline SG01-01 with its documents, records and retention', () => {
    expect(procedure.documentNo).toBe('SG01-01');
    const numbers = procedure.documents.map((d) => d.number);
    expect(numbers).toEqual(
      expect.arrayContaining([
        'QP-006',
        'QP-001',
        'GL-SEC-001',
        'QP-SEC-002',
        'QP-SEC-003',
        'REC-SEC-001',
        'REC-SEC-002',
        'REC-SEC-003',
      ]),
    );
    for (const d of procedure.documents) {
      expect(d.retentionYears, d.number).toBeGreaterThanOrEqual(5);
    }
    expect(procedure.roles.length).toBeGreaterThanOrEqual(3);
    expect(procedure.sections.length).toBeGreaterThanOrEqual(5);
  });

  it('has the 붙임2 submission forms with the checklist columns', () => {
    const checklist = dataset<CatalogTemplate>(mfds, 'submission-checklist');
    expect(checklist.columns.map((c) => c.key)).toEqual([
      'requirement',
      'applies',
      'conformity-method',
      'evidence',
      'reason-not-applied',
    ]);
    expect(dataset<CatalogTemplate>(mfds, 'submission-attachments').rows.length).toBeGreaterThanOrEqual(3);
    expectVerbatim(seedText(MFDS_SEED), yamlOf('mfds-2025/templates.yaml'));
  });

  it('lists the referenced laws, guidelines and standards, including [2] and [14] cited in the text', () => {
    const refs = mfds.entries.filter((e) => e.kind === 'reference');
    expect(refs.length).toBeGreaterThanOrEqual(49);
    expect(refs.map((r) => r.item)).toEqual(refs.map((_, i) => i + 1));
    expect(refs.find((r) => r.item === 14)?.textKo).toMatch(/N60/);
    expectVerbatim(seedText(MFDS_SEED), yamlOf('mfds-2025/references.yaml'));
  });
});

describe('KISA service model and cross-references', () => {
  it('has the four service domains, device role classes and device types that point at them', () => {
    expect(model.domains.map((d) => d.key).sort()).toEqual([
      'home',
      'hospital',
      'mobile-clinic',
      'service-provider',
    ]);
    const domains = new Set(model.domains.map((d) => d.key));
    const classes = new Set(model.deviceRoleClasses.map((c) => c.key));
    expect(classes.size).toBeGreaterThanOrEqual(3);
    expect(model.deviceTypes.length).toBeGreaterThanOrEqual(10);
    for (const t of model.deviceTypes) {
      expect(
        t.domains.every((d) => domains.has(d)),
        t.key,
      ).toBe(true);
      if (t.roleClass) {
        expect(classes.has(t.roleClass), t.key).toBe(true);
      }
    }
    expectVerbatim(seedText(KISA_SEED), yamlOf('kisa-healthcare/model.yaml'));
  });

  it('links KISA requirements to MFDS text that exists, each with its basis, and records the two disagreements', () => {
    const refs = new Set([...mfds.entries, ...kisa.entries].map((e) => e.ref));
    expect(kisa.links.length).toBeGreaterThanOrEqual(60);
    for (const l of kisa.links) {
      expect(refs.has(l.from), l.from).toBe(true);
      expect(refs.has(l.to), l.to).toBe(true);
      expect(l.from.startsWith('kisa-healthcare:')).toBe(true);
      expect(l.to.startsWith('mfds-2025:')).toBe(true);
      expect(l.basisEn.length).toBeGreaterThan(10);
    }
    const linkedDevice = new Set(kisa.links.filter((l) => l.from.includes(':dev-')).map((l) => l.from));
    expect(linkedDevice.size).toBeGreaterThanOrEqual(50);
    const file = yamlOf('kisa-healthcare/mfds-links.yaml') as { disagreements: { kisaRef: string }[] };
    expect(file.disagreements.map((d) => d.kisaRef).sort()).toEqual([
      'kisa-healthcare:dev-3.5.1',
      'kisa-healthcare:dev-5.1.4',
    ]);
  });
});
