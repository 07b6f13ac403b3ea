import { z } from 'zod';
import { pageOf, pageQuery, text } from '../api/common.schemas.ts';

export const JobStatus = {
  queued: 'queued',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  retrying: 'retrying',
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];
export const JOB_STATUSES = Object.values(JobStatus) as [JobStatus, ...JobStatus[]];

export const JobSchema = z.object({
  id: z.uuid(),
  organizationId: z.uuid().nullable(),
  type: z.string(),
  status: z.enum(JOB_STATUSES),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  progress: z.number().min(0).max(1),
  progressMessage: z.string().nullable(),
  lastError: z.string().nullable(),
  result: z.unknown().nullable(),
  runAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type Job = z.infer<typeof JobSchema>;

export const ListJobsQuerySchema = pageQuery(['createdAt', 'type', 'status'] as const).extend({
  status: z.enum(JOB_STATUSES).optional(),
  type: text(100).optional(),
});
export const JobPageSchema = pageOf(JobSchema);

export const EnqueueJobInputSchema = z.strictObject({
  type: z.enum(['audit.verify']),
});
