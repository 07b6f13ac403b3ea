import {
  EnqueueJobInputSchema,
  IdParamsSchema,
  JobPageSchema,
  JobSchema,
  ListJobsQuerySchema,
} from '@medsec/core';
import { withTx } from '../../context.ts';
import type { RegisterRoutes } from '../../http/types.ts';
import { enqueueJob, getJob, listJobs, retryJob } from './jobs.service.ts';

const tags = ['jobs'];

export const registerJobRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/jobs', {
    config: { security: { access: 'jobs:read' } },
    schema: {
      tags,
      summary: 'Background jobs of the organization with status and progress',
      querystring: ListJobsQuerySchema,
      response: { 200: JobPageSchema },
    },
    handler: async (request) => listJobs(request.ctx, request.query),
  });
  app.get('/api/v1/jobs/:id', {
    config: { security: { access: 'jobs:read' } },
    schema: { tags, summary: 'One job', params: IdParamsSchema, response: { 200: JobSchema } },
    handler: async (request) => getJob(request.ctx, request.params.id),
  });
  app.post('/api/v1/jobs', {
    config: { security: { access: 'jobs:manage' } },
    schema: {
      tags,
      summary: 'Start a maintenance job (e.g. audit chain verification)',
      body: EnqueueJobInputSchema,
      response: { 201: JobSchema },
    },
    handler: async (request, reply) => {
      const id = await withTx(request.ctx, (tx) => enqueueJob(request.ctx, tx, { type: request.body.type }));
      return reply.status(201).send(await getJob(request.ctx, id));
    },
  });
  app.post('/api/v1/jobs/:id/retry', {
    config: { security: { access: 'jobs:manage' } },
    schema: { tags, summary: 'Retry a failed job', params: IdParamsSchema, response: { 200: JobSchema } },
    handler: async (request) => retryJob(request.ctx, request.params.id),
  });
};
