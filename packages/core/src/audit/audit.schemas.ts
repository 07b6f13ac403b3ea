import { z } from 'zod';
import { pageOf, pageQuery, text } from '../api/common.schemas.ts';

export const AuditOutcome = { success: 'success', failure: 'failure' } as const;
export type AuditOutcome = (typeof AuditOutcome)[keyof typeof AuditOutcome];

export const AuditEventSchema = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  occurredAt: z.iso.datetime(),
  organizationId: z.uuid().nullable(),
  actorUserId: z.uuid().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  outcome: z.enum(['success', 'failure']),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

export const AUDIT_SORT_FIELDS = ['occurredAt', 'action', 'seq'] as const;

export const ListAuditEventsQuerySchema = pageQuery(AUDIT_SORT_FIELDS).extend({
  action: text(100).optional(),
  actor: text(254).optional(),
  outcome: z.enum(['success', 'failure']).optional(),
  targetType: text(100).optional(),
  targetId: text(100).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
});
export type ListAuditEventsQuery = z.infer<typeof ListAuditEventsQuerySchema>;

export const AuditEventPageSchema = pageOf(AuditEventSchema);

export const ExportAuditEventsQuerySchema = ListAuditEventsQuerySchema.omit({
  page: true,
  pageSize: true,
}).extend({
  format: z.enum(['csv', 'jsonl']).default('csv'),
});

export const AuditVerifyResultSchema = z.object({
  ok: z.boolean(),
  events: z.number().int(),
  firstBrokenEventId: z.string().nullable(),
  firstBrokenSeq: z.number().int().nullable(),
  problem: z.string().nullable(),
  /** Hash of the last event: anchor it outside the database to detect a rewrite of the whole chain. */
  lastHash: z.string().nullable(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResultSchema>;
