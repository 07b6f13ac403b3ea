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

/** SemVer 2.0 precedence (build metadata ignored); `undefined` when either side is not SemVer. */
export const compareSemver = (a: string, b: string): number | undefined => {
  const x = toSemver(a);
  const y = toSemver(b);
  return x === undefined || y === undefined ? undefined : semver.compare(x, y);
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

/** PEP 440 ordering; `undefined` when either side is not a valid PEP 440 version. */
export const comparePypiVersions = (a: string, b: string): number | undefined => {
  if (validPep440(a) === null || validPep440(b) === null) {
    return undefined;
  }
  return Math.sign(comparePep440(a, b));
};

/** True when `version` is a valid PEP 440 version. */
export const isValidPypiVersion = (version: string): boolean => validPep440(version) !== null;

/** RubyGems `Gem::Version` ordering; `undefined` when either side is not a valid gem version. */
export const compareGemVersions = (a: string, b: string): number | undefined => {
  if (validGem(a) === null || validGem(b) === null) {
    return undefined;
  }
  return gemLt(a, b) ? -1 : gemGt(a, b) ? 1 : 0;
};

/** True when `version` is a valid RubyGems version. */
export const isValidGemVersion = (version: string): boolean => validGem(version) !== null;
