import { EXPORT_FORMATS, IdParamsSchema, text } from '@medsec/core';
import { z } from 'zod';
import type { RegisterRoutes } from '../../http/types.ts';
import { readUpload } from '../../http/upload.ts';
import {
  compareSboms,
  exportStoredSbom,
  getSbom,
  listComponents,
  listSboms,
  uploadSbom,
} from './sboms.service.ts';

const tags = ['sboms'];

const SbomSchema = z.object({
  id: z.uuid(),
  releaseId: z.uuid(),
  format: z.string(),
  sourceFormat: z.string(),
  specVersion: z.string(),
  name: z.string().nullable(),
  fileName: z.string(),
  sha256: z.string(),
  size: z.number(),
  componentCount: z.number().int(),
  completeness: z.unknown(),
  issues: z.array(z.unknown()),
  lenient: z.boolean(),
  current: z.boolean(),
  createdAt: z.string(),
});

export const registerSbomRoutes: RegisterRoutes = (app) => {
  app.post('/api/v1/releases/:id/sboms', {
    config: { security: { access: 'sboms:write' } },
    schema: {
      tags,
      summary:
        'Upload an SBOM for a release (multipart: optional field lenient=true, then the file): CycloneDX 1.2–1.6 JSON/XML, SPDX 2.2/2.3 JSON or tag-value, SPDX 3.0 JSON-LD, detected by content and schema-checked; matching runs as a job',
      params: IdParamsSchema,
      consumes: ['multipart/form-data'],
      response: { 201: SbomSchema.extend({ jobId: z.uuid() }) },
    },
    handler: async (request, reply) => {
      const upload = await readUpload(request, { maxBytes: request.ctx.config.sbomLimits.maxBytes });
      return reply.status(201).send(
        await uploadSbom(request.ctx, request.params.id, upload.bytes, {
          lenient: upload.fields.lenient === 'true',
          fileName: upload.fileName,
        }),
      );
    },
  });
  app.get('/api/v1/releases/:id/sboms', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary: 'SBOM versions of a release, newest first, with completeness (NTIA minimum elements, FDA)',
      params: IdParamsSchema,
      response: { 200: z.object({ items: z.array(SbomSchema) }) },
    },
    handler: async (request) => ({ items: await listSboms(request.ctx, request.params.id) }),
  });
  app.get('/api/v1/sboms/:id', {
    config: { security: { access: 'products:read' } },
    schema: { tags, summary: 'One SBOM', params: IdParamsSchema, response: { 200: SbomSchema } },
    handler: async (request) => getSbom(request.ctx, request.params.id),
  });
  app.get('/api/v1/sboms/:id/components', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary: 'Components of an SBOM with their open findings count',
      params: IdParamsSchema,
      querystring: z.object({ q: text(200).optional() }),
      response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) },
    },
    handler: async (request) => ({
      items: await listComponents(request.ctx, request.params.id, request.query.q),
    }),
  });
  app.get('/api/v1/sboms/:id/diff', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary: 'Compare with another SBOM: added, removed and changed components; new and gone findings',
      params: IdParamsSchema,
      querystring: z.object({ from: z.uuid() }),
      response: { 200: z.record(z.string(), z.unknown()) },
    },
    handler: async (request) => compareSboms(request.ctx, request.query.from, request.params.id),
  });
  app.get('/api/v1/sboms/:id/export', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary:
        'Export as CycloneDX 1.6 JSON/XML or SPDX 2.3 JSON with its SHA-256 (X-Content-SHA256); audited',
      params: IdParamsSchema,
      querystring: z.object({ format: z.enum(EXPORT_FORMATS).default('cyclonedx-json') }),
    },
    handler: async (request, reply) => {
      const file = await exportStoredSbom(request.ctx, request.params.id, request.query.format);
      return reply
        .type(request.query.format === 'cyclonedx-xml' ? 'application/xml' : 'application/json')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('x-content-sha256', file.sha256)
        .send(file.text);
    },
  });
};
