import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpus } from '../testing/corpora.ts';
import { purlsOf, readJson, readJsonLines } from './advisories.testing.ts';
import type { OsvAdvisory } from './osv.schemas.ts';
import { evaluateOsvRange, isAffected, isAffectedByPurl, normalizeOsv } from './osv.ts';
import { compareVersions } from './versions/compare.ts';

const load = (...parts: string[]): OsvAdvisory => {
  const result = normalizeOsv(readJson(corpus('osv', ...parts)));
  if (!result.advisory) {
    throw new Error(`not accepted: ${JSON.stringify(result.issues)}`);
  }
  return result.advisory;
};
const ghsa = (id: string): OsvAdvisory => load('ghsa-targeted', `${id}.json`);
const bulk = (...parts: string[]): OsvAdvisory[] =>
  readJsonLines(corpus('osv', ...parts)).map((r) => normalizeOsv(r).advisory as OsvAdvisory);

describe('normalizeOsv on the bulk OSV corpora', () => {
  it.each([
    ['go', 'golang-vulndb-osv.jsonl.gz', 4291],
    ['crates.io', 'rustsec-osv.jsonl.gz', 1206],
    ['pypi', 'pypa-advisory-database-osv.jsonl.gz', 2661],
    ['almalinux', 'almalinux-osv.jsonl.gz', 5680],
    ['bitnami', 'bitnami-vulndb-osv.jsonl.gz', 7444],
    ['cpython', 'psf-advisory-database-osv.jsonl.gz', 132],
    ['cran', 'r-advisory-database-osv.jsonl.gz', 14],
    ['oss-fuzz', 'oss-fuzz-vulns-osv.jsonl.gz', 4026],
  ])('accepts every record of %s', (dir, file, count) => {
    const results = readJsonLines(corpus('osv', dir, file)).map(normalizeOsv);
    expect(results).toHaveLength(count);
    expect(results.filter((r) => !r.accepted).map((r) => r.issues)).toEqual([]);
  });

  it('flags the real problems in PyPA records (bad GIT commit values, versions that are not PEP 440)', () => {
    const results = readJsonLines(corpus('osv', 'pypi', 'pypa-advisory-database-osv.jsonl.gz')).map(
      normalizeOsv,
    );
    const codes = results.flatMap((r) => r.issues.map((i) => i.code));
    expect(codes.filter((c) => c === 'git-commit')).toHaveLength(7);
    expect(codes).toContain('invalid-version');
    const pysec371 = results.find((r) => r.advisory?.id === 'PYSEC-2021-371');
    expect(pysec371?.flagged).toBe(true);
    expect(pysec371?.advisory?.affected[0]?.ranges.every((r) => r.type !== 'GIT')).toBe(true);
  });

  it('normalises ids, aliases, severity and CWEs', () => {
    const a = ghsa('GHSA-35jh-r3h4-6jhm');
    expect(a.aliases).toEqual(['CVE-2021-23337']);
    expect(a.severity).toEqual([{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }]);
    expect(a.cwes.length).toBeGreaterThan(0);
    expect(a.affected[0]?.ranges[0]?.events).toEqual([
      { kind: 'introduced', version: '0' },
      { kind: 'fixed', version: '4.17.21' },
    ]);
  });
});

describe('osv/invalid records (osv-linter test data)', () => {
  it('refuses the record whose range has no introduced event', () => {
    const r = normalizeOsv(readJson(corpus('osv', 'invalid', 'nointroduced-CVE-2023-41045.json')));
    expect(r.accepted).toBe(false);
    expect(r.advisory).toBeUndefined();
    expect(r.issues).toContainEqual(expect.objectContaining({ severity: 'error', code: 'no-introduced' }));
  });

  it('flags the record with a range introduced and fixed at the same commit', () => {
    const r = normalizeOsv(readJson(corpus('osv', 'invalid', 'nondistinct-CVE-2018-5407.json')));
    expect(r.flagged).toBe(true);
    expect(r.issues).toContainEqual(
      expect.objectContaining({ code: 'non-distinct-events', path: '/affected/6/ranges/1/events' }),
    );
  });

  it('flags the record naming a PyPI package that is not PEP 503-normalised ("Gradi0")', () => {
    const r = normalizeOsv(readJson(corpus('osv', 'invalid', 'nopackage-GHSA-9v2f-6vcg-3hgv.json')));
    expect(r.flagged).toBe(true);
    expect(r.issues).toContainEqual(expect.objectContaining({ code: 'name-not-normalized' }));
  });

  it('every file in osv/invalid is refused or flagged, with a reason and where it is', () => {
    const files = readdirSync(corpus('osv', 'invalid'));
    expect(files).toHaveLength(3);
    for (const file of files) {
      const r = normalizeOsv(readJson(corpus('osv', 'invalid', file)));
      expect(!r.accepted || r.flagged, file).toBe(true);
      const reason = r.issues.find((i) => i.severity === 'error') ?? r.issues[0];
      expect(reason?.code, file).toMatch(/^[a-z-]+$/);
      expect(reason?.message.length, file).toBeGreaterThan(10);
      expect(reason?.path, file).toMatch(/^\//);
    }
  });

  it('refuses structurally broken records with paths', () => {
    expect(normalizeOsv({ id: 'X-1' }).issues).toContainEqual(expect.objectContaining({ path: '/modified' }));
    const twoKeys = {
      id: 'X-2',
      modified: '2024-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'a' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0', fixed: '1.0.0' }] }],
        },
      ],
    };
    expect(normalizeOsv(twoKeys).issues[0]).toMatchObject({
      code: 'event-shape',
      path: '/affected/0/ranges/0/events/0',
    });
    const mixed = {
      id: 'X-3',
      modified: '2024-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'a' },
          ranges: [
            { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }, { last_affected: '0.9.0' }] },
          ],
        },
      ],
    };
    expect(normalizeOsv(mixed).accepted).toBe(false);
  });
});

describe('OSV range evaluation (osv-schema "Evaluation")', () => {
  const semver = (a: string, b: string): number => compareVersions('npm', a, b);
  const ev = (...pairs: [string, string][]) =>
    pairs.map(
      ([kind, version]) =>
        ({ kind, version }) as { kind: 'introduced' | 'fixed' | 'last_affected'; version: string },
    );

  it('handles introduced "0", fixed, last_affected and several intervals in any order', () => {
    const events = ev(
      ['fixed', '2.0.0'],
      ['introduced', '3.0.0'],
      ['introduced', '0'],
      ['last_affected', '3.1.0'],
    );
    expect(evaluateOsvRange(events, '1.9.9', semver)).toEqual({ introduced: '0', fixed: '2.0.0' });
    expect(evaluateOsvRange(events, '2.0.0', semver)).toBeUndefined();
    expect(evaluateOsvRange(events, '3.1.0', semver)).toEqual({ introduced: '3.0.0', lastAffected: '3.1.0' });
    expect(evaluateOsvRange(events, '3.1.1', semver)).toBeUndefined();
  });

  it('treats a range introduced and fixed at the same version as empty', () => {
    expect(
      evaluateOsvRange(ev(['introduced', '1.0.0'], ['fixed', '1.0.0']), '1.0.0', semver),
    ).toBeUndefined();
  });
});

describe('matching the targeted GHSA advisories (osv/ghsa-targeted) to SBOM components', () => {
  it('NuGet Newtonsoft.Json 9.0.1 of the medical-device SBOM is affected by GHSA-5crp-9r3c-p9vr', () => {
    const sbom = readJson(
      corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'extended.sbom.json'),
    );
    const purl = purlsOf(sbom).find((p) => p.startsWith('pkg:nuget/Newtonsoft.Json@'));
    expect(purl).toBe('pkg:nuget/Newtonsoft.Json@9.0.1');
    const result = isAffectedByPurl(ghsa('GHSA-5crp-9r3c-p9vr'), purl as string);
    expect(result.status).toBe('affected');
    expect(result.matches[0]).toMatchObject({
      reason: 'range',
      rangeType: 'ECOSYSTEM',
      introduced: '0',
      fixed: '13.0.1',
      confidence: 'high',
    });
    expect(
      isAffected(ghsa('GHSA-5crp-9r3c-p9vr'), {
        ecosystem: 'NuGet',
        name: 'Newtonsoft.Json',
        version: '13.0.1',
      }).status,
    ).toBe('not_affected');
  });

  it('NuGet jQuery 3.1.1 matches the advisory\'s "jquery" (NuGet ids are case-insensitive), npm is case-sensitive', () => {
    const advisory = ghsa('GHSA-gxr4-xjj5-5px2');
    const nuget = isAffectedByPurl(advisory, 'pkg:nuget/jQuery@3.1.1');
    expect(nuget.status).toBe('affected');
    expect(nuget.matches).toHaveLength(1);
    expect(nuget.matches[0]).toMatchObject({
      ecosystem: 'NuGet',
      packageName: 'jquery',
      introduced: '1.2.0',
      fixed: '3.5.0',
    });
    expect(nuget.matches[0]?.notes.join()).toMatch(/normalisation/);
    expect(isAffectedByPurl(advisory, 'pkg:npm/jquery@3.4.1').status).toBe('affected');
    // npm names are case-sensitive (the purl spec lower-cases them, so ask by name):
    expect(isAffected(advisory, { ecosystem: 'npm', name: 'jQuery', version: '3.4.1' }).packageMatched).toBe(
      false,
    );
    expect(isAffectedByPurl(advisory, 'pkg:npm/jquery@3.5.0').status).toBe('not_affected');
    expect(isAffectedByPurl(advisory, 'pkg:maven/org.webjars.npm/jquery@3.4.1').status).toBe('affected');
    expect(isAffectedByPurl(advisory, 'pkg:gem/jquery-rails@4.3.5').status).toBe('affected');
  });

  it.each([
    ['GHSA-35jh-r3h4-6jhm', 'pkg:npm/lodash@4.17.19', 'affected'],
    ['GHSA-35jh-r3h4-6jhm', 'pkg:npm/lodash@2.4.2', 'affected'],
    ['GHSA-35jh-r3h4-6jhm', 'pkg:npm/lodash@4.17.21', 'not_affected'],
    ['GHSA-xvch-5gv4-984h', 'pkg:npm/minimist@1.2.5', 'affected'],
    ['GHSA-xvch-5gv4-984h', 'pkg:npm/minimist@0.0.8', 'affected'],
    ['GHSA-xvch-5gv4-984h', 'pkg:npm/minimist@0.2.4', 'not_affected'],
    ['GHSA-xvch-5gv4-984h', 'pkg:npm/minimist@1.2.6', 'not_affected'],
    ['GHSA-6fc8-4gx4-v693', 'pkg:npm/ws@6.2.1', 'affected'],
    ['GHSA-6fc8-4gx4-v693', 'pkg:npm/ws@6.2.2', 'not_affected'],
    ['GHSA-6fc8-4gx4-v693', 'pkg:npm/ws@7.3.1', 'affected'],
    ['GHSA-6fc8-4gx4-v693', 'pkg:npm/ws@5.2.2', 'affected'],
    ['GHSA-6fc8-4gx4-v693', 'pkg:npm/ws@4.1.0', 'not_affected'],
    ['GHSA-f8q6-p94x-37v3', 'pkg:npm/minimatch@3.0.4', 'affected'],
    ['GHSA-57j2-w4cx-62h2', 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.1', 'affected'],
    ['GHSA-57j2-w4cx-62h2', 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.2', 'affected'],
    ['GHSA-57j2-w4cx-62h2', 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.2.1', 'not_affected'],
    ['GHSA-57j2-w4cx-62h2', 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.12.6.1', 'not_affected'],
    ['GHSA-668q-qrv7-99fm', 'pkg:maven/ch.qos.logback/logback-core@1.2.3', 'affected'],
    ['GHSA-668q-qrv7-99fm', 'pkg:maven/ch.qos.logback/logback-core@1.1.11', 'affected'],
    ['GHSA-668q-qrv7-99fm', 'pkg:maven/ch.qos.logback/logback-core@1.2.9', 'not_affected'],
  ])('%s × %s → %s', (id, purl, status) => {
    expect(isAffectedByPurl(ghsa(id), purl).status).toBe(status);
  });

  const MANIFEST_EXPECTATIONS: [string, string[], string[]][] = [
    [
      'juice-shop',
      ['cyclonedx', 'bom-examples', 'SBOM', 'juice-shop', 'v11.1.2', 'bom.json'],
      [
        'pkg:npm/lodash@2.4.2 GHSA-35jh-r3h4-6jhm',
        'pkg:npm/lodash@4.17.19 GHSA-35jh-r3h4-6jhm',
        'pkg:npm/minimatch@3.0.4 GHSA-f8q6-p94x-37v3',
        'pkg:npm/minimist@0.2.1 GHSA-xvch-5gv4-984h',
        'pkg:npm/minimist@1.2.5 GHSA-xvch-5gv4-984h',
        'pkg:npm/ws@6.1.4 GHSA-6fc8-4gx4-v693',
        'pkg:npm/ws@7.3.1 GHSA-6fc8-4gx4-v693',
      ],
    ],
    [
      'cern-lhc-vdm-editor',
      ['cyclonedx', 'bom-examples', 'SBOM', 'cern-lhc-vdm-editor-e564943', 'bom.json'],
      [
        'pkg:npm/minimatch@3.0.4 GHSA-f8q6-p94x-37v3',
        'pkg:npm/minimist@0.0.8 GHSA-xvch-5gv4-984h',
        'pkg:npm/ws@6.2.1 GHSA-6fc8-4gx4-v693',
      ],
    ],
    [
      'protonmail-webclient',
      ['cyclonedx', 'bom-examples', 'SBOM', 'protonmail-webclient-v4-0912dff', 'bom.json'],
      [
        'pkg:npm/jquery@3.4.1 GHSA-gxr4-xjj5-5px2',
        'pkg:npm/lodash@4.17.19 GHSA-35jh-r3h4-6jhm',
        'pkg:npm/minimatch@3.0.4 GHSA-f8q6-p94x-37v3',
        'pkg:npm/minimist@1.2.5 GHSA-xvch-5gv4-984h',
        'pkg:npm/ws@5.2.2 GHSA-6fc8-4gx4-v693',
      ],
    ],
    [
      'keycloak-10.0.2',
      ['cyclonedx', 'bom-examples', 'SBOM', 'keycloak-10.0.2', 'bom.json'],
      [
        'pkg:maven/ch.qos.logback/logback-core@1.1.11?type=jar GHSA-668q-qrv7-99fm',
        'pkg:maven/ch.qos.logback/logback-core@1.2.3?type=jar GHSA-668q-qrv7-99fm',
        'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.1?type=jar GHSA-57j2-w4cx-62h2',
      ],
    ],
    [
      'medical device (sbom-completeness)',
      ['medical', 'sbom-completeness', 'sboms', 'case-study', 'extended.sbom.json'],
      ['pkg:nuget/Newtonsoft.Json@9.0.1 GHSA-5crp-9r3c-p9vr', 'pkg:nuget/jQuery@3.1.1 GHSA-gxr4-xjj5-5px2'],
    ],
  ];

  it.each(MANIFEST_EXPECTATIONS)(
    'the %s SBOM matches exactly the components named in the corpus MANIFEST notes',
    (_name, path, expected) => {
      const advisories = readdirSync(corpus('osv', 'ghsa-targeted')).map((f) => load('ghsa-targeted', f));
      const purls = [...new Set(purlsOf(readJson(corpus('sbom', ...path))))];
      const hits = purls.flatMap((purl) =>
        advisories
          .filter((a) => isAffectedByPurl(a, purl).status === 'affected')
          .map((a) => `${purl} ${a.id}`),
      );
      expect(hits.sort()).toEqual([...expected].sort());
    },
  );
});

describe('the Go SBOM (flux 0.26.3, 189 Go modules) against the Go vulnerability database', () => {
  it('finds the same 89 (module, advisory) pairs as an independent evaluation', () => {
    // 89 pairs / 83 advisories: computed separately with a plain Python SemVer + OSV-evaluation script.
    const advisories = bulk('go', 'golang-vulndb-osv.jsonl.gz').filter((a) => !a.withdrawn);
    const sbom = readJson(corpus('sbom', 'bom-shelter', 'in-the-wild', 'spdx', 'flux_0.26.3_sbom.spdx.json'));
    const purls = [...new Set(purlsOf(sbom).filter((p) => p.startsWith('pkg:golang/')))];
    expect(purls).toHaveLength(189);
    const byName = new Map<string, OsvAdvisory[]>();
    for (const a of advisories) {
      for (const entry of a.affected) {
        const name = entry.package?.name ?? '';
        byName.set(name, [...new Set([...(byName.get(name) ?? []), a])]);
      }
    }
    const hits: string[] = [];
    for (const purl of purls) {
      const name = decodeURIComponent(purl.slice('pkg:golang/'.length).split('@')[0] ?? '');
      for (const advisory of byName.get(name) ?? []) {
        const result = isAffectedByPurl(advisory, purl);
        if (result.status === 'affected') {
          hits.push(`${purl} ${advisory.id}`);
        }
      }
    }
    expect(hits).toHaveLength(89);
    expect(new Set(hits.map((h) => h.split(' ')[1])).size).toBe(83);
    expect(hits).toContain('pkg:golang/golang.org/x/text@v0.3.7 GO-2022-1059');
    expect(hits).toContain('pkg:golang/golang.org/x/crypto@v0.0.0-20211215153901-e495a2d5b3d3 GO-2021-0356');
    const text = isAffectedByPurl(
      advisories.find((a) => a.id === 'GO-2022-1059') as OsvAdvisory,
      'pkg:golang/golang.org/x/text@v0.3.7',
    );
    expect(text.matches[0]).toMatchObject({ rangeType: 'SEMVER', fixed: '0.3.8', confidence: 'high' });
  });
});
