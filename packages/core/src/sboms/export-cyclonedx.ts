import { classifyFdaProperty, splitLicenseConjunction } from './normalize.ts';
import type { Component, ComponentType, HashAlg, Party, Property, Sbom } from './sboms.schemas.ts';

/** Options of the exporters; defaults come from the SBOM itself so the output is deterministic. */
export interface ExportOptions {
  /** CycloneDX `serialNumber` (urn:uuid); default: the source's, when it is one. */
  serialNumber?: string;
  /** Creation time; default: the source's `created`. */
  created?: string;
  /** SPDX `documentNamespace`; default: the source's (SPDX) or one derived from the serial number. */
  namespace?: string;
}

type Json = Record<string, unknown>;

/** Property name under which licence names travel when an expression already fills `licenses`. */
export const LICENSE_NAME_PROPERTY = 'medsec:license:name';

const CDX_HASHES = new Set<HashAlg>([
  'MD5',
  'SHA-1',
  'SHA-256',
  'SHA-384',
  'SHA-512',
  'SHA3-256',
  'SHA3-384',
  'SHA3-512',
  'BLAKE2b-256',
  'BLAKE2b-384',
  'BLAKE2b-512',
  'BLAKE3',
]);

/** SPDX-only purposes mapped to the nearest CycloneDX 1.6 type. */
const CDX_TYPE: Partial<Record<ComponentType, string>> = {
  source: 'library',
  archive: 'file',
  install: 'application',
  other: 'library',
};

/** Drops undefined values and empty arrays so the JSON carries only what is known. */
export const compact = (o: Json): Json =>
  Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  );

/** Components in a stable order (name, version, key), whatever the order of the source. */
export const sortComponents = (list: Component[]): Component[] =>
  [...list].sort(
    (a, b) =>
      a.name.localeCompare(b.name) ||
      (a.version ?? '').localeCompare(b.version ?? '') ||
      a.key.localeCompare(b.key),
  );

/** CycloneDX `licenses`: separate entries for an AND of plain ids and for names, else one expression. */
export const buildCdxLicenseChoice = (
  expression: string | undefined,
  names: string[],
): { licenses?: Json[]; extraProperties: Property[] } => {
  const ids = expression ? splitLicenseConjunction(expression) : [];
  if (expression && !ids) {
    return {
      licenses: [{ expression }],
      extraProperties: names.map((value) => ({ name: LICENSE_NAME_PROPERTY, value })),
    };
  }
  const entries: Json[] = [
    ...(ids ?? []).map((id) => ({ license: /^(LicenseRef-|DocumentRef-)/.test(id) ? { name: id } : { id } })),
    ...names.map((name) => ({ license: { name } })),
  ];
  return { ...(entries.length ? { licenses: entries } : {}), extraProperties: [] };
};

const contact = (p: Party | undefined): Json | undefined =>
  p ? compact({ name: p.name, email: p.email }) : undefined;

const cdxComponent = (c: Component, children: Map<string, Component[]>): Json => {
  const { licenses, extraProperties } = buildCdxLicenseChoice(c.licenses, c.licenseNames);
  const properties = [...c.properties, ...extraProperties];
  const fda = new Set(properties.map((p) => classifyFdaProperty(p.name)));
  if (c.supportLevel && !fda.has('supportLevel')) {
    properties.push({ name: 'Level of Support', value: c.supportLevel });
  }
  if (c.endOfSupport && !fda.has('endOfSupport')) {
    properties.push({ name: 'End-of-Support', value: c.endOfSupport });
  }
  const nested = sortComponents(children.get(c.key) ?? []);
  return compact({
    type: CDX_TYPE[c.type] ?? c.type,
    'bom-ref': c.key,
    supplier: c.supplier
      ? compact({
          name: c.supplier.name,
          contact: c.supplier.email ? [{ email: c.supplier.email }] : undefined,
        })
      : undefined,
    authors: c.author ? [contact(c.author)] : undefined,
    publisher: c.publisher,
    group: c.group,
    name: c.name,
    version: c.version,
    description: c.description,
    scope: c.scope,
    hashes: c.hashes.filter((h) => CDX_HASHES.has(h.alg)).map((h) => ({ alg: h.alg, content: h.value })),
    licenses,
    copyright: c.copyright,
    cpe: c.cpe,
    purl: c.purl,
    swid: c.swid ? { tagId: c.swid, name: c.name } : undefined,
    properties,
    components: nested.map((n) => cdxComponent(n, children)),
  });
};

/**
 * The SBOM as a CycloneDX 1.6 JSON object (the shape both the JSON and the XML writer start from). Components
 * are sorted, nested components go back under their parent, dependencies are sorted; nothing depends on the clock.
 */
export const buildCycloneDxObject = (sbom: Sbom, options: ExportOptions = {}): Json => {
  const { metadata } = sbom;
  const serial =
    options.serialNumber ??
    (metadata.serialNumber && /^urn:uuid:/.test(metadata.serialNumber) ? metadata.serialNumber : undefined);
  const children = new Map<string, Component[]>();
  const keys = new Set([
    ...sbom.components.map((c) => c.key),
    ...(metadata.component ? [metadata.component.key] : []),
  ]);
  const top: Component[] = [];
  for (const c of sbom.components) {
    if (c.parentKey && keys.has(c.parentKey)) {
      children.set(c.parentKey, [...(children.get(c.parentKey) ?? []), c]);
    } else {
      top.push(c);
    }
  }
  const created = options.created ?? metadata.created;
  return compact({
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: serial,
    version: metadata.format === 'cyclonedx' ? (metadata.version ?? 1) : 1,
    metadata: compact({
      timestamp: created,
      tools: metadata.tools.length
        ? {
            components: metadata.tools.map((t) =>
              compact({ type: 'application', publisher: t.vendor, name: t.name, version: t.version }),
            ),
          }
        : undefined,
      authors: metadata.authors.map(contact),
      component: metadata.component ? cdxComponent(metadata.component, children) : undefined,
      supplier: metadata.supplier ? { name: metadata.supplier.name } : undefined,
      licenses: buildCdxLicenseChoice(metadata.dataLicense, []).licenses,
    }),
    components: sortComponents(top).map((c) => cdxComponent(c, children)),
    // only edges between exported components: a dangling ref would make the BOM invalid
    dependencies: [...sbom.dependencies]
      .filter((d) => keys.has(d.from))
      .sort((a, b) => a.from.localeCompare(b.from))
      .map((d) => compact({ ref: d.from, dependsOn: [...new Set(d.to.filter((t) => keys.has(t)))].sort() })),
  });
};

/**
 * CycloneDX 1.6 JSON text of a normalised SBOM: deterministic (same SBOM, same bytes), 2-space indented, final
 * newline. Hash algorithms CycloneDX lacks (SHA-224, MD2, MD4, MD6, ADLER32) are left out; SPDX-only component
 * purposes map to the nearest type (source/other → library, archive → file, install → application).
 */
export const writeCycloneDxJson = (sbom: Sbom, options: ExportOptions = {}): string =>
  `${JSON.stringify(buildCycloneDxObject(sbom, options), null, 2)}\n`;
