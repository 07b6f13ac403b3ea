/**
 * Packagist (Composer) version ordering: versions are first normalised the way Composer's
 * `VersionParser::normalize` does (`v1.2` → `1.2.0.0`, `1.0-b2` → `1.0.0.0-beta2`, `1.0p1` → `1.0.0.0-patch1`),
 * then compared with PHP's `version_compare` (which Composer's `Comparator` uses).
 */

const STABILITY: Record<string, string> = {
  stable: 'stable',
  beta: 'beta',
  b: 'beta',
  rc: 'RC',
  alpha: 'alpha',
  a: 'alpha',
  patch: 'patch',
  pl: 'patch',
  p: 'patch',
};

const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?';
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}$`, 'i');
const DATETIME = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3}){0,2})${MODIFIER}$`, 'i');

/**
 * Composer's normalised form of a version, or `undefined` when Composer would reject it. Branch names
 * (`dev-main`, `1.x-dev`) are returned as written with a `dev-` prefix.
 */
export const normalizeComposerVersion = (raw: string): string | undefined => {
  let version = raw.trim().replace(/@(stable|RC|beta|alpha|dev)$/i, '');
  version = version.replace(/\+[^\s]*$/, '');
  if (/^dev-/i.test(version)) {
    return `dev-${version.slice(4)}`;
  }
  if (/^(master|trunk|default)$/i.test(version)) {
    return `dev-${version}`;
  }
  let match = CLASSICAL.exec(version);
  let head: string;
  let index: number;
  if (match) {
    head = `${match[1]}${match[2] ?? '.0'}${match[3] ?? '.0'}${match[4] ?? '.0'}`;
    index = 5;
  } else {
    match = DATETIME.exec(version);
    if (!match) {
      const branch = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?[.-]?dev$/i.exec(version);
      return branch ? `dev-${version}` : undefined;
    }
    head = (match[1] ?? '').replace(/\D/g, '.');
    index = 2;
  }
  const stability = match[index];
  let out = head;
  if (stability !== undefined && stability.toLowerCase() !== 'stable') {
    const number = (match[index + 1] ?? '').replace(/^[.-]/, '');
    out += `-${STABILITY[stability.toLowerCase()] ?? stability}${number}`;
  }
  if (match[index + 2] !== undefined) {
    out += '-dev';
  }
  return out;
};

const SPECIAL: [string, number][] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

const specialOrder = (form: string): number => SPECIAL.find(([name]) => form.startsWith(name))?.[1] ?? -1;

/** PHP's `php_canonicalize_version`: `-_+` become `.`, and a `.` is put between digit/non-digit runs. */
const canonicalize = (version: string): string => {
  if (version === '') {
    return '';
  }
  const isDig = (c: string): boolean => c >= '0' && c <= '9';
  const isNdig = (c: string): boolean => !isDig(c) && c !== '.';
  let out = version[0] as string;
  let last = out;
  for (const c of version.slice(1)) {
    const prev = out[out.length - 1];
    if (c === '-' || c === '_' || c === '+') {
      if (prev !== '.') {
        out += '.';
      }
    } else if ((isNdig(last) && isDig(c)) || (isDig(last) && isNdig(c))) {
      if (prev !== '.') {
        out += '.';
      }
      out += c;
    } else if (!/[A-Za-z0-9]/.test(c)) {
      if (prev !== '.') {
        out += '.';
      }
    } else {
      out += c;
    }
    last = c;
  }
  return out;
};

const isDigitStart = (s: string): boolean => /^[0-9]/.test(s);

/** PHP's `version_compare($a, $b)`: -1, 0 or 1. */
export const phpVersionCompare = (a: string, b: string): number => {
  const left = canonicalize(a).split('.');
  const right = canonicalize(b).split('.');
  const n = Math.min(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const p = left[i] as string;
    const q = right[i] as string;
    let result: number;
    if (isDigitStart(p) && isDigitStart(q)) {
      const x = BigInt(/^\d+/.exec(p)?.[0] ?? '0');
      const y = BigInt(/^\d+/.exec(q)?.[0] ?? '0');
      result = x < y ? -1 : x > y ? 1 : 0;
    } else if (!isDigitStart(p) && !isDigitStart(q)) {
      result = Math.sign(specialOrder(p) - specialOrder(q));
    } else {
      result = isDigitStart(p) ? Math.sign(4 - specialOrder(q)) : Math.sign(specialOrder(p) - 4);
    }
    if (result !== 0) {
      return result;
    }
  }
  if (left.length > n) {
    const p = left[n] as string;
    return isDigitStart(p) ? 1 : phpVersionCompare(left.slice(n).join('.'), '#N#');
  }
  if (right.length > n) {
    const q = right[n] as string;
    return isDigitStart(q) ? -1 : phpVersionCompare('#N#', right.slice(n).join('.'));
  }
  return 0;
};

/** Compares two Composer versions: normalised first (when Composer accepts them), then `version_compare`. */
export const compareComposerVersions = (a: string, b: string): number =>
  phpVersionCompare(normalizeComposerVersion(a) ?? a, normalizeComposerVersion(b) ?? b);
