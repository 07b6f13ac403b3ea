import {
  AppError,
  ErrorCode,
  type ListDeliveriesQuery,
  type NotificationChannel,
  type NotificationDelivery,
  type NotificationSettings,
  type NotificationSettingsInput,
  type Page,
  parseSort,
  type TestNotificationResult,
  uuidv7,
} from '@medsec/core';
import { type Ctx, type Deps, orgOf, withTx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { openField, sealField } from '../../platform/keys/keys.service.ts';
import { sendEmail, sendWebhook } from './notifications.channels.ts';
import { type NotificationMessage, renderTestMessage } from './notifications.messages.ts';

/**
 * Notification settings of an organization (e-mail recipients, webhook URL and its secret — sealed with the envelope
 * encryption of platform/keys and never returned —, which events), the delivery log, and the test message.
 * Changes are audited in the same transaction; the routes require `notifications:manage` (admin, security officer).
 */
export interface SettingsRow {
  id: string;
  organization_id: string;
  enabled: boolean;
  email_enabled: boolean;
  email_recipients: string[];
  webhook_enabled: boolean;
  webhook_url: string | null;
  webhook_secret_enc: string | null;
  event_due_soon: boolean;
  due_soon_days: number;
  event_overdue: boolean;
  event_new_critical: boolean;
  new_critical_since: Date;
  version: number;
  updated_at: Date;
}

export interface DeliveryRow {
  id: string;
  organization_id: string;
  channel: NotificationChannel;
  kind: 'digest' | 'test';
  status: NotificationDelivery['status'];
  attempts: number;
  last_error: string | null;
  target: string;
  subject: string;
  message: NotificationMessage;
  item_count: number;
  events: Record<string, number>;
  job_id: string | null;
  created_at: Date;
  sent_at: Date | null;
}

export const toDelivery = (r: DeliveryRow): NotificationDelivery => ({
  id: r.id,
  channel: r.channel,
  kind: r.kind,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  target: r.target,
  subject: r.subject,
  itemCount: r.item_count,
  events: r.events ?? {},
  jobId: r.job_id,
  createdAt: r.created_at.toISOString(),
  sentAt: r.sent_at?.toISOString() ?? null,
});

export const isEmailAvailable = (deps: Deps): boolean => deps.config.notifications.smtp !== undefined;

export const findSettingsRow = async (
  q: Queryable,
  organizationId: string,
  forUpdate = false,
): Promise<SettingsRow | undefined> => {
  const [row] = await q.query<SettingsRow>(
    `SELECT * FROM notification_settings WHERE organization_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [organizationId],
  );
  return row;
};

const toSettings = (deps: Deps, r: SettingsRow | undefined): NotificationSettings => ({
  enabled: r?.enabled ?? false,
  emailEnabled: r?.email_enabled ?? false,
  emailRecipients: r?.email_recipients ?? [],
  webhookEnabled: r?.webhook_enabled ?? false,
  webhookUrl: r?.webhook_url ?? null,
  webhookSecretSet: Boolean(r?.webhook_secret_enc),
  events: {
    dueSoon: r?.event_due_soon ?? true,
    dueSoonDays: r?.due_soon_days ?? 7,
    overdue: r?.event_overdue ?? true,
    newCritical: r?.event_new_critical ?? true,
  },
  emailAvailable: isEmailAvailable(deps),
  version: r?.version ?? 0,
  updatedAt: r?.updated_at.toISOString() ?? null,
});

export const getNotificationSettings = async (ctx: Ctx): Promise<NotificationSettings> =>
  toSettings(ctx, await findSettingsRow(ctx.db, orgOf(ctx)));

/**
 * Saves the settings (optimistic concurrency on `version`). The secret is sealed before it is stored; the audit entry
 * says whether it was set, kept or removed, never its value.
 * @throws CONFLICT when the settings changed since `version` was read; VALIDATION_FAILED for a webhook without a secret.
 */
export const updateNotificationSettings = async (
  ctx: Ctx,
  input: NotificationSettingsInput,
): Promise<NotificationSettings> => {
  const organizationId = orgOf(ctx);
  await withTx(ctx, async (tx) => {
    const now = ctx.clock.now();
    const before = await findSettingsRow(tx, organizationId, true);
    if (input.version !== undefined && input.version !== (before?.version ?? 0)) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: 'The settings changed since you opened them / 다른 사용자가 설정을 변경했습니다',
      });
    }
    let secret = before?.webhook_secret_enc ?? null;
    let secretChange: 'set' | 'removed' | 'unchanged' = 'unchanged';
    if (input.webhookSecret === null) {
      secret = null;
      secretChange = before?.webhook_secret_enc ? 'removed' : 'unchanged';
    } else if (input.webhookSecret !== undefined) {
      secret = await sealField(ctx, tx, input.webhookSecret);
      secretChange = 'set';
    }
    if (input.webhookEnabled && !secret) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, {
        detail: 'A webhook needs a signing secret / 웹훅에는 서명 비밀값이 필요합니다',
        errors: [{ path: 'webhookSecret', message: 'required when the webhook is enabled' }],
      });
    }
    // "new" critical findings are counted from the moment that event is switched on (not the whole backlog)
    const newCriticalSince =
      before?.event_new_critical && input.events.newCritical ? before.new_critical_since : now;
    const recipients = [...new Set(input.emailRecipients.map((e) => e.trim().toLowerCase()))];
    const values = [
      organizationId,
      input.enabled,
      input.emailEnabled,
      recipients,
      input.webhookEnabled,
      input.webhookUrl,
      secret,
      input.events.dueSoon,
      input.events.dueSoonDays,
      input.events.overdue,
      input.events.newCritical,
      newCriticalSince,
      ctx.actor.userId,
      now,
    ];
    if (before) {
      await tx.query(
        `UPDATE notification_settings SET enabled = $2, email_enabled = $3, email_recipients = $4, webhook_enabled = $5,
           webhook_url = $6, webhook_secret_enc = $7, event_due_soon = $8, due_soon_days = $9, event_overdue = $10,
           event_new_critical = $11, new_critical_since = $12, updated_by = $13, updated_at = $14, version = version + 1
         WHERE organization_id = $1`,
        values,
      );
    } else {
      await tx.query(
        `INSERT INTO notification_settings (organization_id, enabled, email_enabled, email_recipients, webhook_enabled,
           webhook_url, webhook_secret_enc, event_due_soon, due_soon_days, event_overdue, event_new_critical,
           new_critical_since, updated_by, updated_at, created_at, id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)`,
        [...values, uuidv7(now.getTime())],
      );
    }
    const { webhookSecret: _secret, version: _version, ...shown } = input;
    await recordAudit(ctx, tx, {
      action: 'notifications.settings_updated',
      targetType: 'organization',
      targetId: organizationId,
      details: {
        before: before ? toSettings(ctx, before) : null,
        after: { ...shown, emailRecipients: recipients },
        webhookSecret: secretChange,
      },
    });
  });
  return getNotificationSettings(ctx);
};

export const listDeliveries = async (
  ctx: Ctx,
  q: ListDeliveriesQuery,
): Promise<Page<NotificationDelivery>> => {
  const params: unknown[] = [orgOf(ctx)];
  const where = ['organization_id = $1'];
  if (q.channel) {
    params.push(q.channel);
    where.push(`channel = $${params.length}`);
  }
  if (q.status) {
    params.push(q.status);
    where.push(`status = $${params.length}`);
  }
  const sort = parseSort(q.sort, { field: 'createdAt', desc: true });
  const [count] = await ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM notification_deliveries WHERE ${where.join(' AND ')}`,
    params,
  );
  const rows = await ctx.db.query<DeliveryRow>(
    `SELECT * FROM notification_deliveries WHERE ${where.join(' AND ')}
     ORDER BY created_at ${sort.desc ? 'DESC' : 'ASC'}, id ${sort.desc ? 'DESC' : 'ASC'}
     LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, q.pageSize, (q.page - 1) * q.pageSize],
  );
  return { items: rows.map(toDelivery), page: q.page, pageSize: q.pageSize, total: count?.n ?? 0 };
};

/** The webhook secret in clear, for signing (never leaves the server). */
export const openWebhookSecret = async (
  deps: Deps,
  q: Queryable,
  row: SettingsRow,
): Promise<string | null> => (row.webhook_secret_enc ? openField(deps, q, row.webhook_secret_enc) : null);

/** The channels that can deliver now: switched on and configured (e-mail also needs SMTP on the server). */
export const usableChannels = (deps: Deps, row: SettingsRow): NotificationChannel[] => {
  const channels: NotificationChannel[] = [];
  if (row.email_enabled && row.email_recipients.length > 0 && isEmailAvailable(deps)) {
    channels.push('email');
  }
  if (row.webhook_enabled && row.webhook_url && row.webhook_secret_enc) {
    channels.push('webhook');
  }
  return channels;
};

export const targetOf = (row: SettingsRow, channel: NotificationChannel): string =>
  channel === 'email' ? row.email_recipients.join(', ') : (row.webhook_url ?? '');

/** Sends one message on one channel with the current settings. */
export const sendOn = async (
  deps: Deps,
  input: { row: SettingsRow; channel: NotificationChannel; message: NotificationMessage; deliveryId: string },
): Promise<void> => {
  if (input.channel === 'email') {
    await sendEmail(deps.config, {
      to: input.row.email_recipients,
      message: input.message,
      deliveryId: input.deliveryId,
    });
    return;
  }
  const secret = await openWebhookSecret(deps, deps.db, input.row);
  if (!input.row.webhook_url || !secret) {
    throw new Error('the webhook has no URL or secret');
  }
  await sendWebhook(deps.config, {
    url: input.row.webhook_url,
    secret,
    message: input.message,
    deliveryId: input.deliveryId,
    now: deps.clock.now(),
  });
};

/**
 * "Send test notification": one test message on every channel that is switched on and configured (whether or not
 * notifications as a whole are enabled), sent now; each attempt is in the delivery log and audited.
 * @throws PRECONDITION_FAILED when no channel is usable.
 */
export const sendTestNotification = async (ctx: Ctx): Promise<TestNotificationResult> => {
  const organizationId = orgOf(ctx);
  const row = await findSettingsRow(ctx.db, organizationId);
  const channels = row ? usableChannels(ctx, row) : [];
  if (!row || channels.length === 0) {
    throw new AppError(ErrorCode.PRECONDITION_FAILED, {
      detail: isEmailAvailable(ctx)
        ? 'No channel is switched on and configured / 사용 가능한 알림 채널이 없습니다'
        : 'No channel is switched on and configured (e-mail is off on this server: MEDSEC_SMTP_URL) / 사용 가능한 알림 채널이 없습니다 (이 서버는 이메일이 꺼져 있습니다)',
    });
  }
  const [org] = await ctx.db.query<{ name: string }>('SELECT name FROM organizations WHERE id = $1', [
    organizationId,
  ]);
  const message = renderTestMessage({
    organization: { id: organizationId, name: org?.name ?? '' },
    generatedAt: ctx.clock.now(),
  });
  const ids: string[] = [];
  for (const channel of channels) {
    const id = uuidv7(ctx.clock.now().getTime());
    ids.push(id);
    await withTx(ctx, async (tx) => {
      const now = ctx.clock.now();
      await tx.query(
        `INSERT INTO notification_deliveries (id, organization_id, channel, kind, status, target, subject, message,
           item_count, created_at, updated_at)
         VALUES ($1, $2, $3, 'test', 'pending', $4, $5, $6, 0, $7, $7)`,
        [id, organizationId, channel, targetOf(row, channel), message.subject, JSON.stringify(message), now],
      );
      await recordAudit(ctx, tx, {
        action: 'notifications.test_requested',
        targetType: 'notification_delivery',
        targetId: id,
        details: { channel, target: targetOf(row, channel) },
      });
    });
    let error: string | null = null;
    try {
      await sendOn(ctx, { row, channel, message, deliveryId: id });
    } catch (e) {
      error = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
    }
    await ctx.db.query(
      `UPDATE notification_deliveries SET status = $2, attempts = attempts + 1, last_error = $3, sent_at = $4, updated_at = $5
        WHERE id = $1`,
      [id, error ? 'failed' : 'sent', error, error ? null : ctx.clock.now(), ctx.clock.now()],
    );
  }
  const rows = await ctx.db.query<DeliveryRow>(
    'SELECT * FROM notification_deliveries WHERE organization_id = $1 AND id = ANY ($2) ORDER BY id',
    [organizationId, ids],
  );
  return { deliveries: rows.map(toDelivery) };
};
