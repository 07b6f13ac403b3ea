import { describe, expect, it } from 'vitest';
import { parseSbom } from './parse.ts';
import { SbomSchema } from './sboms.schemas.ts';
import { edgesOf, sbomOf, sbomText, thrown } from './sboms.testing.ts';

const SPEC = ['spdx', 'spdx-spec-v2.3'];
const WILD = ['bom-shelter', 'in-the-wild', 'spdx'];

describe('the SPDX 2.3 specification example in JSON, YAML and tag-value', () => {
  const json = sbomOf([...SPEC, 'SPDXJSONExample-v2.3.spdx.json']);
  const yaml = sbomOf([...SPEC, 'SPDXYAMLExample-2.3.spdx.yaml']);
  const tv = sbomOf([...SPEC, 'SPDXTagExample-v2.3.spdx']);

  it('has 4 packages and 5 files in every serialisation', () => {
    for (const sbom of [json, yaml, tv]) {
      expect(SbomSchema.parse(sbom)).toEqual(sbom);
      expect(sbom.components.filter((c) => c.type !== 'file')).toHaveLength(4);
      expect(sbom.components.filter((c) => c.type === 'file')).toHaveLength(5);
      expect(sbom.metadata).toMatchObject({
        format: 'spdx',
        specVersion: '2.3',
        name: 'SPDX-Tools-v2.0',
        created: '2010-01-29T18:30:22Z',
        serialNumber: 'http://spdx.org/spdxdocs/spdx-example-444504E0-4F89-41D3-9A0C-0305E82C3301',
        describes: ['SPDXRef-File', 'SPDXRef-Package'],
        tools: [{ name: 'LicenseFind', version: '1.0' }],
      });
      expect(sbom.metadata.authors.map((a) => a.name)).toEqual(['ExampleCodeInspect', 'Jane Doe']);
      expect(sbom.issues).toEqual([]);
    }
  });

  it('reads glibc completely (supplier, originator, checksums, licences, CPE, end of support)', () => {
    for (const sbom of [json, yaml, tv]) {
      expect(sbom.components.find((c) => c.key === 'SPDXRef-Package')).toMatchObject({
        name: 'glibc',
        version: '2.11.1',
        type: 'source',
        supplier: { name: 'Jane Doe', email: 'jane.doe@example.com', kind: 'person' },
        author: { name: 'ExampleCodeInspect', email: 'contact@example.com', kind: 'organization' },
        licenses: 'LGPL-2.0-only OR LicenseRef-3',
        cpe: 'cpe:2.3:a:pivotal_software:spring_framework:4.1.0:*:*:*:*:*:*:*',
        endOfSupport: '2014-01-29T18:30:22Z',
      });
      expect(sbom.components.find((c) => c.key === 'SPDXRef-Package')?.hashes.map((h) => h.alg)).toEqual([
        'MD5',
        'SHA-1',
        'SHA-256',
        'BLAKE2b-384',
      ]);
      expect(sbom.components.find((c) => c.key === 'SPDXRef-fromDoap-0')?.purl).toBe(
        'pkg:maven/org.apache.jena/apache-jena@3.12.0',
      );
    }
  });

  it('turns dependency-like relationships into the graph (JSON/YAML add hasFiles; tag-value has CONTAINS)', () => {
    // JSON: Package hasFiles (4 distinct) + Package DYNAMIC_LINK Saxon + JenaLib CONTAINS Package
    const expectedJson = [
      'SPDXRef-JenaLib -> SPDXRef-Package',
      'SPDXRef-Package -> SPDXRef-CommonsLangSrc',
      'SPDXRef-Package -> SPDXRef-DoapSource',
      'SPDXRef-Package -> SPDXRef-JenaLib',
      'SPDXRef-Package -> SPDXRef-Saxon',
      'SPDXRef-Package -> SPDXRef-Specification',
    ];
    expect(edgesOf(json)).toEqual(expectedJson);
    expect(edgesOf(yaml)).toEqual(expectedJson);
    // tag-value: 10 relationships, of which CONTAINS ×2 and DYNAMIC_LINK ×1 are between elements
    expect(edgesOf(tv)).toEqual([
      'SPDXRef-JenaLib -> SPDXRef-Package',
      'SPDXRef-Package -> SPDXRef-JenaLib',
      'SPDXRef-Package -> SPDXRef-Saxon',
    ]);
  });

  it('keeps multi-line <text> values whole', () => {
    const file = tv.components.find((c) => c.key === 'SPDXRef-JenaLib');
    expect(file?.copyright).toBe(
      '(c) Copyright 2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009 Hewlett-Packard Development Company, LP',
    );
    const glibc = tv.components.find((c) => c.key === 'SPDXRef-Package');
    expect(glibc?.description).toMatch(
      /^The GNU C Library defines functions .* extensions specific to GNU systems\.$/,
    );
  });

  it('recognises SPDX RDF/XML and XML and says they are not imported', () => {
    const error = thrown(() => sbomOf([...SPEC, 'SPDXRdfExample-v2.3.spdx.rdf.xml']));
    expect(error.code).toBe('UNSUPPORTED_FORMAT');
    expect(error.detail).toContain('RDF/XML');
  });
});

describe('bom-shelter SPDX documents', () => {
  it.each([
    ['grype-sbom.spdx.json', 'grype-sbom.spdx', 1160, 0],
    ['julia.spdx.json', 'julia.spdx', 34, 29],
    ['kustomizer_2.1.0_sbom.spdx.json', 'kustomizer_2.1.0_sbom.spdx', 124 + 136, 0],
    ['flux_0.26.3_sbom.spdx.json', 'flux_0.26.3_sbom.spdx', 244 + 491, 0],
  ])('%s and its tag-value twin %s: %i components, %i edges', (jsonFile, tvFile, count, edges) => {
    const json = sbomOf([...WILD, jsonFile]);
    const tv = sbomOf([...WILD, tvFile]);
    expect(json.components).toHaveLength(count);
    const view = (s: typeof json) =>
      s.components
        .map(({ key, name, version, purl, cpe, licenses }) => ({ key, name, version, purl, cpe, licenses }))
        .sort((a, b) => a.key.localeCompare(b.key));
    expect(view(tv)).toEqual(view(json));
    expect(edgesOf(json)).toHaveLength(edges);
    expect(edgesOf(tv)).toEqual(edgesOf(json));
  });

  it('reads julia: BUILD_DEPENDENCY_OF and RUNTIME_DEPENDENCY_OF point from the dependent package', () => {
    const sbom = sbomOf([...WILD, 'julia.spdx.json']);
    const root = sbom.metadata.describes[0] as string;
    expect(edgesOf(sbom).filter((e) => e.startsWith(`${root} ->`))).toHaveLength(29);
  });

  it('reads the format-sniffing trap (tag-value named .json) like its original', () => {
    const trap = sbomOf([...WILD, 'grype-sbom-modified.spdx.json']);
    expect(trap.metadata.sourceFormat).toBe('spdx-tag-value');
    expect(trap.components).toHaveLength(1160);
    expect(trap.components.filter((c) => c.purl)).toHaveLength(1157);
    expect(trap.components).toEqual(sbomOf([...WILD, 'grype-sbom.spdx']).components);
  });

  it('refuses PowerShell 2.2.6 (JSON followed by a web page footer) in strict mode, with the line', () => {
    const error = thrown(() => sbomOf([...WILD, 'powershell-2.2.6.spdx.json']));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors?.[0]?.path).toBe('line 2765');
    expect(error.detail).toContain('Text after the end of the JSON document at line 2765 column 1');
  });

  it('imports PowerShell 2.2.6 leniently: 97 packages, 11 files, 96 DEPENDS_ON + 11 hasFiles edges', () => {
    const sbom = sbomOf([...WILD, 'powershell-2.2.6.spdx.json'], true);
    expect(sbom.components.filter((c) => c.type !== 'file')).toHaveLength(97);
    expect(sbom.components.filter((c) => c.type === 'file')).toHaveLength(11);
    expect(edgesOf(sbom)).toHaveLength(107);
    expect(sbom.issues).toEqual([
      expect.objectContaining({ severity: 'error', dropped: 'document', line: 2765 }),
    ]);
  });

  it('reads tag-value with CR line ends (pub.dev sbom tool)', () => {
    const sbom = sbomOf([...WILD, 'cbor-sbom.spdx']);
    expect(sbom.metadata).toMatchObject({ name: 'cbor', specVersion: '2.2' });
    expect(sbom.components.find((c) => c.key === 'SPDXRef-Package-cbor')).toMatchObject({
      version: '5.0.0',
      licenses: 'MIT',
    });
  });

  it('flags the truncated istio-source tag-value (unclosed <text>) by line', () => {
    const error = thrown(() => sbomOf([...WILD, 'istio-source.spdx']));
    expect(error.errors?.[0]?.path).toBe('line 59827');
    expect(sbomOf([...WILD, 'istio-source.spdx'], true).components).toHaveLength(4011);
  });

  it('keeps invalid licence expressions as names with a warning that strict mode lets pass', () => {
    const sbom = sbomOf(['redhat', 'rpm', 'release', 'poppler-21.01.0-19.el9.spdx.json']);
    const warning = sbom.issues.find((i) => i.pointer === '/packages/0/licenseConcluded');
    expect(warning).toMatchObject({ severity: 'warning', dropped: 'field' });
    expect(sbom.components[0]?.licenseNames).toEqual(['(GPLv2 OR GPLv3) AND GPLv2+ AND LGPLv2+ AND MIT']);
  });

  it('drops and flags relationships to elements the document lacks', () => {
    const error = thrown(() => sbomOf([...WILD, 'constellation-spdx.json']));
    expect(error.errors?.[0]?.path).toBe('/relationships/0');
    const sbom = sbomOf([...WILD, 'constellation-spdx.json'], true);
    expect(sbom.components).toHaveLength(1303);
    expect(sbom.issues.filter((i) => i.dropped === 'dependency')).toHaveLength(1303);
  });

  it('reads gzipped syft container SBOMs from bom-shelter in-the-lab', () => {
    const sbom = sbomOf([
      'bom-shelter',
      'in-the-lab',
      'spdx-syft-hashicorp_vault-sha256_7fb0065690177cbc1607d5222ef7f44ac20daa75dd146ed0549cd973dc62b264.json.gz',
    ]);
    expect(sbom.components).toHaveLength(1174);
    expect(sbom.issues).toEqual([]);
  });
});

describe('SPDX tag-value edge cases', () => {
  const doc = (body: string) =>
    `SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: t\n${body}`;

  it('names the line of a bad checksum and of a stray package field', () => {
    const bad = doc('PackageName: a\nSPDXID: SPDXRef-a\nPackageChecksum: SHA256: abc\n');
    expect(thrown(() => parseSbom(bad)).errors?.[0]?.path).toBe('line 7');
    const stray = doc('PackageVersion: 1.0\n');
    expect(thrown(() => parseSbom(stray)).errors?.[0]?.path).toBe('line 5');
  });

  it('reads a <text> value that spans lines and a relationship comment', () => {
    const sbom = parseSbom(
      doc(
        'PackageName: a\nSPDXID: SPDXRef-a\nPackageDescription: <text>one\ntwo: not a tag\nthree</text>\nPackageName: b\nSPDXID: SPDXRef-b\nRelationship: SPDXRef-a DEPENDS_ON SPDXRef-b\nRelationshipComment: because\n',
      ),
    );
    expect(sbom.components[0]?.description).toBe('one\ntwo: not a tag\nthree');
    expect(edgesOf(sbom)).toEqual(['SPDXRef-a -> SPDXRef-b']);
  });
});

describe('SPDX 3.0 JSON-LD', () => {
  it('reads the enriched Maven example: packages, files, licences, supplier and dependsOn', () => {
    const sbom = sbomOf([
      'spdx',
      'spdx-examples',
      'software',
      'example14',
      'spdx3.0',
      'examplemaven-0.0.1-enriched.spdx3.json',
    ]);
    expect(SbomSchema.parse(sbom)).toEqual(sbom);
    expect(sbom.metadata).toMatchObject({
      format: 'spdx',
      sourceFormat: 'spdx-3-jsonld',
      specVersion: '3.0.1',
      name: 'examplemaven',
    });
    expect(sbom.components.filter((c) => c.type !== 'file')).toHaveLength(6);
    expect(sbom.components.filter((c) => c.type === 'file')).toHaveLength(3);
    const root = sbom.components.find((c) => c.name === 'examplemaven');
    expect(root).toMatchObject({
      version: '0.0.1',
      type: 'library',
      supplier: { name: 'SPDX', kind: 'organization' },
    });
    expect(sbom.metadata.describes).toContain(root?.key);
    expect(sbom.components.find((c) => c.name === 'JUnit')).toMatchObject({
      version: '3.8.1',
      licenses: 'CPL-1.0',
    });
    expect(edgesOf(sbom).length).toBe(7);
    expect(sbom.issues).toEqual([]);
  });

  it('reads AI and dataset packages as model and data components', () => {
    const sbom = sbomOf(['spdx', 'spdx-examples', 'ai', 'example01', 'spdx3.0', 'simplehtr-example.json']);
    expect(sbom.components.filter((c) => c.type === 'machine-learning-model').length).toBeGreaterThan(0);
    expect(sbom.components.filter((c) => c.type === 'data').length).toBeGreaterThan(0);
  });

  it('parses every SPDX 3.0 example without issues', () => {
    for (const parts of [
      ['software', 'example3', 'spdx3.0', 'example3-bin.json'],
      ['software', 'example6', 'spdx3.0', 'example6-lib.json'],
      ['software', 'example12', 'spdx3.0', 'hello-src.spdx3.json'],
      ['software', 'example13', 'spdx3.0', 'example13.spdx3.json'],
      ['dataset', 'example01', 'spdx3.0', 'example01.spdx3.json'],
    ]) {
      expect(parseSbom(sbomText('spdx', 'spdx-examples', ...parts)).issues).toEqual([]);
    }
  });
});
