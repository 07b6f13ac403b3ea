import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../context.ts';
import { bootstrapAdmin } from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { drainJobs, enqueueJob, runNextJob } from './jobs.service.ts';

describe('job queue', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof bootstrapAdmin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await bootstrapAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('runs a job started through the API and shows its status and result', async () => {
    const created = await admin.client.post('/api/v1/jobs', { type: 'audit.verify' });
    expect(created.status).toBe(201);
    const job = created.json<{ id: string; status: string }>();
    expect(job.status).toBe('queued');
    expect(await drainJobs(t.deps, t.jobs)).toBe(1);
    const done = (await admin.client.get(`/api/v1/jobs/${job.id}`)).json<{
      status: string;
      progress: number;
      result: { ok: boolean };
    }>();
    expect(done).toMatchObject({ status: 'succeeded', progress: 1, result: { ok: true } });
  });

  it('retries with backoff, then fails for good, and can be retried by hand', async () => {
    let calls = 0;
    t.jobs.handlers.set('test.flaky', async ({ progress }) => {
      calls++;
      await progress(0.5, `attempt ${calls}`);
      if (calls < 4) {
        throw new Error(`failure ${calls}`);
      }
      return { calls };
    });
    const ctx = { ...t.systemCtx(admin.organizationId) };
    const id = await withTx(ctx, (tx) => enqueueJob(ctx, tx, { type: 'test.flaky', maxAttempts: 3 }));
    expect(await runNextJob(t.deps, t.jobs, 'w1')).toBe(true);
    let job = (await admin.client.get(`/api/v1/jobs/${id}`)).json<{
      status: string;
      attempts: number;
      lastError: string;
      runAt: string;
    }>();
    expect(job).toMatchObject({ status: 'retrying', attempts: 1, lastError: 'failure 1' });
    // not due yet: the backoff holds it back
    expect(await runNextJob(t.deps, t.jobs, 'w1')).toBe(false);
    t.clock.advance(10_001);
    expect(await runNextJob(t.deps, t.jobs, 'w1')).toBe(true);
    t.clock.advance(20_001);
    expect(await runNextJob(t.deps, t.jobs, 'w1')).toBe(true);
    job = (await admin.client.get(`/api/v1/jobs/${id}`)).json();
    expect(job).toMatchObject({ status: 'failed', attempts: 3, lastError: 'failure 3' });
    const [failedEvent] = await t.deps.db.query<{ outcome: string }>(
      "SELECT outcome FROM audit_events WHERE action = 'job.failed' AND target_id = $1",
      [id],
    );
    expect(failedEvent?.outcome).toBe('failure');
    expect((await admin.client.post(`/api/v1/jobs/${id}/retry`)).status).toBe(200);
    await drainJobs(t.deps, t.jobs);
    job = (await admin.client.get(`/api/v1/jobs/${id}`)).json();
    expect(job).toMatchObject({ status: 'succeeded', attempts: 1 });
    const list = (await admin.client.get('/api/v1/jobs?status=succeeded')).json<{
      items: { id: string }[];
    }>();
    expect(list.items.map((j) => j.id)).toContain(id);
  });

  it('runs each job exactly once with concurrent workers', async () => {
    const seen: string[] = [];
    t.jobs.handlers.set('test.count', async ({ job }) => {
      seen.push(job.id);
      await new Promise((r) => setTimeout(r, 5));
      return null;
    });
    const ctx = t.systemCtx(admin.organizationId);
    const ids = await withTx(ctx, async (tx) => {
      const out: string[] = [];
      for (let i = 0; i < 20; i++) {
        out.push(await enqueueJob(ctx, tx, { type: 'test.count' }));
      }
      return out;
    });
    const worker = async (name: string) => {
      while (await runNextJob(t.deps, t.jobs, name)) {
        // keep going
      }
    };
    await Promise.all([worker('a'), worker('b'), worker('c')]);
    expect([...seen].sort()).toEqual([...ids].sort());
    const [row] = await t.deps.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM jobs WHERE type = 'test.count' AND status = 'succeeded' AND attempts = 1",
    );
    expect(row?.n).toBe(20);
  });
});
