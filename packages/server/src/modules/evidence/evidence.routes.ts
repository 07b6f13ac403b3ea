import { AppError, ErrorCode, IdParamsSchema, text } from '@medsec/core';
import { z } from 'zod';
import type { RegisterRoutes } from '../../http/types.ts';
import { readUpload, sendStoredFile } from '../../http/upload.ts';
import {
  addEvidenceVersion,
  createFileEvidence,
  createLinkEvidence,
  downloadEvidence,
  type EvidenceMeta,
  getEvidence,
  linkEvidence,
  listEvidence,
} from './evidence.service.ts';

const tags = ['evidence'];
const date = z.iso.date();

const VersionSchema = z.object({
  version: z.number().int(),
  fileName: z.string().nullable(),
  mediaType: z.string().nullable(),
  size: z.number().nullable(),
  sha256: z.string().nullable(),
  url: z.string().nullable(),
  capturedSha256: z.string().nullable(),
  createdAt: z.string(),
});
export const EvidenceSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  kind: z.enum(['file', 'link']),
  reviewDate: z.string().nullable(),
  expiresAt: z.string().nullable(),
  currentVersion: z.number().int(),
  createdAt: z.string(),
  current: VersionSchema.nullable(),
  linkedItems: z.number().int(),
});
const MetaSchema = z.object({
  title: text(300).min(1),
  description: text(4000).default(''),
  reviewDate: date.nullable().default(null),
  expiresAt: date.nullable().default(null),
});

/** Form fields of a multipart upload, checked like a JSON body. */
const metaFrom = (fields: Record<string, string>, fallbackTitle: string): EvidenceMeta => {
  const parsed = MetaSchema.safeParse({
    title: fields.title || fallbackTitle,
    description: fields.description ?? '',
    reviewDate: fields.reviewDate || null,
    expiresAt: fields.expiresAt || null,
  });
  if (!parsed.success) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: 'Invalid evidence fields / 증거 항목 값이 올바르지 않습니다',
      errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
};

export const registerEvidenceRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/evidence', {
    config: { security: { access: 'compliance:read' } },
    schema: {
      tags,
      summary: 'The evidence library (search; expiring or due for review within N days; linked to an item)',
      querystring: z.object({
        q: text(200).optional(),
        expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
        itemId: z.uuid().optional(),
      }),
      response: { 200: z.object({ items: z.array(EvidenceSchema) }) },
    },
    handler: async (request) => ({ items: await listEvidence(request.ctx, request.query) }),
  });
  app.post('/api/v1/evidence', {
    config: { security: { access: 'evidence:write' } },
    schema: {
      tags,
      summary:
        'Upload a file as evidence (multipart: title, description, reviewDate, expiresAt, then file); the type is checked by content',
      consumes: ['multipart/form-data'],
      response: { 201: EvidenceSchema },
    },
    handler: async (request, reply) => {
      const upload = await readUpload(request);
      const meta = metaFrom(upload.fields, upload.fileName);
      return reply.status(201).send(await createFileEvidence(request.ctx, upload, meta));
    },
  });
  app.post('/api/v1/evidence/links', {
    config: { security: { access: 'evidence:write' } },
    schema: {
      tags,
      summary: 'Record a URL as evidence, with the SHA-256 of what it pointed to if captured',
      body: MetaSchema.extend({
        url: z.url({ protocol: /^https?$/ }).max(2000),
        capturedSha256: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .nullable()
          .default(null),
      }).strict(),
      response: { 201: EvidenceSchema },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await createLinkEvidence(request.ctx, request.body)),
  });
  app.get('/api/v1/evidence/:id', {
    config: { security: { access: 'compliance:read' } },
    schema: {
      tags,
      summary: 'One piece of evidence with its versions and the assessment items it serves',
      params: IdParamsSchema,
      response: {
        200: EvidenceSchema.extend({
          versions: z.array(VersionSchema),
          items: z.array(
            z.object({ itemId: z.uuid(), ref: z.string(), release: z.string(), product: z.string() }),
          ),
        }),
      },
    },
    handler: async (request) => getEvidence(request.ctx, request.params.id),
  });
  app.post('/api/v1/evidence/:id/versions', {
    config: { security: { access: 'evidence:write' } },
    schema: {
      tags,
      summary: 'Upload a new version of file evidence (earlier versions are kept)',
      params: IdParamsSchema,
      consumes: ['multipart/form-data'],
      response: { 201: EvidenceSchema },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(await addEvidenceVersion(request.ctx, request.params.id, await readUpload(request))),
  });
  app.get('/api/v1/evidence/:id/versions/:version/download', {
    config: { security: { access: 'compliance:read' } },
    schema: {
      tags,
      summary: 'Download one version (always as an attachment; audited; SHA-256 checked before serving)',
      params: z.strictObject({ id: z.uuid(), version: z.coerce.number().int().min(1) }),
    },
    handler: async (request, reply) => {
      return sendStoredFile(
        reply,
        await downloadEvidence(request.ctx, request.params.id, request.params.version),
      );
    },
  });
  app.post('/api/v1/evidence/:id/attach', {
    config: { security: { access: 'evidence:write' } },
    schema: {
      tags,
      summary: 'Attach evidence to assessment items (any release or product): one piece serves many',
      params: IdParamsSchema,
      body: z.strictObject({ itemIds: z.array(z.uuid()).min(1).max(2000) }),
      response: { 200: z.object({ linked: z.number().int() }) },
    },
    handler: async (request) => linkEvidence(request.ctx, request.params.id, request.body.itemIds, true),
  });
  app.post('/api/v1/evidence/:id/detach', {
    config: { security: { access: 'evidence:write' } },
    schema: {
      tags,
      summary: 'Detach evidence from assessment items',
      params: IdParamsSchema,
      body: z.strictObject({ itemIds: z.array(z.uuid()).min(1).max(2000) }),
      response: { 200: z.object({ linked: z.number().int() }) },
    },
    handler: async (request) => linkEvidence(request.ctx, request.params.id, request.body.itemIds, false),
  });
};
