import { parse as parseYaml, YAMLParseError } from 'yaml';
import { AppError } from '../errors.ts';
import { normalizeCycloneDx } from './cyclonedx.parse.ts';
import { parseCycloneDxXml } from './cyclonedx-xml.parse.ts';
import { detectSbomFormat } from './detect.ts';
import type { Locate } from './issues.ts';
import { createIssueSink, refuse } from './issues.ts';
import { parseJsonText } from './json-text.ts';
import type { ParseSbomOptions, Sbom } from './sboms.schemas.ts';
import { normalizeSpdx2 } from './spdx.parse.ts';
import { spdxTagValueToJson } from './spdx-tag-value.parse.ts';
import { normalizeSpdx3 } from './spdx3.parse.ts';

/**
 * Parses an SBOM of any supported format (found by `detectSbomFormat`, never by file name) into the normalised
 * SBOM: CycloneDX 1.0–1.7 JSON and XML, SPDX 2.2/2.3 JSON, YAML and tag-value, SPDX 3.0 JSON-LD.
 *
 * Strict mode (default) refuses a malformed document on the first problem, naming its JSON pointer (an element
 * path for XML) or line. Lenient mode imports what is sound and lists in `issues` what it dropped and why; a
 * document that cannot be read at all (unrepairable JSON, broken XML) is refused in both modes, so nothing is
 * half-imported. MFDS 2025 art. 16: the SBOM is the manufacturer's inventory of every component of a release.
 * @throws AppError UNSUPPORTED_FORMAT when the content is no supported SBOM format
 * @throws AppError VALIDATION_FAILED when the document is malformed (strict) or unreadable (both modes)
 */
export const parseSbom = (text: string, options: ParseSbomOptions = {}): Sbom => {
  const lenient = options.lenient ?? false;
  const format = detectSbomFormat(text);
  switch (format) {
    case 'cyclonedx-json': {
      const sink = createIssueSink(lenient);
      return normalizeCycloneDx(parseJsonText(text, sink), sink, format);
    }
    case 'cyclonedx-xml':
      return parseCycloneDxXml(text, lenient);
    case 'spdx-json': {
      const sink = createIssueSink(lenient);
      return normalizeSpdx2(parseJsonText(text, sink), sink, format);
    }
    case 'spdx-yaml': {
      let doc: unknown;
      try {
        doc = parseYaml(text, { schema: 'core', maxAliasCount: 100 });
      } catch (e) {
        const line = e instanceof YAMLParseError ? e.linePos?.[0].line : undefined;
        const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
        return refuse({
          ...(line ? { line } : {}),
          en: `Invalid YAML: ${why}`,
          ko: `YAML 구문 오류: ${why}`,
        });
      }
      return normalizeSpdx2(doc, createIssueSink(lenient), format);
    }
    case 'spdx-tag-value': {
      let locate: Locate | undefined;
      const sink = createIssueSink(lenient, (pointer) => (locate ? locate(pointer) : { pointer }));
      const converted = spdxTagValueToJson(text, sink);
      locate = converted.locate;
      return normalizeSpdx2(converted.doc, sink, format);
    }
    case 'spdx-3-jsonld': {
      const sink = createIssueSink(lenient);
      return normalizeSpdx3(parseJsonText(text, sink), sink);
    }
    case 'spdx-rdf-xml':
    case 'spdx-xml':
      throw new AppError('UNSUPPORTED_FORMAT', {
        detail: `SPDX ${format === 'spdx-xml' ? 'XML' : 'RDF/XML'} is recognised but not imported; use SPDX JSON, YAML or tag-value / SPDX ${format === 'spdx-xml' ? 'XML' : 'RDF/XML'}은(는) 가져오지 않습니다; SPDX JSON, YAML 또는 tag-value를 사용하세요`,
      });
    default: {
      const near = nearMiss(text);
      if (near) {
        throw new AppError('UNSUPPORTED_FORMAT', {
          detail: `${near.en} / ${near.ko}`,
          errors: [{ path: near.path, message: `${near.en} / ${near.ko}` }],
        });
      }
      throw new AppError('UNSUPPORTED_FORMAT', {
        detail:
          'Not a CycloneDX (JSON, XML) or SPDX (JSON, YAML, tag-value, 3.0 JSON-LD) document / CycloneDX 또는 SPDX 문서가 아닙니다',
      });
    }
  }
};

/**
 * Why a document that looks like a CycloneDX one is not: a JSON `bomFormat` other than `CycloneDX`, or an XML `<bom>`
 * root in a namespace that is no CycloneDX version (the official `invalid-bomformat-*` and `invalid-namespace-*`), or
 * CycloneDX in protobuf text format (`*.textproto`), which is not imported.
 */
const nearMiss = (text: string): { path: string; en: string; ko: string } | undefined => {
  const head = text.slice(0, 8192);
  const bomFormat = /"bomFormat"\s*:\s*("(?:[^"\\]|\\.)*"|[^,}\s]+)/.exec(head)?.[1];
  if (bomFormat !== undefined) {
    return {
      path: '/bomFormat',
      en: `bomFormat ${bomFormat} is not "CycloneDX"`,
      ko: `bomFormat ${bomFormat}은(는) "CycloneDX"가 아닙니다`,
    };
  }
  if (/^#\s*proto-file:\s*\S*bom-1\.\d\.proto/m.test(head) || /^spec_version:\s*"1\.\d"/m.test(head)) {
    return {
      path: '/',
      en: 'CycloneDX protobuf (text format) is not imported; export the SBOM as CycloneDX JSON or XML',
      ko: 'CycloneDX protobuf(텍스트 형식)는 가져오지 않습니다; CycloneDX JSON 또는 XML로 내보내세요',
    };
  }
  const xmlns = /<(?:[\w.-]+:)?bom\b[^>]*?\sxmlns(?::[\w.-]+)?\s*=\s*["']([^"']*)["']/.exec(head)?.[1];
  if (xmlns !== undefined) {
    return {
      path: '/bom/@xmlns',
      en: `The <bom> namespace '${xmlns}' is no CycloneDX namespace (http://cyclonedx.org/schema/bom/1.0 … 1.7)`,
      ko: `<bom> 네임스페이스 '${xmlns}'은(는) CycloneDX 네임스페이스가 아닙니다`,
    };
  }
  return undefined;
};
