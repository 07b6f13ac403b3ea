import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@medsec/core';
import { describe, expect, it } from 'vitest';
import { CORPORA_DIR } from '../../../../core/src/testing/corpora.ts';
import { readSbomDocument } from './sbom.validate.ts';

/**
 * Every official CycloneDX conformance document (CycloneDX/specification `tools/src/test/resources`, 1.4–1.7) through
 * the same path an upload takes: `parseSbom` then the official JSON Schema (ajv) or XSD (xmllint-wasm), strict.
 */
const CONFORMANCE = join(CORPORA_DIR, 'sbom', 'cyclonedx-conformance');
const VERSIONS = ['1.4', '1.5', '1.6', '1.7'] as const;

/** What the message (or its path) of each invalid case must name: the offending field, not a generic refusal. */
const NAMES: Record<string, RegExp> = {
  bomformat: /bomFormat/,
  namespace: /namespace/,
  citations: /attributedTo/,
  'component-external-version-and-range': /versionRange/,
  'component-versionRange-non-external-explicit': /versionRange/,
  'component-versionRange-non-external-implicit': /versionRange/,
  'component-ref': /bom-ref/,
  'component-swid': /SWID|tagId/,
  'component-type': /type/,
  dependency: /[Dd]ependency/,
  'empty-component': /[Cc]omponent.*name/,
  'hash-alg': /hash algorithm 'FOO'/,
  'hash-md5': /MD5|hash/,
  'hash-sha1': /SHA-1|hash/,
  'hash-sha256': /SHA-256|hash/,
  'hash-sha512': /SHA-512|hash/,
  'issue-type': /issue.*type|resolves\/0\/type/,
  'license-choice': /expression/,
  'license-declared-concluded-mix': /expression/,
  'license-encoding': /encoding/,
  'license-id': /Apache-2.*SPDX licence id/,
  'license-id-count': /<id>/,
  'license-missing-id-and-name': /neither id nor name/,
  'license-name-count': /<name>/,
  'metadata-distribution': /distribution/,
  'metadata-license': /Apache-2.*SPDX licence id/,
  'metadata-timestamp': /[Tt]imestamp/,
  'missing-component-type': /type/,
  'patch-type': /patch.*type|patches\/0\/type/,
  properties: /property/,
  scope: /scope/,
  serialnumber: /serialNumber/,
  'service-data': /flow/,
};

const caseOf = (file: string): string =>
  file.replace(/^invalid-/, '').replace(/(-1\.\d)?\.(json|xml|textproto)$/, '');

const refusal = async (text: string): Promise<AppError> => {
  try {
    await readSbomDocument(text, { lenient: false });
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  throw new Error('accepted');
};

describe('the official CycloneDX conformance documents, JSON and XML', () => {
  for (const version of VERSIONS) {
    const files = readdirSync(join(CONFORMANCE, version)).sort();
    const read = (file: string): string => readFileSync(join(CONFORMANCE, version, file), 'utf8');

    it(`accepts every valid-* of ${version} (JSON against the JSON Schema, XML against the XSD)`, async () => {
      const valid = files.filter((f) => f.startsWith('valid-') && /\.(json|xml)$/.test(f));
      expect(valid.length).toBeGreaterThan(50);
      for (const file of valid) {
        const sbom = await readSbomDocument(read(file), { lenient: false }).catch((e: unknown) => {
          throw new Error(
            `${version}/${file}: ${e instanceof AppError ? JSON.stringify(e.errors ?? e.detail) : e}`,
          );
        });
        expect(sbom.metadata.specVersion, file).toBe(version);
        expect(
          sbom.issues.filter((i) => i.severity === 'error'),
          file,
        ).toEqual([]);
      }
    }, 120_000);

    it(`rejects every invalid-* of ${version}, naming the offending field and where it is`, async () => {
      const invalid = files.filter((f) => f.startsWith('invalid-') && /\.(json|xml)$/.test(f));
      expect(invalid.length).toBeGreaterThan(25);
      for (const file of invalid) {
        const error = await refusal(read(file));
        expect(['VALIDATION_FAILED', 'UNSUPPORTED_FORMAT'], file).toContain(error.code);
        const first = error.errors?.[0];
        expect(first, file).toBeDefined();
        expect(first?.path, file).toMatch(/^(\/\S+|line \d+)$/);
        const named = NAMES[caseOf(file)];
        expect(named, `no expectation for ${file}`).toBeDefined();
        expect(`${first?.path} ${first?.message}`, file).toMatch(named ?? /$^/);
      }
    }, 120_000);

    it(`refuses the protobuf text documents of ${version} as a format it does not import, saying so`, async () => {
      const protos = files.filter((f) => f.endsWith('.textproto'));
      expect(protos.length).toBeGreaterThan(20);
      for (const file of protos) {
        const error = await refusal(read(file));
        expect(error.code, file).toBe('UNSUPPORTED_FORMAT');
        expect(error.detail, file).toMatch(/protobuf/);
      }
    });
  }

  it('covers all 723 files of the set', () => {
    const total = VERSIONS.reduce((n, v) => n + readdirSync(join(CONFORMANCE, v)).length, 0);
    expect(total).toBe(723);
  });

  it('gives the line of an XSD violation in XML and the JSON pointer in JSON', async () => {
    const xml = await refusal(read16('invalid-service-data-1.6.xml'));
    expect(xml.errors?.[0]).toEqual({
      path: 'line 7',
      message: expect.stringContaining("Element 'classification', attribute 'flow'"),
    });
    const json = await refusal(read16('invalid-service-data-1.6.json'));
    expect(json.errors?.[0]?.path).toBe('/services/0/data/0/flow');
  });

  it('in lenient mode keeps a schema-breaking XML document and lists each problem with its line', async () => {
    const sbom = await readSbomDocument(read16('invalid-patch-type-1.6.xml'), { lenient: true });
    expect(sbom.issues).toContainEqual(
      expect.objectContaining({ severity: 'warning', line: 17, message: expect.stringContaining("'patch'") }),
    );
  });
});

const read16 = (file: string): string => readFileSync(join(CONFORMANCE, '1.6', file), 'utf8');
