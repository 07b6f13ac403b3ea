import { randomBytes } from 'node:crypto';
import { AppError, ErrorCode, type Job, type JobStatus, type Page, parseSort, uuidv7 } from '@medsec/core';
import { type Ctx, type Deps, orgOf, systemActor, withTx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';

/**
 * The durable job queue: rows in `jobs`, claimed with `FOR UPDATE SKIP LOCKED` so several server processes on
 * PostgreSQL never run one job twice; the same code runs on PGlite. Failed attempts retry with exponential
 * backoff until `max_attempts`; progress and errors are visible through the API.
 * Later modules register handlers (SBOM matching, advisory feed syncs).
 */
export interface JobContext {
  deps: Deps;
  job: Job & { payload: Record<string, unknown> };
  /** Reports progress between 0 and 1, with a short message. */
  progress(fraction: number, message?: string): Promise<void>;
}

export type JobHandler = (ctx: JobContext) => Promise<unknown>;

export interface JobRegistry {
  handlers: Map<string, JobHandler>;
}

export const createJobRegistry = (): JobRegistry => ({ handlers: new Map() });

interface JobRow {
  id: string;
  organization_id: string | null;
  type: string;
  payload: Record<string, unknown>;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  locked_by: string | null;
  locked_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  progress: number;
  progress_message: string | null;
  last_error: string | null;
  result: unknown;
  created_at: Date;
}

const toJob = (r: JobRow): Job => ({
  id: r.id,
  organizationId: r.organization_id,
  type: r.type,
  status: r.status,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  progress: Math.min(1, Math.max(0, r.progress)),
  progressMessage: r.progress_message,
  lastError: r.last_error,
  result: r.result ?? null,
  runAt: r.run_at.toISOString(),
  startedAt: r.started_at?.toISOString() ?? null,
  finishedAt: r.finished_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

/** Enqueues inside the caller's transaction, so a job exists exactly when the change that needs it does. */
export const enqueueJob = async (
  ctx: Ctx,
  tx: Queryable,
  input: {
    type: string;
    payload?: Record<string, unknown>;
    maxAttempts?: number;
    runAt?: Date;
    organizationId?: string | null;
  },
): Promise<string> => {
  const now = ctx.clock.now();
  const id = uuidv7(now.getTime());
  const organizationId = input.organizationId === undefined ? ctx.actor.organizationId : input.organizationId;
  await tx.query(
    `INSERT INTO jobs (id, organization_id, type, payload, status, max_attempts, run_at, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, $8, $8)`,
    [
      id,
      organizationId,
      input.type,
      JSON.stringify(input.payload ?? {}),
      input.maxAttempts ?? 3,
      input.runAt ?? now,
      ctx.actor.userId,
      now,
    ],
  );
  await recordAudit(ctx, tx, {
    action: 'job.enqueued',
    targetType: 'job',
    targetId: id,
    organizationId,
    details: { type: input.type },
  });
  return id;
};

export const listJobs = async (
  ctx: Ctx,
  q: {
    page: number;
    pageSize: number;
    sort?: string | undefined;
    status?: JobStatus | undefined;
    type?: string | undefined;
  },
): Promise<Page<Job>> => {
  const params: unknown[] = [orgOf(ctx)];
  const where = ['organization_id = $1'];
  if (q.status) {
    params.push(q.status);
    where.push(`status = $${params.length}`);
  }
  if (q.type) {
    params.push(q.type);
    where.push(`type = $${params.length}`);
  }
  const sort = parseSort(q.sort, { field: 'createdAt', desc: true });
  const column = { createdAt: 'created_at', type: 'type', status: 'status' }[sort.field] ?? 'created_at';
  const [count] = await ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM jobs WHERE ${where.join(' AND ')}`,
    params,
  );
  const rows = await ctx.db.query<JobRow>(
    `SELECT * FROM jobs WHERE ${where.join(' AND ')} ORDER BY ${column} ${sort.desc ? 'DESC' : 'ASC'}, id
     LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, q.pageSize, (q.page - 1) * q.pageSize],
  );
  return { items: rows.map(toJob), page: q.page, pageSize: q.pageSize, total: count?.n ?? 0 };
};

export const getJob = async (ctx: Ctx, id: string): Promise<Job> => {
  const [row] = await ctx.db.query<JobRow>('SELECT * FROM jobs WHERE id = $1 AND organization_id = $2', [
    id,
    orgOf(ctx),
  ]);
  if (!row) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: 'Job not found / 작업을 찾을 수 없습니다' });
  }
  return toJob(row);
};

/** Puts a failed job back in the queue with a fresh attempt budget. */
export const retryJob = async (ctx: Ctx, id: string): Promise<Job> => {
  await withTx(ctx, async (tx) => {
    const rows = await tx.query(
      `UPDATE jobs SET status = 'queued', attempts = 0, run_at = $3, last_error = NULL, finished_at = NULL, updated_at = $3
        WHERE id = $1 AND organization_id = $2 AND status = 'failed' RETURNING id`,
      [id, orgOf(ctx), ctx.clock.now()],
    );
    if (rows.length === 0) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: 'Only a failed job of your organization can be retried / 실패한 작업만 재시도할 수 있습니다',
      });
    }
    await recordAudit(ctx, tx, { action: 'job.retried', targetType: 'job', targetId: id });
  });
  return getJob(ctx, id);
};

const backoffMs = (attempt: number): number => Math.min(60 * 60_000, 2 ** attempt * 5_000);

/** Claims and runs at most one due job; returns whether one ran. A stale running job (worker died) is re-queued. */
export const runNextJob = async (
  deps: Deps,
  registry: JobRegistry,
  workerId: string,
  staleAfterMs = 15 * 60_000,
): Promise<boolean> => {
  const now = deps.clock.now();
  await deps.db.query(
    `UPDATE jobs SET status = 'retrying', locked_by = NULL, locked_at = NULL, updated_at = $1
      WHERE status = 'running' AND locked_at < $2`,
    [now, new Date(now.getTime() - staleAfterMs)],
  );
  const claimed = await deps.db.transaction(async (tx) => {
    const [row] = await tx.query<JobRow>(
      `SELECT * FROM jobs WHERE status IN ('queued', 'retrying') AND run_at <= $1
        ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [now],
    );
    if (!row) {
      return undefined;
    }
    await tx.query(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $2, locked_at = $3,
         started_at = COALESCE(started_at, $3), updated_at = $3 WHERE id = $1`,
      [row.id, workerId, now],
    );
    return { ...row, attempts: row.attempts + 1, status: 'running' as const };
  });
  if (!claimed) {
    return false;
  }
  const handler = registry.handlers.get(claimed.type);
  const jobCtx: JobContext = {
    deps,
    job: { ...toJob(claimed), payload: claimed.payload },
    progress: async (fraction, message) => {
      await deps.db.query(
        'UPDATE jobs SET progress = $2, progress_message = $3, updated_at = $4 WHERE id = $1',
        [claimed.id, Math.min(1, Math.max(0, fraction)), message?.slice(0, 500) ?? null, deps.clock.now()],
      );
    },
  };
  const auditCtx: Ctx = { ...deps, actor: systemActor('job-worker'), requestId: null, ip: null };
  try {
    if (!handler) {
      throw new Error(`no handler for job type ${claimed.type}`);
    }
    const result = await handler(jobCtx);
    await withTx(deps, async (tx) => {
      const done = deps.clock.now();
      await tx.query(
        `UPDATE jobs SET status = 'succeeded', progress = 1, result = $2, finished_at = $3, locked_by = NULL, locked_at = NULL,
           last_error = NULL, updated_at = $3 WHERE id = $1`,
        [claimed.id, JSON.stringify(result ?? null), done],
      );
      await recordAudit(auditCtx, tx, {
        action: 'job.succeeded',
        targetType: 'job',
        targetId: claimed.id,
        organizationId: claimed.organization_id,
        details: { type: claimed.type, attempts: claimed.attempts },
      });
    });
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    const final = claimed.attempts >= claimed.max_attempts;
    await withTx(deps, async (tx) => {
      const done = deps.clock.now();
      await tx.query(
        `UPDATE jobs SET status = $2, last_error = $3, run_at = $4, finished_at = $5, locked_by = NULL, locked_at = NULL, updated_at = $6
          WHERE id = $1`,
        [
          claimed.id,
          final ? 'failed' : 'retrying',
          message,
          new Date(done.getTime() + backoffMs(claimed.attempts)),
          final ? done : null,
          done,
        ],
      );
      if (final) {
        await recordAudit(auditCtx, tx, {
          action: 'job.failed',
          outcome: 'failure',
          targetType: 'job',
          targetId: claimed.id,
          organizationId: claimed.organization_id,
          details: { type: claimed.type, attempts: claimed.attempts, error: message },
        });
      }
    });
  }
  return true;
};

/** Runs due jobs until none is left (tests, CLI). */
export const drainJobs = async (deps: Deps, registry: JobRegistry, max = 1000): Promise<number> => {
  let n = 0;
  while (n < max && (await runNextJob(deps, registry, `drain-${process.pid}`))) {
    n++;
  }
  return n;
};

/** A polling worker for the server process; returns a stop function. */
export const startJobWorker = (
  deps: Deps,
  registry: JobRegistry,
  onError: (e: unknown) => void,
): (() => Promise<void>) => {
  const workerId = `worker-${process.pid}-${randomBytes(3).toString('hex')}`;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    running = (async () => {
      try {
        while (!stopped && (await runNextJob(deps, registry, workerId))) {
          // keep draining
        }
      } catch (error) {
        onError(error);
      }
      if (!stopped) {
        timer = setTimeout(tick, deps.config.jobsPollMs);
      }
    })();
  };
  timer = setTimeout(tick, deps.config.jobsPollMs);
  return async () => {
    stopped = true;
    if (timer) {
      clearTimeout(timer);
    }
    await running;
  };
};
