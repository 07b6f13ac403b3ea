import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { corpus } from '../testing/corpora.ts';
import { computeSha256Hex, exportSbom, writeSpdxJson } from './export.ts';
import { writeCycloneDxJson } from './export-cyclonedx.ts';
import { writeCycloneDxXml } from './export-xml.ts';
import { parseSbom } from './parse.ts';
import type { Sbom } from './sboms.schemas.ts';
import { edgesOf, sbomOf, thrown } from './sboms.testing.ts';

const REAL: string[][] = [
  ['medical', 'sbom-completeness', 'sboms', 'case-study', 'extended.sbom.json'],
  ['cyclonedx', 'bom-examples', 'SBOM', 'keycloak-10.0.2', 'bom.json'],
  ['cyclonedx', 'bom-examples', 'SBOM', 'juice-shop', 'via_npm', 'bare', 'bom.1.4.xml'],
  ['cyclonedx', 'bom-examples', 'SBOM', 'laravel-7.12.0', 'bom.1.1.xml'],
  ['redhat', 'rpm', 'release', 'poppler-21.01.0-19.el9.cdx.json'],
  ['spdx', 'spdx-spec-v2.3', 'SPDXTagExample-v2.3.spdx'],
  ['bom-shelter', 'in-the-wild', 'spdx', 'julia.spdx.json'],
];

/** What a round trip must keep: components with purls, hashes, licences, support data, and every edge. */
const essence = (s: Sbom, withType: boolean) => ({
  components: s.components
    .map((c) => ({
      key: c.key,
      ...(withType ? { type: c.type } : {}),
      name: c.name,
      group: c.group,
      version: c.version,
      purl: c.purl,
      cpe: c.cpe,
      hashes: c.hashes,
      licenses: c.licenses,
      licenseNames: c.licenseNames,
      supplier: c.supplier?.name,
      supportLevel: c.supportLevel,
      endOfSupport: c.endOfSupport,
      parentKey: c.parentKey,
    }))
    .sort((a, b) => a.key.localeCompare(b.key)),
  edges: edgesOf(s),
});

describe('export to CycloneDX 1.6 and back', () => {
  it.each(REAL)(
    'keeps components, purls, hashes, licences and dependencies of %s (JSON and XML)',
    (...parts) => {
      const source = sbomOf(parts, true);
      const withType = source.metadata.format === 'cyclonedx';
      for (const text of [writeCycloneDxJson(source), writeCycloneDxXml(source)]) {
        const back = parseSbom(text);
        expect(back.metadata.specVersion).toBe('1.6');
        expect(back.issues).toEqual([]);
        expect(essence(back, withType)).toEqual(essence(source, withType));
        expect(back.metadata.component?.name).toBe(source.metadata.component?.name);
      }
    },
  );

  it('is deterministic: the same SBOM in any component order gives the same bytes and hash', async () => {
    const source = sbomOf(REAL[1] as string[]);
    const shuffled = {
      ...source,
      components: [...source.components].reverse(),
      dependencies: [...source.dependencies].reverse(),
    };
    expect(writeCycloneDxJson(shuffled)).toBe(writeCycloneDxJson(source));
    expect(writeCycloneDxXml(shuffled)).toBe(writeCycloneDxXml(source));
    expect(writeSpdxJson(shuffled)).toBe(writeSpdxJson(source));
    expect(await computeSha256Hex(writeCycloneDxJson(shuffled))).toBe(
      await computeSha256Hex(writeCycloneDxJson(source)),
    );
  });

  it('writes licence names beside an expression as properties and reads them back', () => {
    const source = sbomOf(REAL[0] as string[]);
    const [first] = source.components;
    if (!first) {
      throw new Error('fixture');
    }
    const mixed = {
      ...source,
      components: [{ ...first, licenses: 'MIT OR Apache-2.0', licenseNames: ['Vendor EULA'] }],
    };
    const back = parseSbom(writeCycloneDxJson(mixed));
    expect(back.components[0]).toMatchObject({
      licenses: 'MIT OR Apache-2.0',
      licenseNames: ['Vendor EULA'],
    });
    expect(back.components[0]?.properties.map((p) => p.name)).toEqual(first.properties.map((p) => p.name));
  });
});

describe('export to SPDX 2.3 JSON and back', () => {
  it.each(REAL)('keeps packages, purls, hashes, licences and the graph of %s', (...parts) => {
    const source = sbomOf(parts, true);
    const back = parseSbom(writeSpdxJson(source, { created: '2025-01-01T00:00:00Z' }));
    expect(back.metadata).toMatchObject({ format: 'spdx', specVersion: '2.3' });
    expect(back.issues).toEqual([]);
    const extra =
      source.metadata.component && !source.components.some((c) => c.key === source.metadata.component?.key)
        ? 1
        : 0;
    expect(back.components).toHaveLength(source.components.length + extra);
    const byName = new Map(back.components.map((c) => [`${c.name}@${c.version}@${c.purl}`, c]));
    for (const c of source.components) {
      const b = byName.get(`${c.name}@${c.version}@${c.purl}`);
      expect(b?.hashes).toEqual(c.hashes);
      expect(b?.supportLevel).toBe(c.supportLevel);
      expect(b?.endOfSupport).toBe(c.endOfSupport);
    }
    // every edge comes back (plus CONTAINS for nested components)
    expect(edgesOf(back).length).toBeGreaterThanOrEqual(edgesOf(source).length);
  });

  it('needs a creation time', () => {
    const source = sbomOf(REAL[0] as string[]);
    const error = thrown(() =>
      writeSpdxJson({ ...source, metadata: { ...source.metadata, created: undefined } }),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
  });

  it('turns licence names into declared LicenseRefs with their name', () => {
    const source = sbomOf(REAL[0] as string[]);
    const doc = JSON.parse(exportSbom(source, 'spdx-json')) as {
      packages: { name: string; licenseDeclared: string }[];
      hasExtractedLicensingInfos: { licenseId: string; name: string }[];
    };
    expect(doc.packages.find((p) => p.name === 'WolfSSL')?.licenseDeclared).toBe(
      'LicenseRef-GPLv3-Commercial',
    );
    expect(doc.hasExtractedLicensingInfos).toContainEqual(
      expect.objectContaining({ licenseId: 'LicenseRef-GPLv3-Commercial', name: 'GPLv3/Commercial' }),
    );
  });
});

describe('integrity', () => {
  it('computes the SHA-256 of a document (known vector)', async () => {
    expect(await computeSha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

type Ordered = Record<string, unknown>;
const xsd = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '@_' });
const attrs = (n: Ordered): Record<string, string> => (n[':@'] as Record<string, string>) ?? {};
const kids = (n: Ordered): Ordered[] => {
  const tag = Object.keys(n).find((k) => k !== ':@') as string;
  return (n[tag] as Ordered[]) ?? [];
};
const tagOf = (n: Ordered): string => Object.keys(n).find((k) => k !== ':@') as string;

/** Element names of a type's content model, in order (through nested sequences and choices). */
const sequenceOf = (type: Ordered): string[] => {
  const out: string[] = [];
  const walk = (nodes: Ordered[]): void => {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (tag === 'xs:element') {
        out.push(attrs(n)['@_name'] ?? '');
      } else if (['xs:sequence', 'xs:choice', 'xs:complexContent', 'xs:extension'].includes(tag)) {
        walk(kids(n));
      }
    }
  };
  walk(kids(type));
  return out;
};

describe('CycloneDX XML export follows the element order of the 1.6 XSD', () => {
  const schema = xsd.parse(readFileSync(corpus('schemas', 'cyclonedx', 'bom-1.6.xsd'), 'utf8')) as Ordered[];
  const root = kids(schema.find((n) => tagOf(n) === 'xs:schema') as Ordered);
  const complexType = (name: string): Ordered =>
    root.find((n) => tagOf(n) === 'xs:complexType' && attrs(n)['@_name'] === name) as Ordered;
  const bomType = kids(
    root.find((n) => tagOf(n) === 'xs:element' && attrs(n)['@_name'] === 'bom') as Ordered,
  )[0] as Ordered;
  const order: Record<string, string[]> = {
    bom: sequenceOf(bomType),
    metadata: sequenceOf(complexType('metadata')),
    component: sequenceOf(complexType('component')),
    supplier: sequenceOf(complexType('organizationalEntity')),
    author: sequenceOf(complexType('organizationalContact')),
    license: sequenceOf(complexType('licenseType')),
  };

  it('declares every element we write, in the XSD order', () => {
    expect(order.component?.slice(0, 4)).toEqual(['supplier', 'manufacturer', 'authors', 'author']);
    expect(order.bom).toEqual(expect.arrayContaining(['metadata', 'components', 'dependencies']));
    expect(order.metadata).toEqual(
      expect.arrayContaining(['timestamp', 'tools', 'authors', 'component', 'supplier']),
    );
    expect(order.license).toEqual(expect.arrayContaining(['id', 'name']));
    const ours = new XMLParser({ preserveOrder: true, ignoreAttributes: false }).parse(
      writeCycloneDxXml(sbomOf(REAL[0] as string[])) + writeCycloneDxXml(sbomOf(REAL[1] as string[])),
    ) as Ordered[];
    let checked = 0;
    const check = (n: Ordered, parent: string | undefined): void => {
      const tag = tagOf(n);
      const children = kids(n).filter((k) => tagOf(k) !== '#text');
      const expected = order[tag];
      // `supplier` and `author` reuse their tag name for the type's own children; only check element content
      if (expected && (tag !== 'author' || parent === 'authors')) {
        const positions = children.map((k) => expected.indexOf(tagOf(k)));
        expect(
          positions.every((p) => p >= 0),
          `${tag}: ${children.map(tagOf).join(',')}`,
        ).toBe(true);
        expect(
          [...positions].sort((a, b) => a - b),
          tag,
        ).toEqual(positions);
        checked++;
      }
      for (const k of children) {
        check(k, tag);
      }
    };
    for (const n of ours.filter((x) => tagOf(x) === 'bom')) {
      check(n, undefined);
    }
    expect(checked).toBeGreaterThan(900);
  });
});
