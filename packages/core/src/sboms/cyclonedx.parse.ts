import {
  type CdxFieldCtx,
  readCdxHashes,
  readCdxLicenses,
  readCdxProperties,
  readParty,
} from './cyclonedx-fields.ts';
import { LICENSE_NAME_PROPERTY } from './export-cyclonedx.ts';
import type { IssueSink } from './issues.ts';
import { joinPointer, refuse } from './issues.ts';
import {
  isCpe,
  isCycloneDxSerial,
  isDateTime,
  list,
  normalizePurl,
  optional,
  readFdaProperties,
  record,
  text,
} from './normalize.ts';
import type { Component, ComponentType, Dependency, DetectedFormat, Sbom, Tool } from './sboms.schemas.ts';
import { COMPONENT_SCOPES, COMPONENT_TYPES } from './sboms.schemas.ts';

/** Component types CycloneDX defines (1.2–1.7); the SPDX-only purposes are not valid here. */
const CDX_TYPES = new Set<string>(
  COMPONENT_TYPES.filter((t) => !['source', 'archive', 'install', 'other'].includes(t)),
);

interface Ctx extends CdxFieldCtx {
  keys: Set<string>;
  counter: { n: number };
}

/** Normalises one CycloneDX component and (into `out`) its nested components. */
const cdxComponent = (
  raw: unknown,
  pointer: string,
  ctx: Ctx,
  out: Component[],
  parentKey?: string,
): Component | undefined => {
  const { sink } = ctx;
  const c = record(raw);
  const name = text(c?.name);
  if (!c || name === undefined) {
    sink.add({
      dropped: 'component',
      pointer,
      en: 'Component dropped: it has no name',
      ko: '컴포넌트 제외: 이름(name)이 없습니다',
    });
    return undefined;
  }
  const field = (f: string, en: string, ko: string): void =>
    sink.add({ dropped: 'field', pointer: joinPointer(pointer, f), en, ko });
  const rawType = text(c.type);
  let type: ComponentType = 'library';
  if (rawType !== undefined && CDX_TYPES.has(rawType)) {
    type = rawType as ComponentType;
  } else {
    field(
      'type',
      rawType === undefined
        ? 'Component type missing; library assumed'
        : `Unknown component type '${rawType}'; library assumed`,
      rawType === undefined
        ? '컴포넌트 유형이 없어 library로 간주'
        : `알 수 없는 컴포넌트 유형 '${rawType}'; library로 간주`,
    );
  }
  let key = text(c['bom-ref']);
  if (c['bom-ref'] !== undefined && key === undefined) {
    field('bom-ref', 'Empty bom-ref; an internal key was assigned', '빈 bom-ref; 내부 키를 부여했습니다');
  }
  if (key !== undefined && ctx.keys.has(key)) {
    field(
      'bom-ref',
      `Duplicate bom-ref '${key}'; an internal key was assigned`,
      `중복된 bom-ref '${key}'; 내부 키를 부여했습니다`,
    );
    key = undefined;
  }
  while (key === undefined || ctx.keys.has(key)) {
    ctx.counter.n += 1;
    key = `component-${ctx.counter.n}`;
  }
  ctx.keys.add(key);
  let purl: string | undefined;
  const rawPurl = text(c.purl);
  if (rawPurl !== undefined) {
    const r = normalizePurl(rawPurl);
    if ('purl' in r) {
      purl = r.purl;
    } else {
      field(
        'purl',
        `Invalid purl '${rawPurl}' dropped (${r.error})`,
        `잘못된 purl '${rawPurl}' 제외 (${r.error})`,
      );
    }
  }
  let cpe = text(c.cpe);
  if (cpe !== undefined && !isCpe(cpe)) {
    field('cpe', `Invalid CPE '${cpe}' dropped`, `잘못된 CPE '${cpe}' 제외`);
    cpe = undefined;
  }
  let swid: string | undefined;
  if (c.swid !== undefined) {
    swid = text(record(c.swid)?.tagId);
    if (swid === undefined) {
      field('swid', 'SWID tag without tagId dropped', 'tagId 없는 SWID 태그 제외');
    }
  }
  let scope = text(c.scope) as Component['scope'];
  if (scope !== undefined && !COMPONENT_SCOPES.includes(scope)) {
    field('scope', `Unknown scope '${scope}' dropped`, `알 수 없는 scope '${scope}' 제외`);
    scope = undefined;
  }
  const authors = list(c.authors)
    .map((a) => readParty(a)?.name)
    .filter((n): n is string => n !== undefined);
  const authorText = text(c.author) ?? (authors.length > 1 ? authors.join(', ') : undefined);
  const author = authorText ? { name: authorText } : readParty(list(c.authors)[0]);
  const allProperties = readCdxProperties(c.properties, joinPointer(pointer, 'properties'), sink);
  // licence names our own export moved to properties because an expression filled `licenses`
  const properties = allProperties.filter((p) => p.name !== LICENSE_NAME_PROPERTY);
  const licenses = readCdxLicenses(c.licenses, joinPointer(pointer, 'licenses'), ctx);
  for (const p of allProperties) {
    if (p.name === LICENSE_NAME_PROPERTY && !licenses.licenseNames.includes(p.value)) {
      licenses.licenseNames.push(p.value);
    }
  }
  const component: Component = {
    key,
    type,
    name,
    ...optional('version', text(c.version)),
    ...optional('group', text(c.group)),
    ...optional('purl', purl),
    ...optional('cpe', cpe),
    ...optional('swid', swid),
    ...optional('supplier', readParty(c.supplier, 'organization')),
    ...optional('author', author),
    ...optional('publisher', text(c.publisher)),
    hashes: readCdxHashes(c.hashes, joinPointer(pointer, 'hashes'), sink),
    ...licenses,
    ...optional('copyright', text(c.copyright)),
    ...optional('description', text(c.description)),
    properties,
    ...readFdaProperties(properties),
    ...optional('scope', scope),
    ...optional('parentKey', parentKey),
  };
  out.push(component);
  list(c.components).forEach((child, i) => {
    cdxComponent(child, joinPointer(pointer, 'components', i), ctx, out, key);
  });
  return component;
};

const cdxTools = (raw: unknown): Tool[] => {
  const r = record(raw);
  const items = r ? [...list(r.components), ...list(r.services)] : list(raw);
  return items.flatMap((t) => {
    const tool = record(t);
    const name = text(tool?.name);
    if (!tool || !name) {
      return [];
    }
    const vendor =
      text(tool.vendor) ?? text(record(tool.publisher)?.name ?? tool.publisher) ?? text(tool.group);
    return [{ name, ...optional('version', text(tool.version)), ...optional('vendor', vendor) }];
  });
};

/** bom-refs of services (not components; dependencies on them are not part of the component graph). */
const serviceRefs = (raw: unknown, out = new Set<string>()): Set<string> => {
  for (const s of list(raw)) {
    const ref = text(record(s)?.['bom-ref']);
    if (ref) {
      out.add(ref);
    }
    serviceRefs(record(s)?.services, out);
  }
  return out;
};

const cdxDependencies = (
  raw: unknown,
  known: Set<string>,
  services: Set<string>,
  sink: IssueSink,
): Dependency[] => {
  const graph = new Map<string, Set<string>>();
  list(raw).forEach((item, i) => {
    const pointer = joinPointer('/dependencies', i);
    const d = record(item);
    const ref = text(d?.ref);
    if (ref !== undefined && services.has(ref)) {
      return;
    }
    if (!d || ref === undefined || !known.has(ref)) {
      sink.add({
        dropped: 'dependency',
        pointer,
        en:
          ref === undefined ? 'Dependency without ref dropped' : `Dependency of unknown ref '${ref}' dropped`,
        ko: ref === undefined ? 'ref 없는 의존성 제외' : `알 수 없는 ref '${ref}'의 의존성 제외`,
      });
      return;
    }
    const to = graph.get(ref) ?? new Set<string>();
    graph.set(ref, to);
    list(d.dependsOn).forEach((target, j) => {
      const t = text(target);
      if (t !== undefined && services.has(t)) {
        return;
      }
      if (t === undefined || !known.has(t)) {
        sink.add({
          dropped: 'dependency',
          pointer: joinPointer(pointer, 'dependsOn', j),
          en: `Dependency on unknown ref '${String(target)}' dropped`,
          ko: `알 수 없는 ref '${String(target)}'에 대한 의존성 제외`,
        });
        return;
      }
      to.add(t);
    });
  });
  return [...graph].map(([from, to]) => ({ from, to: [...to] }));
};

/**
 * Normalises a CycloneDX document in its JSON shape (XML is converted to that shape first).
 * @throws AppError VALIDATION_FAILED when the document is no CycloneDX BOM at all, or (strict) on any issue
 */
export const normalizeCycloneDx = (raw: unknown, sink: IssueSink, sourceFormat: DetectedFormat): Sbom => {
  const doc = record(raw);
  if (doc?.bomFormat !== 'CycloneDX') {
    return refuse({
      pointer: '/bomFormat',
      en: 'Not a CycloneDX BOM (bomFormat)',
      ko: 'CycloneDX BOM이 아닙니다 (bomFormat)',
    });
  }
  const specVersion = text(doc.specVersion) ?? '';
  if (!/^1\.[0-7]$/.test(specVersion)) {
    return refuse({
      pointer: '/specVersion',
      en: `Unsupported CycloneDX specVersion '${specVersion}' (1.0–1.7 are read)`,
      ko: `지원하지 않는 CycloneDX specVersion '${specVersion}' (1.0–1.7 지원)`,
    });
  }
  const ctx: Ctx = {
    sink,
    keys: new Set(),
    counter: { n: 0 },
    specVersion,
    xml: sourceFormat === 'cyclonedx-xml',
  };
  let serialNumber = text(doc.serialNumber);
  if (serialNumber !== undefined && !isCycloneDxSerial(serialNumber.toLowerCase())) {
    sink.add({
      dropped: 'field',
      pointer: '/serialNumber',
      en: `Invalid serialNumber '${serialNumber}' dropped`,
      ko: `잘못된 serialNumber '${serialNumber}' 제외`,
    });
    serialNumber = undefined;
  }
  const meta = record(doc.metadata) ?? {};
  let created = text(meta.timestamp);
  if (created !== undefined && !isDateTime(created)) {
    sink.add({
      dropped: 'field',
      pointer: '/metadata/timestamp',
      en: `Timestamp '${created}' is no RFC 3339 date-time; dropped`,
      ko: `타임스탬프 '${created}'은(는) RFC 3339 형식이 아니어서 제외`,
    });
    created = undefined;
  }
  const metaOut: Component[] = [];
  const component =
    meta.component !== undefined
      ? cdxComponent(meta.component, '/metadata/component', ctx, metaOut)
      : undefined;
  const components: Component[] = [];
  list(doc.components).forEach((c, i) => {
    cdxComponent(c, joinPointer('/components', i), ctx, components);
  });
  const dataLicense = readCdxLicenses(meta.licenses, '/metadata/licenses', ctx).licenses;
  const version = typeof doc.version === 'number' && Number.isInteger(doc.version) ? doc.version : undefined;
  const authors = list(meta.authors).flatMap((a) => readParty(a, 'person') ?? []);
  const supplier = readParty(meta.supplier, 'organization') ?? readParty(meta.manufacture, 'organization');
  return {
    metadata: {
      format: 'cyclonedx',
      sourceFormat,
      specVersion,
      ...optional('serialNumber', serialNumber?.toLowerCase()),
      ...optional('version', version),
      ...optional('name', component?.name),
      ...optional('created', created),
      tools: cdxTools(meta.tools),
      authors,
      ...optional('supplier', supplier),
      ...optional('dataLicense', dataLicense),
      ...optional('component', component),
      describes: component ? [component.key] : [],
    },
    components: [...components, ...metaOut.slice(1)],
    dependencies: cdxDependencies(doc.dependencies, ctx.keys, serviceRefs(doc.services), sink),
    issues: sink.issues,
  };
};
