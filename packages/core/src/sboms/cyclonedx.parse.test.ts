import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpus } from '../testing/corpora.ts';
import { parseSbom } from './parse.ts';
import { SbomSchema } from './sboms.schemas.ts';
import { edgesOf, sbomOf, sbomText, thrown } from './sboms.testing.ts';

const conformance = (version: string, prefix: 'valid-' | 'invalid-'): string[] =>
  readdirSync(corpus('sbom', 'cyclonedx-conformance', version))
    .filter((f) => f.startsWith(prefix) && (f.endsWith('.json') || f.endsWith('.xml')))
    .sort();

/**
 * Official invalid documents whose only fault lies in parts the normalised SBOM does not import (pedigree patches
 * and issues, services, 1.7 citations and version ranges, distribution): the schema validator refuses them
 * (server `sbom.validate.test.ts`), the parser has nothing to refuse.
 */
const SCHEMA_ONLY =
  /^invalid-(issue-type|patch-type|service-data|citations|component-external-version-and-range|component-versionRange|metadata-distribution)/;

describe('CycloneDX conformance documents (official valid-*/invalid-*)', () => {
  for (const version of ['1.4', '1.5', '1.6', '1.7']) {
    it(`parses every valid-* JSON and XML document of ${version}`, () => {
      const files = conformance(version, 'valid-');
      expect(files.length).toBeGreaterThan(55);
      for (const file of files) {
        const sbom = parseSbom(sbomText('cyclonedx-conformance', version, file));
        expect(sbom.metadata.specVersion, file).toBe(version);
        expect(sbom.metadata.sourceFormat, file).toBe(
          file.endsWith('.xml') ? 'cyclonedx-xml' : 'cyclonedx-json',
        );
        expect(
          sbom.issues.filter((i) => i.severity === 'error'),
          file,
        ).toEqual([]);
      }
    });

    it(`refuses in strict mode every structurally broken invalid-* document of ${version}`, () => {
      const files = conformance(version, 'invalid-').filter((f) => !SCHEMA_ONLY.test(f));
      expect(files.length).toBeGreaterThan(35);
      for (const file of files) {
        const error = thrown(() => parseSbom(sbomText('cyclonedx-conformance', version, file)));
        expect(['VALIDATION_FAILED', 'UNSUPPORTED_FORMAT'], file).toContain(error.code);
        expect(error.detail, file).toMatch(/ \/ /);
      }
    });
  }

  it('names the JSON pointer, or the XML element path, of the problem', () => {
    const json = thrown(() =>
      parseSbom(sbomText('cyclonedx-conformance', '1.6', 'invalid-hash-sha256-1.6.json')),
    );
    expect(json.errors?.[0]?.path).toBe('/components/0/hashes/2');
    expect(json.detail).toContain("'foo' is not a valid SHA-256 value");
    const xml = thrown(() => parseSbom(sbomText('cyclonedx-conformance', '1.6', 'invalid-scope-1.6.xml')));
    expect(xml.errors?.[0]?.path).toBe('/bom/components/component[1]/scope');
    const count = thrown(() =>
      parseSbom(sbomText('cyclonedx-conformance', '1.6', 'invalid-license-id-count-1.6.xml')),
    );
    expect(count.detail).toContain('<id> appears 2 times');
  });

  it('keeps what is sound in lenient mode and lists what it dropped', () => {
    const sbom = parseSbom(sbomText('cyclonedx-conformance', '1.6', 'invalid-hash-md5-1.6.json'), {
      lenient: true,
    });
    expect(sbom.components).toHaveLength(1);
    expect(sbom.components[0]?.hashes.map((h) => h.alg)).toEqual(['SHA-1', 'SHA-256', 'SHA-512']);
    expect(sbom.issues).toEqual([
      expect.objectContaining({ severity: 'error', dropped: 'field', pointer: '/components/0/hashes/0' }),
    ]);
    const typeless = parseSbom(
      sbomText('cyclonedx-conformance', '1.6', 'invalid-missing-component-type-1.6.json'),
      {
        lenient: true,
      },
    );
    expect(typeless.components[0]).toMatchObject({ name: 'acme-library', type: 'library' });
  });
});

describe('real CycloneDX SBOMs', () => {
  it('reads the medical-device case study (CycloneDX 1.4, device and firmware parts, FDA properties)', () => {
    const sbom = sbomOf(['medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json']);
    expect(SbomSchema.parse(sbom)).toEqual(sbom);
    expect(sbom.metadata).toMatchObject({
      format: 'cyclonedx',
      specVersion: '1.4',
      created: '2025-07-23T20:52:41.344402+00:00',
    });
    expect(sbom.metadata.component).toMatchObject({ type: 'device', name: 'REDACTED' });
    expect(sbom.components).toHaveLength(55);
    const types: Record<string, number> = {};
    for (const c of sbom.components) {
      types[c.type] = (types[c.type] ?? 0) + 1;
    }
    expect(types).toEqual({ library: 51, firmware: 3, device: 1 });
    const wolf = sbom.components.find((c) => c.name === 'WolfSSL');
    expect(wolf).toMatchObject({
      version: '4.8.1',
      purl: 'pkg:github/wolfssl/wolfssl',
      cpe: 'cpe:2.3:a:wolfssl:wolfssl:4.8.1:*:*:*:*:*:*:*',
      publisher: 'wolfSSL',
      licenseNames: ['GPLv3/Commercial'],
      supportLevel: 'Actively maintained',
      endOfSupport: 'Open source',
    });
    // licence names that are SPDX ids become expressions
    expect(sbom.components.find((c) => c.name === 'Newtonsoft.Json')).toMatchObject({
      licenses: 'MIT',
      licenseNames: [],
    });
    // every component is listed in `dependencies`, none with an edge
    expect(edgesOf(sbom)).toEqual([]);
    expect(sbom.issues).toEqual([]);
  });

  it.each([
    ['juice-shop', 'via_npm', 'bare', 'bom.1.4'],
    ['juice-shop', 'via_npm', 'flat', 'bom.1.2'],
    ['laravel-7.12.0', 'bom.1.3'],
  ])('reads %s the same from JSON and XML', (...path) => {
    const base = ['cyclonedx', 'bom-examples', 'SBOM', ...path.slice(0, -1)];
    const file = path.at(-1) as string;
    const json = sbomOf([...base, `${file}.json`]);
    const xml = sbomOf([...base, `${file}.xml`]);
    const view = (s: typeof json) =>
      s.components.map(({ key, name, version, purl, hashes, licenses }) => ({
        key,
        name,
        version,
        purl,
        hashes,
        licenses,
      }));
    expect(view(xml)).toEqual(view(json));
    expect(edgesOf(xml)).toEqual(edgesOf(json));
    expect(xml.metadata.component?.name).toBe(json.metadata.component?.name);
  });

  it('reads keycloak (903 Maven components, 994 dependency edges, hashes and licences)', () => {
    const sbom = sbomOf(['cyclonedx', 'bom-examples', 'SBOM', 'keycloak-10.0.2', 'bom.json']);
    expect(sbom.components).toHaveLength(903);
    expect(edgesOf(sbom)).toHaveLength(994);
    expect(sbom.components.every((c) => c.purl?.startsWith('pkg:maven/'))).toBe(true);
    expect(sbom.components.filter((c) => c.hashes.some((h) => h.alg === 'SHA-256')).length).toBeGreaterThan(
      800,
    );
  });

  it('ignores dependencies on services (SaaSBOM), which are not components', () => {
    const sbom = sbomOf([
      'cyclonedx',
      'bom-examples',
      'SaaSBOM',
      'apigateway-microservices-datastores',
      'bom.json',
    ]);
    expect(sbom.issues).toEqual([]);
  });

  it('refuses the Red Hat mandrel SBOM (trailing comma) in strict mode, naming line and column', () => {
    const parts = [
      'redhat',
      'container_image',
      'build',
      'mandrel-for-jdk-21-rhel8-container-23.1-16_amd64.cdx.json',
    ];
    const error = thrown(() => sbomOf(parts));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.detail).toContain('Trailing comma at line 99 column 96');
    expect(error.errors?.[0]?.path).toBe('line 99');
  });

  it('imports the Red Hat mandrel SBOM leniently and flags the comma and the dangling dependency refs', () => {
    const parts = [
      'redhat',
      'container_image',
      'build',
      'mandrel-for-jdk-21-rhel8-container-23.1-16_amd64.cdx.json',
    ];
    const sbom = sbomOf(parts, true);
    expect(sbom.components.map((c) => c.name)).toEqual([
      'quarkus/mandrel-for-jdk-21-rhel8',
      'abattis-cantarell-fonts',
      'collections',
    ]);
    expect(sbom.components[2]?.purl).toBe(
      'pkg:maven/org.graalvm.sdk/collections@23.1.5.0-1-redhat-00001?type=jar',
    );
    expect(sbom.issues.map((i) => [i.dropped, i.line ?? i.pointer])).toEqual([
      ['document', 99],
      ['dependency', '/dependencies/0/dependsOn/0'],
      ['dependency', '/dependencies/0/dependsOn/1'],
      ['dependency', '/dependencies/1'],
      ['dependency', '/dependencies/2'],
    ]);
    // the dependency refs carry qualifiers the bom-refs lack: nothing can be linked
    expect(edgesOf(sbom)).toEqual([]);
  });

  it('refuses XML with entity declarations and broken XML with its line', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY a "aaaa">]><bom xmlns="http://cyclonedx.org/schema/bom/1.6">&a;</bom>';
    expect(thrown(() => parseSbom(bomb, { lenient: true })).detail).toContain('entity declarations');
    const broken =
      '<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6">\n<components>\n</bom>';
    const error = thrown(() => parseSbom(broken, { lenient: true }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors?.[0]?.path).toMatch(/^line \d+$/);
  });
});
