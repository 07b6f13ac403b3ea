import { parentPort } from 'node:worker_threads';
import { AppError } from '@medsec/core';
import { readAdvisoryDocuments } from './advisory.files.ts';
import type { PrepareMessage, PrepareRequest } from './osv-batches.ts';
import { type PreparedOsv, prepareOsv } from './osv-prepare.ts';

/**
 * Worker thread of the OSV import: for each request, reads the documents under its paths, prepares them
 * (`osv-prepare.ts`) and posts them in batches. At most `window` batches are in flight: the thread waits for the
 * importer to take one before it prepares more, so a fast reader never piles up a feed in memory. The thread lives
 * as long as the process and serves one request at a time (loading the modules costs more than a small import).
 */
const port = parentPort;
if (!port) {
  throw new Error('osv-prepare.worker.ts runs as a worker thread');
}
let inFlight = 0;
let wake: (() => void) | undefined;

const post = async (message: PrepareMessage, window: number): Promise<void> => {
  while (inFlight >= window) {
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
  inFlight++;
  port.postMessage(message);
};

const run = async ({ paths, batchSize, window }: PrepareRequest): Promise<void> => {
  let items: PreparedOsv[] = [];
  let read = 0;
  let flagged = 0;
  let refused: { origin: string; message: string }[] = [];
  const flush = async (): Promise<void> => {
    await post({ type: 'batch', items, read, flagged, refused }, window);
    items = [];
    read = 0;
    flagged = 0;
    refused = [];
  };
  for (const path of paths) {
    for await (const doc of readAdvisoryDocuments(path)) {
      read++;
      const result = doc.ok ? prepareOsv(doc.doc) : ({ ok: false, message: doc.error } as const);
      if (result.ok) {
        items.push(result.item);
        flagged += result.flagged ? 1 : 0;
      } else {
        refused.push({ origin: doc.origin, message: result.message });
      }
      if (items.length >= batchSize) {
        await flush();
      }
    }
  }
  await flush();
};

port.on('message', (message: { type: 'start'; request: PrepareRequest } | { type: 'next' }) => {
  if (message.type === 'next') {
    inFlight--;
    wake?.();
    wake = undefined;
    return;
  }
  inFlight = 0;
  run(message.request).then(
    () => port.postMessage({ type: 'done' } satisfies PrepareMessage),
    (error: unknown) =>
      port.postMessage({
        type: 'failed',
        message: (error as Error).message,
        code: error instanceof AppError ? error.code : null,
        detail: error instanceof AppError ? (error.detail ?? null) : null,
      } satisfies PrepareMessage),
  );
});
