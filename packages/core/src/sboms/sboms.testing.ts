import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { corpus } from '../testing/corpora.ts';
import { parseSbom } from './parse.ts';
import type { Sbom } from './sboms.schemas.ts';

/** Text of a file under the shared `sbom/` corpus (gunzipped when it ends in `.gz`). Tests only. */
export const sbomText = (...parts: string[]): string => {
  const buf = readFileSync(corpus('sbom', ...parts));
  return (parts.at(-1)?.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
};

/** Parses a corpus SBOM. Tests only. */
export const sbomOf = (parts: string[], lenient = false): Sbom => parseSbom(sbomText(...parts), { lenient });

/** The `AppError` a function throws, for asserting on code and detail. Tests only. */
export const thrown = (
  fn: () => unknown,
): { code?: string; detail?: string; errors?: { path: string }[] } => {
  try {
    fn();
  } catch (e) {
    return e as { code?: string; detail?: string; errors?: { path: string }[] };
  }
  throw new Error('expected an error');
};

/** Edges of the dependency graph as sorted `from -> to` strings. Tests only. */
export const edgesOf = (sbom: Sbom): string[] =>
  sbom.dependencies.flatMap((d) => d.to.map((t) => `${d.from} -> ${t}`)).sort();
