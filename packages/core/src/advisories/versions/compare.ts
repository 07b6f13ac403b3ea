import { compareApkVersions, isValidApkVersion } from './apk.ts';
import { compareDebianVersions, parseDebianVersion } from './debian.ts';
import { compareGenericVersions } from './generic.ts';
import { compareMavenVersions } from './maven.ts';
import { compareNuGetVersions, parseNuGetVersion } from './nuget.ts';
import { compareComposerVersions, normalizeComposerVersion } from './packagist.ts';
import { compareRpmVersions } from './rpm.ts';
import {
  compareGemVersions,
  compareGoVersions,
  comparePypiVersions,
  compareSemver,
  goToSemver,
  isValidGemVersion,
  isValidPypiVersion,
  toSemver,
} from './semver-family.ts';

/** The version orderings we implement; every OSV ecosystem maps to one of them. */
export const VERSION_SCHEMES = [
  'semver',
  'go',
  'pypi',
  'maven',
  'nuget',
  'rubygems',
  'packagist',
  'debian',
  'rpm',
  'apk',
  'generic',
] as const;
export type VersionScheme = (typeof VERSION_SCHEMES)[number];

/** OSV ecosystem (without its `:release` suffix) → version scheme. Unlisted ecosystems use `generic`. */
const ECOSYSTEM_SCHEMES: Record<string, VersionScheme> = {
  npm: 'semver',
  'crates.io': 'semver',
  Hex: 'semver',
  Pub: 'semver',
  SwiftURL: 'semver',
  Bitnami: 'semver',
  Julia: 'semver',
  'GitHub Actions': 'semver',
  VSCode: 'semver',
  Go: 'go',
  Kubernetes: 'go',
  PyPI: 'pypi',
  Maven: 'maven',
  NuGet: 'nuget',
  RubyGems: 'rubygems',
  Packagist: 'packagist',
  Debian: 'debian',
  Ubuntu: 'debian',
  opam: 'debian',
  AlmaLinux: 'rpm',
  'Rocky Linux': 'rpm',
  'Red Hat': 'rpm',
  SUSE: 'rpm',
  openSUSE: 'rpm',
  Mageia: 'rpm',
  openEuler: 'rpm',
  'Photon OS': 'rpm',
  'Azure Linux': 'rpm',
  TuxCare: 'rpm',
  Alpine: 'apk',
  Wolfi: 'apk',
  Chainguard: 'apk',
  Alpaquita: 'apk',
  'BellSoft Hardened Containers': 'apk',
  MinimOS: 'apk',
  SEMVER: 'semver',
};

/** Splits an OSV ecosystem string into its base and optional release (`Debian:12` → `Debian`, `12`). */
export const splitEcosystem = (ecosystem: string): { base: string; release: string | undefined } => {
  const i = ecosystem.indexOf(':');
  return i < 0
    ? { base: ecosystem, release: undefined }
    : { base: ecosystem.slice(0, i), release: ecosystem.slice(i + 1) || undefined };
};

/**
 * The version scheme of an OSV ecosystem (`Debian:12` → `debian`, `AlmaLinux:9` → `rpm`), also accepting the
 * OSV range type `SEMVER` and scheme names themselves. Unknown ecosystems get `generic`.
 */
export const versionSchemeOf = (ecosystem: string): VersionScheme => {
  if ((VERSION_SCHEMES as readonly string[]).includes(ecosystem)) {
    return ecosystem as VersionScheme;
  }
  const { base, release } = splitEcosystem(ecosystem);
  if (base === 'Root' && release !== undefined) {
    return versionSchemeOf(release.split(':')[0] ?? '');
  }
  const exact = ECOSYSTEM_SCHEMES[base];
  if (exact) {
    return exact;
  }
  const folded = Object.entries(ECOSYSTEM_SCHEMES).find(
    ([name]) => name.toLowerCase() === base.toLowerCase(),
  );
  return folded?.[1] ?? 'generic';
};

/** Compares two versions in a scheme: negative, zero or positive; falls back to the generic order when a library parser rejects either side. */
export const compareWithScheme = (scheme: VersionScheme, a: string, b: string): number => {
  switch (scheme) {
    case 'semver':
      return compareSemver(a, b) ?? compareGenericVersions(a, b);
    case 'go':
      return compareGoVersions(a, b) ?? compareGenericVersions(a, b);
    case 'pypi':
      return comparePypiVersions(a, b) ?? compareGenericVersions(a, b);
    case 'rubygems':
      return compareGemVersions(a, b) ?? compareGenericVersions(a, b);
    case 'maven':
      return compareMavenVersions(a, b);
    case 'nuget':
      return compareNuGetVersions(a, b);
    case 'packagist':
      return compareComposerVersions(a, b);
    case 'debian':
      return compareDebianVersions(a, b);
    case 'rpm':
      return compareRpmVersions(a, b);
    case 'apk':
      return compareApkVersions(a, b);
    default:
      return compareGenericVersions(a, b);
  }
};

/**
 * Compares two versions of a package of an OSV ecosystem (`npm`, `PyPI`, `Maven`, `Go`, `crates.io`, `NuGet`,
 * `RubyGems`, `Packagist`, `Debian:12`, `Alpine:v3.18`, `AlmaLinux:9`, …) with that ecosystem's ordering.
 * Returns -1, 0 or 1.
 */
export const compareVersions = (ecosystem: string, a: string, b: string): number =>
  Math.sign(compareWithScheme(versionSchemeOf(ecosystem), a, b));

/**
 * True when `version` is well formed for the ecosystem's scheme (strictly for library-backed schemes; the
 * hand-written ones accept what their reference program accepts). Matching on an invalid version is reported
 * with lower confidence.
 */
export const isValidVersion = (ecosystem: string, version: string): boolean => {
  if (version.trim() === '') {
    return false;
  }
  switch (versionSchemeOf(ecosystem)) {
    case 'semver':
      return toSemver(version, false) !== undefined;
    case 'go':
      return toSemver(goToSemver(version).replace(/^v/, ''), false) !== undefined;
    case 'pypi':
      return isValidPypiVersion(version);
    case 'rubygems':
      return isValidGemVersion(version);
    case 'nuget':
      return parseNuGetVersion(version) !== undefined;
    case 'packagist':
      return normalizeComposerVersion(version) !== undefined;
    case 'debian':
      return parseDebianVersion(version) !== undefined;
    case 'apk':
      return isValidApkVersion(version);
    case 'rpm':
      return /^([0-9]+:)?[A-Za-z0-9._+~^]+(-[A-Za-z0-9._+~^]+)?$/.test(version.trim());
    case 'maven':
      return /^[A-Za-z0-9._+-]+$/.test(version.trim());
    default:
      return /[0-9A-Za-z]/.test(version);
  }
};
