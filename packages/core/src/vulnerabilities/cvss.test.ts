import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readJson, readJsonLines } from '../advisories/advisories.testing.ts';
import { AppError } from '../errors.ts';
import { corpus } from '../testing/corpora.ts';
import { cvssSeverity, parseCvssVector, scoreCvss, validateCvssVector } from './cvss.ts';

interface OracleLine {
  file: string;
  vector: string;
  expected: (number | null)[];
}

/**
 * The Red Hat `cvss` library's test vectors (catalogs/cvss-test-vectors/redhat-cvss): one vector per line,
 * `VECTOR - (base, temporal, environmental)` for v2/v3 (`None` where the source gives none) and
 * `VECTOR - (score,)` or `VECTOR - score` for v4.0. Temporal and environmental scores in these files are
 * always computed (Not Defined metrics are neutral), hence `fillNotDefined`.
 */
const oracle = (): OracleLine[] => {
  const dir = corpus('catalogs', 'cvss-test-vectors', 'redhat-cvss');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .flatMap((file) =>
      readFileSync(`${dir}/${file}`, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          const [vector = '', scores = ''] = line.split(' - ');
          const expected = scores
            .replace(/[()]/g, '')
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '')
            .map((s) => (s === 'None' ? null : Math.abs(Number(s))));
          return { file, vector: vector.trim(), expected };
        }),
    );
};

const versionOf = (vector: string): string => /^CVSS:(\d\.\d)\//.exec(vector)?.[1] ?? '2.0';

describe('CVSS scores against the Red Hat cvss test vectors', () => {
  const lines = oracle();

  it('covers every line of the 11 files', () => {
    const counts: Record<string, number> = {};
    for (const l of lines) {
      const v = versionOf(l.vector);
      counts[v] = (counts[v] ?? 0) + 1;
    }
    console.info(`CVSS oracle vectors checked: ${JSON.stringify(counts)} (total ${lines.length})`);
    expect(counts).toEqual({ '2.0': 605, '3.0': 2087, '3.1': 2062, '4.0': 1396 });
  });

  it('every vector validates and gives the expected scores', () => {
    const failures: string[] = [];
    for (const { file, vector, expected } of lines) {
      const s = scoreCvss(vector, { fillNotDefined: true });
      const got = s.version === '4.0' ? [s.score] : [s.baseScore, s.temporalScore, s.environmentalScore];
      expected.forEach((value, i) => {
        if (value !== null && got[i] !== value) {
          failures.push(`${file}: ${vector} → ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
        }
      });
    }
    expect(failures).toEqual([]);
  });

  it('corrects the library on the v2 temporal rounding case (9.0 × 0.95 = 8.55 → 8.6, as NVD)', () => {
    const s = scoreCvss('AV:N/AC:L/Au:S/C:C/I:C/A:C/E:F/RL:U/RC:C');
    expect(s).toMatchObject({ baseScore: 9, temporalScore: 8.6, environmentalScore: null, severity: 'high' });
  });
});

describe('CVSS 4.0 against the FIRST calculator lookup table (cvss_lookup.json)', () => {
  it('scores the highest-severity vector of each of the 270 macro vectors at the table value', () => {
    const dir = corpus('catalogs', 'cvss-test-vectors', 'first-cvss4-calculator');
    const lookup = (readJson(`${dir}/cvss_lookup.json`) as { cvssLookup_global: Record<string, number> })
      .cvssLookup_global;
    const max = (
      readJson(`${dir}/max_composed.json`) as { maxComposed: Record<string, Record<string, unknown>> }
    ).maxComposed;
    const first = (group: unknown, key: string): string =>
      ((group as Record<string, string[]>)[key] ?? [])[0] ?? '';
    const entries = Object.entries(lookup);
    expect(entries).toHaveLength(270);
    const failures: string[] = [];
    for (const [macro, expected] of entries) {
      const [e1, e2, e3, e4, e5, e6] = macro.split('') as [string, string, string, string, string, string];
      const metrics = new Map<string, string>();
      const eq3 = first((max.eq3 as Record<string, unknown>)[e3], e6);
      for (const part of [first(max.eq1, e1), first(max.eq2, e2), eq3, first(max.eq4, e4), first(max.eq5, e5)]
        .join('')
        .split('/')) {
        const [k, v] = part.split(':');
        if (k && v) {
          metrics.set(k, v);
        }
      }
      // SI:S / SA:S (Safety) only exist as modified metrics: base H with MSI:S / MSA:S.
      const safety = ['SI', 'SA'].filter((k) => metrics.get(k) === 'S');
      for (const k of safety) {
        metrics.set(k, 'H');
      }
      const order = ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA', 'E', 'CR', 'IR', 'AR'];
      const vector = `CVSS:4.0/${[
        ...order.filter((k) => metrics.has(k)).map((k) => `${k}:${metrics.get(k)}`),
        ...safety.map((k) => `M${k}:S`),
      ].join('/')}`;
      const score = scoreCvss(vector).score;
      if (score !== expected) {
        failures.push(`${macro}: ${vector} → ${score}, expected ${expected}`);
      }
    }
    console.info(`FIRST CVSS 4.0 macro vectors checked: ${entries.length}`);
    expect(failures).toEqual([]);
  });
});

describe('CVSS vectors and scores published in the NVD records and OSV advisories', () => {
  it('recomputes the base score of every NVD metric (API 2.0 samples and the 1.1 feed slice)', () => {
    const pairs: [string, number][] = [];
    const dir = corpus('catalogs', 'cve-nvd-samples', 'nvd-api-2.0');
    for (const file of readdirSync(dir)) {
      const cve = (
        readJson(`${dir}/${file}`) as {
          vulnerabilities: {
            cve: { metrics?: Record<string, { cvssData: { vectorString: string; baseScore: number } }[]> };
          }[];
        }
      ).vulnerabilities[0]?.cve;
      for (const list of Object.values(cve?.metrics ?? {})) {
        for (const m of list) {
          if (m.cvssData?.vectorString) {
            pairs.push([m.cvssData.vectorString, m.cvssData.baseScore]);
          }
        }
      }
    }
    const feed = readJson(
      corpus('catalogs', 'cve-nvd-samples', 'nvd-feed-1.1', 'nvdcve-1.1-test-data.json.gz'),
    ) as {
      CVE_Items: {
        impact: Record<
          string,
          {
            cvssV3?: { vectorString: string; baseScore: number };
            cvssV2?: { vectorString: string; baseScore: number };
          }
        >;
      }[];
    };
    for (const item of feed.CVE_Items) {
      for (const metric of Object.values(item.impact)) {
        const data = metric.cvssV3 ?? metric.cvssV2;
        if (data) {
          pairs.push([data.vectorString, data.baseScore]);
        }
      }
    }
    expect(pairs).toHaveLength(398);
    const failures = pairs.filter(([vector, base]) => scoreCvss(vector).baseScore !== base);
    expect(failures).toEqual([]);
  });

  it('validates every CVSS vector of the Bitnami, RustSec and PyPA OSV records', () => {
    type Severity = { type: string; score: string }[] | undefined;
    const files = [
      'bitnami/bitnami-vulndb-osv.jsonl.gz',
      'crates.io/rustsec-osv.jsonl.gz',
      'pypi/pypa-advisory-database-osv.jsonl.gz',
    ];
    const vectors = files.flatMap((f) =>
      (
        readJsonLines(corpus('osv', ...f.split('/'))) as {
          severity?: Severity;
          affected?: { severity?: Severity }[];
        }[]
      ).flatMap((r) =>
        [...(r.severity ?? []), ...(r.affected ?? []).flatMap((a) => a.severity ?? [])]
          .filter((s) => s.type.startsWith('CVSS'))
          .map((s) => s.score),
      ),
    );
    expect(vectors).toHaveLength(8052);
    expect(vectors.filter((v) => !validateCvssVector(v).valid)).toEqual([]);
    const versions = new Set(vectors.map((v) => scoreCvss(v).version));
    expect([...versions].sort()).toEqual(['3.0', '3.1', '4.0']);
  });
});

describe('CVSS validation and results', () => {
  it.each([
    ['CVSS:3.1/AV:N', /Missing base metrics: AC, PR, UI, S, C, I, A/],
    ['CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /Invalid value "Q" for AV/],
    ['CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /appears more than once/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:1', /Malformed component|Unknown metric/],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AT:N', /Unknown metric "AT"/],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:S/SA:H', /Invalid value "S" for SI/],
    ['CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /out of order/],
    ['CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /Not a CVSS vector/],
    ['garbage', /Not a CVSS vector/],
    ['', /Not a CVSS vector/],
  ])('rejects %j', (vector, message) => {
    const result = validateCvssVector(vector);
    expect(result.valid).toBe(false);
    expect(result.valid ? '' : result.errors.join('; ')).toMatch(message);
    let thrown: unknown;
    try {
      scoreCvss(vector);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((thrown as AppError).errors?.[0]?.path).toBe('vector');
  });

  it('accepts v3 metrics in any order and v2 with a CVSS:2.0 prefix', () => {
    expect(parseCvssVector('CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X').version).toBe('3.0');
    expect(scoreCvss('CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P').baseScore).toBe(7.5);
  });

  it('scores CVSS 3.1 with temporal and environmental groups only when present', () => {
    const base = scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    expect(base).toMatchObject({
      baseScore: 9.8,
      temporalScore: null,
      environmentalScore: null,
      score: 9.8,
      severity: 'critical',
    });
    const full = scoreCvss('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:L/A:H/E:F/RL:U/RC:R');
    expect(full).toMatchObject({ baseScore: 9.9, temporalScore: 9.3, environmentalScore: null, score: 9.3 });
    expect(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', { fillNotDefined: true })).toMatchObject(
      { temporalScore: 9.8, environmentalScore: 9.8 },
    );
  });

  it('scores CVSS 4.0 groups, names the nomenclature and keeps supplemental metrics', () => {
    const s = scoreCvss(
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/CR:L/MAV:P/S:P/U:Red',
    );
    expect(s).toMatchObject({
      baseScore: 9.3,
      temporalScore: 8.1,
      score: 3.7,
      environmentalScore: 3.7,
      nomenclature: 'CVSS-BTE',
      severity: 'low',
      baseSeverity: 'critical',
    });
    expect(s.supplemental).toEqual({ S: 'P', U: 'Red' });
    expect(scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:P').score).toBe(9.3);
  });

  it.each([
    [0, '3.1', 'none'],
    [0.1, '3.1', 'low'],
    [3.9, '4.0', 'low'],
    [4, '3.1', 'medium'],
    [6.9, '3.1', 'medium'],
    [7, '3.1', 'high'],
    [8.9, '4.0', 'high'],
    [9, '3.1', 'critical'],
    [10, '4.0', 'critical'],
    [0, '2.0', 'low'],
    [6.9, '2.0', 'medium'],
    [10, '2.0', 'high'],
  ] as const)('severity(%d, v%s) = %s', (score, version, severity) => {
    expect(cvssSeverity(score, version)).toBe(severity);
  });
});
