import type { IssueSink } from './issues.ts';
import { joinPointer, refuse } from './issues.ts';
import {
  classifyFdaProperty,
  isCpe,
  isDateTime,
  isNoAssertion,
  list,
  normalizeHash,
  normalizeLicenseExpression,
  normalizePurl,
  optional,
  parseSpdxParty,
  record,
  text,
} from './normalize.ts';
import type { Component, ComponentType, DetectedFormat, Hash, Sbom, Tool } from './sboms.schemas.ts';

/** SPDX 2.3 `primaryPackagePurpose` → component type. */
const PURPOSE_TYPES: Record<string, ComponentType> = {
  APPLICATION: 'application',
  FRAMEWORK: 'framework',
  LIBRARY: 'library',
  CONTAINER: 'container',
  'OPERATING-SYSTEM': 'operating-system',
  DEVICE: 'device',
  FIRMWARE: 'firmware',
  SOURCE: 'source',
  ARCHIVE: 'archive',
  FILE: 'file',
  INSTALL: 'install',
  OTHER: 'other',
};

/** Relationships read as "from depends on / contains to". */
const FORWARD = new Set(['DEPENDS_ON', 'CONTAINS', 'DYNAMIC_LINK', 'STATIC_LINK', 'HAS_PREREQUISITE']);
/** Relationships read the other way round ("A DEPENDENCY_OF B" = B depends on A). */
const REVERSE = new Set([
  'DEPENDENCY_OF',
  'CONTAINED_BY',
  'RUNTIME_DEPENDENCY_OF',
  'BUILD_DEPENDENCY_OF',
  'DEV_DEPENDENCY_OF',
  'OPTIONAL_DEPENDENCY_OF',
  'PROVIDED_DEPENDENCY_OF',
  'TEST_DEPENDENCY_OF',
  'PREREQUISITE_FOR',
  'PACKAGE_OF',
]);

/** `Tool: syft-0.33.0` → name `syft`, version `0.33.0`. */
export const parseSpdxTool = (raw: string): Tool => {
  const m = /^(.+?)[-@ ]v?(\d[\w.+-]*)$/.exec(raw.trim());
  return m?.[1] && m[2] ? { name: m[1], version: m[2] } : { name: raw.trim() };
};

const checksums = (raw: unknown, pointer: string, sink: IssueSink): Hash[] => {
  const out: Hash[] = [];
  list(raw).forEach((item, i) => {
    const c = record(item) ?? {};
    const r = normalizeHash(text(c.algorithm) ?? '', text(c.checksumValue) ?? '');
    if ('error' in r) {
      sink.add({
        dropped: 'field',
        pointer: joinPointer(pointer, i),
        en: `Checksum dropped: ${r.error.en}`,
        ko: `체크섬 제외: ${r.error.ko}`,
      });
    } else if (!out.some((h) => h.alg === r.alg && h.value === r.value)) {
      out.push(r);
    }
  });
  return out;
};

const licenseOf = (
  el: Record<string, unknown>,
  fields: string[],
  pointer: string,
  sink: IssueSink,
): { licenses?: string; licenseNames: string[] } => {
  for (const f of fields) {
    const raw = text(el[f]);
    if (raw === undefined || isNoAssertion(raw)) {
      continue;
    }
    const r = normalizeLicenseExpression(raw);
    if ('expression' in r) {
      return { licenses: r.expression, licenseNames: [] };
    }
    sink.add({
      dropped: 'field',
      severity: 'warning',
      pointer: joinPointer(pointer, f),
      en: `'${raw}' is no valid SPDX licence expression (${r.error}); kept as a licence name`,
      ko: `'${raw}'은(는) 올바른 SPDX 라이선스 표현식이 아닙니다 (${r.error}); 라이선스 이름으로 유지`,
    });
    return { licenseNames: [raw] };
  }
  return { licenseNames: [] };
};

/** FDA support fields from SPDX annotations written as `Level of Support: …` / `End-of-Support: …`. */
const fdaFromAnnotations = (raw: unknown): { supportLevel?: string; endOfSupport?: string } => {
  const out: { supportLevel?: string; endOfSupport?: string } = {};
  for (const a of list(raw)) {
    const m = /^([^:]{2,40}):\s*(.+)$/s.exec(text(record(a)?.comment) ?? '');
    const field = m?.[1] ? classifyFdaProperty(m[1]) : undefined;
    if (m?.[2] && field && out[field] === undefined) {
      out[field] = m[2].trim();
    }
  }
  return out;
};

interface Ctx {
  sink: IssueSink;
  ids: Set<string>;
}

const element = (
  raw: unknown,
  pointer: string,
  ctx: Ctx,
  kind: 'package' | 'file',
): Component | undefined => {
  const { sink } = ctx;
  const el = record(raw);
  const key = text(el?.SPDXID);
  const name = text(kind === 'package' ? el?.name : (el?.fileName ?? el?.name));
  const what = kind === 'package' ? 'Package' : 'File';
  if (!el || key === undefined || name === undefined || ctx.ids.has(key)) {
    const why =
      key === undefined
        ? { en: 'it has no SPDXID', ko: 'SPDXID가 없습니다' }
        : name === undefined
          ? { en: 'it has no name', ko: '이름이 없습니다' }
          : { en: `duplicate SPDXID '${key}'`, ko: `중복된 SPDXID '${key}'` };
    sink.add({
      dropped: 'component',
      pointer,
      en: `${what} dropped: ${why.en}`,
      ko: `${kind === 'package' ? '패키지' : '파일'} 제외: ${why.ko}`,
    });
    return undefined;
  }
  ctx.ids.add(key);
  let purl: string | undefined;
  let cpe: string | undefined;
  let swid: string | undefined;
  list(el.externalRefs).forEach((ref, i) => {
    const r = record(ref) ?? {};
    const type = text(r.referenceType) ?? '';
    const locator = text(r.referenceLocator) ?? '';
    const at = joinPointer(pointer, 'externalRefs', i);
    if (type === 'purl' && purl === undefined) {
      const p = normalizePurl(locator);
      if ('purl' in p) {
        purl = p.purl;
      } else {
        sink.add({
          dropped: 'field',
          pointer: at,
          en: `Invalid purl '${locator}' dropped (${p.error})`,
          ko: `잘못된 purl '${locator}' 제외 (${p.error})`,
        });
      }
    } else if ((type === 'cpe23Type' || type === 'cpe22Type') && cpe === undefined) {
      if (isCpe(locator)) {
        cpe = locator;
      } else {
        sink.add({
          dropped: 'field',
          pointer: at,
          en: `Invalid CPE '${locator}' dropped`,
          ko: `잘못된 CPE '${locator}' 제외`,
        });
      }
    } else if (type === 'swid' && swid === undefined) {
      swid = locator || undefined;
    }
  });
  const purpose = text(el.primaryPackagePurpose)?.toUpperCase().replace(/_/g, '-');
  const type: ComponentType =
    kind === 'file' ? 'file' : ((purpose ? PURPOSE_TYPES[purpose] : undefined) ?? 'library');
  const copyright = text(el.copyrightText);
  const validUntil = text(el.validUntilDate);
  const fda = fdaFromAnnotations(el.annotations);
  return {
    key,
    type,
    name,
    ...optional('version', text(el.versionInfo)),
    ...optional('purl', purl),
    ...optional('cpe', cpe),
    ...optional('swid', swid),
    ...optional('supplier', parseSpdxParty(text(el.supplier) ?? '')),
    ...optional('author', parseSpdxParty(text(el.originator) ?? '')),
    hashes: checksums(el.checksums, joinPointer(pointer, 'checksums'), sink),
    ...licenseOf(el, ['licenseConcluded', 'licenseDeclared'], pointer, sink),
    ...optional('copyright', copyright && !isNoAssertion(copyright) ? copyright : undefined),
    ...optional('description', text(el.description) ?? text(el.summary)),
    properties: [],
    ...optional('supportLevel', fda.supportLevel),
    ...optional('endOfSupport', validUntil ?? fda.endOfSupport),
  };
};

/**
 * Normalises an SPDX 2.x document in its JSON shape (JSON, YAML, or tag-value converted to it). Packages and
 * files become components; dependency-like relationships (DEPENDS_ON, CONTAINS, *_DEPENDENCY_OF …) the graph.
 * @throws AppError VALIDATION_FAILED when it is no SPDX 2 document, or (strict) on any issue
 */
export const normalizeSpdx2 = (raw: unknown, sink: IssueSink, sourceFormat: DetectedFormat): Sbom => {
  const doc = record(raw);
  const spdxVersion = text(doc?.spdxVersion) ?? '';
  const m = /^SPDX-(2\.\d)$/.exec(spdxVersion);
  if (!doc || !m?.[1]) {
    return refuse({
      pointer: '/spdxVersion',
      en: `Not an SPDX 2 document (spdxVersion '${spdxVersion}')`,
      ko: `SPDX 2 문서가 아닙니다 (spdxVersion '${spdxVersion}')`,
    });
  }
  const ctx: Ctx = { sink, ids: new Set() };
  const documentId = text(doc.SPDXID) ?? 'SPDXRef-DOCUMENT';
  const components: Component[] = [];
  list(doc.packages).forEach((p, i) => {
    const c = element(p, joinPointer('/packages', i), ctx, 'package');
    if (c) {
      components.push(c);
    }
  });
  list(doc.files).forEach((f, i) => {
    const c = element(f, joinPointer('/files', i), ctx, 'file');
    if (c) {
      components.push(c);
    }
  });
  const ignorable = new Set([documentId, 'NOASSERTION', 'NONE']);
  for (const s of list(doc.snippets)) {
    const id = text(record(s)?.SPDXID);
    if (id) {
      ignorable.add(id);
    }
  }
  const describes = new Set(list(doc.documentDescribes).flatMap((d) => text(d) ?? []));
  const graph = new Map<string, Set<string>>();
  const edge = (from: string, to: string): void => {
    const set = graph.get(from) ?? new Set<string>();
    set.add(to);
    graph.set(from, set);
  };
  list(doc.packages).forEach((p) => {
    const pkg = record(p);
    const from = text(pkg?.SPDXID);
    for (const f of list(pkg?.hasFiles)) {
      const to = text(f);
      if (from && to && ctx.ids.has(from) && ctx.ids.has(to)) {
        edge(from, to);
      }
    }
  });
  list(doc.relationships).forEach((r, i) => {
    const rel = record(r) ?? {};
    const a = text(rel.spdxElementId) ?? '';
    const type = (text(rel.relationshipType) ?? '').toUpperCase();
    const b = text(rel.relatedSpdxElement) ?? '';
    const unknown = [a, b].find(
      (id) => !ctx.ids.has(id) && !ignorable.has(id) && !id.startsWith('DocumentRef-'),
    );
    if (unknown !== undefined) {
      sink.add({
        dropped: 'dependency',
        pointer: joinPointer('/relationships', i),
        en: `Relationship ${a} ${type} ${b} dropped: '${unknown}' is not in the document`,
        ko: `관계 ${a} ${type} ${b} 제외: 문서에 '${unknown}'이(가) 없습니다`,
      });
      return;
    }
    if (type === 'DESCRIBES' && a === documentId && ctx.ids.has(b)) {
      describes.add(b);
    } else if (type === 'DESCRIBED_BY' && b === documentId && ctx.ids.has(a)) {
      describes.add(a);
    } else if (ctx.ids.has(a) && ctx.ids.has(b) && a !== b) {
      if (FORWARD.has(type)) {
        edge(a, b);
      } else if (REVERSE.has(type)) {
        edge(b, a);
      }
    }
  });
  const info = record(doc.creationInfo) ?? {};
  let created = text(info.created);
  if (created !== undefined && !isDateTime(created)) {
    sink.add({
      dropped: 'field',
      pointer: '/creationInfo/created',
      en: `Created '${created}' is no date-time; dropped`,
      ko: `생성 시각 '${created}'은(는) 날짜-시간 형식이 아니어서 제외`,
    });
    created = undefined;
  }
  const creators = list(info.creators).flatMap((c) => text(c) ?? []);
  const dataLicense = text(doc.dataLicense);
  return {
    metadata: {
      format: 'spdx',
      sourceFormat,
      specVersion: m[1],
      ...optional('serialNumber', text(doc.documentNamespace)),
      ...optional('name', text(doc.name)),
      ...optional('created', created),
      tools: creators
        .filter((c) => /^Tool\s*:/i.test(c))
        .map((c) => parseSpdxTool(c.replace(/^Tool\s*:\s*/i, ''))),
      authors: creators.flatMap((c) => parseSpdxParty(c) ?? []),
      ...optional('dataLicense', dataLicense),
      describes: [...describes].filter((d) => ctx.ids.has(d)),
    },
    components,
    dependencies: [...graph].map(([from, to]) => ({ from, to: [...to] })),
    issues: sink.issues,
  };
};
