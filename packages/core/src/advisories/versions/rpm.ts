/**
 * RPM version ordering: `rpmvercmp` from rpm's `rpmio/rpmvercmp.c` (tilde and caret included), applied to
 * `[epoch:]version[-release]` the way `rpmVersionCompare` does (epoch, then version, then release).
 */

const isAlnum = (c: string): boolean => /[A-Za-z0-9]/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean => c !== undefined && /[A-Za-z]/.test(c);

/**
 * Compares two version (or release) strings with rpm's segment rules: separators are ignored, `~` sorts
 * before anything (pre-releases), `^` sorts after the base version but before any further segment
 * (post-release snapshots), numeric segments beat alphabetic ones, numbers compare without leading zeros.
 */
export const rpmvercmp = (a: string, b: string): number => {
  if (a === b) {
    return 0;
  }
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i] as string) && a[i] !== '~' && a[i] !== '^') {
      i++;
    }
    while (j < b.length && !isAlnum(b[j] as string) && b[j] !== '~' && b[j] !== '^') {
      j++;
    }
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') {
        return 1;
      }
      if (b[j] !== '~') {
        return -1;
      }
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) {
        return -1;
      }
      if (j >= b.length) {
        return 1;
      }
      if (a[i] !== '^') {
        return 1;
      }
      if (b[j] !== '^') {
        return -1;
      }
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) {
      break;
    }
    const numeric = isDigit(a[i]);
    const test = numeric ? isDigit : isAlpha;
    let ie = i;
    let je = j;
    while (ie < a.length && test(a[ie])) {
      ie++;
    }
    while (je < b.length && test(b[je])) {
      je++;
    }
    if (je === j) {
      // Different segment types: a numeric segment is newer than an alphabetic one.
      return numeric ? 1 : -1;
    }
    let segA = a.slice(i, ie);
    let segB = b.slice(j, je);
    if (numeric) {
      segA = segA.replace(/^0+/, '');
      segB = segB.replace(/^0+/, '');
      if (segA.length !== segB.length) {
        return segA.length > segB.length ? 1 : -1;
      }
    }
    if (segA !== segB) {
      return segA < segB ? -1 : 1;
    }
    i = ie;
    j = je;
  }
  if (i >= a.length && j >= b.length) {
    return 0;
  }
  return i >= a.length ? -1 : 1;
};

/** A parsed RPM EVR; `epoch` is `undefined` when not written (compared as 0). */
export interface RpmVersion {
  epoch: number | undefined;
  version: string;
  release: string | undefined;
}

/** Splits `[epoch:]version[-release]` (release after the last `-`). */
export const parseRpmVersion = (raw: string): RpmVersion => {
  const text = raw.trim();
  const match = /^([0-9]+):(.*)$/.exec(text);
  const rest = match ? (match[2] ?? '') : text;
  const dash = rest.lastIndexOf('-');
  return {
    epoch: match ? Number(match[1]) : undefined,
    version: dash >= 0 ? rest.slice(0, dash) : rest,
    release: dash >= 0 ? rest.slice(dash + 1) : undefined,
  };
};

/**
 * Compares two RPM `[epoch:]version[-release]` strings: a missing epoch is 0; when one side has no release
 * the releases are not compared (rpm's dependency semantics, so `1.0` matches every `1.0-N`).
 */
export const compareRpmVersions = (a: string, b: string): number => {
  const left = parseRpmVersion(a);
  const right = parseRpmVersion(b);
  const epochs = (left.epoch ?? 0) - (right.epoch ?? 0);
  if (epochs !== 0) {
    return Math.sign(epochs);
  }
  const versions = rpmvercmp(left.version, right.version);
  if (versions !== 0 || left.release === undefined || right.release === undefined) {
    return versions;
  }
  return rpmvercmp(left.release, right.release);
};
