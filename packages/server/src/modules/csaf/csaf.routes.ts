import {
  CreateCsafAdvisorySchema,
  CSAF_PROFILES,
  CSAF_REVIEW_STATUSES,
  CsafAdvisoryDetailSchema,
  CsafAdvisorySchema,
  CsafMatchSchema,
  DismissCsafMatchSchema,
  IdParamsSchema,
  IssueCsafAdvisorySchema,
  text,
} from '@medsec/core';
import { z } from 'zod';
import type { RegisterRoutes } from '../../http/types.ts';
import { exportCsafVex } from '../findings/csaf-vex.service.ts';
import {
  createCsafAdvisory,
  getCsafAdvisory,
  getCsafRevision,
  issueCsafAdvisory,
  listCsafAdvisories,
  previewCsafAdvisory,
} from './csaf-advisories.service.ts';
import { confirmCsafMatch, dismissCsafMatch, listCsafMatches } from './csaf-review.service.ts';

const tags = ['vulnerabilities'];

/**
 * CSAF outputs beyond the one-off security advisory (findings.routes.ts): the VEX profile of a release, stored
 * advisories with revisions (MFDS 2025 arts. 20–22), and the review queue of vendor-CSAF name matches.
 */
export const registerCsafRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/releases/:id/csaf-vex', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary:
        'CSAF 2.0 VEX document (csaf_vex) of a release from its findings: product status per VEX state, justification flags and impact statements for not_affected, remediations for affected; validated (schema + mandatory and VEX profile tests) before it is served (audited)',
      params: IdParamsSchema,
      querystring: z.object({ vulnerability: text(100).min(3).optional() }),
    },
    handler: async (request, reply) => {
      const { doc, validation, trackingId } = await exportCsafVex(request.ctx, {
        releaseId: request.params.id,
        vulnerabilityId: request.query.vulnerability,
      });
      if (!validation.isValid) {
        throw new Error(
          `CSAF VEX output failed validation: ${JSON.stringify(validation.errors.slice(0, 5))}`,
        );
      }
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${trackingId.toLowerCase()}.json"`)
        .send(JSON.stringify(doc, null, 2));
    },
  });

  app.get('/api/v1/csaf-advisories', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary: "The organization's CSAF advisories (security advisories and VEX documents), newest first",
      querystring: z.object({ productId: z.uuid().optional(), profile: z.enum(CSAF_PROFILES).optional() }),
      response: { 200: z.object({ items: z.array(CsafAdvisorySchema) }) },
    },
    handler: async (request) => ({ items: await listCsafAdvisories(request.ctx, request.query) }),
  });
  app.post('/api/v1/csaf-advisories', {
    config: { security: { access: 'vulnerabilities:triage' } },
    schema: {
      tags,
      summary:
        'Create a draft CSAF advisory: a security advisory for one vulnerability of a product, or a VEX document for a release (audited)',
      body: CreateCsafAdvisorySchema,
      response: { 201: CsafAdvisorySchema },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await createCsafAdvisory(request.ctx, request.body)),
  });
  app.get('/api/v1/csaf-advisories/:id', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary:
        'One CSAF advisory with its issued revisions, and whether the findings changed since the latest',
      params: IdParamsSchema,
      response: { 200: CsafAdvisoryDetailSchema },
    },
    handler: async (request) => getCsafAdvisory(request.ctx, request.params.id),
  });
  app.get('/api/v1/csaf-advisories/:id/preview', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary:
        'The document the next revision would carry, built from the current findings, with its validation',
      params: IdParamsSchema,
      response: {
        200: z.object({
          document: z.record(z.string(), z.unknown()),
          validation: z.object({
            isValid: z.boolean(),
            errors: z.array(z.object({ test: z.string(), instancePath: z.string(), message: z.string() })),
            warnings: z.array(z.object({ test: z.string(), instancePath: z.string(), message: z.string() })),
            infos: z.array(z.object({ test: z.string(), instancePath: z.string(), message: z.string() })),
          }),
        }),
      },
    },
    handler: async (request) => previewCsafAdvisory(request.ctx, request.params.id),
  });
  app.post('/api/v1/csaf-advisories/:id/issue', {
    config: { security: { access: 'vulnerabilities:triage' } },
    schema: {
      tags,
      summary:
        'Issue the next revision (interim or final) from the current findings: validated, stored with its SHA-256, added to the revision history (audited)',
      params: IdParamsSchema,
      body: IssueCsafAdvisorySchema,
      response: { 200: CsafAdvisoryDetailSchema },
    },
    handler: async (request) => issueCsafAdvisory(request.ctx, request.params.id, request.body),
  });
  app.get('/api/v1/csaf-advisories/:id/revisions/:revision', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary:
        'One issued revision exactly as issued (`latest` for the newest); its SHA-256 in the x-content-sha256 header',
      params: z.strictObject({
        id: z.uuid(),
        revision: z.union([z.literal('latest'), z.coerce.number().int().min(1).max(100000)]),
      }),
    },
    handler: async (request, reply) => {
      const r = await getCsafRevision(request.ctx, request.params.id, request.params.revision);
      return reply
        .type('application/json; charset=utf-8')
        .header('x-content-sha256', r.sha256)
        .header(
          'content-disposition',
          `attachment; filename="${r.trackingId.toLowerCase()}-r${r.revision}.json"`,
        )
        .send(r.text);
    },
  });

  app.get('/api/v1/csaf-matches', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary:
        'Review queue: vendor-CSAF matches made by supplier, product name and version (low confidence), by review status',
      querystring: z.object({
        status: z.enum(CSAF_REVIEW_STATUSES).default('pending'),
        releaseId: z.uuid().optional(),
      }),
      response: { 200: z.object({ items: z.array(CsafMatchSchema) }) },
    },
    handler: async (request) => ({ items: await listCsafMatches(request.ctx, request.query) }),
  });
  app.post('/api/v1/csaf-matches/:id/confirm', {
    config: { security: { access: 'vulnerabilities:triage' } },
    schema: {
      tags,
      summary: 'Confirm a vendor-CSAF match: it becomes a normal finding (audited)',
      params: IdParamsSchema,
      response: { 200: CsafMatchSchema },
    },
    handler: async (request) => confirmCsafMatch(request.ctx, request.params.id),
  });
  app.post('/api/v1/csaf-matches/:id/dismiss', {
    config: { security: { access: 'vulnerabilities:triage' } },
    schema: {
      tags,
      summary: 'Dismiss a vendor-CSAF match with a reason; it stays retracted on re-import (audited)',
      params: IdParamsSchema,
      body: DismissCsafMatchSchema,
      response: { 200: CsafMatchSchema },
    },
    handler: async (request) => dismissCsafMatch(request.ctx, request.params.id, request.body.reason),
  });
};
