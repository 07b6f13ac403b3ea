import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { AppError, ErrorCode } from '@medsec/core';
import { unzipSync } from 'fflate';

/**
 * Reads advisory documents from what vendors publish, offline: one JSON document (a record or an array), a directory
 * of them (recursively), a zip archive of an ecosystem as OSV publishes it, or a `.jsonl.gz` / `.jsonl` stream (one
 * record per line). Yields parsed documents with where they came from; a malformed one is yielded as an error so the
 * import can count and report it without stopping.
 */
export type AdvisoryDocument =
  | { ok: true; origin: string; doc: unknown }
  | { ok: false; origin: string; error: string };

const MAX_JSON_BYTES = 64 * 1024 * 1024;

const parse = (origin: string, text: string): AdvisoryDocument => {
  try {
    return { ok: true, origin, doc: JSON.parse(text) };
  } catch (e) {
    return { ok: false, origin, error: `not valid JSON: ${(e as Error).message}` };
  }
};

function* expand(item: AdvisoryDocument): Generator<AdvisoryDocument> {
  if (item.ok && Array.isArray(item.doc)) {
    for (const [i, doc] of item.doc.entries()) {
      yield { ok: true, origin: `${item.origin}[${i}]`, doc };
    }
  } else {
    yield item;
  }
}

async function* jsonLines(path: string, gz: boolean): AsyncGenerator<AdvisoryDocument> {
  const stream = createReadStream(path);
  const lines = createInterface({ input: gz ? stream.pipe(createGunzip()) : stream, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim()) {
      yield parse(`${path}:${n}`, line);
    }
  }
}

/** Every advisory document under `path`, in a stable order. */
export async function* readAdvisoryDocuments(path: string): AsyncGenerator<AdvisoryDocument> {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch (cause) {
    throw new AppError(ErrorCode.NOT_FOUND, {
      detail: `${path}: no such file or directory / 파일이 없습니다`,
      cause,
    });
  }
  if (stat.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name.startsWith('.')) {
        continue;
      }
      const child = join(path, name);
      if (statSync(child).isDirectory() || /\.(json|jsonl|jsonl\.gz|zip)$/i.test(name)) {
        yield* readAdvisoryDocuments(child);
      }
    }
    return;
  }
  if (/\.jsonl\.gz$/i.test(path) || /\.jsonl$/i.test(path)) {
    yield* jsonLines(path, /\.gz$/i.test(path));
    return;
  }
  if (stat.size > MAX_JSON_BYTES && !/\.zip$/i.test(path)) {
    throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, {
      detail: `${path}: larger than ${MAX_JSON_BYTES} bytes`,
    });
  }
  const bytes = readFileSync(path);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes, { filter: (f) => /\.json$/i.test(f.name) });
    } catch (cause) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, {
        detail: `${path}: not a readable zip archive`,
        cause,
      });
    }
    for (const name of Object.keys(entries).sort()) {
      yield* expand(parse(`${path}!${name}`, new TextDecoder().decode(entries[name])));
    }
    return;
  }
  yield* expand(parse(path, new TextDecoder().decode(bytes)));
}
