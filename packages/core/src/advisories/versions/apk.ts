/**
 * Alpine package (apk-tools) version ordering, following the token rules of apk-tools `src/version.c`
 * (Gentoo-style `{digit}{.digit}...{letter}{_suffix{#}}...{-r#}`): numbers compare numerically, a component
 * after a `.` with leading zeros compares as a decimal fraction, `_alpha < _beta < _pre < _rc < (none) < _cvs <
 * _svn < _git < _hg < _p`, `-rN` is the package revision.
 */

const Token = {
  invalid: -1,
  digitOrZero: 0,
  digit: 1,
  letter: 2,
  suffix: 3,
  suffixNo: 4,
  revisionNo: 5,
  end: 6,
} as const;
type Token = (typeof Token)[keyof typeof Token];

const PRE_SUFFIXES = ['alpha', 'beta', 'pre', 'rc'];
const POST_SUFFIXES = ['cvs', 'svn', 'git', 'hg', 'p'];

interface Cursor {
  text: string;
  pos: number;
  type: Token;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isLower = (c: string | undefined): boolean => c !== undefined && c >= 'a' && c <= 'z';

/** Decides the type of the next token from the character at the cursor (apk's `next_token`). */
const nextToken = (cur: Cursor): void => {
  let n: Token = Token.invalid;
  const c = cur.text[cur.pos];
  if (c === undefined) {
    n = Token.end;
  } else if ((cur.type === Token.digit || cur.type === Token.digitOrZero) && isLower(c)) {
    n = Token.letter;
  } else if (cur.type === Token.letter && isDigit(c)) {
    n = Token.digit;
  } else if (cur.type === Token.suffix && isDigit(c)) {
    n = Token.suffixNo;
  } else {
    if (c === '.') {
      n = Token.digitOrZero;
    } else if (c === '_') {
      n = Token.suffix;
    } else if (c === '-') {
      if (cur.text[cur.pos + 1] === 'r') {
        n = Token.revisionNo;
        cur.pos++;
      } else {
        n = Token.invalid;
      }
    }
    cur.pos++;
  }
  if (n < cur.type) {
    const allowed =
      (n === Token.digitOrZero && cur.type === Token.digit) ||
      (n === Token.suffix && cur.type === Token.suffixNo) ||
      (n === Token.digit && cur.type === Token.letter);
    if (!allowed) {
      n = Token.invalid;
    }
  }
  cur.type = n;
};

/** Reads one token's value and advances the cursor (apk's `get_token`). Values are bigint: numbers may be long. */
const getToken = (cur: Cursor): bigint => {
  if (cur.pos >= cur.text.length) {
    cur.type = Token.end;
    return 0n;
  }
  let v = 0n;
  let i = cur.pos;
  let forced: Token | undefined;
  const rest = cur.text.slice(cur.pos);
  switch (cur.type) {
    case Token.digitOrZero:
    case Token.digit:
    case Token.suffixNo:
    case Token.revisionNo: {
      if (cur.type === Token.digitOrZero && cur.text[i] === '0') {
        // Leading zeros after a dot: the more zeros, the smaller (a decimal fraction).
        while (cur.text[i] === '0') {
          i++;
        }
        forced = Token.digit;
        v = BigInt(-(i - cur.pos));
        break;
      }
      while (isDigit(cur.text[i])) {
        i++;
      }
      if (i - cur.pos >= 18) {
        cur.type = Token.invalid;
        return -1n;
      }
      v = i > cur.pos ? BigInt(cur.text.slice(cur.pos, i)) : 0n;
      break;
    }
    case Token.letter:
      v = BigInt(cur.text.charCodeAt(i));
      i++;
      break;
    case Token.suffix: {
      const pre = PRE_SUFFIXES.findIndex((s) => rest.startsWith(s));
      if (pre >= 0) {
        v = BigInt(pre - PRE_SUFFIXES.length);
        i += (PRE_SUFFIXES[pre] as string).length;
        break;
      }
      const post = POST_SUFFIXES.findIndex((s) => rest.startsWith(s));
      if (post >= 0) {
        v = BigInt(post);
        i += (POST_SUFFIXES[post] as string).length;
        break;
      }
      cur.type = Token.invalid;
      return -1n;
    }
    default:
      cur.type = Token.invalid;
      return -1n;
  }
  cur.pos = i;
  if (cur.pos >= cur.text.length) {
    cur.type = Token.end;
  } else if (forced !== undefined) {
    cur.type = forced;
  } else {
    nextToken(cur);
  }
  return v;
};

/** True when apk-tools accepts the string as a package version (`apk_version_validate`). */
export const isValidApkVersion = (version: string): boolean => {
  const cur: Cursor = { text: version, pos: 0, type: Token.digit };
  while (cur.type !== Token.end && cur.type !== Token.invalid) {
    getToken(cur);
  }
  return cur.type === Token.end;
};

/** Compares two apk versions (`apk_version_compare`): negative, zero or positive. */
export const compareApkVersions = (a: string, b: string): number => {
  const ca: Cursor = { text: a, pos: 0, type: Token.digit };
  const cb: Cursor = { text: b, pos: 0, type: Token.digit };
  let av = 0n;
  let bv = 0n;
  while (ca.type === cb.type && ca.type !== Token.end && ca.type !== Token.invalid && av === bv) {
    av = getToken(ca);
    bv = getToken(cb);
  }
  if (av < bv) {
    return -1;
  }
  if (av > bv) {
    return 1;
  }
  if (ca.type === cb.type) {
    return 0;
  }
  // Equal so far: the longer version is newer, unless what follows is a pre-release suffix.
  if (ca.type === Token.suffix && getToken({ ...ca }) < 0n) {
    return -1;
  }
  if (cb.type === Token.suffix && getToken({ ...cb }) < 0n) {
    return 1;
  }
  if (ca.type > cb.type) {
    return -1;
  }
  if (cb.type > ca.type) {
    return 1;
  }
  return 0;
};
