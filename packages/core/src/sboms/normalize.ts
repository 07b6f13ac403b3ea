/// <reference path="./spdx-expression-parse.d.ts" />
import { PackageURL } from 'packageurl-js';
import type { LicenseNode } from 'spdx-expression-parse';
import parseSpdxExpression from 'spdx-expression-parse';
import type { HashAlg, Party, Property } from './sboms.schemas.ts';

/** Canonical purl text, or the reason it is no purl. */
export const normalizePurl = (raw: string): { purl: string } | { error: string } => {
  try {
    return { purl: PackageURL.fromString(raw.trim()).toString() };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
};

/** The purl without version, qualifiers and subpath: the identity of a package across versions. */
export const stripPurlVersion = (purl: string): string | undefined => {
  try {
    const p = PackageURL.fromString(purl);
    return new PackageURL(p.type, p.namespace, p.name, undefined, undefined, undefined).toString();
  } catch {
    return undefined;
  }
};

const renderLicense = (node: LicenseNode, parent?: 'and' | 'or'): string => {
  if ('license' in node) {
    return `${node.license}${node.plus ? '+' : ''}${node.exception ? ` WITH ${node.exception}` : ''}`;
  }
  const text = `${renderLicense(node.left, node.conjunction)} ${node.conjunction.toUpperCase()} ${renderLicense(node.right, node.conjunction)}`;
  return parent && parent !== node.conjunction ? `(${text})` : text;
};

/** Licence texts repeat across components ("MIT" thousands of times); parsing each once keeps big SBOMs fast. */
const licenseCache = new Map<string, { expression: string } | { error: string }>();

/** `NOASSERTION` and `NONE` say nothing about the licence; they normalise to no licence. */
export const isNoAssertion = (raw: string): boolean => /^(NOASSERTION|NONE)$/i.test(raw.trim());

/**
 * Canonical SPDX licence expression (operators upper case, parentheses only where the operator changes), or the
 * reason it is none. Licence ids are checked against the SPDX licence list by `spdx-expression-parse`.
 */
export const normalizeLicenseExpression = (raw: string): { expression: string } | { error: string } => {
  const key = raw.trim();
  const cached = licenseCache.get(key);
  if (cached) {
    return cached;
  }
  let result: { expression: string } | { error: string };
  try {
    result = { expression: renderLicense(parseSpdxExpression(key)) };
  } catch (e) {
    result = { error: e instanceof Error && e.message ? e.message : 'invalid expression' };
  }
  if (licenseCache.size >= 10_000) {
    licenseCache.clear();
  }
  licenseCache.set(key, result);
  return result;
};

/** Joins several expressions with AND (how several declared CycloneDX licences combine). */
export const joinLicenses = (expressions: string[]): string | undefined => {
  const unique = [...new Set(expressions)];
  if (unique.length === 0) {
    return undefined;
  }
  const joined = unique.map((e) => (unique.length > 1 && / OR /.test(e) ? `(${e})` : e)).join(' AND ');
  const result = normalizeLicenseExpression(joined);
  return 'expression' in result ? result.expression : joined;
};

/** The plain licence ids of an expression made only of AND (no `+`, no WITH), else undefined. */
export const splitLicenseConjunction = (expression: string): string[] | undefined => {
  const ids: string[] = [];
  const walk = (node: LicenseNode): boolean => {
    if ('license' in node) {
      ids.push(node.license);
      return !node.plus && !node.exception;
    }
    return node.conjunction === 'and' && walk(node.left) && walk(node.right);
  };
  try {
    return walk(parseSpdxExpression(expression)) ? ids : undefined;
  } catch {
    return undefined;
  }
};

/** Every `LicenseRef-…` an expression uses (SPDX export declares them). */
export const listLicenseRefs = (expression: string): string[] =>
  [...expression.matchAll(/(?<![\w:-])LicenseRef-[A-Za-z0-9.-]+/g)].map((m) => m[0]);

const HASH_NAMES: Record<string, HashAlg> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha224: 'SHA-224',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
  sha3256: 'SHA3-256',
  sha3384: 'SHA3-384',
  sha3512: 'SHA3-512',
  blake2b256: 'BLAKE2b-256',
  blake2b384: 'BLAKE2b-384',
  blake2b512: 'BLAKE2b-512',
  blake3: 'BLAKE3',
  md2: 'MD2',
  md4: 'MD4',
  md6: 'MD6',
  adler32: 'ADLER32',
};

/** Hex digits each algorithm yields (undefined: variable length). */
const HASH_HEX_LENGTHS: Partial<Record<HashAlg, number[]>> = {
  MD5: [32],
  MD2: [32],
  MD4: [32],
  'SHA-1': [40],
  'SHA-224': [56],
  'SHA-256': [64],
  'SHA-384': [96],
  'SHA-512': [128],
  'SHA3-256': [64],
  'SHA3-384': [96],
  'SHA3-512': [128],
  'BLAKE2b-256': [64],
  'BLAKE2b-384': [96],
  'BLAKE2b-512': [128],
  BLAKE3: [32, 40, 64, 96, 128],
  ADLER32: [8],
};

/** A hash with a known algorithm (CycloneDX, SPDX 2 or SPDX 3 spelling) and a hex value of the right length. */
export const normalizeHash = (
  alg: string,
  value: string,
): { alg: HashAlg; value: string } | { error: { en: string; ko: string } } => {
  const name = HASH_NAMES[alg.toLowerCase().replace(/[^a-z0-9]/g, '')];
  if (!name) {
    return { error: { en: `unknown hash algorithm '${alg}'`, ko: `알 수 없는 해시 알고리즘 '${alg}'` } };
  }
  const hex = value.trim().toLowerCase();
  const lengths = HASH_HEX_LENGTHS[name];
  if (!/^[0-9a-f]+$/.test(hex) || (lengths && !lengths.includes(hex.length))) {
    return {
      error: {
        en: `'${value}' is not a valid ${name} value`,
        ko: `'${value}'은(는) 올바른 ${name} 값이 아닙니다`,
      },
    };
  }
  return { alg: name, value: hex };
};

/** RFC 3339 date-time, as the CycloneDX and SPDX schemas ask for timestamps. */
export const isDateTime = (s: string): boolean =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s));

/**
 * A CPE 2.3 formatted string (13 colon-separated parts) or a CPE 2.2 URI. Structural only: generators write
 * unescaped `+` and `/` in versions and products (`v14.2.0+incompatible`, `x/crypto`), and dropping such a CPE would
 * lose the only identifier of many components.
 */
export const isCpe = (s: string): boolean =>
  /^cpe:2\.3:[aho*-](?::(?:[^:\\\s]|\\.)+){10}$/.test(s) || /^cpe:\/[aho]?(?::[^:\s]*){0,6}$/i.test(s);

/** A CycloneDX `serialNumber`: `urn:uuid:` and an RFC 4122 UUID in lower case (the 1.4–1.6 schema pattern). */
export const isCycloneDxSerial = (s: string): boolean =>
  /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s);

const squash = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const SUPPORT_LEVEL_NAMES = new Set(['levelofsupport', 'supportlevel']);
const END_OF_SUPPORT_NAMES = new Set([
  'endofsupport',
  'endofsupportdate',
  'supportenddate',
  'endoflife',
  'endoflifedate',
  'eol',
  'eos',
]);

/** Whether a property (or SPDX annotation) name carries the FDA support level or end of support. */
export const classifyFdaProperty = (name: string): 'supportLevel' | 'endOfSupport' | undefined => {
  const key = squash(name).replace(/^(fda|medsec)/, '');
  if (SUPPORT_LEVEL_NAMES.has(key)) {
    return 'supportLevel';
  }
  return END_OF_SUPPORT_NAMES.has(key) ? 'endOfSupport' : undefined;
};

/** FDA support level and end of support from FDA-style properties (`Level of Support`, `End-of-Support` …). */
export const readFdaProperties = (
  properties: Property[],
): { supportLevel?: string; endOfSupport?: string } => {
  const out: { supportLevel?: string; endOfSupport?: string } = {};
  for (const p of properties) {
    const field = classifyFdaProperty(p.name);
    if (field && out[field] === undefined && p.value.trim()) {
      out[field] = p.value.trim();
    }
  }
  return out;
};

/** SPDX `Person: Jane Doe (jane@example.com)` / `Organization: ACME ()`; undefined for NOASSERTION and tools. */
export const parseSpdxParty = (raw: string): Party | undefined => {
  const m = /^\s*(Person|Organization)\s*:\s*(.*?)\s*(?:\(([^()]*)\))?\s*$/i.exec(raw);
  if (!m?.[2]) {
    return undefined;
  }
  const email = m[3]?.trim();
  return {
    name: m[2],
    ...(email ? { email } : {}),
    kind: m[1]?.toLowerCase() === 'person' ? 'person' : 'organization',
  };
};

/** SPDX text of a party (`Organization: X (mail)`), the form SPDX 2 supplier, originator and creators take. */
export const formatSpdxParty = (party: Party): string =>
  `${party.kind === 'person' ? 'Person' : 'Organization'}: ${party.name}${party.email ? ` (${party.email})` : ''}`;

/** Trimmed non-empty string, else undefined (SBOMs are full of `""`). */
export const text = (value: unknown): string | undefined => {
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const t = value.trim();
  return t ? t : undefined;
};

/** A plain object, else undefined. */
export const record = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** An array (a single value becomes a one-item array; absent becomes empty). */
export const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];

/** `{ [name]: value }` when the value is defined, else `{}` (keeps optional fields absent, not undefined). */
export const optional = <K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
