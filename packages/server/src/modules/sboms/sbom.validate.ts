import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';

/** The official JSON schemas vendored beside the server (see `packages/server/schemas/README.md`). */
export const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schemas');

/** One schema problem: the JSON pointer of the offending value and what is wrong (English / Korean). */
export interface SchemaError {
  pointer: string;
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
  },
  spdx: { '2.2': 'spdx/spdx-2.3-schema.json', '2.3': 'spdx/spdx-2.3-schema.json' },
};

/** Errors reported per document at most; a broken 10,000-component BOM should not yield a megabyte of errors. */
const MAX_ERRORS = 100;

const readSchema = (file: string): AnySchemaObject =>
  JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as AnySchemaObject;

// ajv-formats is CommonJS (`module.exports = plugin; exports.default = plugin`); TypeScript under NodeNext types the
// default import as the module, whose `default` is the plugin at runtime in Node and in Vitest alike.
const addFormats = addFormatsModule.default;

/** `iri-reference` and `idn-email` (CycloneDX) are not in ajv-formats: checked loosely, never ignored. */
const configure = <A extends Ajv | Ajv2019>(ajv: A): A => {
  addFormats(ajv);
  ajv.addFormat('iri-reference', /^\S*$/u);
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
  return ajv;
};

let cyclonedx: Ajv | undefined;
let spdx: Ajv2019 | undefined;
const compiled = new Map<string, ValidateFunction>();

/** CycloneDX (draft-07) with its shared SPDX licence-id and JSF schemas; 1.2/1.3 refer to them by SNAPSHOT names. */
const cyclonedxAjv = (): Ajv => {
  if (!cyclonedx) {
    cyclonedx = configure(new Ajv({ allErrors: true, strict: false, logger: false }));
    const licenses = readSchema('cyclonedx/spdx.schema.json');
    const jsf = readSchema('cyclonedx/jsf-0.82.schema.json');
    cyclonedx.addSchema(licenses);
    cyclonedx.addSchema(jsf);
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
 * Validates a parsed CycloneDX (1.2–1.6) or SPDX (2.2/2.3) JSON document against its official JSON schema, with ajv
 * (draft-07 for CycloneDX, 2019-09 for SPDX) and ajv-formats. Compiled validators are cached per schema. Errors
 * carry the JSON pointer of the offending value; at most 100 are returned. An unknown spec version is reported as
 * an error at `/specVersion` (`/spdxVersion`), not thrown. XML is not covered (no XSD validator is installed).
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
