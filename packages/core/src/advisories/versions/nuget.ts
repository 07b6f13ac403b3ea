/**
 * NuGet version ordering (NuGet.Versioning `VersionComparer.Default`): up to four numeric parts
 * (`Major.Minor.Patch.Revision`, missing parts are 0, leading zeros ignored), then a release sorts after its
 * pre-releases; pre-release labels are compared label by label, numeric labels numerically and before
 * alphanumeric ones, alphanumeric labels case-insensitively (ordinal); build metadata (`+…`) is ignored.
 */

/** A parsed NuGet version. */
export interface NuGetVersion {
  parts: [bigint, bigint, bigint, bigint];
  release: string[];
  metadata: string | undefined;
}

const PATTERN =
  /^\s*[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?\s*$/;

/** Parses a NuGet version (SemVer 2.0 or legacy four-part); `undefined` when it is not one. */
export const parseNuGetVersion = (raw: string): NuGetVersion | undefined => {
  const m = PATTERN.exec(raw);
  if (!m) {
    return undefined;
  }
  const release = m[5] === undefined ? [] : m[5].split('.');
  if (release.some((label) => label === '')) {
    return undefined;
  }
  return {
    parts: [BigInt(m[1] ?? 0), BigInt(m[2] ?? 0), BigInt(m[3] ?? 0), BigInt(m[4] ?? 0)],
    release,
    metadata: m[6],
  };
};

const isNumeric = (label: string): boolean => /^\d+$/.test(label);

const compareLabel = (a: string, b: string): number => {
  const an = isNumeric(a);
  const bn = isNumeric(b);
  if (an && bn) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (an !== bn) {
    return an ? -1 : 1;
  }
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Compares two NuGet versions; unparseable input falls back to a case-insensitive string comparison. */
export const compareNuGetVersions = (a: string, b: string): number => {
  const left = parseNuGetVersion(a);
  const right = parseNuGetVersion(b);
  if (!left || !right) {
    return Math.sign(a.toLowerCase().localeCompare(b.toLowerCase(), 'en'));
  }
  for (let i = 0; i < 4; i++) {
    const x = left.parts[i] as bigint;
    const y = right.parts[i] as bigint;
    if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  if (left.release.length === 0 || right.release.length === 0) {
    return left.release.length === right.release.length ? 0 : left.release.length === 0 ? 1 : -1;
  }
  const n = Math.max(left.release.length, right.release.length);
  for (let i = 0; i < n; i++) {
    const x = left.release[i];
    const y = right.release[i];
    if (x === undefined || y === undefined) {
      return x === undefined ? -1 : 1;
    }
    const result = compareLabel(x, y);
    if (result !== 0) {
      return result;
    }
  }
  return 0;
};
