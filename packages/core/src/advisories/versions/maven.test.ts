import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { oracleSequence, VERSIONS_NUMBER, VERSIONS_QUALIFIER } from './maven.oracle.ts';
import { canonicalMavenVersion, compareMavenVersions } from './maven.ts';

/**
 * Cases from Maven's own `ComparableVersionTest.java` (apache/maven, maven-artifact): each list is in strictly
 * increasing order; the pairs are equal. VERSIONS_NUMBER is given in its Maven 3.9 form (MNG-7644, "treat .X as
 * -X": `2.0.a` now sorts between `2.0` and `2-1`, and `2.0.0.a` equals `2.0.a` so it is listed under EQUAL);
 * the order was confirmed with the maven-artifact 3.9.6 jar.
 */
const EQUAL: [string, string][] = [
  ['1', '1.0'],
  ['1', '1.0.0'],
  ['1.0', '1.0.0'],
  ['1', '1-0'],
  ['1', '1.0-0'],
  ['1.0', '1.0-0'],
  ['1a', '1-a'],
  ['1a', '1.0-a'],
  ['1a', '1.0.0-a'],
  ['1.0a', '1-a'],
  ['1.0.0a', '1-a'],
  ['1x', '1-x'],
  ['1x', '1.0-x'],
  ['1x', '1.0.0-x'],
  ['1.0x', '1-x'],
  ['1.0.0x', '1-x'],
  ['1ga', '1'],
  ['1release', '1'],
  ['1final', '1'],
  ['1cr', '1rc'],
  ['1a1', '1-alpha-1'],
  ['1b2', '1-beta-2'],
  ['1m3', '1-milestone-3'],
  ['1X', '1x'],
  ['1A', '1a'],
  ['1Ga', '1'],
  ['1RELeaSE', '1'],
  ['1FinaL', '1'],
  ['1cR', '1rC'],
  ['1m3', '1MILESTONE3'],
  ['0000000000000000001', '1'],
  ['000000000000000000', '0'],
  ['1-abcdefghijklmnopqrstuvwxyz', '1-ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
  ['2.0.a', '2.0.0.a'],
];
const ORDERED: [string, string][] = [
  ['1', '2'],
  ['1.5', '2'],
  ['1', '2.5'],
  ['1.0', '1.1'],
  ['1.0.1', '1.1'],
  ['1.1', '1.2.0'],
  ['1.0-alpha-1', '1.0'],
  ['1.0-alpha-1', '1.0-alpha-2'],
  ['1.0-alpha-1', '1.0-beta-1'],
  ['1.0-beta-1', '1.0-SNAPSHOT'],
  ['1.0-SNAPSHOT', '1.0'],
  ['1.0-alpha-1-SNAPSHOT', '1.0-alpha-1'],
  ['1.0', '1.0-1'],
  ['1.0-1', '1.0-2'],
  ['1.0.0', '1.0-1'],
  ['2.0-1', '2.0.1'],
  ['2.0.1-klm', '2.0.1-lmn'],
  ['2.0.1', '2.0.1-xyz'],
  ['2.0.1', '2.0.1-123'],
  ['2.0.1-xyz', '2.0.1-123'],
  // MNG-5568
  ['6.1.0rc3', '6.1.0'],
  ['6.1.0rc3', '6.1H.5-beta'],
  ['6.1.0', '6.1H.5-beta'],
  // MNG-6572
  ['20190126.230843', '1234567890.12345'],
  ['1234567890.12345', '123456789012345.1H.5-beta'],
  ['123456789012345.1H.5-beta', '12345678901234567890.1H.5-beta'],
  // MNG-6964
  ['1-0.alpha', '1'],
  ['1-0.beta', '1'],
  ['1-0.alpha', '1-0.beta'],
];

describe('Maven ComparableVersion (ComparableVersionTest cases)', () => {
  it.each([
    ['VERSIONS_QUALIFIER', VERSIONS_QUALIFIER],
    ['VERSIONS_NUMBER', VERSIONS_NUMBER],
  ])('%s is strictly increasing', (_name, list) => {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        expect([list[i], list[j], compareMavenVersions(list[i] as string, list[j] as string)]).toEqual([
          list[i],
          list[j],
          -1,
        ]);
        expect(compareMavenVersions(list[j] as string, list[i] as string)).toBe(1);
      }
    }
  });

  it.each(EQUAL)('%s == %s', (a, b) => {
    expect(compareMavenVersions(a, b)).toBe(0);
    expect(compareMavenVersions(b, a)).toBe(0);
  });

  it.each(ORDERED)('%s < %s', (a, b) => {
    expect(compareMavenVersions(a, b)).toBe(-1);
    expect(compareMavenVersions(b, a)).toBe(1);
  });

  it('gives the canonical forms Maven prints', () => {
    expect(canonicalMavenVersion('1.0.RELEASE')).toBe('1');
    expect(canonicalMavenVersion('2.0.0.a')).toBe('2-a');
    expect(canonicalMavenVersion('1-0.alpha')).toBe('1-alpha');
    expect(canonicalMavenVersion('6.1H.5-beta')).toBe('6.1-h.5-beta');
  });
});

describe('Maven ComparableVersion against the maven-artifact 3.9.6 jar (recorded transcript)', () => {
  it('agrees with Java on real and synthetic versions', () => {
    const rows = readFileSync(
      join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'maven-artifact-3.9.6.tsv'),
      'utf8',
    )
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split('\t') as [string, string, string]);
    const { sequence, realCount } = oracleSequence();
    // the transcript is for exactly this sequence
    expect(rows.map((r) => r[0])).toEqual(sequence.slice(0, -1));
    expect(rows.map((r) => r[2])).toEqual(sequence.slice(1));
    expect(realCount).toBeGreaterThan(200);
    const java = (op: string) => (op === '<' ? -1 : op === '>' ? 1 : 0);
    const disagreements = rows.filter(([a, op, b]) => compareMavenVersions(a, b) !== java(op));
    expect(disagreements).toEqual([]);
  });
});
