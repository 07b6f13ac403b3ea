import { DOCUMENT_TYPES, IdParamsSchema, text } from '@medsec/core';
import { z } from 'zod';
import type { RegisterRoutes } from '../../http/types.ts';
import { readUpload, sendStoredFile } from '../../http/upload.ts';
import {
  createDocument,
  createFromTemplate,
  destroyDocument,
  downloadDocument,
  getDocument,
  linkDocument,
  listDocuments,
  obsoleteDocument,
  signDocument,
  updateRetention,
  uploadDocumentFile,
  withdrawDocument,
} from './documents.service.ts';

const tags = ['documents'];
const STATUSES = ['draft', 'in-review', 'approved', 'obsolete', 'destroyed'] as const;
const date = z.iso.date();

export const DocumentSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  title: z.string(),
  type: z.enum(DOCUMENT_TYPES),
  productId: z.uuid().nullable(),
  revision: z.number().int(),
  status: z.enum(STATUSES),
  templateKey: z.string().nullable(),
  manufacturedOn: z.string().nullable(),
  marketingEndedOn: z.string().nullable(),
  retentionYears: z.number().int(),
  retentionAfterMarketYears: z.number().int(),
  retentionEnd: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const SignatureSchema = z.object({
  meaning: z.enum(['author', 'reviewer', 'approver']),
  signerId: z.uuid(),
  signerName: z.string(),
  signerRole: z.string(),
  signedAt: z.string(),
  documentSha256: z.string(),
  comment: z.string(),
  valid: z.boolean(),
  problem: z.string().nullable(),
});
const DocumentDetailSchema = DocumentSchema.extend({
  revisions: z.array(
    z.object({
      revision: z.number().int(),
      status: z.string(),
      fileName: z.string().nullable(),
      mediaType: z.string().nullable(),
      size: z.number().nullable(),
      sha256: z.string().nullable(),
      changeSummary: z.string(),
      createdAt: z.string(),
      approvedAt: z.string().nullable(),
      signatures: z.array(SignatureSchema),
    }),
  ),
});
const ItemIds = z.strictObject({ itemIds: z.array(z.uuid()).min(1).max(2000) });

export const registerDocumentRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/documents', {
    config: { security: { access: 'compliance:read' } },
    schema: {
      tags,
      summary: 'Document register (filter by status, type, product)',
      querystring: z.object({
        status: z.enum(STATUSES).optional(),
        type: z.enum(DOCUMENT_TYPES).optional(),
        productId: z.uuid().optional(),
      }),
      response: { 200: z.object({ items: z.array(DocumentSchema) }) },
    },
    handler: async (request) => ({ items: await listDocuments(request.ctx, request.query) }),
  });
  app.post('/api/v1/documents', {
    config: { security: { access: 'documents:write' } },
    schema: {
      tags,
      summary: 'Create a controlled document (draft, revision 1)',
      body: z.strictObject({
        number: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/),
        title: text(300).min(1),
        type: z.enum(DOCUMENT_TYPES),
        productId: z.uuid().nullable().default(null),
        retentionYears: z.number().int().min(5).max(100).default(5),
        retentionAfterMarketYears: z.number().int().min(2).max(100).default(2),
        manufacturedOn: date.nullable().default(null),
        marketingEndedOn: date.nullable().default(null),
      }),
      response: { 201: DocumentSchema },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await createDocument(request.ctx, request.body)),
  });
  app.post('/api/v1/documents/from-template', {
    config: { security: { access: 'documents:write' } },
    schema: {
      tags,
      summary:
        "Create a template's document list in one step (e.g. 붙임1: QP-006 … REC-SEC-003); existing numbers are skipped",
      body: z.strictObject({
        templateKey: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
        productId: z.uuid().nullable().default(null),
      }),
      response: { 200: z.object({ created: z.array(DocumentSchema), skipped: z.array(z.string()) }) },
    },
    handler: async (request) =>
      createFromTemplate(request.ctx, request.body.templateKey, request.body.productId),
  });
  app.get('/api/v1/documents/:id', {
    config: { security: { access: 'compliance:read' } },
    schema: {
      tags,
      summary: 'One document with revisions and signatures, each signature verified against the stored file',
      params: IdParamsSchema,
      response: { 200: DocumentDetailSchema },
    },
    handler: async (request) => getDocument(request.ctx, request.params.id),
  });
  app.put('/api/v1/documents/:id/file', {
    config: { security: { access: 'documents:write' } },
    schema: {
      tags,
      summary:
        'Upload the document file (multipart: changeSummary, file); after approval this starts a new revision',
      params: IdParamsSchema,
      consumes: ['multipart/form-data'],
      response: { 200: DocumentSchema },
    },
    handler: async (request) => {
      const upload = await readUpload(request);
      return uploadDocumentFile(
        request.ctx,
        request.params.id,
        upload,
        (upload.fields.changeSummary ?? '').slice(0, 2000),
      );
    },
  });
  app.post('/api/v1/documents/:id/sign', {
    config: { security: { access: 'authenticated', reauth: true } },
    schema: {
      tags,
      summary:
        'Sign the current revision as author (작성), reviewer (검토) or approver (승인); needs a fresh re-authentication',
      params: IdParamsSchema,
      body: z.strictObject({
        meaning: z.enum(['author', 'reviewer', 'approver']),
        comment: text(1000).default(''),
      }),
      response: { 200: DocumentSchema },
    },
    handler: async (request) =>
      signDocument(request.ctx, request.params.id, request.body.meaning, request.body.comment),
  });
  app.post('/api/v1/documents/:id/withdraw', {
    config: { security: { access: 'documents:write' } },
    schema: {
      tags,
      summary: 'Withdraw a document from review',
      params: IdParamsSchema,
      response: { 200: DocumentSchema },
    },
    handler: async (request) => withdrawDocument(request.ctx, request.params.id),
  });
  app.patch('/api/v1/documents/:id/retention', {
    config: { security: { access: 'documents:write' } },
    schema: {
      tags,
      summary: 'Set retention dates and periods (at least 5 years from manufacture and 2 after marketing)',
      params: IdParamsSchema,
      body: z.strictObject({
        manufacturedOn: date.nullable().optional(),
        marketingEndedOn: date.nullable().optional(),
        retentionYears: z.number().int().min(1).max(100).optional(),
        retentionAfterMarketYears: z.number().int().min(0).max(100).optional(),
      }),
      response: { 200: DocumentSchema },
    },
    handler: async (request) => updateRetention(request.ctx, request.params.id, request.body),
  });
  app.post('/api/v1/documents/:id/obsolete', {
    config: { security: { access: 'documents:write' } },
    schema: {
      tags,
      summary: 'Mark a document obsolete',
      params: IdParamsSchema,
      response: { 200: DocumentSchema },
    },
    handler: async (request) => obsoleteDocument(request.ctx, request.params.id),
  });
  app.delete('/api/v1/documents/:id', {
    config: { security: { access: 'documents:write', reauth: true } },
    schema: {
      tags,
      summary: "Destroy an obsolete document's content after its retention period (blocked before it ends)",
      params: IdParamsSchema,
      response: { 200: z.object({ ok: z.literal(true) }) },
    },
    handler: async (request) => {
      await destroyDocument(request.ctx, request.params.id);
      return { ok: true as const };
    },
  });
  app.get('/api/v1/documents/:id/revisions/:revision/download', {
    config: { security: { access: 'compliance:read' } },
    schema: {
      tags,
      summary: 'Download a revision (attachment; audited)',
      params: z.strictObject({ id: z.uuid(), revision: z.coerce.number().int().min(1) }),
    },
    handler: async (request, reply) => {
      return sendStoredFile(
        reply,
        await downloadDocument(request.ctx, request.params.id, request.params.revision),
      );
    },
  });
  app.post('/api/v1/documents/:id/attach', {
    config: { security: { access: 'documents:write' } },
    schema: {
      tags,
      summary: 'Link the document to assessment items (it proves them)',
      params: IdParamsSchema,
      body: ItemIds,
      response: { 200: z.object({ linked: z.number().int() }) },
    },
    handler: async (request) => linkDocument(request.ctx, request.params.id, request.body.itemIds, true),
  });
  app.post('/api/v1/documents/:id/detach', {
    config: { security: { access: 'documents:write' } },
    schema: {
      tags,
      summary: 'Unlink the document from assessment items',
      params: IdParamsSchema,
      body: ItemIds,
      response: { 200: z.object({ linked: z.number().int() }) },
    },
    handler: async (request) => linkDocument(request.ctx, request.params.id, request.body.itemIds, false),
  });
};
