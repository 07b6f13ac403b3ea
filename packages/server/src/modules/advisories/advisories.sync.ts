import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { type Deps, systemActor } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { enqueueJob } from '../../platform/jobs/jobs.service.ts';
import { importEpss, importKev, importOsv } from './advisories.service.ts';
import { importNvd } from './cpe-matching.service.ts';

/**
 * The online sync: when feeds are configured (MEDSEC_ADVISORY_FEEDS), a job downloads each one to a temporary file and
 * hands it to the same importers as the offline import (so it is incremental and idempotent), then schedules its next
 * run. Without feeds nothing ever touches the network.
 */
const MAX_FEED_BYTES = 2 * 1024 * 1024 * 1024;

const download = async (url: string, file: string): Promise<number> => {
  const res = await fetch(url, { signal: AbortSignal.timeout(10 * 60_000), redirect: 'follow' });
  if (!res.ok || !res.body) {
    throw new Error(`${url}: HTTP ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_FEED_BYTES) {
    throw new Error(`${url}: ${declared} bytes is over the feed limit`);
  }
  let size = 0;
  const body = Readable.fromWeb(res.body as ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_FEED_BYTES) {
      body.destroy(new Error(`${url}: over the feed limit`));
    }
  });
  await pipeline(body, createWriteStream(file));
  return size;
};

/** Runs every configured feed once; each feed's outcome is reported, a failing feed does not stop the others. */
export const syncAdvisories = async (
  deps: Deps,
  progress?: (fraction: number, message: string) => Promise<void>,
) => {
  const results: {
    source: string;
    url: string;
    ok: boolean;
    bytes?: number;
    counts?: unknown;
    error?: string;
  }[] = [];
  const feeds = deps.config.advisorySync.feeds;
  for (const [i, feed] of feeds.entries()) {
    const dir = mkdtempSync(join(tmpdir(), 'medsec-feed-'));
    const name = new URL(feed.url).pathname.split('/').pop() || 'feed';
    const file = join(dir, name.replace(/[^A-Za-z0-9._-]/g, '_'));
    try {
      await progress?.(i / Math.max(1, feeds.length), `downloading ${feed.url}`);
      const bytes = await download(feed.url, file);
      const counts =
        feed.source === 'kev'
          ? await importKev(deps, file)
          : feed.source === 'epss'
            ? await importEpss(deps, file)
            : feed.source === 'nvd'
              ? await importNvd(deps, file)
              : await importOsv(deps, file);
      results.push({ ...feed, ok: true, bytes, counts });
    } catch (error) {
      results.push({ ...feed, ok: false, error: (error as Error).message });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
};

/** Makes sure one sync job is queued (at server start and after each run) when feeds are configured. */
export const scheduleAdvisorySync = async (
  deps: Deps,
  q: Queryable = deps.db,
  delayMs = 0,
): Promise<string | null> => {
  if (deps.config.advisorySync.feeds.length === 0) {
    return null;
  }
  const [queued] = await q.query<{ id: string }>(
    `SELECT id FROM jobs WHERE type = 'advisories.sync' AND status IN ('queued', 'running') LIMIT 1`,
  );
  if (queued) {
    return queued.id;
  }
  const ctx = { ...deps, actor: systemActor('advisory-sync'), requestId: null, ip: null };
  return deps.db.transaction((tx) =>
    enqueueJob(ctx, tx, {
      type: 'advisories.sync',
      organizationId: null,
      runAt: new Date(deps.clock.now().getTime() + delayMs),
      maxAttempts: 2,
    }),
  );
};

/** Queues the next run one interval from now (called by the running sync job itself). */
export const scheduleNextAdvisorySync = async (deps: Deps): Promise<void> => {
  if (deps.config.advisorySync.feeds.length === 0) {
    return;
  }
  const ctx = { ...deps, actor: systemActor('advisory-sync'), requestId: null, ip: null };
  await deps.db.transaction((tx) =>
    enqueueJob(ctx, tx, {
      type: 'advisories.sync',
      organizationId: null,
      runAt: new Date(deps.clock.now().getTime() + deps.config.advisorySync.intervalMs),
      maxAttempts: 2,
    }),
  );
};
