/**
 * Maven version ordering: a re-implementation of `org.apache.maven.artifact.versioning.ComparableVersion` as
 * shipped in Maven 3.9.x (checked against the maven-artifact 3.9.6 jar in `maven.test.ts`).
 *
 * A version is split on `.` and `-` and on digit/letter transitions into numbers, qualifiers and nested lists
 * (a `-`, or a transition, opens a sub-list). Trailing "null" items (0, "", "ga", "final", "release") are
 * dropped. Qualifier order: alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release < sp,
 * then unknown qualifiers in lexical order; `a1`/`b1`/`m1` mean alpha/beta/milestone 1.
 */

type Item =
  | { kind: 'number'; value: bigint }
  | { kind: 'string'; value: string }
  | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

const stringItem = (raw: string, followedByDigit: boolean): Item => {
  let value = raw;
  if (followedByDigit && value.length === 1) {
    value = value === 'a' ? 'alpha' : value === 'b' ? 'beta' : value === 'm' ? 'milestone' : value;
  }
  return { kind: 'string', value: ALIASES[value] ?? value };
};

const comparableQualifier = (q: string): string => {
  const i = QUALIFIERS.indexOf(q);
  return i === -1 ? `${QUALIFIERS.length}-${q}` : String(i);
};

const javaCompare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const parseItem = (isDigit: boolean, buf: string): Item =>
  isDigit ? { kind: 'number', value: BigInt(buf) } : stringItem(buf, false);

const isNull = (item: Item): boolean => {
  switch (item.kind) {
    case 'number':
      return item.value === 0n;
    case 'string':
      return comparableQualifier(item.value) === RELEASE_INDEX;
    default:
      return item.items.length === 0;
  }
};

const normalize = (list: Item[]): void => {
  for (let i = list.length - 1; i >= 0; i--) {
    const last = list[i] as Item;
    if (isNull(last)) {
      list.splice(i, 1);
    } else if (last.kind !== 'list') {
      break;
    }
  }
};

const isAsciiDigit = (c: string): boolean => c >= '0' && c <= '9';

/** Parses a version into ComparableVersion's item tree. */
const parse = (version: string): Item[] => {
  const text = version.toLowerCase();
  const items: Item[] = [];
  let list = items;
  const stack: Item[][] = [list];
  let isDigit = false;
  let start = 0;
  const openList = (): void => {
    const sub: Item[] = [];
    list.push({ kind: 'list', items: sub });
    list = sub;
    stack.push(list);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '.' || c === '-') {
      list.push(i === start ? { kind: 'number', value: 0n } : parseItem(isDigit, text.slice(start, i)));
      start = i + 1;
      if (c === '-') {
        openList();
      }
    } else if (isAsciiDigit(c)) {
      if (!isDigit && i > start) {
        // 1.0.0.X1 < 1.0.0-X2: treat .X as -X for any string qualifier X
        if (list.length > 0) {
          openList();
        }
        list.push(stringItem(text.slice(start, i), true));
        start = i;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(parseItem(true, text.slice(start, i)));
        start = i;
        openList();
      }
      isDigit = false;
    }
  }
  if (text.length > start) {
    if (!isDigit && list.length > 0) {
      openList();
    }
    list.push(parseItem(isDigit, text.slice(start)));
  }
  while (stack.length > 0) {
    normalize(stack.pop() as Item[]);
  }
  return items;
};

/** `item.compareTo(other)` of ComparableVersion; `other === undefined` is Java's `null` (a missing item). */
const compareItem = (item: Item, other: Item | undefined): number => {
  if (item.kind === 'number') {
    if (other === undefined) {
      return item.value === 0n ? 0 : 1;
    }
    if (other.kind === 'number') {
      return item.value < other.value ? -1 : item.value > other.value ? 1 : 0;
    }
    return 1; // 1.1 > 1-sp, 1.1 > 1-1
  }
  if (item.kind === 'string') {
    if (other === undefined) {
      return javaCompare(comparableQualifier(item.value), RELEASE_INDEX); // 1-rc < 1, 1-sp > 1
    }
    if (other.kind === 'string') {
      return javaCompare(comparableQualifier(item.value), comparableQualifier(other.value));
    }
    return -1; // 1.any < 1.1, 1.any < 1-1
  }
  if (other === undefined) {
    // MNG-6964: compare the whole list with null, not just its first item.
    for (const child of item.items) {
      const result = compareItem(child, undefined);
      if (result !== 0) {
        return result;
      }
    }
    return 0;
  }
  if (other.kind === 'number') {
    return -1; // 1-1 < 1.0.x
  }
  if (other.kind === 'string') {
    return 1; // 1-1 > 1-sp
  }
  return compareLists(item.items, other.items);
};

const compareLists = (left: Item[], right: Item[]): number => {
  const n = Math.max(left.length, right.length);
  for (let i = 0; i < n; i++) {
    const l = left[i];
    const r = right[i];
    const result = l === undefined ? (r === undefined ? 0 : -compareItem(r, undefined)) : compareItem(l, r);
    if (result !== 0) {
      return result;
    }
  }
  return 0;
};

/** Compares two Maven versions with Maven 3.9 `ComparableVersion` semantics: negative, zero or positive. */
export const compareMavenVersions = (a: string, b: string): number =>
  Math.sign(compareLists(parse(a), parse(b)));

const render = (items: Item[]): string => {
  let out = '';
  for (const item of items) {
    if (out !== '') {
      out += item.kind === 'list' ? '-' : '.';
    }
    out += item.kind === 'list' ? render(item.items) : String(item.value);
  }
  return out;
};

/** ComparableVersion's canonical form (`getCanonical()`), e.g. `1.0.RELEASE` → `1`, `2.0.0.a` → `2-a`. */
export const canonicalMavenVersion = (version: string): string => render(parse(version));
