import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { corpus } from '../../testing/corpora.ts';
import { pairsOf, readJsonLines } from '../advisories.testing.ts';
import { compareVersions, isValidVersion } from './compare.ts';

interface OsvLike {
  affected?: { ranges?: { type: string; events: Record<string, string>[] }[]; versions?: string[] }[];
}

/** PyPI versions of the PyPA advisory database: explicit version lists and ECOSYSTEM range events. */
const pypiVersions = (): string[] => {
  const records = readJsonLines(corpus('osv', 'pypi', 'pypa-advisory-database-osv.jsonl.gz')) as OsvLike[];
  const all = records.flatMap((r) =>
    (r.affected ?? []).flatMap((a) => [
      ...(a.versions ?? []),
      ...(a.ranges ?? [])
        .filter((g) => g.type === 'ECOSYSTEM')
        .flatMap((g) => g.events.flatMap((e) => Object.values(e))),
    ]),
  );
  const unique = [...new Set(all)].sort();
  // Every 4th distinct version keeps the run short while covering all shapes (post, dev, local, epochs).
  return unique.filter((_, i) => i % 4 === 0);
};

/** Python `packaging.version` as the reference: -1/0/1 per pair, or null when packaging rejects a version. */
const pythonCompare = (pairs: [string, string][]): (number | null)[] => {
  const program = [
    'import json, sys',
    'from packaging.version import Version, InvalidVersion',
    'out = []',
    'for a, b in json.load(sys.stdin):',
    '    try:',
    '        x, y = Version(a), Version(b)',
    '        out.append((x > y) - (x < y))',
    '    except InvalidVersion:',
    '        out.append(None)',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', program], { input: JSON.stringify(pairs) }).toString());
};

describe('PyPI (PEP 440) order against Python packaging', () => {
  it('agrees with packaging.version on pairs of real PyPA versions', () => {
    const pairs = pairsOf(pypiVersions());
    const reference = pythonCompare(pairs);
    const compared = pairs
      .map(([a, b], i) => ({ a, b, python: reference[i] }))
      .filter((r): r is { a: string; b: string; python: number } => r.python !== null);
    console.info(`packaging.version pairs compared: ${compared.length} of ${pairs.length}`);
    expect(compared.length).toBeGreaterThan(1000);
    const disagreements = compared.filter((r) => compareVersions('PyPI', r.a, r.b) !== r.python);
    expect(disagreements).toEqual([]);
  });

  it('agrees with packaging on which versions are invalid', () => {
    const samples = [
      '1.0',
      '1.0.post1',
      '1!2.0',
      '1.0+local.1',
      '2.0rc1',
      '1.0.dev0',
      'v1.0',
      'foo',
      '1.0-beta',
      '4.36.-1',
    ];
    const reference = pythonCompare(samples.map((v) => [v, v]));
    expect(samples.map((v) => isValidVersion('PyPI', v))).toEqual(reference.map((r) => r !== null));
  });

  it('orders the PEP 440 phases', () => {
    const ordered = ['1.0.dev1', '1.0a1', '1.0b2', '1.0rc1', '1.0', '1.0+local', '1.0.post1', '1.1', '1!0.1'];
    for (let i = 1; i < ordered.length; i++) {
      expect(compareVersions('PyPI', ordered[i - 1] as string, ordered[i] as string)).toBe(-1);
    }
  });
});
