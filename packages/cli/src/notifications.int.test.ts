import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateProductSchema, CreateReleaseSchema } from '@medsec/core';
import {
  type Ctx,
  createProduct,
  createRelease,
  importOsv,
  loadConfig,
  matchSbom,
  openRuntime,
  systemActor,
  uploadSbom,
} from '@medsec/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../core/src/testing/corpora.ts';
import { INSULIN_PUMP } from '../../server/src/testing/fixtures.ts';

/**
 * The CLI of issue #5: `findings overdue`, `advisories sync` (against a local HTTP server: tests never reach the
 * internet) and `notifications test`, with their JSON output and exit codes. The commands run asynchronously here so
 * this process can serve the feeds they download.
 */
const BIN = fileURLToPath(new URL('../bin/medsec.js', import.meta.url));
const PASSWORD = 'Correct-Horse-9-Battery';
const root = mkdtempSync(join(tmpdir(), 'medsec-cli-notify-'));
const dir = join(root, 'data');
/** Each command boots the embedded database in its own process: tens of seconds on a busy machine. */
const SLOW = 600_000;

const run = (
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string; json: () => Record<string, unknown> }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, '--data-dir', dir], {
      env: { ...process.env, MEDSEC_LOG_LEVEL: 'silent', DATABASE_URL: '', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> }),
    );
    child.stdin.end(options.input ?? '');
  });

describe('medsec findings overdue, advisories sync, notifications test', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    const kev = readFileSync(corpus('catalogs', 'kev', 'known_exploited_vulnerabilities.json'));
    server = createServer((req, res) => {
      if (req.url === '/kev.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(kev);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const created = await run(['admin', 'create', '--email', 'admin@example.com', '--json'], {
      input: `${PASSWORD}\n`,
    });
    expect(created.code, created.stderr).toBe(0);
    // a product whose SBOM has findings; one of them found long ago, now 3 days past its due date
    const runtime = await openRuntime(loadConfig({ MEDSEC_DATA_DIR: dir, MEDSEC_LOG_LEVEL: 'silent' }));
    try {
      const [org] = await runtime.deps.db.query<{ id: string }>('SELECT id FROM organizations');
      const ctx: Ctx = {
        ...runtime.deps,
        actor: { ...systemActor('test'), organizationId: org!.id },
        requestId: null,
        ip: null,
      };
      // the services trust typed input: the schemas apply their defaults first, as at the API's edge
      const product = await createProduct(ctx, CreateProductSchema.parse(structuredClone(INSULIN_PUMP)));
      const release = await createRelease(ctx, product.id, CreateReleaseSchema.parse({ version: '1.0' }));
      const sbom = await uploadSbom(
        ctx,
        release.id,
        readFileSync(
          corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json'),
        ),
        { lenient: false, fileName: 'device.cdx.json' },
      );
      await importOsv(ctx, corpus('osv', 'ghsa-targeted'));
      await matchSbom(ctx, sbom.id);
      await runtime.deps.db.query(
        `UPDATE findings SET due_date = (current_date - 3) WHERE id = (SELECT min(id::text)::uuid FROM findings)`,
      );
    } finally {
      await runtime.close();
    }
  }, SLOW);
  afterAll(() => {
    server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it(
    'findings overdue lists overdue findings with days overdue, and due-soon ones with --within',
    async () => {
      const overdue = await run(['findings', 'overdue', '--json']);
      expect(overdue.code, overdue.stderr).toBe(0);
      const doc = overdue.json() as {
        counts: { overdue: number; dueSoon: number };
        items: { daysOverdue: number; status: string; product: string; vulnerabilityId: string }[];
      };
      expect(doc.counts).toEqual({ overdue: 1, dueSoon: 0 });
      expect(doc.items[0]).toMatchObject({ daysOverdue: 3, status: 'overdue', product: INSULIN_PUMP.name });
      const within = (await run(['findings', 'overdue', '--within', '60', '--json'])).json() as {
        counts: { overdue: number; dueSoon: number };
      };
      expect(within.counts.overdue).toBe(1);
      expect(within.counts.dueSoon).toBeGreaterThan(0);
      expect((await run(['findings', 'overdue', '--within', 'soon'])).code).toBe(2);
      const bad = await run(['findings', 'overdue', '--severity', 'urgent', '--json']);
      expect(bad.code).toBe(3);
      expect(bad.json().code).toBe('VALIDATION_FAILED');
    },
    SLOW,
  );

  it(
    'advisories sync runs the configured feeds once with progress on stderr; a failing feed exits 1',
    async () => {
      expect((await run(['advisories', 'sync'])).code).toBe(2); // no feeds configured
      const ok = await run(['advisories', 'sync', '--json'], {
        env: { MEDSEC_ADVISORY_FEEDS: `kev=${base}/kev.json` },
      });
      expect(ok.code, ok.stderr).toBe(0);
      const doc = ok.json() as {
        ok: boolean;
        feeds: { source: string; ok: boolean; counts: { read: number } }[];
      };
      expect(doc.ok).toBe(true);
      expect(doc.feeds[0]).toMatchObject({ source: 'kev', ok: true });
      expect(doc.feeds[0]!.counts.read).toBeGreaterThan(1000);
      expect(ok.stderr).toContain(`downloading ${base}/kev.json`);
      const failing = await run(['advisories', 'sync', '--json'], {
        env: { MEDSEC_ADVISORY_FEEDS: `kev=${base}/kev.json,osv=${base}/missing.zip` },
      });
      expect(failing.code).toBe(1);
      const failed = failing.json() as { ok: boolean; feeds: { ok: boolean; error?: string }[] };
      expect(failed.ok).toBe(false);
      expect(failed.feeds[1]!.error).toMatch(/404/);
    },
    SLOW,
  );

  it(
    'notifications test refuses when no channel is configured',
    async () => {
      const res = await run(['notifications', 'test', '--json']);
      expect(res.code).toBe(1);
      expect(res.json().code).toBe('PRECONDITION_FAILED');
    },
    SLOW,
  );
});
