import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../../../core/src/testing/corpora.ts';
import { drainJobs } from '../../platform/jobs/jobs.service.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { scheduleAdvisorySync } from './advisories.sync.ts';

/**
 * The online sync against a local HTTP server (tests never reach the internet): an OSV zip as osv.dev publishes one
 * per ecosystem, and the CISA KEV JSON; a second run is incremental; a failing feed is reported without stopping
 * the others; the job schedules its next run.
 */
describe('advisory feed sync', () => {
  let server: Server;
  let base = '';
  let t: TestApp;
  let requests = 0;
  beforeAll(async () => {
    const dir = corpus('osv', 'ghsa-targeted');
    const zip = Buffer.from(
      zipSync(
        Object.fromEntries(readdirSync(dir).map((f) => [f, strToU8(readFileSync(join(dir, f), 'utf8'))])),
      ),
    );
    const kev = readFileSync(corpus('catalogs', 'kev', 'known_exploited_vulnerabilities.json'));
    server = createServer((req, res) => {
      requests++;
      if (req.url === '/osv/all.zip') {
        res.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length }).end(zip);
      } else if (req.url === '/kev.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(kev);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    t = await createTestApp({
      env: {
        MEDSEC_ADVISORY_FEEDS: `osv=${base}/osv/all.zip,kev=${base}/kev.json,osv=${base}/missing.zip`,
        MEDSEC_ADVISORY_SYNC_HOURS: '12',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    server?.close();
  });

  it('downloads the feeds, imports them incrementally and schedules the next run', async () => {
    const id = await scheduleAdvisorySync(t.deps);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await scheduleAdvisorySync(t.deps)).toBe(id); // one queued sync at a time
    await drainJobs(t.deps, t.jobs);
    const [job] = await t.deps.db.query<{
      status: string;
      result: {
        feeds: { url: string; ok: boolean; counts?: { created?: number; read?: number }; error?: string }[];
      };
    }>('SELECT status, result FROM jobs WHERE id = $1', [id]);
    expect(job?.status).toBe('succeeded');
    const [osv, kev, missing] = job!.result.feeds;
    expect(osv).toMatchObject({ ok: true, counts: { created: 8 } });
    expect(kev?.ok).toBe(true);
    expect(kev?.counts?.read).toBeGreaterThan(1000);
    expect(missing).toMatchObject({ ok: false });
    expect(missing?.error).toMatch(/404/);
    const [next] = await t.deps.db.query<{ run_at: Date }>(
      `SELECT run_at FROM jobs WHERE type = 'advisories.sync' AND status = 'queued'`,
    );
    expect(next!.run_at.getTime() - t.clock.now().getTime()).toBe(12 * 3_600_000);
    // the next run imports nothing new
    t.clock.advance(12 * 3_600_000);
    const before = requests;
    await drainJobs(t.deps, t.jobs);
    expect(requests).toBe(before + 3);
    const [second] = await t.deps.db.query<{
      result: { feeds: { counts?: { unchanged?: number; created?: number } }[] };
    }>(
      `SELECT result FROM jobs WHERE type = 'advisories.sync' AND status = 'succeeded' ORDER BY finished_at DESC LIMIT 1`,
    );
    expect(second!.result.feeds[0]!.counts).toMatchObject({ created: 0, unchanged: 8 });
  });
});
