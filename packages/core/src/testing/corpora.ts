import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared public corpora (real SBOMs, OSV advisories, CSAF, CVSS vectors …) used by tests and benchmarks.
 * MEDSEC_CORPORA_DIR overrides the default `../shared/corpora` beside the repository. A test that needs the corpora
 * and cannot find them fails loudly (never skips).
 */
export const CORPORA_DIR = resolve(
  process.env.MEDSEC_CORPORA_DIR ??
    join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', 'shared', 'corpora'),
);

/** The absolute path of a corpus file; throws with a clear message when it is missing. */
export const corpus = (...parts: string[]): string => {
  const path = join(CORPORA_DIR, ...parts);
  if (!existsSync(path)) {
    throw new Error(`Corpus file not found: ${path} (set MEDSEC_CORPORA_DIR to the shared corpora folder)`);
  }
  return path;
};
