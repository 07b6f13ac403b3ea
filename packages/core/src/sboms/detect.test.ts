import { describe, expect, it } from 'vitest';
import { detectSbomFormat } from './detect.ts';
import { sbomText } from './sboms.testing.ts';

describe('detectSbomFormat: by content, never by file name', () => {
  it.each([
    // the trap: tag-value under a .json name
    [['bom-shelter', 'in-the-wild', 'spdx', 'grype-sbom-modified.spdx.json'], 'spdx-tag-value'],
    [['bom-shelter', 'in-the-wild', 'spdx', 'grype-sbom.spdx'], 'spdx-tag-value'],
    [['bom-shelter', 'in-the-wild', 'spdx', 'grype-sbom.spdx.json'], 'spdx-json'],
    // broken JSON is still recognised, so the parser can name the error
    [['bom-shelter', 'in-the-wild', 'spdx', 'powershell-2.2.6.spdx.json'], 'spdx-json'],
    [
      ['redhat', 'container_image', 'build', 'mandrel-for-jdk-21-rhel8-container-23.1-16_amd64.cdx.json'],
      'cyclonedx-json',
    ],
    // keys sorted alphabetically: bomFormat comes after components
    [['medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json'], 'cyclonedx-json'],
    [['cyclonedx', 'bom-examples', 'SBOM', 'keycloak-10.0.2', 'bom.xml'], 'cyclonedx-xml'],
    [['cyclonedx', 'bom-examples', 'SBOM', 'laravel-7.12.0', 'bom.1.1.xml'], 'cyclonedx-xml'],
    [['spdx', 'spdx-spec-v2.3', 'SPDXYAMLExample-2.3.spdx.yaml'], 'spdx-yaml'],
    [['spdx', 'spdx-spec-v2.3', 'SPDXTagExample-v2.3.spdx'], 'spdx-tag-value'],
    [['spdx', 'spdx-spec-v2.3', 'SPDXRdfExample-v2.3.spdx.rdf.xml'], 'spdx-rdf-xml'],
    [['spdx', 'spdx-spec-v2.3', 'SPDXXMLExample-v2.3.spdx.xml'], 'spdx-xml'],
    // SPDX 3 JSON-LD under plain .json names
    [['spdx', 'spdx-examples', 'software', 'example3', 'spdx3.0', 'example3-bin.json'], 'spdx-3-jsonld'],
    [['spdx', 'spdx-examples', 'ai', 'example01', 'spdx3.0', 'simplehtr-example.json'], 'spdx-3-jsonld'],
    // tag-value with old Mac (CR) line ends
    [['bom-shelter', 'in-the-wild', 'spdx', 'cbor-sbom.spdx'], 'spdx-tag-value'],
    // SCANOSS output published under -cdx.json names is no CycloneDX
    [['bom-shelter', 'in-the-wild', 'cyclonedx', 'scanoss-sbom-cdx.json'], 'unknown'],
    [['bom-shelter', 'in-the-wild', 'cyclonedx', 'bashrc2-sbom-cdx.json'], 'unknown'],
    // a wrong bomFormat or XML namespace is no CycloneDX
    [['cyclonedx-conformance', '1.6', 'invalid-bomformat-1.6.json'], 'unknown'],
    [['cyclonedx-conformance', '1.6', 'invalid-namespace-1.6.xml'], 'unknown'],
  ])('%j is %s', (parts, format) => {
    expect(detectSbomFormat(sbomText(...parts))).toBe(format);
  });

  it('ignores a byte-order mark and leading blank lines', () => {
    expect(detectSbomFormat('\uFEFF\n\n  {"spdxVersion": "SPDX-2.3"}')).toBe('spdx-json');
    expect(detectSbomFormat('hello')).toBe('unknown');
    expect(detectSbomFormat('')).toBe('unknown');
  });
});
