import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, ErrorCode, parseSbom, type Sbom } from '@medsec/core';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';
import { memoryPages, validateXML, type XMLFileInfo } from 'xmllint-wasm';

/** The official JSON schemas vendored beside the server (see `packages/server/schemas/README.md`). */
export const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schemas');

/** One schema problem: the JSON pointer of the offending value and what is wrong (English / Korean). */
export interface SchemaError {
  pointer: string;
  /** The line of the offending element (XML documents, checked against the XSD). */
  line?: number;
  message: string;
}

/** The verdict of `validateSbomSchema`. */
export interface SchemaValidation {
  valid: boolean;
  errors: SchemaError[];
}

/** Schema file per format and spec version. SPDX 2.2 documents are checked against 2.3, which accepts them. */
const SCHEMA_FILES: Record<'cyclonedx' | 'spdx', Record<string, string>> = {
  cyclonedx: {
    '1.2': 'cyclonedx/bom-1.2.SNAPSHOT.schema.json',
    '1.3': 'cyclonedx/bom-1.3.SNAPSHOT.schema.json',
    '1.4': 'cyclonedx/bom-1.4.schema.json',
    '1.5': 'cyclonedx/bom-1.5.schema.json',
    '1.6': 'cyclonedx/bom-1.6.schema.json',
    '1.7': 'cyclonedx/bom-1.7.schema.json',
  },
  spdx: { '2.2': 'spdx/spdx-2.3-schema.json', '2.3': 'spdx/spdx-2.3-schema.json' },
};

/** Errors reported per document at most; a broken 10,000-component BOM should not yield a megabyte of errors. */
const MAX_ERRORS = 100;

/**
 * ajv checks `uniqueItems` by comparing every pair of items with a deep equality (O(n²)): 17 s for a 10,000-component
 * BOM here. The schemas are read with `uniqueItems: true` renamed to our `uniqueItemsLinear` keyword, which gives the
 * same verdict (items equal as canonical JSON) in one pass with a set.
 */
const linearUniqueItems = (node: unknown): unknown => {
  if (Array.isArray(node)) {
    return node.map(linearUniqueItems);
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'uniqueItems' && v === true) {
      out.uniqueItemsLinear = true;
    } else {
      out[k] = k === 'enum' || k === 'const' || k === 'examples' ? v : linearUniqueItems(v);
    }
  }
  return out;
};

const canonical = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
};

const hasUniqueItems = (items: unknown[]): boolean => {
  const seen = new Set<string>();
  for (const item of items) {
    const key = canonical(item);
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
  }
  return true;
};

const readSchema = (file: string): AnySchemaObject =>
  linearUniqueItems(JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8'))) as AnySchemaObject;

// ajv-formats is CommonJS (`module.exports = plugin; exports.default = plugin`); TypeScript under NodeNext types the
// default import as the module, whose `default` is the plugin at runtime in Node and in Vitest alike.
const addFormats = addFormatsModule.default;

/** `iri-reference` and `idn-email` (CycloneDX) are not in ajv-formats: checked loosely, never ignored. */
const configure = <A extends Ajv | Ajv2019>(ajv: A): A => {
  addFormats(ajv);
  ajv.addFormat('iri-reference', /^\S*$/u);
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
  ajv.addKeyword({
    keyword: 'uniqueItemsLinear',
    type: 'array',
    schemaType: 'boolean',
    error: { message: 'must NOT have duplicate items' },
    validate: (on: boolean, data: unknown[]) => !on || hasUniqueItems(data),
  });
  return ajv;
};

let cyclonedx: Ajv | undefined;
let spdx: Ajv2019 | undefined;
const compiled = new Map<string, ValidateFunction>();

/** CycloneDX (draft-07) with its shared SPDX licence-id and JSF schemas; 1.2/1.3 refer to them by SNAPSHOT names. */
const cyclonedxAjv = (): Ajv => {
  if (!cyclonedx) {
    // verbose: `not` errors need their schema (which properties are forbidden) and its description
    cyclonedx = configure(new Ajv({ allErrors: true, strict: false, logger: false, verbose: true }));
    const licenses = readSchema('cyclonedx/spdx.schema.json');
    const jsf = readSchema('cyclonedx/jsf-0.82.schema.json');
    cyclonedx.addSchema(licenses);
    cyclonedx.addSchema(jsf);
    cyclonedx.addSchema(readSchema('cyclonedx/cryptography-defs.schema.json')); // referenced by 1.7
    cyclonedx.addSchema({ ...licenses, $id: 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json' });
    cyclonedx.addSchema({ ...jsf, $id: 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json' });
  }
  return cyclonedx;
};

/** SPDX 2.3 (draft 2019-09). */
const spdxAjv = (): Ajv2019 => {
  spdx ??= configure(new Ajv2019({ allErrors: true, strict: false, logger: false }));
  return spdx;
};

const validatorFor = (format: 'cyclonedx' | 'spdx', file: string): ValidateFunction => {
  const key = `${format}:${file}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = (format === 'cyclonedx' ? cyclonedxAjv() : spdxAjv()).compile(readSchema(file));
    compiled.set(key, validate);
  }
  return validate;
};

const params = (e: ErrorObject): Record<string, unknown> => e.params as Record<string, unknown>;

/** A readable message per ajv error, in English and Korean. */
const describe = (e: ErrorObject): SchemaError => {
  const p = params(e);
  const base = e.instancePath || '';
  switch (e.keyword) {
    case 'required':
      return {
        pointer: `${base}/${String(p.missingProperty)}`,
        message: `Required property '${String(p.missingProperty)}' is missing / 필수 속성 '${String(p.missingProperty)}'이(가) 없습니다`,
      };
    case 'additionalProperties':
      return {
        pointer: `${base}/${String(p.additionalProperty)}`,
        message: `Property '${String(p.additionalProperty)}' is not allowed / 허용되지 않는 속성 '${String(p.additionalProperty)}'`,
      };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).slice(0, 12).map(String).join(', ');
      return {
        pointer: base || '/',
        message: `Value is not one of the allowed values (${allowed}${(p.allowedValues as unknown[]).length > 12 ? ', …' : ''}) / 허용된 값이 아닙니다`,
      };
    }
    case 'pattern':
      return {
        pointer: base || '/',
        message: `Value does not match the pattern ${String(p.pattern)} / 값이 형식(패턴)에 맞지 않습니다`,
      };
    case 'format':
      return {
        pointer: base || '/',
        message: `Value is not a valid ${String(p.format)} / 값이 ${String(p.format)} 형식이 아닙니다`,
      };
    case 'type':
      return {
        pointer: base || '/',
        message: `Value must be of type ${String(p.type)} / 값의 타입은 ${String(p.type)}이어야 합니다`,
      };
    case 'not': {
      const required = (e.schema as { required?: unknown } | undefined)?.required;
      const names = Array.isArray(required) ? required.map((n) => `'${String(n)}'`).join(' and ') : '';
      const rule = (e.parentSchema as { description?: unknown } | undefined)?.description;
      return {
        pointer: base || '/',
        message: `${names ? `${names} must not be present here` : 'A forbidden form is present here'}${typeof rule === 'string' ? ` (${rule})` : ''} / ${names ? `${names}이(가) 여기에 있으면 안 됩니다` : '허용되지 않는 형식입니다'}`,
      };
    }
    case 'uniqueItems':
    case 'uniqueItemsLinear':
      return {
        pointer: base || '/',
        message:
          'Items must be unique: two entries are identical / 항목이 중복되었습니다 (동일한 항목 두 개)',
      };
    case 'oneOf':
      return {
        pointer: base || '/',
        message:
          'Value must match exactly one of the allowed forms / 허용된 형식 중 정확히 하나와 일치해야 합니다',
      };
    default:
      return {
        pointer: base || '/',
        message: `${e.message ?? e.keyword} / 스키마 규칙(${e.keyword})을 위반했습니다`,
      };
  }
};

/** The spec version a document declares (CycloneDX `specVersion`, SPDX `spdxVersion`). */
export const readDeclaredSpecVersion = (doc: unknown, format: 'cyclonedx' | 'spdx'): string | undefined => {
  const d = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>) : {};
  const v = format === 'cyclonedx' ? d.specVersion : d.spdxVersion;
  return typeof v === 'string' ? v.replace(/^SPDX-/, '') : undefined;
};

/**
 * Validates a parsed CycloneDX (1.2–1.7) or SPDX (2.2/2.3) JSON document against its official JSON schema, with ajv
 * (draft-07 for CycloneDX, 2019-09 for SPDX) and ajv-formats. Compiled validators are cached per schema. Errors
 * carry the JSON pointer of the offending value; at most 100 are returned. An unknown spec version is reported as
 * an error at `/specVersion` (`/spdxVersion`), not thrown. XML: `validateCycloneDxXml`.
 */
export const validateSbomSchema = (
  doc: unknown,
  format: 'cyclonedx' | 'spdx',
  specVersion: string = readDeclaredSpecVersion(doc, format) ?? '',
): SchemaValidation => {
  const version = specVersion.replace(/^SPDX-/, '');
  const file = SCHEMA_FILES[format][version];
  if (!file) {
    const field = format === 'cyclonedx' ? '/specVersion' : '/spdxVersion';
    const known = Object.keys(SCHEMA_FILES[format]).join(', ');
    return {
      valid: false,
      errors: [
        {
          pointer: field,
          message: `No schema for ${format} ${specVersion || '(none)'} (known: ${known}) / ${format} ${specVersion || '(없음)'}의 스키마가 없습니다 (지원: ${known})`,
        },
      ],
    };
  }
  const validate = validatorFor(format, file);
  if (validate(doc)) {
    return { valid: true, errors: [] };
  }
  const seen = new Set<string>();
  const errors: SchemaError[] = [];
  for (const e of validate.errors ?? []) {
    const error = describe(e);
    const id = `${error.pointer}\u0000${error.message}`;
    if (!seen.has(id) && errors.length < MAX_ERRORS) {
      seen.add(id);
      errors.push(error);
    }
  }
  return { valid: false, errors };
};

/** CycloneDX XSD per spec version. The corpora (and so the vendored copies) have XSDs for 1.4–1.7 only. */
const XSD_FILES: Record<string, string> = {
  '1.4': 'cyclonedx/bom-1.4.xsd',
  '1.5': 'cyclonedx/bom-1.5.xsd',
  '1.6': 'cyclonedx/bom-1.6.xsd',
  '1.7': 'cyclonedx/bom-1.7.xsd',
};

const xsds = new Map<string, XMLFileInfo>();

/**
 * The XSD of a version, its `xs:import` of the SPDX licence schema pointed at the vendored `spdx.xsd` instead of
 * `http://cyclonedx.org/schema/spdx` (xmllint must never reach the network; the files themselves stay unchanged).
 */
const xsdFor = (file: string): XMLFileInfo => {
  let xsd = xsds.get(file);
  if (!xsd) {
    const contents = readFileSync(join(SCHEMA_DIR, file), 'utf8').replace(
      'schemaLocation="http://cyclonedx.org/schema/spdx"',
      'schemaLocation="spdx.xsd"',
    );
    xsd = { fileName: file.replace('cyclonedx/', ''), contents };
    xsds.set(file, xsd);
  }
  return xsd;
};

/** xmllint's message without its prefix and without the namespace in every element name. */
const cleanXmlMessage = (message: string): string =>
  message
    .replace(/^\s*(?:Schemas validity error|Schemas parser error|parser error)\s*:\s*/i, '')
    .replace(/\{http:\/\/cyclonedx\.org\/schema\/bom\/1\.\d\}/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** WebAssembly pages xmllint may grow to: about eight times the document, at least 64 MiB, at most 4 GiB. */
const memoryFor = (bytes: number): number =>
  Math.min(memoryPages.max, Math.max(64 * memoryPages.MiB, Math.ceil((bytes * 8) / 65536)));

/**
 * Validates a CycloneDX XML document against the official XSD of its version (1.4–1.7) with xmllint compiled to
 * WebAssembly (`xmllint-wasm`: libxml2, no network, no Java). Errors carry the line and xmllint's message, e.g.
 * `Element 'hash': [facet 'pattern'] The value 'foo' is not accepted …`; at most 100 are returned. Versions without
 * an XSD here (1.0–1.3) are not checked: `checked` is false. Measured: the 2 MB juice-shop 1.4 XML in ~250 ms.
 */
export const validateCycloneDxXml = async (
  xml: string,
  specVersion: string,
): Promise<SchemaValidation & { checked: boolean }> => {
  const file = XSD_FILES[specVersion];
  if (!file) {
    return { valid: true, errors: [], checked: false };
  }
  const result = await validateXML({
    xml: { fileName: 'bom.xml', contents: xml },
    schema: xsdFor(file),
    preload: [xsdFor('cyclonedx/spdx.xsd')],
    maxMemoryPages: memoryFor(Buffer.byteLength(xml)),
  });
  if (result.valid) {
    return { valid: true, errors: [], checked: true };
  }
  const errors: SchemaError[] = result.errors
    .filter((e) => !/fails to validate$/.test(e.message))
    .slice(0, MAX_ERRORS)
    .map((e) => {
      const line = e.loc?.fileName === 'bom.xml' ? e.loc.lineNumber : undefined;
      const message = cleanXmlMessage(e.message);
      return {
        pointer: line !== undefined ? `line ${line}` : '/',
        ...(line !== undefined ? { line } : {}),
        message: `${message} / XSD 검증 오류: ${message}`,
      };
    });
  if (errors.length === 0) {
    errors.push({ pointer: '/', message: 'The document does not match the XSD / XSD 검증 실패' });
  }
  return { valid: false, errors, checked: true };
};

/**
 * Checks the text of an SBOM that `parseSbom` has read against its official schema: CycloneDX and SPDX JSON against
 * their JSON Schemas (ajv), CycloneDX XML against its XSD (xmllint-wasm). Formats without a schema here (SPDX YAML,
 * tag-value, SPDX 3.0 JSON-LD, CycloneDX XML 1.0–1.3) and JSON that only the lenient parser could repair are not
 * checked (`checked: false`).
 */
export const checkSbomSchema = async (
  text: string,
  sbom: Sbom,
): Promise<SchemaValidation & { checked: boolean }> => {
  const source = sbom.metadata.sourceFormat;
  if (source === 'cyclonedx-xml') {
    return validateCycloneDxXml(text, sbom.metadata.specVersion);
  }
  if (source !== 'cyclonedx-json' && source !== 'spdx-json') {
    return { valid: true, errors: [], checked: false };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { valid: true, errors: [], checked: false };
  }
  const result = validateSbomSchema(
    doc,
    sbom.metadata.format,
    readDeclaredSpecVersion(doc, sbom.metadata.format) ?? sbom.metadata.specVersion,
  );
  return { ...result, checked: true };
};

/**
 * Parses an SBOM (`parseSbom`) and checks it against its official schema (`checkSbomSchema`). Strict mode refuses a
 * document that breaks its schema, listing the problems (JSON pointer, or `line N` for XML); lenient mode keeps the
 * document and records each problem as a warning issue. With `limits`, the component count is checked right after
 * parsing, before the schema check and anything stored. With `fileName`, a name that promises another format than
 * the content (the bom-shelter `grype-sbom-modified.spdx.json` is tag-value) is flagged as a warning: the content
 * decides, the person is told.
 * @throws AppError PAYLOAD_TOO_LARGE over `limits.maxComponents`
 * @throws AppError VALIDATION_FAILED when the document is malformed, or (strict) breaks its schema
 * @throws AppError UNSUPPORTED_FORMAT when the content is no supported SBOM format
 */
export const readSbomDocument = async (
  text: string,
  options: { lenient: boolean; limits?: SbomLimits; fileName?: string },
): Promise<Sbom> => {
  const { lenient, limits } = options;
  const sbom = parseSbom(text, { lenient });
  if (limits) {
    assertSbomComponentCount(sbom.components.length, limits);
  }
  const misnamed = options.fileName
    ? checkSbomFileName(options.fileName, sbom.metadata.sourceFormat)
    : undefined;
  if (misnamed) {
    sbom.issues.push({ severity: 'warning', dropped: 'field', pointer: '/', message: misnamed });
  }
  const result = await checkSbomSchema(text, sbom);
  if (result.valid) {
    return sbom;
  }
  if (!lenient) {
    const first = result.errors[0];
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: `The SBOM does not match the ${sbom.metadata.format} ${sbom.metadata.specVersion} schema (${result.errors.length} problem(s)${first ? `; first at ${first.pointer}: ${first.message}` : ''}) / 스키마 검증 실패`,
      errors: result.errors.slice(0, 50).map((e) => ({ path: e.pointer || '/', message: e.message })),
    });
  }
  sbom.issues.push(
    ...result.errors.slice(0, 200).map((e) => ({
      severity: 'warning' as const,
      dropped: 'field' as const,
      ...(e.line !== undefined ? { line: e.line } : e.pointer ? { pointer: e.pointer } : {}),
      message: `schema: ${e.message} / 스키마: ${e.message}`,
    })),
  );
  return sbom;
};

/** The SBOM limits of the configuration (`MEDSEC_SBOM_MAX_BYTES`, `MEDSEC_SBOM_MAX_COMPONENTS`). */
export interface SbomLimits {
  maxBytes: number;
  maxComponents: number;
}

const mib = (bytes: number): string =>
  `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 2)} MiB`;

/**
 * Refuses an SBOM over the size limit before anything reads it.
 * @throws AppError PAYLOAD_TOO_LARGE
 */
export const assertSbomSize = (bytes: number, limits: SbomLimits): void => {
  if (bytes > limits.maxBytes) {
    throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, {
      detail: `The SBOM is ${bytes} bytes, over the limit of ${limits.maxBytes} bytes (${mib(limits.maxBytes)}, MEDSEC_SBOM_MAX_BYTES) / SBOM 크기 ${bytes}바이트가 한도 ${limits.maxBytes}바이트를 초과합니다`,
      errors: [{ path: '/', message: `size ${bytes} > ${limits.maxBytes} bytes / 크기 한도 초과` }],
    });
  }
};

/**
 * Refuses an SBOM that lists more components than allowed.
 * @throws AppError PAYLOAD_TOO_LARGE
 */
export const assertSbomComponentCount = (count: number, limits: SbomLimits): void => {
  if (count > limits.maxComponents) {
    throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, {
      detail: `The SBOM lists ${count} components, over the limit of ${limits.maxComponents} (MEDSEC_SBOM_MAX_COMPONENTS) / SBOM 구성요소 ${count}개가 한도 ${limits.maxComponents}개를 초과합니다`,
      errors: [
        {
          path: '/components',
          message: `${count} > ${limits.maxComponents} components / 구성요소 수 한도 초과`,
        },
      ],
    });
  }
};

const EXTENSION_FORMATS: [RegExp, string, RegExp][] = [
  [/\.json$/i, 'JSON', /-json|jsonld$/],
  [/\.xml$/i, 'XML', /xml$/],
  [/\.(ya?ml)$/i, 'YAML', /yaml$/],
  [/\.(spdx|tv|txt)$/i, 'tag-value', /tag-value$/],
];

/** A warning when the file name's extension names another serialisation than the content has. */
export const checkSbomFileName = (fileName: string, sourceFormat: string): string | undefined => {
  for (const [ext, label, content] of EXTENSION_FORMATS) {
    if (ext.test(fileName) && !content.test(sourceFormat)) {
      return `The file name '${fileName}' suggests ${label}, but the content is ${sourceFormat}; it was read as ${sourceFormat} / 파일 이름 '${fileName}'은(는) ${label} 형식을 뜻하지만 내용은 ${sourceFormat}입니다; 내용대로 읽었습니다`;
    }
  }
  return undefined;
};
