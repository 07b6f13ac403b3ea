import type { ExportOptions } from './export-cyclonedx.ts';
import { buildCycloneDxObject } from './export-cyclonedx.ts';
import { list, record } from './normalize.ts';
import type { Sbom } from './sboms.schemas.ts';

type Json = Record<string, unknown>;

interface XNode {
  tag: string;
  attrs?: Record<string, unknown>;
  text?: string;
  children?: XNode[];
}

const escapeXml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

const render = (n: XNode, indent: string): string => {
  const attrs = Object.entries(n.attrs ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  if (n.text !== undefined) {
    return `${indent}<${n.tag}${attrs}>${escapeXml(n.text)}</${n.tag}>\n`;
  }
  if (!n.children?.length) {
    return `${indent}<${n.tag}${attrs}/>\n`;
  }
  return `${indent}<${n.tag}${attrs}>\n${n.children.map((c) => render(c, `${indent}  `)).join('')}${indent}</${n.tag}>\n`;
};

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Text elements in the given order (the XSD sequences are ordered). */
const leaves = (o: Json, tags: string[]): XNode[] =>
  tags.flatMap((t) => (str(o[t]) !== undefined ? [{ tag: t, text: str(o[t]) as string }] : []));

const wrap = (tag: string, children: XNode[]): XNode[] => (children.length ? [{ tag, children }] : []);

const contactNodes = (v: unknown): XNode[] => {
  const c = record(v) ?? {};
  return leaves(c, ['name', 'email']);
};

const licensesNode = (v: unknown): XNode[] =>
  wrap(
    'licenses',
    list(v).map((entry) => {
      const e = record(entry) ?? {};
      const expression = str(e.expression);
      return expression !== undefined
        ? { tag: 'expression', text: expression }
        : { tag: 'license', children: leaves(record(e.license) ?? {}, ['id', 'name']) };
    }),
  );

/** A component in the order of the CycloneDX 1.6 XSD `component` sequence. */
const componentNode = (v: unknown): XNode => {
  const c = record(v) ?? {};
  const supplier = record(c.supplier);
  const swid = record(c.swid);
  return {
    tag: 'component',
    attrs: { type: c.type, 'bom-ref': c['bom-ref'] },
    children: [
      ...(supplier
        ? [
            {
              tag: 'supplier',
              children: [
                ...leaves(supplier, ['name']),
                ...list(supplier.contact).map((x) => ({ tag: 'contact', children: contactNodes(x) })),
              ],
            },
          ]
        : []),
      ...wrap(
        'authors',
        list(c.authors).map((a) => ({ tag: 'author', children: contactNodes(a) })),
      ),
      ...leaves(c, ['publisher', 'group', 'name', 'version', 'description', 'scope']),
      ...wrap(
        'hashes',
        list(c.hashes).map((h) => ({
          tag: 'hash',
          attrs: { alg: record(h)?.alg },
          text: str(record(h)?.content) ?? '',
        })),
      ),
      ...licensesNode(c.licenses),
      ...leaves(c, ['copyright', 'cpe', 'purl']),
      ...(swid ? [{ tag: 'swid', attrs: { tagId: swid.tagId, name: swid.name } }] : []),
      ...wrap(
        'properties',
        list(c.properties).map((p) => ({
          tag: 'property',
          attrs: { name: record(p)?.name },
          text: str(record(p)?.value) ?? '',
        })),
      ),
      ...wrap('components', list(c.components).map(componentNode)),
    ],
  };
};

/**
 * CycloneDX 1.6 XML text of a normalised SBOM, written from the same object as the JSON export and in the element
 * order of the 1.6 XSD; deterministic like the JSON.
 */
export const writeCycloneDxXml = (sbom: Sbom, options: ExportOptions = {}): string => {
  const bom = buildCycloneDxObject(sbom, options);
  const meta = record(bom.metadata) ?? {};
  const tools = list(record(meta.tools)?.components);
  const supplier = record(meta.supplier);
  const root: XNode = {
    tag: 'bom',
    attrs: {
      xmlns: 'http://cyclonedx.org/schema/bom/1.6',
      serialNumber: bom.serialNumber,
      version: bom.version,
    },
    children: [
      ...(Object.keys(meta).length
        ? [
            {
              tag: 'metadata',
              children: [
                ...leaves(meta, ['timestamp']),
                ...wrap('tools', wrap('components', tools.map(componentNode))),
                ...wrap(
                  'authors',
                  list(meta.authors).map((a) => ({ tag: 'author', children: contactNodes(a) })),
                ),
                ...(meta.component ? [componentNode(meta.component)] : []),
                ...(supplier ? [{ tag: 'supplier', children: leaves(supplier, ['name']) }] : []),
                ...licensesNode(meta.licenses),
              ],
            },
          ]
        : []),
      ...wrap('components', list(bom.components).map(componentNode)),
      ...wrap(
        'dependencies',
        list(bom.dependencies).map((d) => ({
          tag: 'dependency',
          attrs: { ref: record(d)?.ref },
          children: list(record(d)?.dependsOn).map((ref) => ({ tag: 'dependency', attrs: { ref } })),
        })),
      ),
    ],
  };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(root, '')}`;
};
