import { type NotificationChannel, type NotificationEvent, uuidv7 } from '@medsec/core';
import { type Ctx, type Deps, systemActor } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import type { JobContext } from '../../platform/jobs/jobs.service.ts';
import { enqueueJob } from '../../platform/jobs/jobs.service.ts';
import { type Finding, listFindings } from '../findings/findings.service.ts';
import { daysPast, todayOf } from '../findings/overdue.service.ts';
import { type DigestItem, renderDigest } from './notifications.messages.ts';
import {
  type DeliveryRow,
  findSettingsRow,
  type SettingsRow,
  sendOn,
  targetOf,
  usableChannels,
} from './notifications.service.ts';

/**
 * The daily scan: for every organization with notifications enabled, the findings that are overdue, due within the
 * configured days, or new critical/high/KEV; per usable channel, those not yet notified on that channel become one
 * digest (a delivery row, its finding/event rows and a `notifications.deliver` job, in one transaction). The
 * finding/event rows are the idempotency record: a re-run sends nothing twice. Delivery retries through the job
 * queue; when every attempt failed the rows are released, so the next scan includes those findings again.
 */
export const SCAN_JOB = 'notifications.scan';
export const DELIVER_JOB = 'notifications.deliver';
const DELIVER_ATTEMPTS = 5;

const orgCtx = (deps: Deps, organizationId: string): Ctx => ({
  ...deps,
  actor: { ...systemActor('notifications'), organizationId },
  requestId: null,
  ip: null,
});

const isOpen = (f: Finding): boolean => f.state === 'under_investigation' || f.state === 'affected';

/** Which (finding, event) pairs the settings ask about today. */
export const eventsOf = (row: SettingsRow, findings: Finding[], today: string): DigestItem[] => {
  const items: DigestItem[] = [];
  for (const f of findings) {
    if (!isOpen(f) || f.retracted) {
      continue;
    }
    const days = f.dueDate ? daysPast(f.dueDate, today) : null;
    const item = (event: NotificationEvent): DigestItem => ({
      event,
      findingId: f.id,
      vulnerabilityId: f.vulnerabilityId,
      summary: f.summary,
      severity: f.severity,
      kev: f.kev,
      product: f.product,
      release: f.release,
      component: f.component,
      componentVersion: f.componentVersion,
      dueDate: f.dueDate,
      daysOverdue: days,
    });
    if (row.event_overdue && days !== null && days > 0) {
      items.push(item('overdue'));
    }
    if (row.event_due_soon && days !== null && days <= 0 && -days <= row.due_soon_days) {
      items.push(item('due_soon'));
    }
    if (
      row.event_new_critical &&
      (f.severity === 'critical' || f.severity === 'high' || f.kev) &&
      Date.parse(f.firstSeenAt) >= row.new_critical_since.getTime()
    ) {
      items.push(item('new_critical'));
    }
  }
  const order: Record<NotificationEvent, number> = { overdue: 0, due_soon: 1, new_critical: 2 };
  return items.sort(
    (a, b) =>
      order[a.event] - order[b.event] ||
      (b.daysOverdue ?? 0) - (a.daysOverdue ?? 0) ||
      a.vulnerabilityId.localeCompare(b.vulnerabilityId),
  );
};

/** Builds the digests of one organization (one per usable channel); returns the deliveries queued. */
export const buildDigests = async (deps: Deps, organizationId: string): Promise<string[]> => {
  const ctx = orgCtx(deps, organizationId);
  const row = await findSettingsRow(deps.db, organizationId);
  if (!row?.enabled) {
    return [];
  }
  const channels = usableChannels(deps, row);
  if (channels.length === 0) {
    return [];
  }
  const now = deps.clock.now();
  const candidates = eventsOf(row, await listFindings(ctx, { limit: 100_000 }), todayOf(now));
  if (candidates.length === 0) {
    return [];
  }
  const [org] = await deps.db.query<{ name: string }>('SELECT name FROM organizations WHERE id = $1', [
    organizationId,
  ]);
  const queued: string[] = [];
  for (const channel of channels) {
    const id = await deps.db.transaction(async (tx) => {
      const done = await tx.query<{ finding_id: string; event: NotificationEvent }>(
        'SELECT finding_id, event FROM notification_delivery_items WHERE organization_id = $1 AND channel = $2',
        [organizationId, channel],
      );
      const seen = new Set(done.map((d) => `${d.finding_id}:${d.event}`));
      const items = candidates.filter((c) => !seen.has(`${c.findingId}:${c.event}`));
      if (items.length === 0) {
        return null;
      }
      return queueDigest(ctx, tx, { row, channel, items, orgName: org?.name ?? '' });
    });
    if (id) {
      queued.push(id);
    }
  }
  return queued;
};

const queueDigest = async (
  ctx: Ctx,
  tx: Queryable,
  input: { row: SettingsRow; channel: NotificationChannel; items: DigestItem[]; orgName: string },
): Promise<string> => {
  const now = ctx.clock.now();
  const organizationId = input.row.organization_id;
  const id = uuidv7(now.getTime());
  const message = renderDigest({
    organization: { id: organizationId, name: input.orgName },
    generatedAt: now,
    items: input.items,
    dueSoonDays: input.row.event_due_soon ? input.row.due_soon_days : null,
    publicUrl: ctx.config.publicUrl,
  });
  await tx.query(
    `INSERT INTO notification_deliveries (id, organization_id, channel, kind, status, target, subject, message,
       item_count, events, created_at, updated_at)
     VALUES ($1, $2, $3, 'digest', 'pending', $4, $5, $6, $7, $8, $9, $9)`,
    [
      id,
      organizationId,
      input.channel,
      targetOf(input.row, input.channel),
      message.subject,
      JSON.stringify(message),
      input.items.length,
      JSON.stringify(message.counts),
      now,
    ],
  );
  // one multi-row insert (batched writes; PGlite is slow row by row)
  const values: unknown[] = [];
  const tuples = input.items.map((item, i) => {
    values.push(item.findingId, item.event);
    return `($1, $2, $${3 + 2 * i}, $${4 + 2 * i}, $${3 + 2 * input.items.length}, $${4 + 2 * input.items.length})`;
  });
  await tx.query(
    `INSERT INTO notification_delivery_items (organization_id, channel, finding_id, event, delivery_id, created_at)
     VALUES ${tuples.join(', ')}`,
    [organizationId, input.channel, ...values, id, now],
  );
  const jobId = await enqueueJob(ctx, tx, {
    type: DELIVER_JOB,
    payload: { deliveryId: id },
    organizationId,
    maxAttempts: DELIVER_ATTEMPTS,
  });
  await tx.query('UPDATE notification_deliveries SET job_id = $2 WHERE id = $1', [id, jobId]);
  return id;
};

/** The scan job: every organization with notifications enabled. */
export const scanNotifications = async (
  deps: Deps,
): Promise<{ organizations: number; deliveries: string[] }> => {
  const orgs = await deps.db.query<{ organization_id: string }>(
    'SELECT organization_id FROM notification_settings WHERE enabled ORDER BY organization_id',
  );
  const deliveries: string[] = [];
  for (const o of orgs) {
    deliveries.push(...(await buildDigests(deps, o.organization_id)));
  }
  return { organizations: orgs.length, deliveries };
};

/**
 * The delivery job: sends the stored message; records each attempt. A failure is thrown again so the job queue
 * retries with backoff; after the last attempt the delivery is `failed` and its findings are released.
 */
export const deliverNotification = async ({ deps, job }: JobContext): Promise<unknown> => {
  const deliveryId = String(job.payload.deliveryId);
  const [d] = await deps.db.query<DeliveryRow>('SELECT * FROM notification_deliveries WHERE id = $1', [
    deliveryId,
  ]);
  if (!d || d.status === 'sent' || d.status === 'failed') {
    return { deliveryId, status: d?.status ?? 'missing', skipped: true };
  }
  const row = await findSettingsRow(deps.db, d.organization_id);
  const now = () => deps.clock.now();
  if (!row || !usableChannels(deps, row).includes(d.channel)) {
    await deps.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE notification_deliveries SET status = 'failed', last_error = $2, updated_at = $3 WHERE id = $1`,
        [deliveryId, 'the channel was switched off or is no longer configured', now()],
      );
      await tx.query('DELETE FROM notification_delivery_items WHERE delivery_id = $1', [deliveryId]);
    });
    return { deliveryId, status: 'failed', skipped: true };
  }
  try {
    await sendOn(deps, { row, channel: d.channel, message: d.message, deliveryId });
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    const final = job.attempts >= job.maxAttempts;
    await deps.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE notification_deliveries SET status = $2, attempts = attempts + 1, last_error = $3, updated_at = $4
          WHERE id = $1`,
        [deliveryId, final ? 'failed' : 'retrying', message, now()],
      );
      if (final) {
        await tx.query('DELETE FROM notification_delivery_items WHERE delivery_id = $1', [deliveryId]);
      }
    });
    throw error;
  }
  await deps.db.query(
    `UPDATE notification_deliveries SET status = 'sent', attempts = attempts + 1, last_error = NULL, sent_at = $2,
       updated_at = $2 WHERE id = $1`,
    [deliveryId, now()],
  );
  return { deliveryId, status: 'sent', channel: d.channel, items: d.item_count };
};

const schedulerCtx = (deps: Deps): Ctx => ({
  ...deps,
  actor: systemActor('notifications'),
  requestId: null,
  ip: null,
});

/** Makes sure one scan is queued (at server start and after each run). */
export const scheduleNotificationScan = async (deps: Deps, delayMs = 0): Promise<string> => {
  const [queued] = await deps.db.query<{ id: string }>(
    `SELECT id FROM jobs WHERE type = $1 AND status IN ('queued', 'running', 'retrying') LIMIT 1`,
    [SCAN_JOB],
  );
  if (queued) {
    return queued.id;
  }
  return deps.db.transaction((tx) =>
    enqueueJob(schedulerCtx(deps), tx, {
      type: SCAN_JOB,
      organizationId: null,
      runAt: new Date(deps.clock.now().getTime() + delayMs),
      maxAttempts: 2,
    }),
  );
};

/** Queues the next scan one interval from now (called by the running scan job itself). */
export const scheduleNextNotificationScan = async (deps: Deps): Promise<void> => {
  await deps.db.transaction((tx) =>
    enqueueJob(schedulerCtx(deps), tx, {
      type: SCAN_JOB,
      organizationId: null,
      runAt: new Date(deps.clock.now().getTime() + deps.config.notifications.scanIntervalMs),
      maxAttempts: 2,
    }),
  );
};
