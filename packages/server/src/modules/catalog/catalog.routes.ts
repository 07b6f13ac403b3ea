import {
  ApprovalRequirementListSchema,
  ExportQuerySchema,
  FrameworkSchema,
  ListRequirementsQuerySchema,
  RefSchema,
  RequirementDetailSchema,
  RequirementPageSchema,
  SearchQuerySchema,
  SearchResultSchema,
} from '@medsec/core';
import { z } from 'zod';
import { withTx } from '../../context.ts';
import type { RegisterRoutes } from '../../http/types.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import {
  exportRequirements,
  getRequirement,
  listApprovalRequirements,
  listFrameworks,
  listRequirements,
  requirementsCsv,
  requirementsXlsx,
  searchCatalog,
} from './catalog.service.ts';

const tags = ['catalog'];

export const registerCatalogRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/catalog/frameworks', {
    config: { security: { access: 'catalog:read' } },
    schema: {
      tags,
      summary: 'Frameworks in the catalog with entry counts',
      response: { 200: z.object({ items: z.array(FrameworkSchema) }) },
    },
    handler: async (request) => ({ items: await listFrameworks(request.ctx) }),
  });
  app.get('/api/v1/catalog/requirements', {
    config: { security: { access: 'catalog:read' } },
    schema: {
      tags,
      summary:
        'Catalog entries filtered by framework, article, kind, group, obligation, actor, approval ID or text',
      querystring: ListRequirementsQuerySchema,
      response: { 200: RequirementPageSchema },
    },
    handler: async (request) => listRequirements(request.ctx, request.query),
  });
  app.get('/api/v1/catalog/requirements/:ref', {
    config: { security: { access: 'catalog:read' } },
    schema: {
      tags,
      summary: 'One entry with its parent, children and mapped approval-review requirement IDs',
      params: z.strictObject({ ref: RefSchema }),
      response: { 200: RequirementDetailSchema },
    },
    handler: async (request) => getRequirement(request.ctx, request.params.ref),
  });
  app.get('/api/v1/catalog/search', {
    config: { security: { access: 'catalog:read' } },
    schema: {
      tags,
      summary: 'Search Korean (substring, spacing-insensitive) and English text, best first',
      querystring: SearchQuerySchema,
      response: { 200: SearchResultSchema },
    },
    handler: async (request) => ({
      items: await searchCatalog(request.ctx, request.query.q, request.query.framework, request.query.limit),
    }),
  });
  app.get('/api/v1/catalog/approval-requirements', {
    config: { security: { access: 'catalog:read' } },
    schema: {
      tags,
      summary:
        'Approval-review guideline requirement IDs (RA-, SI-, DC-, IA-, UC-, TRE-) and the articles citing them',
      response: { 200: ApprovalRequirementListSchema },
    },
    handler: async (request) => ({ items: await listApprovalRequirements(request.ctx) }),
  });
  app.get('/api/v1/catalog/export', {
    config: { security: { access: 'catalog:read' } },
    schema: {
      tags,
      summary: 'Export the catalog as JSON, CSV or XLSX (audited)',
      querystring: ExportQuerySchema,
    },
    handler: async (request, reply) => {
      const items = await exportRequirements(request.ctx, request.query.framework);
      await withTx(request.ctx, (tx) =>
        recordAudit(request.ctx, tx, {
          action: 'catalog.exported',
          details: {
            format: request.query.format,
            framework: request.query.framework ?? null,
            entries: items.length,
          },
        }),
      );
      const name = `medsec-catalog-${request.query.framework ?? 'all'}`;
      if (request.query.format === 'xlsx') {
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${name}.xlsx"`)
          .send(await requirementsXlsx(items, await listApprovalRequirements(request.ctx)));
      }
      if (request.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(requirementsCsv(items));
      }
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.json"`)
        .send(JSON.stringify(items));
    },
  });
};
