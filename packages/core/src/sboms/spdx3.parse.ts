import type { IssueSink } from './issues.ts';
import { joinPointer, refuse } from './issues.ts';
import {
  isCpe,
  isNoAssertion,
  joinLicenses,
  list,
  normalizeHash,
  normalizeLicenseExpression,
  normalizePurl,
  optional,
  record,
  text,
} from './normalize.ts';
import type { Component, ComponentType, Hash, Party, Sbom, Tool } from './sboms.schemas.ts';

type Obj = Record<string, unknown>;

/** SPDX 3 element types read as components. */
const COMPONENT_KINDS: Record<string, ComponentType> = {
  software_Package: 'library',
  software_File: 'file',
  ai_AIPackage: 'machine-learning-model',
  dataset_DatasetPackage: 'data',
};

/** SPDX 3 `software_primaryPurpose` → component type. */
const PURPOSES: Record<string, ComponentType> = {
  application: 'application',
  framework: 'framework',
  library: 'library',
  container: 'container',
  operatingSystem: 'operating-system',
  device: 'device',
  deviceDriver: 'device-driver',
  firmware: 'firmware',
  file: 'file',
  source: 'source',
  archive: 'archive',
  install: 'install',
  model: 'machine-learning-model',
  data: 'data',
  other: 'other',
};

/** Relationships that make the dependency graph ("from" depends on / contains / links "to"). */
const GRAPH = new Set([
  'dependsOn',
  'contains',
  'hasDynamicLink',
  'hasStaticLink',
  'hasPrerequisite',
  'hasOptionalDependency',
  'hasProvidedDependency',
]);

const idOf = (e: Obj): string | undefined => text(e.spdxId) ?? text(e['@id']);

/**
 * Reads an SPDX 3.0 JSON-LD document (compact form with the spdx.org/rdf/3.0.x context): packages (software,
 * AI, dataset), files, agents, tools, licence expressions and relationships.
 * @throws AppError VALIDATION_FAILED when there is no @graph, or (strict) on any issue
 */
export const normalizeSpdx3 = (raw: unknown, sink: IssueSink): Sbom => {
  const doc = record(raw);
  const graph = list(doc?.['@graph']).map((e) => record(e) ?? {});
  if (!doc || graph.length === 0) {
    return refuse({
      pointer: '/@graph',
      en: 'SPDX 3 JSON-LD without @graph',
      ko: '@graph가 없는 SPDX 3 JSON-LD',
    });
  }
  const byId = new Map<string, Obj>();
  for (const e of graph) {
    const id = idOf(e);
    if (id) {
      byId.set(id, e);
    }
  }
  const nameOf = (id: unknown): string | undefined => {
    const e = byId.get(text(id) ?? '');
    return e ? text(e.name) : undefined;
  };
  const partyOf = (id: unknown): Party | undefined => {
    const e = byId.get(text(id) ?? '');
    const name = e && text(e.name);
    if (!e || !name) {
      return undefined;
    }
    const kind: Party['kind'] =
      e.type === 'Person' ? 'person' : e.type === 'Organization' ? 'organization' : undefined;
    return { name, ...optional('kind', kind) };
  };
  const document = graph.find((e) => e.type === 'SpdxDocument');
  const imported = new Set(list(document?.import).flatMap((i) => text(record(i)?.externalSpdxId) ?? []));
  const licenses = new Map<string, { concluded?: string; declared?: string }>();
  const describes = new Set<string>();
  const edges = new Map<string, Set<string>>();
  const components: Component[] = [];
  const keys = new Set<string>();
  graph.forEach((e, i) => {
    const type = text(e.type) ?? '';
    const baseType = COMPONENT_KINDS[type];
    if (!baseType) {
      return;
    }
    const pointer = joinPointer('/@graph', i);
    const key = idOf(e);
    const name = text(e.name);
    if (!key || !name || keys.has(key)) {
      sink.add({
        dropped: 'component',
        pointer,
        en: `${type} dropped: ${!key ? 'no spdxId' : !name ? 'no name' : `duplicate spdxId '${key}'`}`,
        ko: `${type} 제외: ${!key ? 'spdxId 없음' : !name ? '이름 없음' : `중복 spdxId '${key}'`}`,
      });
      return;
    }
    keys.add(key);
    const hashes: Hash[] = [];
    list(e.verifiedUsing).forEach((v, j) => {
      const h = record(v) ?? {};
      if (h.type !== 'Hash') {
        return;
      }
      const r = normalizeHash(text(h.algorithm) ?? '', text(h.hashValue) ?? '');
      if ('error' in r) {
        sink.add({
          dropped: 'field',
          pointer: joinPointer(pointer, 'verifiedUsing', j),
          en: `Hash dropped: ${r.error.en}`,
          ko: `해시 제외: ${r.error.ko}`,
        });
      } else {
        hashes.push(r);
      }
    });
    let purl: string | undefined;
    const purlText = text(e.software_packageUrl);
    let cpe: string | undefined;
    let swid: string | undefined;
    const identifiers = list(e.externalIdentifier).map((x) => record(x) ?? {});
    for (const x of identifiers) {
      const t = text(x.externalIdentifierType);
      const v = text(x.identifier);
      if ((t === 'cpe23' || t === 'cpe22') && v && isCpe(v)) {
        cpe ??= v;
      } else if (t === 'swid' && v) {
        swid ??= v;
      }
    }
    const purlCandidate =
      purlText ?? text(identifiers.find((x) => x.externalIdentifierType === 'packageUrl')?.identifier);
    if (purlCandidate) {
      const r = normalizePurl(purlCandidate);
      if ('purl' in r) {
        purl = r.purl;
      } else {
        sink.add({
          dropped: 'field',
          pointer: joinPointer(pointer, 'software_packageUrl'),
          en: `Invalid purl '${purlCandidate}' dropped (${r.error})`,
          ko: `잘못된 purl '${purlCandidate}' 제외 (${r.error})`,
        });
      }
    }
    const purpose = text(e.software_primaryPurpose);
    const copyright = text(e.software_copyrightText);
    const originators = list(e.originatedBy).flatMap((o) => partyOf(o) ?? []);
    components.push({
      key,
      type: baseType === 'file' ? 'file' : ((purpose ? PURPOSES[purpose] : undefined) ?? baseType),
      name,
      ...optional('version', text(e.software_packageVersion)),
      ...optional('purl', purl),
      ...optional('cpe', cpe),
      ...optional('swid', swid),
      ...optional('supplier', partyOf(e.suppliedBy)),
      ...optional('author', originators[0]),
      hashes,
      licenseNames: [],
      ...optional(
        'copyright',
        copyright && !isNoAssertion(copyright) && copyright !== 'UNSPECIFIED' ? copyright : undefined,
      ),
      ...optional('description', text(e.description) ?? text(e.summary)),
      properties: [],
      ...optional(
        'supportLevel',
        list(e.supportLevel)
          .flatMap((s) => text(s) ?? [])
          .join(', ') || undefined,
      ),
      ...optional('endOfSupport', text(e.validUntilTime)),
    });
  });
  const rootIds = new Set([
    idOf(document ?? {}),
    ...graph.filter((e) => e.type === 'software_Sbom').map(idOf),
  ]);
  graph.forEach((e, i) => {
    if (e.type !== 'Relationship' && e.type !== 'LifecycleScopedRelationship') {
      return;
    }
    const from = text(e.from) ?? '';
    const type = text(e.relationshipType) ?? '';
    for (const to of list(e.to).flatMap((t) => text(t) ?? [])) {
      if (type === 'hasConcludedLicense' || type === 'hasDeclaredLicense') {
        const lic = byId.get(to);
        const expr =
          text(lic?.simplelicensing_licenseExpression) ??
          text(lic?.name) ??
          to.replace(/^https?:\/\/spdx\.org\/licenses\//, '');
        const entry = licenses.get(from) ?? {};
        entry[type === 'hasConcludedLicense' ? 'concluded' : 'declared'] = expr;
        licenses.set(from, entry);
      } else if (type === 'describes' && rootIds.has(from) && keys.has(to)) {
        describes.add(to);
      } else if (GRAPH.has(type)) {
        const missing = [from, to].find((id) => !keys.has(id) && !byId.has(id) && !imported.has(id));
        if (missing) {
          sink.add({
            dropped: 'dependency',
            pointer: joinPointer('/@graph', i),
            en: `Relationship ${type} dropped: '${missing}' is not in the document`,
            ko: `관계 ${type} 제외: 문서에 '${missing}'이(가) 없습니다`,
          });
        } else if (keys.has(from) && keys.has(to)) {
          const set = edges.get(from) ?? new Set<string>();
          set.add(to);
          edges.set(from, set);
        }
      }
    }
  });
  for (const c of components) {
    const l = licenses.get(c.key);
    const raw = [l?.concluded, l?.declared].find((x) => x !== undefined && !isNoAssertion(x));
    if (raw) {
      const r = normalizeLicenseExpression(raw);
      if ('expression' in r) {
        c.licenses = joinLicenses([r.expression]);
      } else {
        c.licenseNames.push(raw);
      }
    }
  }
  for (const e of graph) {
    if (e.type === 'software_Sbom' || e.type === 'SpdxDocument') {
      for (const r of list(e.rootElement).flatMap((x) => text(x) ?? [])) {
        if (keys.has(r)) {
          describes.add(r);
        }
      }
    }
  }
  const info =
    record(byId.get(text(document?.creationInfo) ?? '')) ??
    graph.find((e) => e.type === 'CreationInfo') ??
    {};
  const tools: Tool[] = list(info.createdUsing).flatMap((t) => {
    const name = nameOf(t);
    return name ? [{ name }] : [];
  });
  const context = String(list(doc['@context'])[0] ?? '');
  const dataLicense = byId.get(text(document?.dataLicense) ?? '');
  return {
    metadata: {
      format: 'spdx',
      sourceFormat: 'spdx-3-jsonld',
      specVersion: text(info.specVersion) ?? /rdf\/(3\.[\d.]+)\//.exec(context)?.[1] ?? '3.0',
      ...optional('serialNumber', document ? idOf(document) : undefined),
      ...optional('name', text(document?.name)),
      ...optional('created', text(info.created)),
      tools,
      authors: list(info.createdBy).flatMap((a) => partyOf(a) ?? []),
      ...optional('dataLicense', text(dataLicense?.simplelicensing_licenseExpression)),
      describes: [...describes],
    },
    components,
    dependencies: [...edges].map(([from, to]) => ({ from, to: [...to] })),
    issues: sink.issues,
  };
};
