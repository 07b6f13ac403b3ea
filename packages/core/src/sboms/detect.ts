import { detectCycloneDxXmlVersion } from './cyclonedx-xml.parse.ts';
import type { DetectedFormat } from './sboms.schemas.ts';

const JSON_MARKERS: [RegExp, DetectedFormat][] = [
  [/"bomFormat"\s*:\s*"CycloneDX"/, 'cyclonedx-json'],
  [/"spdxVersion"\s*:\s*"SPDX-2\.\d+"/, 'spdx-json'],
  [/"@context"\s*:\s*(?:\[\s*)?"https?:\/\/spdx\.org\/rdf\/3\.[^"]*"/, 'spdx-3-jsonld'],
];

/**
 * The SBOM format of a document, from its content alone — never from the file name (the bom-shelter
 * `grype-sbom-modified.spdx.json` is tag-value under a `.json` name). JSON documents are recognised by their
 * marker key wherever it stands (keys are often sorted, so `bomFormat` may come last), even when the JSON itself
 * is broken, so the parser can name the error.
 */
export const detectSbomFormat = (text: string): DetectedFormat => {
  const head = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).trimStart();
  const first = head[0];
  if (first === '{' || first === '[') {
    let best: { at: number; format: DetectedFormat } | undefined;
    for (const [re, format] of JSON_MARKERS) {
      const at = head.search(re);
      if (at >= 0 && (!best || at < best.at)) {
        best = { at, format };
      }
    }
    return best?.format ?? 'unknown';
  }
  if (first === '<') {
    if (detectCycloneDxXmlVersion(head)) {
      return 'cyclonedx-xml';
    }
    const start = head.slice(0, 8192);
    if (/<rdf:RDF\b/.test(start) && /spdx\.org\/rdf\/terms/.test(start)) {
      return 'spdx-rdf-xml';
    }
    return /<spdxVersion>\s*SPDX-2\.\d+\s*<\/spdxVersion>/.test(start) ? 'spdx-xml' : 'unknown';
  }
  if (/^SPDXVersion\s*:\s*SPDX-2\.\d+\s*$/m.test(head)) {
    return 'spdx-tag-value';
  }
  return /^["']?spdxVersion["']?\s*:\s*["']?SPDX-2\.\d+["']?\s*$/m.test(head) ? 'spdx-yaml' : 'unknown';
};
