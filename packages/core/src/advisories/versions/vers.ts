import { compareWithScheme, type VersionScheme } from './compare.ts';

/**
 * `vers:` version range specifiers (package-url/purl-spec `VERSION-RANGE-SPEC.rst`, a.k.a. univers):
 * `vers:<scheme>/<constraint>|<constraint>…`, a constraint being `*` or a comparator (`=`, `!=`, `<`, `<=`, `>`,
 * `>=`, default `=`) followed by a percent-encoded version.
 */

export const VERS_COMPARATORS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type VersComparator = (typeof VERS_COMPARATORS)[number];

export interface VersConstraint {
  comparator: VersComparator;
  version: string;
}

/** A parsed `vers:` range; `all` is the `*` range that contains every version. */
export interface VersRange {
  scheme: string;
  constraints: VersConstraint[];
  all: boolean;
}

/** vers scheme (a purl type or a named scheme) → our version scheme. */
const VERS_SCHEMES: Record<string, VersionScheme> = {
  npm: 'semver',
  semver: 'semver',
  cargo: 'semver',
  hex: 'semver',
  pub: 'semver',
  swift: 'semver',
  golang: 'go',
  go: 'go',
  pypi: 'pypi',
  maven: 'maven',
  nuget: 'nuget',
  gem: 'rubygems',
  composer: 'packagist',
  deb: 'debian',
  debian: 'debian',
  rpm: 'rpm',
  apk: 'apk',
  alpine: 'apk',
  alpm: 'generic',
  generic: 'generic',
};

/** The version scheme used for a vers scheme name; unknown names use `generic`. */
export const versionSchemeOfVers = (scheme: string): VersionScheme =>
  VERS_SCHEMES[scheme.toLowerCase()] ?? 'generic';

/**
 * Parses a `vers:` string. Throws an `Error` naming the problem (missing prefix or scheme, empty or malformed
 * constraint, `*` combined with other constraints, a version constrained twice).
 */
export const parseVers = (text: string): VersRange => {
  const trimmed = text.replace(/\s+/g, '');
  const m = /^vers:([a-z0-9.+-]+)\/(.*)$/i.exec(trimmed);
  if (!m) {
    throw new Error(`Not a vers range (expected "vers:<scheme>/<constraints>"): ${text}`);
  }
  const scheme = (m[1] ?? '').toLowerCase();
  const body = (m[2] ?? '').replace(/^\|+|\|+$/g, '');
  if (body === '') {
    throw new Error(`vers range without constraints: ${text}`);
  }
  if (body === '*') {
    return { scheme, constraints: [], all: true };
  }
  const constraints = body.split('|').map((part): VersConstraint => {
    if (part === '' || part === '*') {
      throw new Error(`Malformed vers constraint "${part}" in ${text}`);
    }
    const op = /^(!=|<=|>=|<|>|=)?(.+)$/.exec(part);
    const raw = op?.[2] ?? '';
    const version = decodeURIComponent(raw);
    if (version === '' || /^[<>=!]/.test(raw)) {
      throw new Error(`Malformed vers constraint "${part}" in ${text}`);
    }
    return { comparator: (op?.[1] as VersComparator | undefined) ?? '=', version };
  });
  const seen = new Set<string>();
  for (const c of constraints) {
    if (seen.has(c.version)) {
      throw new Error(`Version "${c.version}" is constrained more than once in ${text}`);
    }
    seen.add(c.version);
  }
  return { scheme, constraints, all: false };
};

/**
 * Whether `version` is inside the range, by the spec's algorithm: a match of an `=`, `<=` or `>=` version is in, a
 * `!=` match is out;
 * otherwise the ordered `<`/`<=`/`>`/`>=` constraints are read as intervals (a leading `<`, a trailing `>`, and
 * each `>`…`<` pair). `scheme` overrides the range's own scheme.
 */
export const isInVersRange = (range: VersRange, version: string, scheme?: VersionScheme): boolean => {
  if (range.all) {
    return true;
  }
  const s = scheme ?? versionSchemeOfVers(range.scheme);
  const cmp = (a: string, b: string): number => Math.sign(compareWithScheme(s, a, b));
  for (const c of range.constraints) {
    if (cmp(version, c.version) === 0) {
      return c.comparator === '=' || c.comparator === '<=' || c.comparator === '>=';
    }
  }
  const ordered = range.constraints
    .filter((c) => c.comparator !== '=' && c.comparator !== '!=')
    .sort((x, y) => cmp(x.version, y.version));
  if (ordered.length === 0) {
    // Only `=`/`!=` constraints: `!=` alone reads as "every version but these".
    return range.constraints.every((c) => c.comparator === '!=');
  }
  const satisfies = (c: VersConstraint): boolean => {
    const r = cmp(version, c.version);
    switch (c.comparator) {
      case '<':
        return r < 0;
      case '<=':
        return r <= 0;
      case '>':
        return r > 0;
      default:
        return r >= 0;
    }
  };
  const isLower = (c: VersConstraint): boolean => c.comparator === '>' || c.comparator === '>=';
  for (let i = 0; i < ordered.length; i++) {
    const current = ordered[i] as VersConstraint;
    const next = ordered[i + 1];
    if (i === 0 && !isLower(current) && satisfies(current)) {
      return true;
    }
    if (next === undefined && isLower(current) && satisfies(current)) {
      return true;
    }
    if (next !== undefined && isLower(current) && !isLower(next) && satisfies(current) && satisfies(next)) {
      return true;
    }
  }
  return false;
};

/** Parses and evaluates in one step (see {@link parseVers} and {@link isInVersRange}). */
export const versContains = (vers: string, version: string, scheme?: VersionScheme): boolean =>
  isInVersRange(parseVers(vers), version, scheme);
