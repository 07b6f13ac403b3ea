/**
 * CPE 2.3 names: parsing of the formatted-string binding (NISTIR 7695 §6.2, with `\` escaping and the `*`/`?`
 * wildcards), the legacy 2.2 URI binding (`cpe:/a:vendor:product:version`), and attribute-wise name matching
 * (NISTIR 7696 §6–7: SUPERSET / SUBSET / EQUAL / DISJOINT / UNDEFINED).
 */

export const CPE_ATTRIBUTES = [
  'part',
  'vendor',
  'product',
  'version',
  'update',
  'edition',
  'language',
  'swEdition',
  'targetSw',
  'targetHw',
  'other',
] as const;
export type CpeAttribute = (typeof CPE_ATTRIBUTES)[number];

/**
 * One attribute value of a well-formed name: the logical values ANY (`*`) and NA (`-`), or a string kept in
 * its escaped formatted-string form (`quoted`, lower case) with `wildcards` telling whether it contains
 * unquoted `*` or `?`. `text` is the unescaped value (for display and version comparison).
 */
export type CpeValue =
  | { kind: 'any' }
  | { kind: 'na' }
  | { kind: 'value'; quoted: string; text: string; wildcards: boolean };

/** A parsed CPE name (well-formed name, WFN): one value per attribute. */
export type CpeName = Record<CpeAttribute, CpeValue>;

/** NISTIR 7696 attribute relations of a source name to a target name. */
export const CPE_RELATIONS = ['SUPERSET', 'SUBSET', 'EQUAL', 'DISJOINT', 'UNDEFINED'] as const;
export type CpeRelation = (typeof CPE_RELATIONS)[number];

const ANY: CpeValue = { kind: 'any' };
const NA: CpeValue = { kind: 'na' };

/** Splits on `:` that are not escaped by a backslash. */
const splitUnescaped = (text: string): string[] => {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length) {
      current += c + (text[i + 1] as string);
      i++;
    } else if (c === ':') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
};

const ALLOWED_UNQUOTED = /^[A-Za-z0-9._-]$/;

/**
 * Parses one formatted-string component; throws on an unescaped special character or misplaced wildcard. In
 * `lenient` mode (CPEs written by SBOM tools, which often forget to escape), other printable characters are
 * taken literally. Escaped `.`, `-`, `_` and alphanumerics are stored unescaped, so `a\.b` equals `a.b`.
 */
const parseComponent = (raw: string, attribute: CpeAttribute, lenient = false): CpeValue => {
  if (raw === '*') {
    return ANY;
  }
  if (raw === '-') {
    return NA;
  }
  if (raw === '') {
    throw new Error(`CPE attribute ${attribute} is empty`);
  }
  let quoted = '';
  let text = '';
  let wildcards = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '\\') {
      const next = raw[i + 1];
      if (next === undefined) {
        throw new Error(`CPE attribute ${attribute} ends with a lone backslash`);
      }
      quoted += ALLOWED_UNQUOTED.test(next) ? next.toLowerCase() : `\\${next.toLowerCase()}`;
      text += next.toLowerCase();
      i++;
    } else if (c === '*' || c === '?') {
      const atStart = i === 0 || (c === '?' && /^\?+$/.test(raw.slice(0, i)));
      const atEnd = i === raw.length - 1 || (c === '?' && /^\?+$/.test(raw.slice(i + 1)));
      if (!atStart && !atEnd) {
        throw new Error(`CPE attribute ${attribute}: unquoted "${c}" is only allowed at the start or end`);
      }
      quoted += c;
      text += c;
      wildcards = true;
    } else if (ALLOWED_UNQUOTED.test(c)) {
      quoted += c.toLowerCase();
      text += c.toLowerCase();
    } else if (lenient && c > ' ' && c !== '\x7f') {
      quoted += `\\${c.toLowerCase()}`;
      text += c.toLowerCase();
    } else {
      throw new Error(`CPE attribute ${attribute}: "${c}" must be escaped with a backslash`);
    }
  }
  if (/\*\*/.test(quoted.replace(/\\./g, ''))) {
    throw new Error(`CPE attribute ${attribute}: "**" is not allowed`);
  }
  return { kind: 'value', quoted, text, wildcards };
};

/** Parses the 2.2 URI binding (`cpe:/a:vendor:product:version:update:edition:language`), percent-decoded. */
const parseUri = (uri: string): CpeName => {
  const parts = uri.slice('cpe:/'.length).split(':');
  if (parts.length > 7) {
    throw new Error(`CPE URI has too many components: ${uri}`);
  }
  const value = (raw: string | undefined, attribute: CpeAttribute): CpeValue => {
    if (raw === undefined || raw === '' || raw === '*') {
      return ANY;
    }
    if (raw === '-') {
      return NA;
    }
    const decoded = decodeURIComponent(raw).toLowerCase();
    const escaped = decoded.replace(/[^A-Za-z0-9._-]/g, (c) => `\\${c}`);
    return parseComponent(escaped, attribute);
  };
  const name = Object.fromEntries(CPE_ATTRIBUTES.map((a) => [a, ANY])) as CpeName;
  (['part', 'vendor', 'product', 'version', 'update', 'edition', 'language'] as const).forEach((a, i) => {
    name[a] = value(parts[i], a);
  });
  return name;
};

/**
 * Parses a CPE name: the 2.3 formatted string (`cpe:2.3:a:vendor:product:…`, exactly 13 colon-separated
 * fields, `\`-escapes kept) or the 2.2 URI (`cpe:/…`). Throws an `Error` naming the problem. `lenient`
 * accepts unescaped punctuation (as SBOM tools write it) as literal characters.
 */
export const parseCpe = (text: string, options: { lenient?: boolean } = {}): CpeName => {
  const trimmed = text.trim();
  if (trimmed.toLowerCase().startsWith('cpe:/')) {
    return parseUri(trimmed);
  }
  if (!trimmed.toLowerCase().startsWith('cpe:2.3:')) {
    throw new Error(`Not a CPE 2.3 formatted string: ${text}`);
  }
  const fields = splitUnescaped(trimmed.slice('cpe:2.3:'.length));
  if (fields.length !== CPE_ATTRIBUTES.length) {
    throw new Error(`A CPE 2.3 name has 11 attributes after "cpe:2.3:", found ${fields.length}: ${text}`);
  }
  const name = Object.fromEntries(
    CPE_ATTRIBUTES.map((attribute, i) => [
      attribute,
      parseComponent(fields[i] as string, attribute, options.lenient),
    ]),
  ) as CpeName;
  const part = name.part;
  if (part.kind === 'value' && !['a', 'o', 'h'].includes(part.quoted)) {
    throw new Error(`CPE part must be a, o or h: ${text}`);
  }
  return name;
};

/** Parses a CPE name, returning `undefined` instead of throwing. */
export const tryParseCpe = (text: string, options: { lenient?: boolean } = {}): CpeName | undefined => {
  try {
    return parseCpe(text, options);
  } catch {
    return undefined;
  }
};

/** Binds a name back to a CPE 2.3 formatted string. */
export const formatCpe = (name: CpeName): string =>
  `cpe:2.3:${CPE_ATTRIBUTES.map((a) => {
    const v = name[a];
    return v.kind === 'any' ? '*' : v.kind === 'na' ? '-' : v.quoted;
  }).join(':')}`;

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Whether a source value with wildcards matches a target value (both in quoted form). */
const wildcardMatch = (source: string, target: string): boolean => {
  let pattern = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      pattern += escapeRegex(source.slice(i, i + 2));
      i++;
    } else if (c === '*') {
      pattern += '(?:\\\\.|[^\\\\])*';
    } else if (c === '?') {
      pattern += '(?:\\\\.|[^\\\\])';
    } else {
      pattern += escapeRegex(c);
    }
  }
  return new RegExp(`^${pattern}$`).test(target);
};

/** NISTIR 7696 §7.3 `compare(source, target)` for one attribute. */
export const compareCpeValues = (source: CpeValue, target: CpeValue): CpeRelation => {
  if (target.kind === 'value' && target.wildcards) {
    return 'UNDEFINED';
  }
  if (
    source.kind === target.kind &&
    (source.kind !== 'value' || source.quoted === (target as { quoted: string }).quoted)
  ) {
    return 'EQUAL';
  }
  if (source.kind === 'any') {
    return 'SUPERSET';
  }
  if (target.kind === 'any') {
    return 'SUBSET';
  }
  if (source.kind === 'na' || target.kind === 'na') {
    return 'DISJOINT';
  }
  if (source.kind === 'value' && target.kind === 'value' && source.wildcards) {
    return wildcardMatch(source.quoted, target.quoted) ? 'SUPERSET' : 'DISJOINT';
  }
  return 'DISJOINT';
};

/** The relation of every attribute of `source` to `target`. */
export const compareCpeNames = (source: CpeName, target: CpeName): Record<CpeAttribute, CpeRelation> =>
  Object.fromEntries(CPE_ATTRIBUTES.map((a) => [a, compareCpeValues(source[a], target[a])])) as Record<
    CpeAttribute,
    CpeRelation
  >;

/** NISTIR 7696 CPE_Name_Compare match: every attribute is SUPERSET or EQUAL (the source names the target). */
export const isCpeMatch = (source: CpeName, target: CpeName): boolean =>
  Object.values(compareCpeNames(source, target)).every((r) => r === 'SUPERSET' || r === 'EQUAL');
