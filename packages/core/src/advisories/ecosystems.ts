import { PackageURL } from 'packageurl-js';
import { splitEcosystem } from './versions/compare.ts';

/**
 * Package URL (purl) ↔ OSV ecosystem mapping and per-ecosystem package-name normalisation, so that an SBOM
 * component and an advisory's `affected[].package` can be compared.
 */

/** A package as OSV names it: ecosystem (optionally with `:release`), name and version. */
export interface EcosystemPackage {
  ecosystem: string;
  name: string;
  version: string | undefined;
  /** For Debian/Ubuntu/RPM: whether `name` is the source package (what distro advisories name) or a binary one. */
  nameKind?: 'source' | 'binary';
  /** Purl qualifiers kept for the record (arch, distro …). */
  qualifiers?: Record<string, string>;
}

/** purl types whose OSV ecosystem does not depend on the namespace. */
const PURL_TYPES: Record<string, string> = {
  npm: 'npm',
  pypi: 'PyPI',
  maven: 'Maven',
  golang: 'Go',
  cargo: 'crates.io',
  nuget: 'NuGet',
  gem: 'RubyGems',
  composer: 'Packagist',
  hex: 'Hex',
  pub: 'Pub',
  swift: 'SwiftURL',
  cran: 'CRAN',
  hackage: 'Hackage',
  conan: 'ConanCenter',
  bitnami: 'Bitnami',
  opam: 'opam',
  julia: 'Julia',
  githubactions: 'GitHub Actions',
};

/** Distribution purl types: namespace → OSV ecosystem. */
const DISTRO_NAMESPACES: Record<string, Record<string, string>> = {
  deb: { debian: 'Debian', ubuntu: 'Ubuntu' },
  apk: {
    alpine: 'Alpine',
    wolfi: 'Wolfi',
    chainguard: 'Chainguard',
    alpaquita: 'Alpaquita',
    minimos: 'MinimOS',
  },
  rpm: {
    almalinux: 'AlmaLinux',
    rocky: 'Rocky Linux',
    'rocky-linux': 'Rocky Linux',
    rockylinux: 'Rocky Linux',
    redhat: 'Red Hat',
    suse: 'SUSE',
    sles: 'SUSE',
    opensuse: 'openSUSE',
    mageia: 'Mageia',
    openeuler: 'openEuler',
    photon: 'Photon OS',
    azurelinux: 'Azure Linux',
    mariner: 'Azure Linux',
  },
};

const DEBIAN_CODENAMES: Record<string, string> = {
  squeeze: '6',
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
};

/** The OSV release suffix implied by a purl `distro` qualifier (`debian-11` → `11`, `alpine-3.16.2` → `v3.16`). */
const releaseFromDistro = (ecosystem: string, distro: string | undefined): string | undefined => {
  if (!distro) {
    return undefined;
  }
  const value = distro.toLowerCase().replace(/^[a-z-]+?-(?=\d)/, '');
  switch (ecosystem) {
    case 'Debian':
      return DEBIAN_CODENAMES[value.replace(/^debian-/, '')] ?? /^\d+/.exec(value)?.[0];
    case 'Ubuntu':
      return /^\d+\.\d+/.exec(value)?.[0];
    case 'Alpine': {
      const m = /^v?(\d+)\.(\d+)/.exec(value);
      return m ? `v${m[1]}.${m[2]}` : undefined;
    }
    case 'AlmaLinux':
    case 'Rocky Linux':
      return /^\d+/.exec(value)?.[0];
    default:
      return undefined;
  }
};

/** The source-package name from a syft-style `upstream` qualifier (`openssl`, `openssl@1.1`, `x-1.0-1.src.rpm`). */
const sourceName = (upstream: string | undefined, type: string): string | undefined => {
  if (!upstream) {
    return undefined;
  }
  const name = upstream.split(/[@\s]/)[0] ?? '';
  if (type === 'rpm') {
    const m = /^(.+?)-[^-]+-[^-]+\.src\.rpm$/.exec(name);
    return m ? m[1] : name;
  }
  return name || undefined;
};

/**
 * Maps a purl to the OSV ecosystem, name and version it denotes, or `undefined` for purl types OSV has no
 * ecosystem for (`generic`, `github`, …). Debian, Ubuntu and RPM purls name binary packages unless they carry a
 * syft-style `upstream` qualifier; distro advisories name source packages, so `nameKind` says which one it is.
 * RPM versions get the `epoch` qualifier prefixed (`1:1.1.1k-7.el8_6`).
 */
export const packageFromPurl = (purl: string): EcosystemPackage | undefined => {
  let parsed: PackageURL;
  try {
    parsed = PackageURL.fromString(purl);
  } catch {
    return undefined;
  }
  const qualifiers = (parsed.qualifiers ?? {}) as Record<string, string>;
  const { type, namespace, name } = parsed;
  let version = parsed.version ?? undefined;
  const simple = PURL_TYPES[type];
  if (simple) {
    const full =
      type === 'maven'
        ? `${namespace ?? ''}:${name}`
        : (type === 'golang' || type === 'npm' || type === 'composer') && namespace
          ? `${namespace}/${name}`
          : name;
    return { ecosystem: simple, name: full, version, qualifiers };
  }
  const distro = DISTRO_NAMESPACES[type]?.[(namespace ?? '').toLowerCase()];
  if (!distro) {
    return undefined;
  }
  const release = releaseFromDistro(distro, qualifiers.distro);
  if (type === 'rpm' && version && qualifiers.epoch && !/^\d+:/.test(version)) {
    version = `${qualifiers.epoch}:${version}`;
  }
  const source = type === 'apk' ? undefined : sourceName(qualifiers.upstream, type);
  const isSource =
    type === 'apk' || source !== undefined || qualifiers.arch === 'source' || qualifiers.arch === 'src';
  return {
    ecosystem: release ? `${distro}:${release}` : distro,
    name: source ?? name,
    version,
    nameKind: isSource ? 'source' : 'binary',
    qualifiers,
  };
};

/**
 * The canonical form of a package name for comparison within an ecosystem: PyPI by PEP 503 (lower case, runs of
 * `-_.` → `-`), NuGet and Packagist case-insensitively, crates.io case-insensitively with `_` = `-`; all others
 * (npm, Maven `group:artifact`, Go module paths, RubyGems, distributions) exactly as written.
 */
export const normalizePackageName = (ecosystem: string, name: string): string => {
  const trimmed = name.trim();
  switch (splitEcosystem(ecosystem).base) {
    case 'PyPI':
      return trimmed.toLowerCase().replace(/[-_.]+/g, '-');
    case 'NuGet':
    case 'Packagist':
      return trimmed.toLowerCase();
    case 'crates.io':
      return trimmed.toLowerCase().replace(/_/g, '-');
    default:
      return trimmed;
  }
};

/** Normalises an ecosystem release for comparison (`Ubuntu:22.04:LTS` and `Ubuntu:Pro:22.04:LTS` → `22.04`). */
export const normalizeRelease = (ecosystem: string): string | undefined => {
  const { base, release } = splitEcosystem(ecosystem);
  if (release === undefined) {
    return undefined;
  }
  if (base === 'Ubuntu') {
    return release.replace(/^Pro:/, '').replace(/:LTS$/, '');
  }
  if (base === 'Alpine') {
    return release.startsWith('v') ? release : `v${release}`;
  }
  return release;
};

/** The purl of an OSV package (for distro packages the OSV convention `?arch=source`), or `undefined` if none fits. */
export const purlForPackage = (ecosystem: string, name: string, version?: string): string | undefined => {
  const { base } = splitEcosystem(ecosystem);
  const type = Object.entries(PURL_TYPES).find(([, eco]) => eco === base)?.[0];
  const at = version ? `@${encodeURIComponent(version)}` : '';
  if (type) {
    const slash = type === 'maven' ? name.indexOf(':') : name.lastIndexOf('/');
    const separator = type === 'maven' ? ':' : '/';
    if (slash > 0 && (type === 'maven' || type === 'golang' || type === 'npm' || type === 'composer')) {
      const ns = name.slice(0, slash).split('/').map(encodeURIComponent).join('/');
      return `pkg:${type}/${ns}/${encodeURIComponent(name.slice(slash + separator.length))}${at}`;
    }
    return `pkg:${type}/${encodeURIComponent(name)}${at}`;
  }
  for (const [distroType, namespaces] of Object.entries(DISTRO_NAMESPACES)) {
    const ns = Object.entries(namespaces).find(([, eco]) => eco === base)?.[0];
    if (ns) {
      return `pkg:${distroType}/${ns}/${encodeURIComponent(name)}${at}?arch=source`;
    }
  }
  return undefined;
};
