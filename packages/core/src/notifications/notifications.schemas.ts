import { z } from 'zod';
import { pageOf, pageQuery } from '../api/common.schemas.ts';

/**
 * Deadlines and notifications (issue #5): the overdue view of findings across products, and per-organization
 * notification settings (e-mail, signed webhook) with a delivery log. MFDS 2025 art. 20 guidance: vulnerabilities are
 * communicated and fixed within set deadlines (reference: 30 / 60 days); the notifications keep those dates in sight.
 */
export const FINDING_SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export const DeadlineStatus = { overdue: 'overdue', dueSoon: 'due_soon' } as const;
export type DeadlineStatus = (typeof DeadlineStatus)[keyof typeof DeadlineStatus];

export const OverdueQuerySchema = z.object({
  productId: z.uuid().optional(),
  severity: z.enum(FINDING_SEVERITIES).optional(),
  /** Include open findings due within this many days (0: only those already overdue). */
  withinDays: z.coerce.number().int().min(0).max(365).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});
export type OverdueQuery = z.infer<typeof OverdueQuerySchema>;

export const OverdueItemSchema = z.object({
  findingId: z.uuid(),
  status: z.enum([DeadlineStatus.overdue, DeadlineStatus.dueSoon]),
  /** Days past the due date: positive when overdue, 0 on the due date, negative while still due. */
  daysOverdue: z.number().int(),
  dueDate: z.string(),
  severity: z.enum(FINDING_SEVERITIES),
  kev: z.boolean(),
  vulnerabilityId: z.string(),
  summary: z.string().nullable(),
  productId: z.uuid(),
  product: z.string(),
  releaseId: z.uuid(),
  release: z.string(),
  component: z.string(),
  componentVersion: z.string().nullable(),
  state: z.string(),
  remediation: z.string(),
});
export type OverdueItem = z.infer<typeof OverdueItemSchema>;

export const OverdueListSchema = z.object({
  today: z.string(),
  withinDays: z.number().int(),
  counts: z.object({ overdue: z.number().int(), dueSoon: z.number().int() }),
  items: z.array(OverdueItemSchema),
});
export type OverdueList = z.infer<typeof OverdueListSchema>;

export const NotificationChannel = { email: 'email', webhook: 'webhook' } as const;
export type NotificationChannel = (typeof NotificationChannel)[keyof typeof NotificationChannel];
export const NOTIFICATION_CHANNELS = Object.values(NotificationChannel) as [
  NotificationChannel,
  ...NotificationChannel[],
];

export const NotificationEvent = {
  dueSoon: 'due_soon',
  overdue: 'overdue',
  newCritical: 'new_critical',
} as const;
export type NotificationEvent = (typeof NotificationEvent)[keyof typeof NotificationEvent];
export const NOTIFICATION_EVENTS = Object.values(NotificationEvent) as [
  NotificationEvent,
  ...NotificationEvent[],
];

export const DeliveryStatus = {
  pending: 'pending',
  retrying: 'retrying',
  sent: 'sent',
  failed: 'failed',
} as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];
export const DELIVERY_STATUSES = Object.values(DeliveryStatus) as [DeliveryStatus, ...DeliveryStatus[]];

const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'an http(s) URL' })
  .max(2000)
  .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), 'no user name or password in the URL');

/** The settings as the API returns them: the webhook secret is never returned, only whether one is set. */
export const NotificationSettingsSchema = z.object({
  enabled: z.boolean(),
  emailEnabled: z.boolean(),
  emailRecipients: z.array(z.email()),
  webhookEnabled: z.boolean(),
  webhookUrl: z.string().nullable(),
  webhookSecretSet: z.boolean(),
  events: z.object({
    dueSoon: z.boolean(),
    dueSoonDays: z.number().int(),
    overdue: z.boolean(),
    newCritical: z.boolean(),
  }),
  /** False when the server has no SMTP configuration (MEDSEC_SMTP_URL): e-mail is off whatever the settings say. */
  emailAvailable: z.boolean(),
  version: z.number().int(),
  updatedAt: z.iso.datetime().nullable(),
});
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;

export const NotificationSettingsInputSchema = z
  .strictObject({
    enabled: z.boolean(),
    emailEnabled: z.boolean(),
    emailRecipients: z.array(z.email().max(254)).max(50),
    webhookEnabled: z.boolean(),
    webhookUrl: webhookUrl.nullable(),
    /** A new secret (16–200 characters); `null` removes it; leave it out to keep the current one. */
    webhookSecret: z.string().min(16).max(200).nullable().optional(),
    events: z.strictObject({
      dueSoon: z.boolean(),
      dueSoonDays: z.number().int().min(1).max(90),
      overdue: z.boolean(),
      newCritical: z.boolean(),
    }),
    /** The version read (optimistic concurrency; 0 = never saved); omit to overwrite. */
    version: z.number().int().min(0).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.emailEnabled && v.emailRecipients.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['emailRecipients'], message: 'at least one recipient' });
    }
    if (v.webhookEnabled && !v.webhookUrl) {
      ctx.addIssue({ code: 'custom', path: ['webhookUrl'], message: 'a webhook URL is needed' });
    }
  });
export type NotificationSettingsInput = z.infer<typeof NotificationSettingsInputSchema>;

export const NotificationDeliverySchema = z.object({
  id: z.uuid(),
  channel: z.enum(NOTIFICATION_CHANNELS),
  kind: z.enum(['digest', 'test']),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  /** Recipients, or the webhook URL. */
  target: z.string(),
  subject: z.string(),
  itemCount: z.number().int(),
  events: z.record(z.string(), z.number().int()),
  jobId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
});
export type NotificationDelivery = z.infer<typeof NotificationDeliverySchema>;

export const ListDeliveriesQuerySchema = pageQuery(['createdAt'] as const).extend({
  channel: z.enum(NOTIFICATION_CHANNELS).optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
});
export type ListDeliveriesQuery = z.infer<typeof ListDeliveriesQuerySchema>;
export const DeliveryPageSchema = pageOf(NotificationDeliverySchema);

export const TestNotificationResultSchema = z.object({ deliveries: z.array(NotificationDeliverySchema) });
export type TestNotificationResult = z.infer<typeof TestNotificationResultSchema>;
