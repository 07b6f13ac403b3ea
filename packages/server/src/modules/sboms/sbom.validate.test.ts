import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeCycloneDxJson, writeSpdxJson } from '@medsec/core';
import { describe, expect, it } from 'vitest';
// test-only helpers of the core package (not part of its public API)
import { sbomOf, sbomText } from '../../../../core/src/sboms/sboms.testing.ts';
import { CORPORA_DIR } from '../../../../core/src/testing/corpora.ts';
import { readDeclaredSpecVersion, validateSbomSchema } from './sbom.validate.ts';

const CONFORMANCE = join(CORPORA_DIR, 'sbom', 'cyclonedx-conformance');
const json = (...parts: string[]): unknown => JSON.parse(sbomText(...parts));

describe('validateSbomSchema on the official CycloneDX conformance documents', () => {
  for (const version of ['1.4', '1.5', '1.6']) {
    const files = readdirSync(join(CONFORMANCE, version))
      .filter((f) => f.endsWith('.json'))
      .sort();

    it(`accepts every valid-*.json of ${version}`, () => {
      const valid = files.filter((f) => f.startsWith('valid-'));
      expect(valid.length).toBeGreaterThan(25);
      for (const file of valid) {
        const result = validateSbomSchema(json('cyclonedx-conformance', version, file), 'cyclonedx', version);
        expect(result, file).toEqual({ valid: true, errors: [] });
      }
    });

    it(`rejects every invalid-*.json of ${version}, naming a JSON pointer`, () => {
      const invalid = files.filter((f) => f.startsWith('invalid-'));
      expect(invalid.length).toBeGreaterThan(20);
      for (const file of invalid) {
        const result = validateSbomSchema(json('cyclonedx-conformance', version, file), 'cyclonedx', version);
        expect(result.valid, file).toBe(false);
        expect(result.errors[0]?.pointer, file).toMatch(/^\//);
        expect(result.errors[0]?.message, file).toMatch(/ \/ /);
      }
    });
  }

  it('says what is wrong and where', () => {
    const hash = validateSbomSchema(
      json('cyclonedx-conformance', '1.6', 'invalid-hash-md5-1.6.json'),
      'cyclonedx',
      '1.6',
    );
    expect(hash.errors).toContainEqual(
      expect.objectContaining({
        pointer: '/components/0/hashes/0/content',
        message: expect.stringContaining('pattern'),
      }),
    );
    const type = validateSbomSchema(
      json('cyclonedx-conformance', '1.6', 'invalid-missing-component-type-1.6.json'),
      'cyclonedx',
    );
    expect(type.errors).toContainEqual({
      pointer: '/components/0/type',
      message: "Required property 'type' is missing / 필수 속성 'type'이(가) 없습니다",
    });
  });
});

describe('validateSbomSchema on real SBOMs of every supported version', () => {
  it.each([
    [['cyclonedx', 'bom-examples', 'SBOM', 'laravel-7.12.0', 'bom.1.2.json'], 'cyclonedx', '1.2'],
    [['cyclonedx', 'bom-examples', 'SBOM', 'laravel-7.12.0', 'bom.1.3.json'], 'cyclonedx', '1.3'],
    [['cyclonedx', 'bom-examples', 'SBOM', 'laravel-7.12.0', 'bom.1.4.json'], 'cyclonedx', '1.4'],
    [['medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json'], 'cyclonedx', '1.4'],
    [['redhat', 'rpm', 'release', 'vim-9.1.083-5.el10.cdx.json'], 'cyclonedx', '1.6'],
    [['spdx', 'spdx-spec-v2.3', 'SPDXJSONExample-v2.3.spdx.json'], 'spdx', '2.3'],
    [['spdx', 'spdx-examples', 'software', 'example12', 'spdx2.2', 'hello-src.spdx.json'], 'spdx', '2.2'],
    [['redhat', 'rpm', 'release', 'vim-9.1.083-5.el10.spdx.json'], 'spdx', '2.3'],
  ] as const)('%j is valid %s %s', (parts, format, version) => {
    const doc = json(...parts);
    expect(readDeclaredSpecVersion(doc, format)).toBe(version);
    expect(validateSbomSchema(doc, format)).toEqual({ valid: true, errors: [] });
  });

  it('flags a real SBOM that breaks its schema (obsidian-sailboat: licence with only a URL)', () => {
    const result = validateSbomSchema(
      json('bom-shelter', 'in-the-wild', 'cyclonedx', 'obsidian-sailboat-sbom-cdx.json'),
      'cyclonedx',
    );
    expect(result.valid).toBe(false);
    expect(result.errors[0]?.pointer).toMatch(/^\/components\/0\/licenses\/0\/license/);
  });

  it('reports an unknown spec version instead of throwing', () => {
    expect(validateSbomSchema({ bomFormat: 'CycloneDX', specVersion: '9.9' }, 'cyclonedx')).toEqual({
      valid: false,
      errors: [{ pointer: '/specVersion', message: expect.stringContaining('No schema for cyclonedx 9.9') }],
    });
    expect(validateSbomSchema({}, 'spdx').errors[0]?.pointer).toBe('/spdxVersion');
  });

  it('caps the number of errors', () => {
    const components = Array.from({ length: 300 }, (_, i) => ({ name: `c${i}`, type: 'nope' }));
    const result = validateSbomSchema(
      { bomFormat: 'CycloneDX', specVersion: '1.6', components },
      'cyclonedx',
    );
    expect(result.errors).toHaveLength(100);
  });
});

describe('our exports validate against the official schemas', () => {
  const REAL: string[][] = [
    ['medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json'],
    ['medical', 'sbom-completeness', 'sboms', 'case-study', 'extended.sbom.json'],
    ['cyclonedx', 'bom-examples', 'SBOM', 'keycloak-10.0.2', 'bom.json'],
    ['cyclonedx', 'bom-examples', 'SBOM', 'juice-shop', 'via_npm', 'bare', 'bom.1.4.xml'],
    ['cyclonedx', 'bom-examples', 'SBOM', 'laravel-7.12.0', 'bom.1.1.xml'],
    ['redhat', 'rpm', 'release', 'poppler-21.01.0-19.el9.spdx.json'],
    ['spdx', 'spdx-spec-v2.3', 'SPDXTagExample-v2.3.spdx'],
    ['bom-shelter', 'in-the-wild', 'spdx', 'grype-sbom-modified.spdx.json'],
    [
      'bom-shelter',
      'in-the-lab',
      'spdx-trivy-jetbrains_hub-sha256_5efd5e6cd06dc53a7d70cc0517b76f4b15cb06081f31b465c95d2b80eca61d41.json.gz',
    ],
    ['spdx', 'spdx-examples', 'software', 'example14', 'spdx3.0', 'examplemaven-0.0.1-enriched.spdx3.json'],
  ];

  it.each(REAL)('CycloneDX 1.6 and SPDX 2.3 exports of %s are schema-valid', (...parts) => {
    const sbom = sbomOf(parts, true);
    const cdx = JSON.parse(writeCycloneDxJson(sbom)) as unknown;
    expect(validateSbomSchema(cdx, 'cyclonedx', '1.6')).toEqual({ valid: true, errors: [] });
    const spdx = JSON.parse(writeSpdxJson(sbom, { created: '2025-01-01T00:00:00Z' })) as unknown;
    expect(validateSbomSchema(spdx, 'spdx', '2.3')).toEqual({ valid: true, errors: [] });
  });
});
