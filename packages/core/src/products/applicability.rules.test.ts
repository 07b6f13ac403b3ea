import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  APPLICABILITY_RULES,
  type ApplicabilityDecision,
  type ApplicabilityEntry,
  DEFAULT_RULE,
  diffApplicability,
  evaluateApplicability,
} from './applicability.rules.ts';
import { type ProductProfileInput, ProductProfileSchema } from './products.schemas.ts';

// The real catalog, as reviewed data files (catalog/<framework>/*.yaml with an `entries` list).
const CATALOG_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'catalog');

interface FileEntry {
  ref: string;
  kind: string;
  article?: number;
  clause?: number;
  item?: number;
  group?: string;
  parentRef?: string;
  actors?: string[];
}

const files = ['mfds-2025', 'kisa-healthcare'].flatMap((dir) =>
  readdirSync(join(CATALOG_DIR, dir))
    .filter((f) => f.endsWith('.yaml'))
    .map(
      (f) =>
        parse(readFileSync(join(CATALOG_DIR, dir, f), 'utf8')) as {
          framework?: string;
          entries?: FileEntry[];
        },
    ),
);
const raw = files.flatMap((doc) =>
  Array.isArray(doc.entries) ? doc.entries.map((e) => ({ ...e, framework: doc.framework ?? '' })) : [],
);
const ENTRIES: ApplicabilityEntry[] = raw.map((e) => ({
  ref: e.ref,
  framework: e.framework,
  kind: e.kind,
  article: e.article ?? null,
  clause: e.clause ?? null,
  item: e.item ?? null,
  group: e.group ?? null,
  parentRef: e.parentRef ?? null,
}));
const REFS = new Set(ENTRIES.map((e) => e.ref));
const DECIDABLE = ENTRIES.filter(
  (e) =>
    (e.framework === 'mfds-2025' && ['article', 'clause', 'item'].includes(e.kind)) ||
    (e.framework === 'kisa-healthcare' && e.kind === 'requirement'),
);
const refsWhere = (pred: (e: ApplicabilityEntry) => boolean): string[] =>
  ENTRIES.filter(pred).map((e) => e.ref);
const mfdsArticle = (n: number) => (e: ApplicabilityEntry) =>
  e.framework === 'mfds-2025' && e.article === n && ['article', 'clause', 'item'].includes(e.kind);
const inGroup = (prefix: string) => (e: ApplicabilityEntry) =>
  e.framework === 'kisa-healthcare' && (e.group ?? '').startsWith(prefix);

type ProfileInput = Partial<ProductProfileInput> & Pick<ProductProfileInput, 'kind'>;
const profile = (input: ProfileInput) => ProductProfileSchema.parse(input);
const evaluate = (input: ProfileInput) =>
  new Map(evaluateApplicability(profile(input), ENTRIES).map((d) => [d.ref, d]));
const applicable = (decisions: Map<string, ApplicabilityDecision>, ref: string): boolean => {
  const d = decisions.get(ref);
  if (!d) {
    throw new Error(`no decision for ${ref}`);
  }
  return d.applicable;
};

const EMBEDDED: ProfileInput = { kind: 'embedded-software' };
const STANDALONE: ProfileInput = { kind: 'standalone-software', domains: ['hospital'] };
const HOSTED_CLOUD: ProfileInput = { kind: 'cloud-service', deployment: 'manufacturer-hosted' };
const PROFILES: ProfileInput[] = [
  EMBEDDED,
  STANDALONE,
  HOSTED_CLOUD,
  { kind: 'mobile-app', personalData: true, interfaces: [{ kind: 'bluetooth-le' }] },
  {
    kind: 'gateway',
    usesAi: true,
    hasDatabase: true,
    remoteAccess: true,
    personalData: true,
    hasUpdateMechanism: true,
    hardwareWithExternalPorts: true,
    deployment: 'hybrid',
    interfaces: [{ kind: 'wifi' }, { kind: 'usb' }, { kind: 'ethernet' }],
    endOfLife: '2030-01-01',
    endOfSupport: '2033-01-01',
  },
];

describe('the catalog the tests read', () => {
  it('has the MFDS provisions and the KISA device and service requirements', () => {
    expect(refsWhere((e) => e.framework === 'mfds-2025' && e.kind === 'article')).toHaveLength(22);
    expect(refsWhere(inGroup('device-')).length).toBeGreaterThan(50);
    expect(refsWhere(inGroup('infra-3')).length).toBeGreaterThan(5);
    expect(ENTRIES.some((e) => e.kind === 'definition')).toBe(true);
    expect(ENTRIES.some((e) => e.kind === 'threat')).toBe(true);
  });
});

describe('APPLICABILITY_RULES', () => {
  it('cite a basis that exists in the catalog, and so does the default', () => {
    for (const rule of APPLICABILITY_RULES) {
      expect(REFS, rule.id).toContain(rule.basis);
    }
    expect(REFS).toContain(DEFAULT_RULE.basis);
  });

  it('target only refs and groups that exist (no dead rules), with unique ids and English and Korean descriptions', () => {
    const groups = new Set(ENTRIES.map((e) => e.group));
    for (const rule of APPLICABILITY_RULES) {
      expect(rule.descriptionEn.length, rule.id).toBeGreaterThan(10);
      expect(rule.descriptionKo.length, rule.id).toBeGreaterThan(10);
      for (const t of rule.targets) {
        if ('ref' in t) {
          expect(REFS, rule.id).toContain(t.ref);
        } else if ('group' in t) {
          expect(groups, rule.id).toContain(t.group);
        } else {
          expect(
            [...groups].some((g) => g?.startsWith(t.groupPrefix)),
            rule.id,
          ).toBe(true);
        }
      }
    }
    expect(new Set(APPLICABILITY_RULES.map((r) => r.id)).size).toBe(APPLICABILITY_RULES.length);
  });

  it('never name the same target twice, so no decision depends on rule order', () => {
    const seen = new Map<string, string>();
    for (const rule of APPLICABILITY_RULES) {
      for (const t of rule.targets) {
        const key = JSON.stringify(t);
        expect(seen.get(key), `${key} in ${rule.id}`).toBeUndefined();
        seen.set(key, rule.id);
      }
    }
  });

  it('keep exactly the clauses whose actor is the healthcare provider applicable, supported through the manual', () => {
    const providerClauses = raw
      .filter((e) => e.framework === 'mfds-2025' && e.actors?.includes('healthcare-provider'))
      .map((e) => e.ref)
      .sort();
    const rule = APPLICABILITY_RULES.find((r) => r.id === 'mfds.healthcare-provider');
    expect(rule?.targets.map((t) => ('ref' in t ? t.ref : '')).sort()).toEqual(providerClauses);
    const d = evaluate(EMBEDDED);
    for (const ref of providerClauses) {
      expect(d.get(ref)).toMatchObject({ applicable: true, ruleId: 'mfds.healthcare-provider' });
      expect(d.get(ref)?.reasonEn).toContain('user manual');
      expect(d.get(ref)?.reasonKo).toContain('사용자 매뉴얼');
    }
  });
});

describe('evaluateApplicability: every decision', () => {
  it.each(PROFILES.map((p) => [p.kind, p] as const))(
    'covers each MFDS article/clause/item and KISA requirement exactly once, and nothing else (%s)',
    (_kind, input) => {
      const decisions = evaluateApplicability(profile(input), ENTRIES);
      const refs = decisions.map((d) => d.ref);
      expect(refs).toHaveLength(new Set(refs).size);
      expect(new Set(refs)).toEqual(new Set(DECIDABLE.map((e) => e.ref)));
    },
  );

  it.each(PROFILES.map((p) => [p.kind, p] as const))(
    'has a reason in both languages naming the outcome, a catalog basis and a named rule (%s)',
    (_kind, input) => {
      for (const d of evaluateApplicability(profile(input), ENTRIES)) {
        expect(d.reasonEn, d.ref).toMatch(d.applicable ? / applies/ : / does not apply/);
        expect(d.reasonKo, d.ref).toMatch(d.applicable ? /적용($| \()/ : /적용 제외/);
        expect(d.reasonEn.split('→')[0]?.trim().length, d.ref).toBeGreaterThan(3);
        expect(d.reasonKo.split('→')[0]?.trim().length, d.ref).toBeGreaterThan(3);
        expect(REFS, d.ref).toContain(d.basis);
        // Every provision of today's catalog is decided by a named rule or inherits one; the default is a safety net.
        expect(d.ruleId, d.ref).not.toBe(DEFAULT_RULE.id);
      }
    },
  );

  it('gives no decision for definitions, checks, threats, or frameworks other than MFDS and KISA', () => {
    const extra: ApplicabilityEntry[] = [
      {
        ref: 'acme:req-1',
        framework: 'acme',
        kind: 'requirement',
        article: null,
        clause: null,
        item: null,
        group: null,
        parentRef: null,
      },
      {
        ref: 'mfds-2025:def-1',
        framework: 'mfds-2025',
        kind: 'definition',
        article: null,
        clause: null,
        item: null,
        group: null,
        parentRef: null,
      },
      {
        ref: 'kisa-healthcare:threat-x',
        framework: 'kisa-healthcare',
        kind: 'threat',
        article: null,
        clause: null,
        item: null,
        group: 'threat-1',
        parentRef: null,
      },
    ];
    expect(evaluateApplicability(profile(EMBEDDED), extra)).toEqual([]);
  });
});

describe('AI security (art. 12)', () => {
  it('applies to an AI product, with its items, and names the fact', () => {
    const d = evaluate({ ...EMBEDDED, usesAi: true });
    for (const ref of refsWhere(mfdsArticle(12))) {
      expect(applicable(d, ref), ref).toBe(true);
    }
    expect(d.get('mfds-2025:art-12')).toMatchObject({
      ruleId: 'mfds.ai',
      basis: 'mfds-2025:art-12',
      reasonEn: 'Uses AI → art. 12 applies',
      reasonKo: '인공지능 사용 → 제12조 적용',
    });
    expect(d.get('mfds-2025:art-12:item-2')).toMatchObject({
      ruleId: 'mfds.ai',
      reasonEn: 'Uses AI → art. 12 item 2 applies (follows art. 12)',
      reasonKo: '인공지능 사용 → 제12조제2호 적용 (제12조에 따름)',
    });
  });

  it('does not apply to a product without AI', () => {
    const d = evaluate(EMBEDDED);
    for (const ref of refsWhere(mfdsArticle(12))) {
      expect(applicable(d, ref), ref).toBe(false);
    }
    expect(d.get('mfds-2025:art-12')?.reasonKo).toBe('인공지능 미사용 → 제12조 적용 제외');
  });
});

describe('a standalone app without hardware', () => {
  const d = evaluate(STANDALONE);

  it('does not get the physical-port items', () => {
    for (const ref of ['mfds-2025:art-4:item-2', 'kisa-healthcare:dev-6.1.1', 'kisa-healthcare:dev-6.1.2']) {
      expect(applicable(d, ref), ref).toBe(false);
    }
  });

  it('gets arts. 2, 13 and 17–22 with all their clauses and items', () => {
    for (const n of [2, 13, 17, 18, 19, 20, 21, 22]) {
      const refs = refsWhere(mfdsArticle(n));
      expect(refs.length).toBeGreaterThan(1);
      for (const ref of refs) {
        expect(applicable(d, ref), ref).toBe(true);
      }
    }
  });

  it('is a KISA device when installed on customer computers, and not when the manufacturer hosts it', () => {
    expect(applicable(d, 'kisa-healthcare:dev-1.1.1')).toBe(true);
    expect(applicable(d, 'kisa-healthcare:dev-5.6.1')).toBe(true);
    const hosted = evaluate({ ...STANDALONE, deployment: 'manufacturer-hosted' });
    for (const ref of refsWhere(inGroup('device-'))) {
      expect(applicable(hosted, ref), ref).toBe(false);
    }
    expect(applicable(hosted, 'kisa-healthcare:web-1.01')).toBe(true);
  });

  it('gets the physical-security article for its operating environment, and key-facility control in hospitals only', () => {
    expect(applicable(d, 'mfds-2025:art-3:cl-2')).toBe(true);
    expect(applicable(d, 'mfds-2025:art-3:cl-3')).toBe(true);
    const home = evaluate({ ...STANDALONE, domains: ['home', 'mobile-clinic'] });
    expect(applicable(home, 'mfds-2025:art-3:cl-1')).toBe(true);
    expect(applicable(home, 'mfds-2025:art-3:cl-3')).toBe(false);
    expect(home.get('mfds-2025:art-3:cl-3')?.reasonEn).toContain('home, mobile-clinic');
  });
});

describe('wireless interfaces', () => {
  const art4 = refsWhere(mfdsArticle(4));
  const device4 = refsWhere(inGroup('device-4'));

  it('add art. 4 (items 1 and 3) and the KISA device-4 communication requirements', () => {
    const wired = evaluate(EMBEDDED);
    const wireless = evaluate({ ...EMBEDDED, interfaces: [{ kind: 'bluetooth-le', version: '5.0' }] });
    expect(device4.length).toBeGreaterThan(3);
    for (const ref of [...art4.filter((r) => !r.endsWith('item-2')), ...device4]) {
      expect(applicable(wired, ref), ref).toBe(false);
      expect(applicable(wireless, ref), ref).toBe(true);
    }
    expect(wireless.get('mfds-2025:art-4:item-1')?.reasonEn).toBe(
      'Wireless interfaces (bluetooth-le) → art. 4 item 1 applies',
    );
    // Removable media need ports, not radios.
    expect(applicable(wireless, 'mfds-2025:art-4:item-2')).toBe(false);
    expect(
      applicable(evaluate({ ...EMBEDDED, hardwareWithExternalPorts: true }), 'mfds-2025:art-4:item-2'),
    ).toBe(true);
  });

  it('add authentication for wireless access (KISA 1.1.4) but not remote-access-only items', () => {
    const d = evaluate({ ...EMBEDDED, interfaces: [{ kind: 'wifi' }] });
    expect(applicable(d, 'kisa-healthcare:dev-1.1.4')).toBe(true);
    expect(applicable(evaluate(EMBEDDED), 'kisa-healthcare:dev-1.1.4')).toBe(false);
    // Networked without remote access: art. 5 item 4 applies as "block remote access".
    expect(d.get('mfds-2025:art-5:item-4')?.reasonEn).toContain('must be blocked');
  });
});

describe('hosted services', () => {
  const serviceRefs = refsWhere((e) => inGroup('web-')(e) || inGroup('infra-1')(e) || inGroup('infra-2')(e));

  it('a hosted cloud service gets the web-service and infrastructure requirements, and no device ones', () => {
    const d = evaluate(HOSTED_CLOUD);
    expect(serviceRefs.length).toBeGreaterThan(30);
    for (const ref of serviceRefs) {
      expect(applicable(d, ref), ref).toBe(true);
    }
    for (const ref of refsWhere(inGroup('device-'))) {
      expect(applicable(d, ref), ref).toBe(false);
    }
    expect(applicable(d, 'mfds-2025:art-3:cl-3')).toBe(true);
  });

  it('an on-premises device gets none of them', () => {
    const d = evaluate({ ...EMBEDDED, hasDatabase: true, interfaces: [{ kind: 'ethernet' }] });
    for (const ref of [...serviceRefs, ...refsWhere(inGroup('infra-3'))]) {
      expect(applicable(d, ref), ref).toBe(false);
      expect(d.get(ref)?.reasonEn, ref).toContain('On-premises embedded-software');
    }
  });

  it('mobile-app requirements go to kind mobile-app only; personal data toggles de-identification', () => {
    const app = evaluate({ kind: 'mobile-app' });
    for (const ref of refsWhere(inGroup('app-')).filter(
      (r) => !r.endsWith('app-4.4.01') && !r.endsWith('app-4.8.02'),
    )) {
      expect(applicable(app, ref), ref).toBe(true);
      expect(applicable(evaluate(HOSTED_CLOUD), ref), ref).toBe(false);
    }
    expect(applicable(app, 'kisa-healthcare:app-4.4.01')).toBe(false);
    expect(
      applicable(evaluate({ kind: 'mobile-app', personalData: true }), 'kisa-healthcare:app-4.4.01'),
    ).toBe(true);
    expect(applicable(app, 'kisa-healthcare:dev-1.1.1')).toBe(false);
  });
});

describe('databases', () => {
  it('hasDatabase toggles art. 8 item 1 and the KISA DBMS items of a hosted service, and nothing else', () => {
    const dbms = refsWhere(inGroup('infra-3'));
    const before = evaluateApplicability(profile(HOSTED_CLOUD), ENTRIES);
    const after = evaluateApplicability(profile({ ...HOSTED_CLOUD, hasDatabase: true }), ENTRIES);
    const diff = diffApplicability(before, after);
    expect(diff.map((c) => c.ref).sort()).toEqual(['mfds-2025:art-8:item-1', ...dbms].sort());
    expect(diff.every((c) => c.from === false && c.to === true)).toBe(true);
    expect(diff[0]?.reasonEn).toMatch(/^Includes a database → /);
  });

  it('an item rule beats its article: art. 8 applies, its database item does not, its other items follow art. 8', () => {
    const d = evaluate(EMBEDDED);
    expect(applicable(d, 'mfds-2025:art-8')).toBe(true);
    expect(d.get('mfds-2025:art-8:item-1')).toMatchObject({ applicable: false, ruleId: 'mfds.database' });
    expect(d.get('mfds-2025:art-8:item-4')).toMatchObject({
      applicable: true,
      ruleId: 'mfds.security-system',
      basis: 'mfds-2025:art-2:item-1',
    });
    expect(d.get('mfds-2025:art-8:item-4')?.reasonEn).toContain('(follows art. 8)');
  });
});

describe('legacy devices (art. 15)', () => {
  it('applies with or without lifecycle dates; the dates go into the reason', () => {
    const none = evaluate(EMBEDDED);
    const dated = evaluate({ ...EMBEDDED, endOfSupport: '2032-06-30' });
    for (const ref of refsWhere(mfdsArticle(15)).filter((r) => !r.endsWith('cl-5'))) {
      expect(applicable(none, ref), ref).toBe(true);
      expect(applicable(dated, ref), ref).toBe(true);
    }
    expect(none.get('mfds-2025:art-15:cl-2')?.reasonEn).toContain(
      'No end-of-life or end-of-support date set',
    );
    expect(dated.get('mfds-2025:art-15:cl-4:item-2')?.reasonEn).toContain('end of support 2032-06-30');
    expect(dated.get('mfds-2025:art-15:cl-4:item-2')?.reasonKo).toContain(
      '제15조제4항제2호 적용 (제15조에 따름)',
    );
  });

  it('safe removal of personal data (⑤) follows the personal-data fact', () => {
    expect(applicable(evaluate(EMBEDDED), 'mfds-2025:art-15:cl-5')).toBe(false);
    expect(applicable(evaluate({ ...EMBEDDED, personalData: true }), 'mfds-2025:art-15:cl-5')).toBe(true);
  });
});

describe('diffApplicability', () => {
  const base = profile({ ...EMBEDDED, interfaces: [{ kind: 'bluetooth-le' }] });
  const before = evaluateApplicability(base, ENTRIES);

  it('reports exactly the personal-data provisions when personalData flips', () => {
    const after = evaluateApplicability({ ...base, personalData: true }, ENTRIES);
    const diff = diffApplicability(before, after);
    expect(diff.map((c) => c.ref).sort()).toEqual(
      [
        'mfds-2025:art-6:cl-3',
        'mfds-2025:art-8:item-2',
        'mfds-2025:art-15:cl-5',
        'kisa-healthcare:dev-1.1.2',
        'kisa-healthcare:dev-3.1.2',
        'kisa-healthcare:dev-3.3.1',
        'kisa-healthcare:dev-3.3.2',
        'kisa-healthcare:dev-3.4.1',
        'kisa-healthcare:dev-3.5.1',
      ].sort(),
    );
    expect(diff.find((c) => c.ref === 'mfds-2025:art-6:cl-3')).toEqual({
      ref: 'mfds-2025:art-6:cl-3',
      from: false,
      to: true,
      reasonEn: 'Processes personal or medical data → art. 6(3) applies',
      reasonKo: '개인정보·의료정보 처리 → 제6조제3항 적용',
    });
    // Flipping back reverses every change.
    expect(diffApplicability(after, before).map((c) => [c.ref, c.from, c.to])).toEqual(
      diff.map((c) => [c.ref, c.to, c.from]),
    );
  });

  it('reports art. 12 and its items, and only them, when usesAi flips', () => {
    const diff = diffApplicability(before, evaluateApplicability({ ...base, usesAi: true }, ENTRIES));
    expect(diff.map((c) => c.ref).sort()).toEqual(refsWhere(mfdsArticle(12)).sort());
  });

  it('reports remote-access items when remoteAccess flips on a device without a network', () => {
    const offline = profile(EMBEDDED);
    const diff = diffApplicability(
      evaluateApplicability(offline, ENTRIES),
      evaluateApplicability({ ...offline, remoteAccess: true }, ENTRIES),
    );
    const refs = diff.map((c) => c.ref);
    expect(refs).toEqual(expect.arrayContaining(['mfds-2025:art-5:item-4', 'kisa-healthcare:dev-1.1.4']));
    // Remote access is a network: art. 4 and device-4 come with it, nothing outside those and the remote items.
    expect(refs).toEqual(expect.arrayContaining(refsWhere(inGroup('device-4'))));
    expect(refs.every((r) => /art-4|art-5|art-8:item-3|dev-1\.|dev-4\./.test(r))).toBe(true);
  });

  it('reports nothing when hasUpdateMechanism flips: update provisions apply either way, the reason flags the gap', () => {
    const withUpdates = evaluateApplicability({ ...base, hasUpdateMechanism: true }, ENTRIES);
    expect(diffApplicability(before, withUpdates)).toEqual([]);
    const gap = before.find((d) => d.ref === 'mfds-2025:art-10:item-1');
    expect(gap).toMatchObject({ applicable: true, ruleId: 'mfds.update' });
    expect(gap?.reasonEn).toContain('a gap to close');
    expect(withUpdates.find((d) => d.ref === 'kisa-healthcare:dev-5.1.1')?.reasonEn).toBe(
      'Has an update mechanism → KISA dev-5.1.1 applies',
    );
  });

  it('reports entries that appear or disappear with null on the missing side', () => {
    const added: ApplicabilityDecision = { ...(before[0] as ApplicabilityDecision), ref: 'mfds-2025:art-99' };
    const diff = diffApplicability(before.slice(1), [...before.slice(2), added]);
    expect(diff).toEqual([
      expect.objectContaining({ ref: 'mfds-2025:art-99', from: null, to: added.applicable }),
      expect.objectContaining({ ref: before[1]?.ref, from: before[1]?.applicable, to: null }),
    ]);
  });
});

describe('default and inheritance', () => {
  const entry = (ref: string, parentRef: string | null, kind = 'clause'): ApplicabilityEntry => ({
    ref,
    framework: 'mfds-2025',
    kind,
    article: 23,
    clause: kind === 'clause' ? 1 : null,
    item: null,
    group: null,
    parentRef,
  });

  it('applies an entry no rule speaks for, citing art. 2, and its children follow it', () => {
    const decisions = evaluateApplicability(profile(EMBEDDED), [
      entry('mfds-2025:art-23', null, 'article'),
      entry('mfds-2025:art-23:cl-1', 'mfds-2025:art-23'),
    ]);
    expect(decisions).toEqual([
      expect.objectContaining({
        ref: 'mfds-2025:art-23',
        applicable: true,
        ruleId: 'default',
        basis: 'mfds-2025:art-2',
      }),
      expect.objectContaining({ ref: 'mfds-2025:art-23:cl-1', applicable: true, ruleId: 'default' }),
    ]);
    expect(decisions[1]?.reasonEn).toBe(
      'No rule narrows this provision (default) → art. 23(1) applies (follows art. 23)',
    );
  });

  it('a child inherits a not-applicable parent even when the parent comes later in the list', () => {
    const art12 = ENTRIES.filter(mfdsArticle(12)).reverse();
    const decisions = evaluateApplicability(profile(EMBEDDED), art12);
    expect(decisions.map((d) => d.ref)).toEqual(art12.map((e) => e.ref));
    expect(decisions.every((d) => !d.applicable && d.ruleId === 'mfds.ai')).toBe(true);
  });

  it('survives a parentRef cycle and a missing parent', () => {
    const decisions = evaluateApplicability(profile(EMBEDDED), [
      entry('mfds-2025:art-23:cl-1', 'mfds-2025:art-23:cl-2'),
      entry('mfds-2025:art-23:cl-2', 'mfds-2025:art-23:cl-1'),
      entry('mfds-2025:art-23:cl-3', 'mfds-2025:art-404'),
    ]);
    expect(decisions.map((d) => [d.ref, d.applicable, d.ruleId])).toEqual([
      ['mfds-2025:art-23:cl-1', true, 'default'],
      ['mfds-2025:art-23:cl-2', true, 'default'],
      ['mfds-2025:art-23:cl-3', true, 'default'],
    ]);
  });
});
