import {
  AcceptInvitationInputSchema,
  CreatedInvitationSchema,
  CreateInvitationInputSchema,
  IdParamsSchema,
  InvitationListSchema,
  InvitationPreviewSchema,
  ListMembersQuerySchema,
  MemberPageSchema,
  MemberSchema,
  OkSchema,
  UpdateMemberInputSchema,
} from '@medsec/core';
import { z } from 'zod';
import type { RegisterRoutes } from '../../http/types.ts';
import {
  acceptInvitation,
  createInvitation,
  getMember,
  listInvitations,
  listMembers,
  previewInvitation,
  revokeInvitation,
  setMemberStatus,
  unlockMember,
  updateMember,
} from './users.service.ts';

const tags = ['users'];
const TokenParamsSchema = z.strictObject({
  token: z
    .string()
    .min(20)
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/),
});

export const registerUserRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/users', {
    config: { security: { access: 'users:read' } },
    schema: {
      tags,
      summary: 'Members of the organization',
      querystring: ListMembersQuerySchema,
      response: { 200: MemberPageSchema },
    },
    handler: async (request) => listMembers(request.ctx, request.query),
  });
  app.get('/api/v1/users/:id', {
    config: { security: { access: 'users:read' } },
    schema: { tags, summary: 'One member', params: IdParamsSchema, response: { 200: MemberSchema } },
    handler: async (request) => getMember(request.ctx, request.params.id),
  });
  app.patch('/api/v1/users/:id', {
    // Role changes are sensitive: re-authentication required.
    config: { security: { access: 'users:manage', reauth: true } },
    schema: {
      tags,
      summary: 'Change role, validity date or display name',
      params: IdParamsSchema,
      body: UpdateMemberInputSchema,
      response: { 200: MemberSchema },
    },
    handler: async (request) => updateMember(request.ctx, request.params.id, request.body),
  });
  app.post('/api/v1/users/:id/disable', {
    config: { security: { access: 'users:manage' } },
    schema: {
      tags,
      summary: 'Disable the account in this organization (its sessions end)',
      params: IdParamsSchema,
      response: { 200: MemberSchema },
    },
    handler: async (request) => setMemberStatus(request.ctx, request.params.id, 'disabled'),
  });
  app.post('/api/v1/users/:id/enable', {
    config: { security: { access: 'users:manage' } },
    schema: {
      tags,
      summary: 'Enable a disabled account',
      params: IdParamsSchema,
      response: { 200: MemberSchema },
    },
    handler: async (request) => setMemberStatus(request.ctx, request.params.id, 'active'),
  });
  app.post('/api/v1/users/:id/unlock', {
    config: { security: { access: 'users:manage' } },
    schema: {
      tags,
      summary: 'Lift a lockout after failed sign-ins',
      params: IdParamsSchema,
      response: { 200: MemberSchema },
    },
    handler: async (request) => unlockMember(request.ctx, request.params.id),
  });

  app.get('/api/v1/invitations', {
    config: { security: { access: 'users:manage' } },
    schema: { tags, summary: 'Invitations of the organization', response: { 200: InvitationListSchema } },
    handler: async (request) => ({ items: await listInvitations(request.ctx) }),
  });
  app.post('/api/v1/invitations', {
    config: { security: { access: 'users:manage' } },
    schema: {
      tags,
      summary: 'Invite a person with a role; the link is shown once',
      body: CreateInvitationInputSchema,
      response: { 201: CreatedInvitationSchema },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await createInvitation(request.ctx, request.body)),
  });
  app.delete('/api/v1/invitations/:id', {
    config: { security: { access: 'users:manage' } },
    schema: {
      tags,
      summary: 'Revoke an open invitation',
      params: IdParamsSchema,
      response: { 200: OkSchema },
    },
    handler: async (request) => {
      await revokeInvitation(request.ctx, request.params.id);
      return { ok: true as const };
    },
  });
  app.get('/api/v1/invitations/by-token/:token', {
    config: { security: { access: 'public', authRateLimit: true } },
    schema: {
      tags,
      summary: 'What an invitation link is for',
      params: TokenParamsSchema,
      response: { 200: InvitationPreviewSchema },
    },
    handler: async (request) => previewInvitation(request.ctx, request.params.token),
  });
  app.post('/api/v1/invitations/accept', {
    config: { security: { access: 'public', authRateLimit: true } },
    schema: {
      tags,
      summary: 'Accept an invitation, choosing a password',
      body: AcceptInvitationInputSchema,
      response: { 200: OkSchema },
    },
    handler: async (request) => {
      await acceptInvitation(request.ctx, request.body);
      return { ok: true as const };
    },
  });
};
