import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../testing/corpora.ts';
import { pairsOf, purlsOf, readJson, readJsonLines } from '../advisories.testing.ts';
import { compareDebianVersions, parseDebianVersion } from './debian.ts';

interface OsvLike {
  affected?: {
    package?: { ecosystem?: string };
    ranges?: { events: Record<string, string>[] }[];
    versions?: string[];
  }[];
}

const eventVersions = (record: OsvLike, ecosystem: (e: string) => boolean): string[] =>
  (record.affected ?? [])
    .filter((a) => ecosystem(a.package?.ecosystem ?? ''))
    .flatMap((a) => [
      ...(a.ranges ?? []).flatMap((r) => r.events.flatMap((e) => Object.values(e))),
      ...(a.versions ?? []),
    ])
    .filter((v) => v !== '0');

const jsonFilesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? jsonFilesUnder(join(dir, entry.name))
      : entry.name.endsWith('.json')
        ? [join(dir, entry.name)]
        : [],
  );

/** Real Debian/Ubuntu versions: OSV samples (DSA, USN, UBUNTU-CVE, vulnfeeds parts) and deb purls of two real SBOMs. */
const debianVersions = (): string[] => {
  const fromOsv = jsonFilesUnder(corpus('osv', 'samples')).flatMap((file) => {
    const record = readJson(file) as OsvLike;
    return eventVersions(record, (e) => e.startsWith('Debian') || e.startsWith('Ubuntu'));
  });
  const fromSboms = [
    'spdx-syft-balenalib_beaglebone-black-debian-node-sha256_feb54ebdc2d6d10f44bcff897a8a167f3f15daca75956cf6d6c7982455bd16c0.json.gz',
    'spdx-syft-balenalib_apalis-imx6q-ubuntu-node-sha256_dd67b0c55c3f7e56b300ed52506db10871f3b8044404606032ff1417b323198b.json.gz',
  ].flatMap((name) =>
    purlsOf(readJson(corpus('sbom', 'bom-shelter', 'in-the-lab', name)))
      .filter((p) => p.startsWith('pkg:deb/'))
      .map((p) => decodeURIComponent(p.split('@')[1]?.split('?')[0] ?? '')),
  );
  return [...fromOsv, ...fromSboms].filter((v) => v !== '');
};

/** RPM-style strings from the AlmaLinux set (dpkg compares them too, after a syntax warning). */
const almaVersions = (): string[] =>
  (readJsonLines(corpus('osv', 'almalinux', 'almalinux-osv.jsonl.gz')) as OsvLike[])
    .slice(0, 150)
    .flatMap((r) => eventVersions(r, () => true));

const HAND_PICKED: [string, string][] = [
  ['1.0~rc1', '1.0'],
  ['1.0~~', '1.0~'],
  ['1.0~', '1.0'],
  ['1.0', '1.0+b1'],
  ['1:0.1', '2.0'],
  ['1.0-1', '1.0-1~bpo1'],
  ['2.0a', '2.0+'],
  ['1.0.0', '1.0'],
  ['1.01', '1.1'],
  ['0:1.0', '1.0'],
  ['1.0-0', '1.0'],
  ['7.6p2-4', '7.6-0'],
  ['1.2.3-1ubuntu0.1', '1.2.3-1'],
  ['2.30-0ubuntu2.1', '2.30-0ubuntu2'],
];

/** Runs dpkg once for all pairs and returns -1/0/1 per pair. */
const dpkgCompare = (pairs: [string, string][]): number[] => {
  const script =
    'while IFS=" " read -r a b; do if dpkg --compare-versions "$a" lt "$b" 2>/dev/null; then echo -1; ' +
    'elif dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo 0; else echo 1; fi; done';
  const out = execFileSync('sh', ['-c', script], {
    input: `${pairs.map(([a, b]) => `${a} ${b}`).join('\n')}\n`,
  });
  return out.toString().trim().split('\n').map(Number);
};

describe('Debian version order against dpkg --compare-versions', () => {
  const debPairs = pairsOf(debianVersions());
  const rpmLikePairs = pairsOf(almaVersions());
  const all = [...HAND_PICKED, ...debPairs, ...rpmLikePairs];
  let expected: number[] = [];

  // dpkg runs once or twice per pair, about a thousand processes: slow on a busy machine, so
  // it runs once, before the tests, with a time limit of its own.
  beforeAll(() => {
    expected = dpkgCompare(all);
  }, 180_000);

  it('uses a few hundred real version pairs', () => {
    expect(debPairs.length).toBeGreaterThan(700);
    expect(rpmLikePairs.length).toBeGreaterThan(200);
  });

  it('agrees with dpkg on every pair', () => {
    console.info(
      `dpkg pairs: ${debPairs.length} Debian/Ubuntu, ${rpmLikePairs.length} AlmaLinux, ${HAND_PICKED.length} hand-picked`,
    );
    expect(expected).toHaveLength(all.length);
    const disagreements = all
      .map(([a, b], i) => ({ a, b, dpkg: expected[i], ours: compareDebianVersions(a, b) }))
      .filter((r) => r.dpkg !== r.ours);
    expect(disagreements).toEqual([]);
  });

  it('is antisymmetric on the same pairs', () => {
    for (const [a, b] of all) {
      expect(compareDebianVersions(b, a)).toBe(-compareDebianVersions(a, b) || 0);
    }
  });
});

describe('parseDebianVersion', () => {
  it('splits epoch, upstream and revision at the first colon and the last hyphen', () => {
    expect(parseDebianVersion('2:1.2-3-4ubuntu1')).toEqual({
      epoch: 2,
      upstream: '1.2-3',
      revision: '4ubuntu1',
    });
    expect(parseDebianVersion('1.0')).toEqual({ epoch: 0, upstream: '1.0', revision: '' });
  });

  it.each(['', 'a1.0', '1.0-', 'x:1.0', '1 0', '1.0-1_2'])('rejects %j', (v) => {
    expect(parseDebianVersion(v)).toBeUndefined();
  });
});
