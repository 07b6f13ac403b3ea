import {
  CreateOrganizationInputSchema,
  OrganizationSchema,
  UpdateOrganizationInputSchema,
} from '@medsec/core';
import type { RegisterRoutes } from '../../http/types.ts';
import {
  createOrganization,
  getCurrentOrganization,
  updateCurrentOrganization,
} from './organizations.service.ts';

const tags = ['organizations'];

export const registerOrganizationRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/organization', {
    config: { security: { access: 'org:read' } },
    schema: { tags, summary: 'The current organization', response: { 200: OrganizationSchema } },
    handler: async (request) => getCurrentOrganization(request.ctx),
  });
  app.patch('/api/v1/organization', {
    config: { security: { access: 'org:manage', reauth: true } },
    schema: {
      tags,
      summary: 'Change name or MFA policy (re-authentication required)',
      body: UpdateOrganizationInputSchema,
      response: { 200: OrganizationSchema },
    },
    handler: async (request) => updateCurrentOrganization(request.ctx, request.body),
  });
  app.post('/api/v1/organizations', {
    config: { security: { access: 'org:manage' } },
    schema: {
      tags,
      summary: "Create another organization (e.g. a consultant's client); you become its administrator",
      body: CreateOrganizationInputSchema,
      response: { 201: OrganizationSchema },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await createOrganization(request.ctx, request.body.name)),
  });
};
