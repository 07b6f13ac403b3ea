import {
  ApiTokenListSchema,
  CreateApiTokenInputSchema,
  CreatedApiTokenSchema,
  hasPermission,
  IdParamsSchema,
  OkSchema,
} from '@medsec/core';
import type { FastifyRequest } from 'fastify';
import { requireSession } from '../../http/auth.ts';
import type { RegisterRoutes } from '../../http/types.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './tokens.service.ts';

const tags = ['tokens'];
const isAdmin = (request: FastifyRequest): boolean => hasPermission(request.ctx.actor.role!, 'tokens:manage');

export const registerTokenRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/tokens', {
    config: { security: { access: 'tokens:own' } },
    schema: {
      tags,
      summary: 'API tokens (all of the organization for administrators, else your own)',
      response: { 200: ApiTokenListSchema },
    },
    handler: async (request) => ({ items: await listApiTokens(request.ctx, isAdmin(request)) }),
  });
  app.post('/api/v1/tokens', {
    config: { security: { access: 'tokens:own' } },
    schema: {
      tags,
      summary: 'Create an API token for the CLI or CI; the secret is shown once',
      body: CreateApiTokenInputSchema,
      response: { 201: CreatedApiTokenSchema },
    },
    handler: async (request, reply) => {
      requireSession(request); // tokens cannot mint tokens
      return reply.status(201).send(await createApiToken(request.ctx, request.body, isAdmin(request)));
    },
  });
  app.delete('/api/v1/tokens/:id', {
    config: { security: { access: 'tokens:own' } },
    schema: { tags, summary: 'Revoke an API token', params: IdParamsSchema, response: { 200: OkSchema } },
    handler: async (request) => {
      await revokeApiToken(request.ctx, request.params.id, isAdmin(request));
      return { ok: true as const };
    },
  });
};
