import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpus } from '../testing/corpora.ts';
import { readJson, readJsonLines } from './advisories.testing.ts';
import { canonicalAliasId, mergeAliases } from './aliases.ts';
import type { OsvAdvisory } from './osv.schemas.ts';
import { normalizeOsv } from './osv.ts';

describe('mergeAliases', () => {
  it('merges the osv.dev alias fixtures transitively and never through upstream', () => {
    const dir = corpus('osv', 'samples', 'osv.dev-testdata');
    const records = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => normalizeOsv(readJson(`${dir}/${f}`)).advisory as OsvAdvisory);
    const groups = mergeAliases(records);
    const groupOf = (id: string) => groups.find((g) => g.ids.includes(id));
    // ALIAS-CVE-1 aliases CVE-1 and ALIAS; CVE-2 aliases CVE-1 → one vulnerability.
    expect(groupOf('CVE-2')?.ids).toEqual(['ALIAS', 'ALIAS-CVE-1', 'CVE-1', 'CVE-2']);
    expect(groupOf('CVE-2')?.recordIds.sort()).toEqual(['ALIAS', 'ALIAS-CVE-1', 'CVE-1', 'CVE-2']);
    expect(groupOf('CVE-3')?.ids).toEqual(['CVE-3', 'CVE-4']);
    // CYCLE-ROOT-* only reference each other through "upstream": three separate vulnerabilities.
    expect(groupOf('CYCLE-ROOT-1')?.ids).toEqual(['CYCLE-ROOT-1']);
    expect(groupOf('CYCLE-ROOT-3')?.ids).toEqual(['CYCLE-ROOT-3']);
  });

  it('merges GHSA, PYSEC and CVE ids of the real PyPA and targeted GHSA records under the CVE id', () => {
    const pypa = readJsonLines(corpus('osv', 'pypi', 'pypa-advisory-database-osv.jsonl.gz')).map(
      (r) => normalizeOsv(r).advisory as OsvAdvisory,
    );
    const groups = mergeAliases(pypa);
    const withCve = groups.filter((g) => g.ids.some((id) => /^CVE-\d{4}-\d+$/.test(id)));
    expect(withCve.length).toBeGreaterThan(2000);
    expect(withCve.every((g) => g.canonicalId.startsWith('CVE-'))).toBe(true);
    const ghsa = normalizeOsv(readJson(corpus('osv', 'ghsa-targeted', 'GHSA-35jh-r3h4-6jhm.json')))
      .advisory as OsvAdvisory;
    const [group] = mergeAliases([ghsa, { id: 'cve-2021-23337', aliases: [] }]);
    expect(group).toEqual({
      canonicalId: 'CVE-2021-23337',
      ids: ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm'],
      recordIds: ['GHSA-35jh-r3h4-6jhm', 'cve-2021-23337'],
    });
  });

  it('prefers a CVE id, then a GHSA id, then the smallest id', () => {
    expect(canonicalAliasId(['PYSEC-2021-1', 'GHSA-35jh-r3h4-6jhm', 'CVE-2021-23337'])).toBe(
      'CVE-2021-23337',
    );
    expect(canonicalAliasId(['PYSEC-2021-1', 'GHSA-35jh-r3h4-6jhm'])).toBe('GHSA-35jh-r3h4-6jhm');
    expect(canonicalAliasId(['RUSTSEC-2020-0001', 'GO-2020-0001'])).toBe('GO-2020-0001');
    expect(() => canonicalAliasId([])).toThrow();
  });
});
