import calculator from 'ae-cvss-calculator';
import { AppError } from '../errors.ts';
import type { CvssScore, CvssSeverity } from './cvss.schemas.ts';
import { type CvssVersion, type MetricTable, metricTable } from './cvss-metrics.ts';

const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = calculator;

/** A vector that passed validation: its version and metrics in the order written. */
export interface ParsedCvss {
  version: CvssVersion;
  metrics: Record<string, string>;
  /** The vector as the scoring library expects it (v2 without a `CVSS:2.0/` prefix). */
  canonical: string;
}

/** The validation result of a vector: the parsed form, or the list of problems. */
export type CvssValidation = { valid: true; parsed: ParsedCvss } | { valid: false; errors: string[] };

const detectVersion = (vector: string): { version: CvssVersion; body: string } | undefined => {
  const m = /^CVSS:(3\.0|3\.1|4\.0|2\.0)\/(.*)$/.exec(vector);
  if (m) {
    return { version: m[1] as CvssVersion, body: m[2] ?? '' };
  }
  return /^AV:[A-Z]+\//.test(vector) && vector.includes('Au:') ? { version: '2.0', body: vector } : undefined;
};

/**
 * Checks a CVSS vector against its version's specification: known prefix (`CVSS:3.0/`, `CVSS:3.1/`,
 * `CVSS:4.0/`; v2 bare or `CVSS:2.0/`), `Metric:Value` components, known metrics with allowed values, no
 * duplicates, every base metric present, and for v4.0 the specification's metric order.
 */
export const validateCvssVector = (vector: string): CvssValidation => {
  const text = vector.trim();
  const detected = detectVersion(text);
  if (!detected) {
    return {
      valid: false,
      errors: [`Not a CVSS vector: "${vector}" (expected CVSS:3.1/…, CVSS:4.0/… or a v2 vector)`],
    };
  }
  const { version, body } = detected;
  const table = metricTable(version);
  const groups = [table.base, table.temporal, table.environmental, table.supplemental];
  const order = groups.flatMap((g) => Object.keys(g));
  const errors: string[] = [];
  const metrics: Record<string, string> = {};
  let lastIndex = -1;
  for (const part of body === '' ? [] : body.split('/')) {
    const m = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!m) {
      errors.push(`Malformed component "${part}"`);
      continue;
    }
    const [, key = '', value = ''] = m;
    const allowed = groups.find((g) => key in g)?.[key];
    if (!allowed) {
      errors.push(`Unknown metric "${key}" for CVSS ${version}`);
      continue;
    }
    if (key in metrics) {
      errors.push(`Metric "${key}" appears more than once`);
      continue;
    }
    if (!allowed.includes(value)) {
      errors.push(`Invalid value "${value}" for ${key} (allowed: ${allowed.join(', ')})`);
      continue;
    }
    const index = order.indexOf(key);
    if (table.ordered && index < lastIndex) {
      errors.push(`Metric "${key}" is out of order (CVSS ${version} requires the specification order)`);
    }
    lastIndex = Math.max(lastIndex, index);
    metrics[key] = value;
  }
  const missing = Object.keys(table.base).filter((k) => !(k in metrics));
  if (missing.length > 0) {
    errors.push(`Missing base metric${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
  }
  if (errors.length > 0) {
    return { valid: false, errors };
  }
  return { valid: true, parsed: { version, metrics, canonical: version === '2.0' ? body : text } };
};

/**
 * Parses a CVSS vector.
 * @throws AppError VALIDATION_FAILED with one `errors[]` entry per problem (path `vector`).
 */
export const parseCvssVector = (vector: string): ParsedCvss => {
  const result = validateCvssVector(vector);
  if (!result.valid) {
    throw new AppError('VALIDATION_FAILED', {
      detail: `Invalid CVSS vector: ${result.errors.join('; ')}`,
      errors: result.errors.map((message) => ({ path: 'vector', message })),
    });
  }
  return result.parsed;
};

/** The qualitative rating of a score: CVSS v3/v4 bands (None/Low/Medium/High/Critical); v2 NVD bands (Low/Medium/High). */
export const cvssSeverity = (score: number, version: CvssVersion = '3.1'): CvssSeverity => {
  if (version === '2.0') {
    return score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
  }
  if (score === 0) {
    return 'none';
  }
  return score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
};

const isSet = (metrics: Record<string, string>, group: Record<string, readonly string[]>): boolean =>
  Object.keys(group).some((k) => metrics[k] !== undefined && metrics[k] !== 'X' && metrics[k] !== 'ND');

/** CVSS v2 temporal factors ×100 (v2 guide §3.2.2), for exact decimal rounding. */
const V2_TEMPORAL: Record<string, Record<string, number>> = {
  E: { U: 85, POC: 90, F: 95, H: 100, ND: 100 },
  RL: { OF: 87, TF: 90, W: 95, U: 100, ND: 100 },
  RC: { UC: 90, UR: 95, C: 100, ND: 100 },
};

/**
 * v2 TemporalScore = round_to_1_decimal(Base × E × RL × RC), computed in integers: the library multiplies in
 * binary floating point and rounds 9.0 × 0.95 = 8.549999… down to 8.5 where the NVD calculator gives 8.6.
 */
const v2Temporal = (base: number, metrics: Record<string, string>): number => {
  const factor = (k: string): number => V2_TEMPORAL[k]?.[metrics[k] ?? 'ND'] ?? 100;
  const numerator = Math.round(base * 10) * factor('E') * factor('RL') * factor('RC');
  return Math.floor((2 * numerator + 1_000_000) / 2_000_000) / 10;
};

const vectorFor = (version: CvssVersion, canonical: string) => {
  switch (version) {
    case '2.0':
      return new Cvss2(canonical);
    case '3.0':
      return new Cvss3P0(canonical);
    case '3.1':
      return new Cvss3P1(canonical);
    default:
      return new Cvss4P0(canonical);
  }
};

const onlyDefined = (n: number | undefined): number | null => (n === undefined || Number.isNaN(n) ? null : n);

/**
 * Validates and scores a CVSS 2.0, 3.0, 3.1 or 4.0 vector with `ae-cvss-calculator`: base, temporal/threat
 * and environmental scores, the most specific score and its severity; v4.0 supplemental metrics are kept.
 * With `fillNotDefined`, v2/v3 temporal and environmental scores are computed even when the vector sets none
 * of their metrics (Not Defined), as the FIRST and NVD calculators display them.
 * @throws AppError VALIDATION_FAILED for an invalid vector (see {@link parseCvssVector}).
 */
export const scoreCvss = (vector: string, options: { fillNotDefined?: boolean } = {}): CvssScore => {
  const { version, metrics, canonical } = parseCvssVector(vector);
  const table: MetricTable = metricTable(version);
  const cvss = vectorFor(version, canonical);
  const hasTemporal = isSet(metrics, table.temporal);
  const hasEnvironmental = isSet(metrics, table.environmental);
  const supplemental = Object.fromEntries(
    Object.entries(metrics).filter(([k, v]) => k in table.supplemental && v !== 'X'),
  );
  if (version === '4.0') {
    const s = (cvss as InstanceType<typeof Cvss4P0>).calculateScores();
    const base = s.baseMetricsOnly ?? s.overall;
    const threat = hasTemporal ? onlyDefined(s.threat) : null;
    const environmental = hasEnvironmental ? s.overall : null;
    const fill = options.fillNotDefined === true;
    return {
      version,
      vector: vector.trim(),
      metrics,
      baseScore: base,
      temporalScore: threat ?? (fill ? base : null),
      environmentalScore: environmental ?? (fill ? s.overall : null),
      score: s.overall,
      severity: cvssSeverity(s.overall, version),
      baseSeverity: cvssSeverity(base, version),
      nomenclature: hasTemporal
        ? hasEnvironmental
          ? 'CVSS-BTE'
          : 'CVSS-BT'
        : hasEnvironmental
          ? 'CVSS-BE'
          : 'CVSS-B',
      supplemental,
    };
  }
  const s = (cvss as InstanceType<typeof Cvss3P1>).calculateScores();
  const base = s.base ?? 0;
  let temporal = hasTemporal ? onlyDefined(s.temporal) : null;
  if (version === '2.0' && hasTemporal) {
    temporal = v2Temporal(base, metrics);
  }
  let environmental = hasEnvironmental ? onlyDefined(s.environmental) : null;
  if (options.fillNotDefined) {
    temporal ??= base;
    if (environmental === null) {
      const neutral = vectorFor(version, canonical);
      for (const requirement of ['CR', 'IR', 'AR']) {
        neutral.applyComponentString(requirement, 'M');
      }
      environmental = onlyDefined((neutral as InstanceType<typeof Cvss3P1>).calculateScores().environmental);
    }
  }
  const score = environmental ?? temporal ?? base;
  return {
    version,
    vector: vector.trim(),
    metrics,
    baseScore: base,
    temporalScore: temporal,
    environmentalScore: environmental,
    score,
    severity: cvssSeverity(score, version),
    baseSeverity: cvssSeverity(base, version),
    supplemental,
  };
};
