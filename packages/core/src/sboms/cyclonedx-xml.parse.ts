import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { normalizeCycloneDx } from './cyclonedx.parse.ts';
import type { IssueSink, Locate } from './issues.ts';
import { createIssueSink, joinPointer, refuse } from './issues.ts';
import { list, record } from './normalize.ts';
import type { Sbom } from './sboms.schemas.ts';

type Node = Record<string, unknown>;

/** Elements that may repeat; always read as arrays so one and many look alike. */
const REPEATED = new Set([
  'component',
  'hash',
  'license',
  'expression',
  'property',
  'dependency',
  'tool',
  'author',
  'service',
]);

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  textNodeName: '#text',
  processEntities: true,
  htmlEntities: true,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && REPEATED.has(name),
});

/** The CycloneDX version an XML namespace names (`http://cyclonedx.org/schema/bom/1.6` → `1.6`). */
export const detectCycloneDxXmlVersion = (text: string): string | undefined =>
  /<(?:[\w.-]+:)?bom\b[^>]*?\sxmlns(?::[\w.-]+)?\s*=\s*["']http:\/\/cyclonedx\.org\/schema\/bom\/(1\.\d)["']/.exec(
    text.slice(0, 8192),
  )?.[1];

/** Text content of an element, whether it carries attributes or not. */
const txt = (v: unknown): string | undefined => {
  if (typeof v === 'string') {
    return v;
  }
  const r = record(v);
  return r && typeof r['#text'] === 'string' ? r['#text'] : undefined;
};

const PLURAL: Record<string, string> = {
  components: 'component',
  hashes: 'hash',
  properties: 'property',
  dependencies: 'dependency',
  dependsOn: 'dependency',
  authors: 'author',
  tools: 'tool',
  licenses: '*',
};

const ATTRIBUTES = new Set(['bom-ref', 'type', 'alg', 'ref', 'serialNumber', 'encoding', 'tagId']);

/** A JSON pointer of the converted shape as an element path of the XML (`/bom/components/component[2]/purl`). */
export const locateXmlPath: Locate = (pointer) => {
  const out: string[] = ['bom'];
  const segments = pointer.split('/').slice(1);
  segments.forEach((seg, i) => {
    const prev = segments[i - 1] ?? '';
    if (/^\d+$/.test(seg) && PLURAL[prev]) {
      out.push(`${PLURAL[prev]}[${Number(seg) + 1}]`);
    } else if ((seg === 'license' || seg === 'expression') && /^\d+$/.test(prev)) {
      // the licence entry is the element itself
    } else {
      out.push(ATTRIBUTES.has(seg) || (seg === 'version' && i === 0) ? `@${seg}` : seg);
    }
  });
  return { pointer: `/${out.join('/')}` };
};

interface Conv {
  sink: IssueSink;
}

/** One child element that must not repeat; a repeated one is an issue and the first is used. */
const one = (node: Node, tag: string, pointer: string, conv: Conv): unknown => {
  const v = node[tag];
  if (Array.isArray(v) && v.length === 1) {
    return v[0];
  }
  if (Array.isArray(v)) {
    conv.sink.add({
      dropped: 'field',
      pointer: joinPointer(pointer, tag),
      en: `Element <${tag}> appears ${v.length} times where one is allowed; the first was used`,
      ko: `<${tag}> 요소는 하나만 허용되지만 ${v.length}번 나타납니다; 첫 번째를 사용`,
    });
    return v[0];
  }
  return v;
};

const texts = (node: Node, tags: string[], pointer: string, conv: Conv): Node =>
  Object.fromEntries(
    tags.flatMap((t) => (node[t] === undefined ? [] : [[t, txt(one(node, t, pointer, conv)) ?? '']])),
  );

const entity = (v: unknown): Node | undefined => {
  const r = record(v);
  return r ? { name: txt(r.name), email: txt(r.email) } : undefined;
};

const licensesOf = (v: unknown, pointer: string, conv: Conv): Node[] => {
  const r = record(v);
  if (!r) {
    return [];
  }
  const licenses = list(r.license).map((l, i) => {
    const n = record(l) ?? {};
    const t = record(n.text);
    return {
      license: {
        ...texts(n, ['id', 'name'], joinPointer(pointer, i, 'license'), conv),
        ...(n.text !== undefined ? { text: { encoding: t?.['@encoding'] } } : {}),
      },
    };
  });
  return [...licenses, ...list(r.expression).map((e) => ({ expression: txt(e) ?? '' }))];
};

const componentOf = (v: unknown, pointer: string, conv: Conv): Node => {
  const n = record(v) ?? {};
  const swid = record(n.swid);
  return {
    ...(n['@type'] !== undefined ? { type: n['@type'] } : {}),
    ...(n['@bom-ref'] !== undefined ? { 'bom-ref': n['@bom-ref'] } : {}),
    ...texts(
      n,
      ['author', 'publisher', 'group', 'name', 'version', 'description', 'scope', 'copyright', 'cpe', 'purl'],
      pointer,
      conv,
    ),
    ...(n.supplier !== undefined ? { supplier: entity(n.supplier) } : {}),
    authors: list(record(n.authors)?.author).map(entity),
    ...(swid ? { swid: { tagId: swid['@tagId'], name: swid['@name'] } } : {}),
    hashes: list(record(n.hashes)?.hash).map((h) => ({ alg: record(h)?.['@alg'], content: txt(h) })),
    licenses: licensesOf(n.licenses, joinPointer(pointer, 'licenses'), conv),
    properties: list(record(n.properties)?.property).map((p) => ({
      name: record(p)?.['@name'],
      value: txt(p) ?? '',
    })),
    components: list(record(n.components)?.component).map((c, i) =>
      componentOf(c, joinPointer(pointer, 'components', i), conv),
    ),
  };
};

const servicesOf = (v: unknown): Node[] =>
  list(record(v)?.service).map((s) => ({
    'bom-ref': record(s)?.['@bom-ref'],
    services: servicesOf(record(s)?.services),
  }));

const dependenciesOf = (v: unknown): Node[] => {
  const out: Node[] = [];
  const walk = (deps: unknown[]): void => {
    for (const d of deps) {
      const r = record(d) ?? {};
      const children = list(r.dependency);
      out.push({ ref: r['@ref'], dependsOn: children.map((c) => record(c)?.['@ref']) });
      walk(children.filter((c) => list(record(c)?.dependency).length > 0));
    }
  };
  walk(list(record(v)?.dependency));
  return out;
};

/**
 * Parses CycloneDX XML (1.0–1.7, by namespace) into the normalised SBOM, through the JSON shape of the same BOM.
 * XML syntax errors are refused with their line in both modes; DOCTYPE entity declarations are refused outright.
 * @throws AppError VALIDATION_FAILED
 */
export const parseCycloneDxXml = (text: string, lenient: boolean): Sbom => {
  if (/<!DOCTYPE[^>]*\[[\s\S]*?<!ENTITY/i.test(text.slice(0, 65536))) {
    return refuse({
      line: 1,
      en: 'XML entity declarations are not accepted',
      ko: 'XML 엔티티 선언은 허용되지 않습니다',
    });
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    return refuse({
      line,
      en: `Invalid XML: ${msg} (line ${line} column ${col})`,
      ko: `XML 구문 오류: ${msg} (${line}행 ${col}열)`,
    });
  }
  const specVersion = detectCycloneDxXmlVersion(text);
  const root = record(record(xmlParser.parse(text))?.bom);
  if (!root || !specVersion) {
    return refuse({
      pointer: '/bom',
      en: 'Not a CycloneDX XML BOM (root <bom> in a http://cyclonedx.org/schema/bom/1.x namespace)',
      ko: 'CycloneDX XML BOM이 아닙니다 (http://cyclonedx.org/schema/bom/1.x 네임스페이스의 <bom> 루트 필요)',
    });
  }
  const sink = createIssueSink(lenient, locateXmlPath);
  const conv: Conv = { sink };
  const meta = record(root.metadata);
  const tools = record(meta?.tools);
  const doc: Node = {
    bomFormat: 'CycloneDX',
    specVersion,
    ...(root['@serialNumber'] !== undefined ? { serialNumber: root['@serialNumber'] } : {}),
    ...(root['@version'] !== undefined ? { version: Number(root['@version']) } : {}),
    ...(meta
      ? {
          metadata: {
            ...texts(meta, ['timestamp'], '/metadata', conv),
            tools: tools
              ? [
                  ...list(tools.tool).map((t) =>
                    texts(record(t) ?? {}, ['vendor', 'name', 'version'], '/metadata/tools', conv),
                  ),
                  ...list(record(tools.components)?.component).map((c, i) =>
                    componentOf(c, joinPointer('/metadata/tools', i), conv),
                  ),
                ]
              : [],
            authors: list(record(meta.authors)?.author).map(entity),
            ...(meta.component !== undefined
              ? {
                  component: componentOf(
                    one(meta, 'component', '/metadata', conv),
                    '/metadata/component',
                    conv,
                  ),
                }
              : {}),
            ...(meta.supplier !== undefined ? { supplier: entity(meta.supplier) } : {}),
            licenses: licensesOf(meta.licenses, '/metadata/licenses', conv),
          },
        }
      : {}),
    components: list(record(root.components)?.component).map((c, i) =>
      componentOf(c, joinPointer('/components', i), conv),
    ),
    dependencies: dependenciesOf(root.dependencies),
    services: servicesOf(root.services),
  };
  return normalizeCycloneDx(doc, sink, 'cyclonedx-xml');
};
