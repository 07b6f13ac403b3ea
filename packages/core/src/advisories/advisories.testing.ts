/** Test-only helpers for reading the shared corpora (never imported by production code). */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Reads a JSON file or a gzip-compressed JSON file. */
export const readJson = (path: string): unknown => {
  const buf = readFileSync(path);
  return JSON.parse((path.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8'));
};

/** Reads a `.jsonl.gz` corpus file: one JSON document per line. */
export const readJsonLines = (path: string): unknown[] =>
  gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);

/** Deterministic pairs from a list: each item with the next one and with one further away. */
export const pairsOf = (items: string[]): [string, string][] => {
  const sorted = [...new Set(items)].sort();
  const pairs: [string, string][] = [];
  sorted.forEach((a, i) => {
    pairs.push([a, sorted[(i + 1) % sorted.length] as string]);
    pairs.push([a, sorted[(i * 7 + 3) % sorted.length] as string]);
  });
  return pairs;
};

/** All purl strings of an SPDX JSON or CycloneDX JSON document. */
export const purlsOf = (doc: unknown): string[] => {
  const out: string[] = [];
  const d = doc as {
    packages?: { externalRefs?: { referenceType?: string; referenceLocator?: string }[] }[];
    components?: { purl?: string; components?: unknown[] }[];
  };
  for (const p of d.packages ?? []) {
    for (const ref of p.externalRefs ?? []) {
      if (ref.referenceType === 'purl' && ref.referenceLocator) {
        out.push(ref.referenceLocator);
      }
    }
  }
  const walk = (components: { purl?: string; components?: unknown[] }[] | undefined): void => {
    for (const c of components ?? []) {
      if (c.purl) {
        out.push(c.purl);
      }
      walk(c.components as { purl?: string; components?: unknown[] }[] | undefined);
    }
  };
  walk(d.components);
  return out;
};
