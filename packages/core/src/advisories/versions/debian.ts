/**
 * Debian package version ordering (deb-version(7), dpkg's `verrevcmp`): `[epoch:]upstream[-revision]`.
 * Each part is compared as alternating non-digit and digit runs; in non-digit runs `~` sorts before everything,
 * even the end of the string, letters sort before other characters, and digit runs compare numerically.
 */

/** A parsed Debian version; `revision` is `''` when absent (dpkg treats that as `0`). */
export interface DebianVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

const UPSTREAM = /^[0-9][A-Za-z0-9.+~:-]*$/;
const REVISION = /^[A-Za-z0-9.+~]*$/;

/**
 * Parses a Debian version the way dpkg does (epoch before the first `:`, revision after the last `-`).
 * Returns `undefined` for a version dpkg would reject (empty, bad epoch, upstream not starting with a digit,
 * characters outside `[A-Za-z0-9.+~-]`).
 */
export const parseDebianVersion = (raw: string): DebianVersion | undefined => {
  const text = raw.trim();
  if (text === '' || /\s/.test(text)) {
    return undefined;
  }
  let epoch = 0;
  let rest = text;
  const colon = text.indexOf(':');
  if (colon >= 0) {
    const epochText = text.slice(0, colon);
    if (!/^[0-9]+$/.test(epochText)) {
      return undefined;
    }
    epoch = Number(epochText);
    rest = text.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (!UPSTREAM.test(upstream) || !REVISION.test(revision)) {
    return undefined;
  }
  if (dash >= 0 && revision === '') {
    return undefined;
  }
  return { epoch, upstream, revision };
};

/** The weight of one character in a non-digit run (dpkg's `order()`). */
const order = (c: string | undefined): number => {
  if (c === undefined) {
    return 0;
  }
  if (c === '~') {
    return -1;
  }
  if (/[0-9]/.test(c)) {
    return 0;
  }
  if (/[A-Za-z]/.test(c)) {
    return c.charCodeAt(0);
  }
  return c.charCodeAt(0) + 256;
};

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** dpkg's `verrevcmp` on one part (upstream or revision). */
export const compareDebianPart = (a: string, b: string): number => {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = order(a[i]);
      const bc = order(b[j]);
      if (ac !== bc) {
        return Math.sign(ac - bc);
      }
      i++;
      j++;
    }
    while (a[i] === '0') {
      i++;
    }
    while (b[j] === '0') {
      j++;
    }
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (firstDiff === 0) {
        firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      }
      i++;
      j++;
    }
    if (isDigit(a[i])) {
      return 1;
    }
    if (isDigit(b[j])) {
      return -1;
    }
    if (firstDiff !== 0) {
      return Math.sign(firstDiff);
    }
  }
  return 0;
};

/**
 * Compares two Debian versions: epoch, then upstream, then revision (dpkg `--compare-versions`).
 * Versions that do not parse are compared leniently (epoch 0, whole string as upstream), like dpkg does
 * after warning about bad syntax.
 */
export const compareDebianVersions = (a: string, b: string): number => {
  const left = parseDebianVersion(a) ?? lenient(a);
  const right = parseDebianVersion(b) ?? lenient(b);
  if (left.epoch !== right.epoch) {
    return left.epoch < right.epoch ? -1 : 1;
  }
  return compareDebianPart(left.upstream, right.upstream) || compareDebianPart(left.revision, right.revision);
};

const lenient = (raw: string): DebianVersion => {
  const text = raw.trim();
  const match = /^([0-9]+):(.*)$/.exec(text);
  const rest = match ? (match[2] ?? '') : text;
  const dash = rest.lastIndexOf('-');
  return {
    epoch: match ? Number(match[1]) : 0,
    upstream: dash >= 0 ? rest.slice(0, dash) : rest,
    revision: dash >= 0 ? rest.slice(dash + 1) : '',
  };
};
