import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { corpus } from '../../testing/corpora.ts';
import { purlsOf, readJson } from '../advisories.testing.ts';

/**
 * The Maven reference check (test support, not part of the library): the versions to compare and a runner for
 * Maven's own ComparableVersion (maven-artifact 3.9.x jar, which has a `main`). CI machines have no Java or Maven
 * repository, so the jar's answers are recorded once with `node
 * packages/core/src/advisories/versions/fixtures/make-maven-oracle.ts` into `fixtures/maven-artifact-3.9.6.tsv`
 * and the test compares our comparator with that transcript.
 */
export const VERSIONS_QUALIFIER = [
  '1-alpha2snapshot',
  '1-alpha2',
  '1-alpha-123',
  '1-beta-2',
  '1-beta123',
  '1-m2',
  '1-m11',
  '1-rc',
  '1-cr2',
  '1-rc123',
  '1-SNAPSHOT',
  '1',
  '1-sp',
  '1-sp2',
  '1-sp123',
  '1-abc',
  '1-def',
  '1-pom-1',
  '1-1-snapshot',
  '1-1',
  '1-2',
  '1-123',
];
export const VERSIONS_NUMBER = [
  '2.0',
  '2.0.a',
  '2-1',
  '2.0.2',
  '2.0.123',
  '2.1.0',
  '2.1-a',
  '2.1b',
  '2.1-c',
  '2.1-1',
  '2.1.0.1',
  '2.2',
  '2.123',
  '11.a2',
  '11.a11',
  '11.b2',
  '11.b11',
  '11.m2',
  '11.m11',
  '11',
  '11.a',
  '11b',
  '11c',
  '11m',
];
/** The maven-artifact 3.9.x jar in the local Maven repository (its ComparableVersion has a `main`). */
export const findMavenArtifactJar = (): string => {
  const dir = join(homedir(), '.m2', 'repository', 'org', 'apache', 'maven', 'maven-artifact');
  const versions = existsSync(dir) ? readdirSync(dir).filter((v) => v.startsWith('3.9.')) : [];
  const version = versions.sort().at(-1);
  if (!version) {
    throw new Error(`maven-artifact 3.9.x jar not found under ${dir}: the Maven reference check needs it`);
  }
  return join(dir, version, `maven-artifact-${version}.jar`);
};

/** A deterministic pseudo-random generator (mulberry32) for synthetic versions. */
const random = (seed: number): (() => number) => {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const syntheticVersions = (count: number): string[] => {
  const next = random(7696);
  const tokens = ['0', '1', '2', '10', '00', '01', 'a', 'b', 'm', 'alpha', 'beta', 'rc', 'cr', 'sp', 'ga'];
  const more = ['final', 'release', 'snapshot', 'SNAPSHOT', 'x', 'RC', 'foo', 'Final', 'jre', '20200101'];
  const all = [...tokens, ...more];
  const seps = ['.', '-', ''];
  return Array.from({ length: count }, () => {
    let v = String(Math.floor(next() * 3));
    const parts = 1 + Math.floor(next() * 4);
    for (let i = 0; i < parts; i++) {
      v += `${seps[Math.floor(next() * seps.length)]}${all[Math.floor(next() * all.length)]}`;
    }
    return v;
  });
};

/** The sequence the oracle compares pairwise: real keycloak Maven versions, synthetic ones, Maven's test lists. */
export const oracleSequence = (): { sequence: string[]; realCount: number } => {
  const real = purlsOf(
    readJson(corpus('sbom', 'cyclonedx', 'bom-examples', 'SBOM', 'keycloak-10.0.2', 'bom.json')),
  )
    .filter((p) => p.startsWith('pkg:maven/'))
    .map((p) => decodeURIComponent(p.split('@')[1]?.split('?')[0] ?? ''))
    .filter((v) => v !== '');
  const versions = [...new Set(real)].sort();
  return {
    sequence: [...versions, ...syntheticVersions(600), ...VERSIONS_QUALIFIER, ...VERSIONS_NUMBER],
    realCount: versions.length,
  };
};

/** Runs the jar on the sequence: one `a <|>|== b` line per neighbouring pair. */
export const runMavenJar = (jar: string, sequence: string[]): { a: string; op: string; b: string }[] =>
  execFileSync('java', ['-cp', jar, 'org.apache.maven.artifact.versioning.ComparableVersion', ...sequence])
    .toString()
    .split('\n')
    .map((line) => /^\s+(\S+) (<|>|==) (\S+)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ a: m[1] as string, op: m[2] as string, b: m[3] as string }));
