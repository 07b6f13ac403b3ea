import { compare as comparePep440, valid as validPep440 } from '@renovatebot/pep440';
import { gt as gemGt, lt as gemLt, valid as validGem } from '@renovatebot/ruby-semver';
import semver from 'semver';

/**
 * Comparators built on the registry libraries: SemVer 2.0 (`semver`, for npm, crates.io, SEMVER ranges and
 * Go), PEP 440 (`@renovatebot/pep440`) and RubyGems (`@renovatebot/ruby-semver`).
 */

const SEMVER_LIKE = /^\s*[vV=]?\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\s*$/;

/**
 * A strict SemVer 2.0 string for `version`, or `undefined`. `coerce` also accepts a leading `v`/`=` and a
 * missing minor or patch (`1.2` → `1.2.0`), which is how Go and many npm lockfiles write versions.
 */
export const toSemver = (version: string, coerce = true): string | undefined => {
  const strict = semver.valid(version);
  if (strict !== null) {
    return strict;
  }
  if (!coerce) {
    return undefined;
  }
  const m = SEMVER_LIKE.exec(version);
  if (!m) {
    return undefined;
  }
  const candidate = `${Number(m[1])}.${Number(m[2] ?? 0)}.${Number(m[3] ?? 0)}${m[4] ?? ''}${m[5] ?? ''}`;
  return semver.valid(candidate) ?? undefined;
};

/**
 * Parsed versions by their text. Matching compares each component version with the events of every candidate range,
 * and `semver` parses both sides on every call: parsing once per distinct string took matching of a 10 000-component
 * SBOM from about 400 ms of parsing to a few. Bounded: cleared when full (a cache, never a source of truth).
 */
const MAX_CACHED = 50_000;
const semverCache = new Map<string, semver.SemVer | null>();

const semverOf = (version: string): semver.SemVer | null => {
  let parsed = semverCache.get(version);
  if (parsed === undefined) {
    const text = toSemver(version);
    parsed = text === undefined ? null : new semver.SemVer(text);
    if (semverCache.size >= MAX_CACHED) {
      semverCache.clear();
    }
    semverCache.set(version, parsed);
  }
  return parsed;
};

/** SemVer 2.0 precedence (build metadata ignored); `undefined` when either side is not SemVer. */
export const compareSemver = (a: string, b: string): number | undefined => {
  const x = semverOf(a);
  const y = semverOf(b);
  return x === null || y === null ? undefined : x.compare(y);
};

/**
 * Go module version precedence (golang.org/x/mod/semver): `v` prefix, pseudo-versions are pre-releases
 * (`v0.0.0-20210617225240-d185dfc1b5a1`), `+incompatible` is build metadata and ignored. OSV writes Go
 * versions without the `v`; both forms are accepted, and so are toolchain versions (`go1.20.1`).
 */
export const compareGoVersions = (a: string, b: string): number | undefined =>
  compareSemver(goToSemver(a), goToSemver(b));

/** Go toolchain versions (`go1.20.1`, the `stdlib` package of the Go vulndb) as SemVer (`1.20.1`). */
export const goToSemver = (version: string): string => version.trim().replace(/^go(?=\d)/, '');

const pep440Valid = new Map<string, boolean>();

/** True when `version` is a valid PEP 440 version (remembered per string, as for SemVer above). */
export const isValidPypiVersion = (version: string): boolean => {
  let valid = pep440Valid.get(version);
  if (valid === undefined) {
    valid = validPep440(version) !== null;
    if (pep440Valid.size >= MAX_CACHED) {
      pep440Valid.clear();
    }
    pep440Valid.set(version, valid);
  }
  return valid;
};

/** PEP 440 ordering; `undefined` when either side is not a valid PEP 440 version. */
export const comparePypiVersions = (a: string, b: string): number | undefined => {
  if (!isValidPypiVersion(a) || !isValidPypiVersion(b)) {
    return undefined;
  }
  return Math.sign(comparePep440(a, b));
};

/** RubyGems `Gem::Version` ordering; `undefined` when either side is not a valid gem version. */
export const compareGemVersions = (a: string, b: string): number | undefined => {
  if (validGem(a) === null || validGem(b) === null) {
    return undefined;
  }
  return gemLt(a, b) ? -1 : gemGt(a, b) ? 1 : 0;
};

/** True when `version` is a valid RubyGems version. */
export const isValidGemVersion = (version: string): boolean => validGem(version) !== null;
