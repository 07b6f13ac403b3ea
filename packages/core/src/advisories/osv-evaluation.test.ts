import { describe, expect, it } from 'vitest';
import { corpus } from '../testing/corpora.ts';
import { readJson, readJsonLines } from './advisories.testing.ts';
import type { OsvAdvisory } from './osv.schemas.ts';
import { isAffected, isAffectedByPurl, normalizeOsv } from './osv.ts';

const load = (...parts: string[]): OsvAdvisory => {
  const result = normalizeOsv(readJson(corpus('osv', ...parts)));
  if (!result.advisory) {
    throw new Error(`not accepted: ${JSON.stringify(result.issues)}`);
  }
  return result.advisory;
};
const bulk = (...parts: string[]): OsvAdvisory[] =>
  readJsonLines(corpus('osv', ...parts)).map((r) => normalizeOsv(r).advisory as OsvAdvisory);

describe('withdrawn, GIT-only, last_affected and distribution records', () => {
  it('reports withdrawn advisories as withdrawn, with what they would have matched', () => {
    const withdrawn = bulk('crates.io', 'rustsec-osv.jsonl.gz').filter((a) => a.withdrawn);
    expect(withdrawn).toHaveLength(13);
    const dirs = withdrawn.find((a) => a.id === 'RUSTSEC-2020-0053') as OsvAdvisory;
    const result = isAffected(dirs, { ecosystem: 'crates.io', name: 'dirs', version: '3.0.1' });
    expect(result.status).toBe('withdrawn');
    expect(result.matches).toHaveLength(1);
    const ghsaWithdrawn = load('samples', 'ghsa-to-osv-conversion-pairs', 'withdrawn.osv.json');
    expect(
      isAffected(ghsaWithdrawn, { ecosystem: 'RubyGems', name: 'activesupport', version: '3.2.1' }).status,
    ).toBe('withdrawn');
  });

  it('cannot evaluate GIT-only entries against a version: unknown', () => {
    const record = bulk('oss-fuzz', 'oss-fuzz-vulns-osv.jsonl.gz').find(
      (a) => a.id === 'OSV-2022-667',
    ) as OsvAdvisory;
    const result = isAffected(record, { ecosystem: 'OSS-Fuzz', name: 'antlr4-java', version: '4.10' });
    expect(result.status).toBe('unknown');
    expect(result.unknown[0]?.reason).toMatch(/GIT/);
  });

  it('uses last_affected inclusively (Bitnami introduced = last_affected = 5.15.12)', () => {
    const record = bulk('bitnami', 'bitnami-vulndb-osv.jsonl.gz').find(
      (a) => a.id === 'BIT-activemq-2020-11998',
    ) as OsvAdvisory;
    expect(
      isAffected(record, { ecosystem: 'Bitnami', name: 'activemq', version: '5.15.12' }).matches[0],
    ).toMatchObject({ lastAffected: '5.15.12' });
    expect(isAffected(record, { ecosystem: 'Bitnami', name: 'activemq', version: '5.15.13' }).status).toBe(
      'not_affected',
    );
  });

  it('scopes Debian advisories by release (DSA-3029-1, Debian:7)', () => {
    const dsa = load('samples', 'osv.dev-testdata', 'DSA-3029-1.json');
    expect(
      isAffected(dsa, { ecosystem: 'Debian:7', name: 'nginx', version: '1.2.1-2.2+wheezy2' }).status,
    ).toBe('affected');
    expect(
      isAffected(dsa, { ecosystem: 'Debian:7', name: 'nginx', version: '1.2.1-2.2+wheezy3' }).status,
    ).toBe('not_affected');
    expect(
      isAffected(dsa, { ecosystem: 'Debian:8', name: 'nginx', version: '1.2.1-2.2' }).packageMatched,
    ).toBe(false);
    const unscoped = isAffected(dsa, { ecosystem: 'Debian', name: 'nginx', version: '1.2.1-2.2' });
    expect(unscoped.matches[0]?.confidence).toBe('medium');
    const binary = isAffectedByPurl(dsa, 'pkg:deb/debian/nginx-common@1.2.1-2.2?distro=debian-7');
    expect(binary.packageMatched).toBe(false);
    const viaUpstream = isAffectedByPurl(
      dsa,
      'pkg:deb/debian/nginx-full@1.2.1-2.2?upstream=nginx&distro=debian-7',
    );
    expect(viaUpstream.status).toBe('affected');
  });

  it('matches AlmaLinux RPM versions with epoch rules and Alpine apk versions', () => {
    const alma = bulk('almalinux', 'almalinux-osv.jsonl.gz').find(
      (a) => a.id === 'ALSA-2025:10073',
    ) as OsvAdvisory;
    expect(
      isAffectedByPurl(
        alma,
        'pkg:rpm/almalinux/firefox@128.11.0-1.el10_0?distro=almalinux-10.0&upstream=firefox-128.11.0-1.el10_0.src.rpm',
      ).status,
    ).toBe('affected');
    expect(
      isAffectedByPurl(alma, 'pkg:rpm/almalinux/firefox@128.12.0-1.el10_0?distro=almalinux-10.0').matches,
    ).toEqual([]);
    expect(
      isAffectedByPurl(alma, 'pkg:rpm/almalinux/firefox@128.11.0-1.el9_6?distro=almalinux-9.6')
        .packageMatched,
    ).toBe(false);
    const alpine = normalizeOsv(readJson(corpus('osv', 'invalid', 'nondistinct-CVE-2018-5407.json')))
      .advisory as OsvAdvisory;
    expect(isAffectedByPurl(alpine, 'pkg:apk/alpine/openssl@1.0.2p-r0?distro=alpine-3.8.4').status).toBe(
      'affected',
    );
    expect(isAffectedByPurl(alpine, 'pkg:apk/alpine/openssl@1.0.2q-r0?distro=alpine-3.8.4').status).toBe(
      'not_affected',
    );
  });

  it('matches PyPI names after PEP 503 normalisation and explicit version lists', () => {
    const pysec = load('samples', 'osv-schema-linter', 'PYSEC-2023-74.json');
    const entry = pysec.affected[0];
    const listed = entry?.versions[0] as string;
    const result = isAffected(pysec, {
      ecosystem: 'PyPI',
      name: (entry?.package?.name ?? '').toUpperCase().replace(/-/g, '_'),
      version: listed,
    });
    expect(result.status).toBe('affected');
    expect(result.matches.some((m) => m.reason === 'version-list')).toBe(true);
  });
});

describe('isAffectedByPurl edge cases', () => {
  const lodash = load('ghsa-targeted', 'GHSA-35jh-r3h4-6jhm.json');

  it('leaves purls without an OSV ecosystem to CPE matching', () => {
    expect(isAffectedByPurl(lodash, 'pkg:generic/lodash@4.17.19')).toEqual({
      status: 'not_affected',
      packageMatched: false,
      matches: [],
      unknown: [],
    });
  });

  it('cannot decide for a named package without version', () => {
    const result = isAffectedByPurl(lodash, 'pkg:npm/lodash');
    expect(result.status).toBe('unknown');
    expect(result.unknown[0]?.reason).toMatch(/no version/);
    expect(isAffectedByPurl(lodash, 'pkg:npm/underscore').status).toBe('not_affected');
  });

  it('lowers the confidence when the version is not valid for the ecosystem', () => {
    const result = isAffected(lodash, { ecosystem: 'npm', name: 'lodash', version: '4.17' });
    expect(result.status).toBe('affected');
    expect(result.matches[0]?.confidence).toBe('medium');
  });
});
