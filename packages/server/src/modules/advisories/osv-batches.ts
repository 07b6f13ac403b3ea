import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '@medsec/core';
import type { PreparedOsv } from './osv-prepare.ts';

/**
 * Prepared OSV records in batches, read and normalised on a worker thread (`osv-prepare.worker.ts`) while the caller
 * writes the previous batch: on a 2-core machine the parsing, checking and hashing of a feed then runs beside the
 * database (PostgreSQL's process, or PGlite, which runs in this thread) instead of between its statements.
 */
export interface PrepareRequest {
  /** Files, directories, zips or `.jsonl.gz` streams, read one after another into the same batches. */
  paths: readonly string[];
  batchSize: number;
  /** Batches the worker may have posted and the reader not yet taken. */
  window: number;
}

export type PrepareMessage =
  | {
      type: 'batch';
      items: PreparedOsv[];
      /** Documents read for this batch, accepted with warnings, and refused (with where and why). */
      read: number;
      flagged: number;
      refused: { origin: string; message: string }[];
    }
  | { type: 'done' }
  | { type: 'failed'; message: string; code: string | null; detail: string | null };

export type PreparedBatch = Extract<PrepareMessage, { type: 'batch' }>;

const WORKER_URL = new URL('./osv-prepare.worker.ts', import.meta.url);

/** The process's preparation thread, started on first use and kept (unref'd: it never holds the process open). */
let idle: Worker | undefined;

const takeWorker = (): Worker => {
  const worker = idle ?? new Worker(WORKER_URL);
  idle = undefined;
  worker.unref();
  return worker;
};

/**
 * Batches of prepared records from every document under `paths`. The thread goes back to the pool when the reader
 * has taken every batch; a reader that stops early (a failed write) ends the thread instead, so no batch of this
 * path can reach the next import.
 */
export async function* preparedOsvBatches(
  paths: readonly string[],
  batchSize: number,
): AsyncGenerator<PreparedBatch> {
  const worker = takeWorker();
  const queue: PrepareMessage[] = [];
  let waiting: (() => void) | undefined;
  let crashed: Error | undefined;
  const wake = () => {
    waiting?.();
    waiting = undefined;
  };
  const onMessage = (message: PrepareMessage) => {
    queue.push(message);
    wake();
  };
  const onError = (error: Error) => {
    crashed = error;
    wake();
  };
  const onExit = (code: number) => {
    crashed ??= new Error(`the OSV preparation thread stopped with exit code ${code}`);
    wake();
  };
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);
  let finished = false;
  try {
    worker.postMessage({ type: 'start', request: { paths, batchSize, window: 2 } satisfies PrepareRequest });
    for (;;) {
      const message = queue.shift();
      if (!message) {
        if (crashed) {
          throw crashed;
        }
        await new Promise<void>((resolve) => {
          waiting = resolve;
        });
        continue;
      }
      if (message.type === 'done') {
        finished = true;
        return;
      }
      if (message.type === 'failed') {
        finished = true;
        throw message.code
          ? new AppError(message.code as ErrorCode, { detail: message.detail ?? message.message })
          : new Error(message.message);
      }
      // taking a batch lets the worker prepare the next one
      worker.postMessage({ type: 'next' });
      yield message;
    }
  } finally {
    worker.off('message', onMessage);
    worker.off('error', onError);
    worker.off('exit', onExit);
    if (finished && !crashed && !idle) {
      idle = worker;
    } else {
      await worker.terminate();
    }
  }
}
