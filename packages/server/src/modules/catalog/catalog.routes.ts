import {
  ApprovalRequirementListSchema,
  ExportQuerySchema,
  FrameworkSchema,
  ImdrfMappingSchema,
  KisaModelFileSchema,
  ListRequirementsQuerySchema,
  RefSchema,
  RequirementDetailSchema,
  RequirementPageSchema,
  SearchQuerySchema,
  SearchResultSchema,
  TemplatesFileSchema,
} from '@medsec/core';
import { z } from 'zod';
import { orgOf, withTx } from '../../context.ts';
import type { RegisterRoutes } from '../../http/types.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { importOrganizationFrameworkText, MAX_CATALOG_FILE_BYTES } from './catalog.import.ts';
import {
  exportRequirements,
  getImdrfMapping,
  getRequirement,
  getServiceModel,
  getTemplate,
  listApprovalRequirements,
  listFrameworks,
  listRequirements,
  listTemplates,
  requirementsCsv,
  requirementsXlsx,
  searchCatalog,
} from './catalog.service.ts';

const tags = ['catalog'];
const TemplateSchema = TemplatesFileSchema.shape.templates.element.extend({ framework: z.string() });
const ImportSummarySchema = z.object({
  framework: z.string(),
  created: z.number().int(),
  changed: z.number().int(),
  retired: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.boolean(),
});

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
  app.post('/api/v1/catalog/frameworks', {
    config: { security: { access: 'catalog:manage' } },
    bodyLimit: MAX_CATALOG_FILE_BYTES + 64 * 1024,
    schema: {
      tags,
      summary:
        "Import (or update) the organization's own framework from a YAML or JSON file in the catalog schema (audited)",
      body: z.strictObject({
        fileName: z.string().min(1).max(200).default('framework.yaml'),
        content: z.string().min(1),
      }),
      response: { 200: ImportSummarySchema },
    },
    handler: async (request) =>
      importOrganizationFrameworkText(
        request.ctx.db,
        request.ctx.clock,
        orgOf(request.ctx),
        request.body.fileName,
        request.body.content,
        (tx, summary) =>
          recordAudit(request.ctx, tx, {
            action: 'catalog.imported',
            targetType: 'framework',
            targetId: summary.framework,
            details: { ...summary, fileName: request.body.fileName },
          }),
      ),
  });
  app.get('/api/v1/catalog/imdrf-mapping', {
    config: { security: { access: 'catalog:read' } },
    schema: {
      tags,
      summary:
        'The IMDRF N60 ↔ approval-review requirement ID ↔ article table (Ch. II), with the cells that were inferred',
      querystring: z.object({ framework: z.string().max(64).default('mfds-2025') }),
      response: { 200: ImdrfMappingSchema },
    },
    handler: async (request) => getImdrfMapping(request.ctx, request.query.framework),
  });
  app.get('/api/v1/catalog/templates', {
    config: { security: { access: 'catalog:read' } },
    schema: {
      tags,
      summary: 'Document templates of the guideline (붙임1 procedure outline, 붙임2 submission forms)',
      response: { 200: z.object({ items: z.array(TemplateSchema) }) },
    },
    handler: async (request) => ({ items: await listTemplates(request.ctx) }),
  });
  app.get('/api/v1/catalog/templates/:key', {
    config: { security: { access: 'catalog:read' } },
    schema: {
      tags,
      summary: 'One document template',
      params: z.strictObject({ key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/) }),
      response: { 200: TemplateSchema },
    },
    handler: async (request) => getTemplate(request.ctx, request.params.key),
  });
  app.get('/api/v1/catalog/service-model', {
    config: { security: { access: 'catalog:read' } },
    schema: {
      tags,
      summary:
        'KISA service model: service domains, device role classes and device types with OS and interfaces',
      response: { 200: KisaModelFileSchema },
    },
    handler: async (request) => getServiceModel(request.ctx),
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
