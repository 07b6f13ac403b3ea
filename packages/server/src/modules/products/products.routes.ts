import {
  ApplicabilityChangeSchema,
  ArchitectureElementInputSchema,
  ArchitectureElementSchema,
  CreateProductSchema,
  CreateReleaseSchema,
  DataFlowInputSchema,
  DataFlowSchema,
  IdParamsSchema,
  ListProductsQuerySchema,
  OkSchema,
  ProductPageSchema,
  ProductProfileSchema,
  ProductSchema,
  RELEASE_STATUSES,
  ReleaseSchema,
  text,
  UpdateProductSchema,
} from '@medsec/core';
import { z } from 'zod';
import type { RegisterRoutes } from '../../http/types.ts';
import { previewApplicability } from '../applicability/applicability.service.ts';
import { addElement, addFlow, getArchitecture, removeElement, removeFlow } from './architecture.service.ts';
import {
  archiveProduct,
  createProduct,
  createRelease,
  getProduct,
  listProducts,
  listReleases,
  updateProduct,
  updateRelease,
} from './products.service.ts';

const tags = ['products'];

export const registerProductRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/products', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary: 'Products of the organization',
      querystring: ListProductsQuerySchema,
      response: { 200: ProductPageSchema },
    },
    handler: async (request) => listProducts(request.ctx, request.query),
  });
  app.post('/api/v1/products', {
    config: { security: { access: 'products:write' } },
    schema: {
      tags,
      summary: 'Register a product; applicability is decided from its profile at once',
      body: CreateProductSchema,
      response: { 201: ProductSchema },
    },
    handler: async (request, reply) => reply.status(201).send(await createProduct(request.ctx, request.body)),
  });
  app.get('/api/v1/products/:id', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary: 'One product with its profile',
      params: IdParamsSchema,
      response: { 200: ProductSchema },
    },
    handler: async (request) => getProduct(request.ctx, request.params.id),
  });
  app.patch('/api/v1/products/:id', {
    config: { security: { access: 'products:write' } },
    schema: {
      tags,
      summary: 'Update a product; a changed profile re-evaluates applicability and returns what changed',
      params: IdParamsSchema,
      body: UpdateProductSchema,
      response: {
        200: z.object({ product: ProductSchema, applicabilityChanges: z.array(ApplicabilityChangeSchema) }),
      },
    },
    handler: async (request) => updateProduct(request.ctx, request.params.id, request.body),
  });
  app.post('/api/v1/products/:id/archive', {
    config: { security: { access: 'products:write' } },
    schema: {
      tags,
      summary: 'Archive (or restore) a product',
      params: IdParamsSchema,
      body: z.strictObject({ archived: z.boolean() }),
      response: { 200: ProductSchema },
    },
    handler: async (request) => archiveProduct(request.ctx, request.params.id, request.body.archived),
  });
  app.post('/api/v1/products/:id/applicability/preview', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary: 'What a profile would change in applicability, without saving anything',
      params: IdParamsSchema,
      body: z.strictObject({ profile: ProductProfileSchema }),
      response: { 200: z.object({ changes: z.array(ApplicabilityChangeSchema) }) },
    },
    handler: async (request) => ({
      changes: await previewApplicability(request.ctx, request.params.id, request.body.profile),
    }),
  });
  app.get('/api/v1/products/:id/releases', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary: 'Releases (versions) of a product, newest first',
      params: IdParamsSchema,
      response: { 200: z.object({ items: z.array(ReleaseSchema) }) },
    },
    handler: async (request) => ({ items: await listReleases(request.ctx, request.params.id) }),
  });
  app.post('/api/v1/products/:id/releases', {
    config: { security: { access: 'products:write' } },
    schema: {
      tags,
      summary:
        "Add a release; one based on a predecessor starts from the predecessor's assessment and architecture",
      params: IdParamsSchema,
      body: CreateReleaseSchema,
      response: { 201: ReleaseSchema },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await createRelease(request.ctx, request.params.id, request.body)),
  });
  app.patch('/api/v1/releases/:id', {
    config: { security: { access: 'products:write' } },
    schema: {
      tags,
      summary: 'Change a release: status, release date, notes',
      params: IdParamsSchema,
      body: z.strictObject({
        status: z.enum(RELEASE_STATUSES).optional(),
        releaseDate: z.iso.date().nullable().optional(),
        notes: text(4000).optional(),
      }),
      response: { 200: ReleaseSchema },
    },
    handler: async (request) => updateRelease(request.ctx, request.params.id, request.body),
  });
  app.get('/api/v1/releases/:id/architecture', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary:
        'Architecture inventory of a release: elements (components, interfaces, data stores) and data flows',
      params: IdParamsSchema,
      response: {
        200: z.object({ elements: z.array(ArchitectureElementSchema), flows: z.array(DataFlowSchema) }),
      },
    },
    handler: async (request) => getArchitecture(request.ctx, request.params.id),
  });
  app.post('/api/v1/releases/:id/architecture/elements', {
    config: { security: { access: 'products:write' } },
    schema: {
      tags,
      summary: 'Add an element; interfaces carry their port/protocol and why they are needed (art. 11)',
      params: IdParamsSchema,
      body: ArchitectureElementInputSchema,
      response: { 201: ArchitectureElementSchema },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await addElement(request.ctx, request.params.id, request.body)),
  });
  app.delete('/api/v1/architecture/elements/:id', {
    config: { security: { access: 'products:write' } },
    schema: {
      tags,
      summary: 'Remove an element nothing uses',
      params: IdParamsSchema,
      response: { 200: OkSchema },
    },
    handler: async (request) => {
      await removeElement(request.ctx, request.params.id);
      return { ok: true as const };
    },
  });
  app.post('/api/v1/releases/:id/architecture/flows', {
    config: { security: { access: 'products:write' } },
    schema: {
      tags,
      summary: 'Add a data flow between two elements of the release',
      params: IdParamsSchema,
      body: DataFlowInputSchema,
      response: { 201: DataFlowSchema },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await addFlow(request.ctx, request.params.id, request.body)),
  });
  app.delete('/api/v1/architecture/flows/:id', {
    config: { security: { access: 'products:write' } },
    schema: { tags, summary: 'Remove a data flow', params: IdParamsSchema, response: { 200: OkSchema } },
    handler: async (request) => {
      await removeFlow(request.ctx, request.params.id);
      return { ok: true as const };
    },
  });
};
