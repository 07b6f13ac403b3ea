import { AppError } from '../errors.ts';
import type { ExportOptions } from './export-cyclonedx.ts';
import { compact, sortComponents, writeCycloneDxJson } from './export-cyclonedx.ts';
import { writeCycloneDxXml } from './export-xml.ts';
import { formatSpdxParty, isDateTime, joinLicenses, listLicenseRefs } from './normalize.ts';
import type { Component, ComponentType, HashAlg, Sbom } from './sboms.schemas.ts';

/** Output formats of `exportSbom`. */
export const EXPORT_FORMATS = ['cyclonedx-json', 'cyclonedx-xml', 'spdx-json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const SPDX_HASH: Partial<Record<HashAlg, string>> = {
  'SHA-1': 'SHA1',
  'SHA-224': 'SHA224',
  'SHA-256': 'SHA256',
  'SHA-384': 'SHA384',
  'SHA-512': 'SHA512',
};

const SPDX_PURPOSE: Partial<Record<ComponentType, string>> = {
  application: 'APPLICATION',
  framework: 'FRAMEWORK',
  library: 'LIBRARY',
  container: 'CONTAINER',
  'operating-system': 'OPERATING_SYSTEM',
  device: 'DEVICE',
  firmware: 'FIRMWARE',
  file: 'FILE',
  source: 'SOURCE',
  archive: 'ARCHIVE',
  install: 'INSTALL',
};

/** A short stable hash of text (FNV-1a, two lanes) for derived document namespaces. */
const fingerprint = (s: string): string => {
  let a = 0x811c9dc5;
  let b = 0x12345678;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
};

/** SPDXIDs for every key: the key itself when it is one, else a sanitised, de-duplicated form. */
const spdxIds = (components: Component[]): Map<string, string> => {
  const ids = new Map<string, string>();
  const taken = new Set(['SPDXRef-DOCUMENT']);
  for (const c of components) {
    const base = /^SPDXRef-[A-Za-z0-9.-]+$/.test(c.key)
      ? c.key
      : `SPDXRef-${c.key.replace(/[^A-Za-z0-9.-]+/g, '-')}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) {
      id = `${base}-${n}`;
    }
    taken.add(id);
    ids.set(c.key, id);
  }
  return ids;
};

const licenseRefFor = (name: string): string =>
  `LicenseRef-${name.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'unnamed'}`;

/**
 * SPDX 2.3 JSON text of a normalised SBOM, deterministic: packages sorted, relationships sorted. Every component
 * becomes a package (files with purpose FILE); dependency edges become DEPENDS_ON (CONTAINS for files and nested
 * components); licence names become `LicenseRef-…` with an extracted-licence entry; the licence goes to
 * `licenseDeclared`. FDA support level and a non-date end of support travel as package annotations
 * (`Level of Support: …`), a date end of support as `validUntilDate`.
 * @throws AppError VALIDATION_FAILED when no creation time is known (SPDX requires one)
 */
export const writeSpdxJson = (sbom: Sbom, options: ExportOptions = {}): string => {
  const { metadata } = sbom;
  const created = options.created ?? metadata.created;
  if (!created) {
    throw new AppError('VALIDATION_FAILED', {
      detail:
        'SPDX needs a creation time: pass `created` / SPDX 내보내기에는 생성 시각(created)이 필요합니다',
    });
  }
  const all = sortComponents([
    ...(metadata.component && !sbom.components.some((c) => c.key === metadata.component?.key)
      ? [metadata.component]
      : []),
    ...sbom.components,
  ]);
  const ids = spdxIds(all);
  const byKey = new Map(all.map((c) => [c.key, c]));
  const extracted = new Map<string, string>();
  const annotator = 'Tool: medsec-workbench';
  const packages = all.map((c) => {
    const names = c.licenseNames.map((n) => {
      const ref = licenseRefFor(n);
      extracted.set(ref, n);
      return ref;
    });
    const declared = joinLicenses([...(c.licenses ? [c.licenses] : []), ...names]);
    for (const ref of declared ? listLicenseRefs(declared) : []) {
      if (!extracted.has(ref)) {
        extracted.set(ref, ref);
      }
    }
    const eosIsDate = c.endOfSupport !== undefined && isDateTime(c.endOfSupport);
    const notes = [
      ...(c.supportLevel ? [`Level of Support: ${c.supportLevel}`] : []),
      ...(c.endOfSupport && !eosIsDate ? [`End-of-Support: ${c.endOfSupport}`] : []),
    ];
    const supplier =
      c.supplier ?? (c.publisher ? { name: c.publisher, kind: 'organization' as const } : undefined);
    return compact({
      SPDXID: ids.get(c.key),
      name: c.name,
      versionInfo: c.version,
      supplier: supplier ? formatSpdxParty(supplier) : 'NOASSERTION',
      originator: c.author ? formatSpdxParty(c.author) : undefined,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      checksums: c.hashes.map((h) => ({ algorithm: SPDX_HASH[h.alg] ?? h.alg, checksumValue: h.value })),
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: declared ?? 'NOASSERTION',
      copyrightText: c.copyright ?? 'NOASSERTION',
      description: c.description,
      primaryPackagePurpose: SPDX_PURPOSE[c.type] ?? 'OTHER',
      validUntilDate: eosIsDate ? c.endOfSupport : undefined,
      externalRefs: [
        ...(c.purl
          ? [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl }]
          : []),
        ...(c.cpe
          ? [
              {
                referenceCategory: 'SECURITY',
                referenceType: c.cpe.startsWith('cpe:2.3:') ? 'cpe23Type' : 'cpe22Type',
                referenceLocator: c.cpe,
              },
            ]
          : []),
        ...(c.swid
          ? [{ referenceCategory: 'SECURITY', referenceType: 'swid', referenceLocator: c.swid }]
          : []),
      ],
      annotations: notes.map((comment) => ({
        annotationDate: created,
        annotationType: 'OTHER',
        annotator,
        comment,
      })),
    });
  });
  const relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[] = [];
  const rel = (from: string, type: string, to: string): void => {
    const a = from === 'SPDXRef-DOCUMENT' ? from : ids.get(from);
    const b = ids.get(to);
    if (a && b) {
      relationships.push({ spdxElementId: a, relationshipType: type, relatedSpdxElement: b });
    }
  };
  const targets = new Set(sbom.dependencies.flatMap((d) => d.to));
  const described = metadata.describes.length
    ? metadata.describes
    : all.filter((c) => !c.parentKey && !targets.has(c.key)).map((c) => c.key);
  for (const key of described) {
    rel('SPDXRef-DOCUMENT', 'DESCRIBES', key);
  }
  for (const d of sbom.dependencies) {
    for (const to of new Set(d.to)) {
      rel(d.from, byKey.get(to)?.type === 'file' ? 'CONTAINS' : 'DEPENDS_ON', to);
    }
  }
  for (const c of all) {
    if (c.parentKey) {
      rel(c.parentKey, 'CONTAINS', c.key);
    }
  }
  const unique = [...new Map(relationships.map((r) => [JSON.stringify(r), r])).values()].sort(
    (x, y) =>
      x.spdxElementId.localeCompare(y.spdxElementId) ||
      x.relationshipType.localeCompare(y.relationshipType) ||
      x.relatedSpdxElement.localeCompare(y.relatedSpdxElement),
  );
  const name = metadata.name ?? metadata.component?.name ?? 'SBOM';
  const uuid = metadata.serialNumber?.match(/^urn:uuid:(.+)$/)?.[1];
  const namespace =
    options.namespace ??
    (metadata.format === 'spdx' && metadata.serialNumber && !metadata.serialNumber.includes('#')
      ? metadata.serialNumber
      : `https://medsec-workbench.invalid/spdxdocs/${encodeURIComponent(name)}-${uuid ?? fingerprint(JSON.stringify(packages))}`);
  const creators = [
    ...metadata.tools.map((t) => `Tool: ${t.name}${t.version ? `-${t.version}` : ''}`),
    ...metadata.authors.map(formatSpdxParty),
  ];
  const doc = compact({
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    documentNamespace: namespace,
    creationInfo: { created, creators: creators.length ? creators : [annotator] },
    packages,
    relationships: unique,
    hasExtractedLicensingInfos: [...extracted]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([licenseId, text]) => ({
        licenseId,
        extractedText: text === licenseId ? 'NOASSERTION' : text,
        name: text,
      })),
  });
  return `${JSON.stringify(doc, null, 2)}\n`;
};

/** One exporter for every output format (CycloneDX 1.6 JSON/XML, SPDX 2.3 JSON). */
export const exportSbom = (sbom: Sbom, format: ExportFormat, options: ExportOptions = {}): string => {
  switch (format) {
    case 'cyclonedx-json':
      return writeCycloneDxJson(sbom, options);
    case 'cyclonedx-xml':
      return writeCycloneDxXml(sbom, options);
    default:
      return writeSpdxJson(sbom, options);
  }
};

/**
 * SHA-256 (hex) of a document's UTF-8 bytes, to record beside an export for integrity (MFDS 2025 art. 16(3):
 * integrity and protection of SBOM data). Web Crypto, so it runs in the browser too.
 */
export const computeSha256Hex = async (text: string): Promise<string> => {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
};
