import {
  ApplicabilityQuerySchema,
  ApplicabilityViewSchema,
  AssessmentItemSchema,
  AssessmentQuerySchema,
  BulkUpdateSchema,
  IdParamsSchema,
  ItemHistorySchema,
  ItemUpdateSchema,
  MissingItemSchema,
  OkSchema,
  OverrideInputSchema,
  ProgressSchema,
  RefSchema,
  ReleaseDiffSchema,
} from '@medsec/core';
import { z } from 'zod';
import { withTx } from '../../context.ts';
import type { RegisterRoutes } from '../../http/types.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { listApplicability, overrideApplicability } from '../applicability/applicability.service.ts';
import {
  assessmentChecklist,
  assessmentProgress,
  bulkUpdateAssessmentItems,
  checklistCsv,
  checklistXlsx,
  itemHistory,
  listAssessmentItems,
  missingForSubmission,
  propagateAssessmentItem,
  releaseDiff,
  releaseLabel,
  updateAssessmentItem,
} from './compliance.service.ts';

const tags = ['compliance'];
const bool = (v: 'true' | 'false' | undefined) => (v === undefined ? undefined : v === 'true');

export const registerComplianceRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/products/:id/applicability', {
    config: { security: { access: 'compliance:read' } },
    schema: {
      tags,
      summary:
        'Which catalog requirements apply to the product, each with its reason, basis and any override',
      params: IdParamsSchema,
      querystring: ApplicabilityQuerySchema,
      response: { 200: z.object({ items: z.array(ApplicabilityViewSchema) }) },
    },
    handler: async (request) => ({
      items: await listApplicability(request.ctx, request.params.id, {
        ...(request.query.framework ? { framework: request.query.framework } : {}),
        ...(request.query.applicable ? { applicable: bool(request.query.applicable)! } : {}),
        ...(request.query.overridden ? { overridden: bool(request.query.overridden)! } : {}),
      }),
    }),
  });
  app.put('/api/v1/products/:id/applicability/:ref', {
    config: { security: { access: 'compliance:write' } },
    schema: {
      tags,
      summary: "Override the rule's decision for one requirement (justification required; audited)",
      params: z.strictObject({ id: z.uuid(), ref: RefSchema }),
      body: OverrideInputSchema,
      response: { 200: OkSchema },
    },
    handler: async (request) => {
      await overrideApplicability(request.ctx, request.params.id, request.params.ref, request.body);
      return { ok: true as const };
    },
  });
  app.delete('/api/v1/products/:id/applicability/:ref', {
    config: { security: { access: 'compliance:write' } },
    schema: {
      tags,
      summary: "Remove an override: the rule's decision holds again (audited)",
      params: z.strictObject({ id: z.uuid(), ref: RefSchema }),
      response: { 200: OkSchema },
    },
    handler: async (request) => {
      await overrideApplicability(request.ctx, request.params.id, request.params.ref, null);
      return { ok: true as const };
    },
  });
  app.get('/api/v1/releases/:id/assessment', {
    config: { security: { access: 'compliance:read' } },
    schema: {
      tags,
      summary: 'Assessment items of a release (applicable ones unless asked), filtered',
      params: IdParamsSchema,
      querystring: AssessmentQuerySchema,
      response: { 200: z.object({ items: z.array(AssessmentItemSchema) }) },
    },
    handler: async (request) => ({
      items: await listAssessmentItems(request.ctx, request.params.id, {
        ...request.query,
        includeNotApplicable: bool(request.query.includeNotApplicable),
      }),
    }),
  });
  app.get('/api/v1/releases/:id/assessment/progress', {
    config: { security: { access: 'compliance:read' } },
    schema: {
      tags,
      summary: 'Progress per article and group: items by status, % verified; mandatory MFDS items apart',
      params: IdParamsSchema,
      response: { 200: ProgressSchema },
    },
    handler: async (request) => assessmentProgress(request.ctx, request.params.id),
  });
  app.get('/api/v1/releases/:id/assessment/missing', {
    config: { security: { access: 'compliance:read' } },
    schema: {
      tags,
      summary: 'What is missing for submission: applicable mandatory items not verified or without a method',
      params: IdParamsSchema,
      response: { 200: z.object({ items: z.array(MissingItemSchema) }) },
    },
    handler: async (request) => ({ items: await missingForSubmission(request.ctx, request.params.id) }),
  });
  app.get('/api/v1/releases/:id/assessment/diff', {
    config: { security: { access: 'compliance:read' } },
    schema: {
      tags,
      summary: 'How the assessment differs from the release it was based on',
      params: IdParamsSchema,
      response: { 200: ReleaseDiffSchema },
    },
    handler: async (request) => releaseDiff(request.ctx, request.params.id),
  });
  app.post('/api/v1/releases/:id/assessment/bulk', {
    config: { security: { access: 'compliance:write' } },
    schema: {
      tags,
      summary: 'Set the same fields on many items at once (all or nothing)',
      params: IdParamsSchema,
      body: BulkUpdateSchema,
      response: { 200: z.object({ updated: z.number().int() }) },
    },
    handler: async (request) =>
      bulkUpdateAssessmentItems(request.ctx, request.params.id, request.body.itemIds, request.body.set),
  });
  app.patch('/api/v1/assessment-items/:id', {
    config: { security: { access: 'compliance:write' } },
    schema: {
      tags,
      summary: 'Update one item: status, owner, due date, method, notes (history kept)',
      params: IdParamsSchema,
      body: ItemUpdateSchema,
      response: { 200: AssessmentItemSchema },
    },
    handler: async (request) => updateAssessmentItem(request.ctx, request.params.id, request.body),
  });
  app.post('/api/v1/assessment-items/:id/propagate', {
    config: { security: { access: 'compliance:write' } },
    schema: {
      tags,
      summary:
        "Reuse one decision: copy this item's status, method, notes, evidence and documents to the same requirement in other releases",
      params: IdParamsSchema,
      body: z.strictObject({ releaseIds: z.array(z.uuid()).min(1).max(200) }),
      response: { 200: z.object({ updated: z.number().int() }) },
    },
    handler: async (request) =>
      propagateAssessmentItem(request.ctx, request.params.id, request.body.releaseIds),
  });
  app.get('/api/v1/assessment-items/:id/history', {
    config: { security: { access: 'compliance:read' } },
    schema: {
      tags,
      summary: 'Change history of one item',
      params: IdParamsSchema,
      response: { 200: ItemHistorySchema },
    },
    handler: async (request) => ({ items: await itemHistory(request.ctx, request.params.id) }),
  });
  app.get('/api/v1/releases/:id/assessment/export', {
    config: { security: { access: 'compliance:read' } },
    schema: {
      tags,
      summary:
        'The 붙임2 checklist of a release as CSV or XLSX: requirement, applied (Y/N), conformity method, evidence/document number, reason not applied (audited)',
      params: IdParamsSchema,
      querystring: z.object({ format: z.enum(['csv', 'xlsx']).default('csv') }),
    },
    handler: async (request, reply) => {
      const rows = await assessmentChecklist(request.ctx, request.params.id);
      const label = await releaseLabel(request.ctx, request.params.id);
      await withTx(request.ctx, (tx) =>
        recordAudit(request.ctx, tx, {
          action: 'assessment.exported',
          targetType: 'release',
          targetId: request.params.id,
          details: { format: request.query.format, rows: rows.length },
        }),
      );
      const name = `checklist-${label.file}`;
      if (request.query.format === 'xlsx') {
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${name}.xlsx"`)
          .send(
            await checklistXlsx(rows, {
              product: label.product,
              version: label.version,
              generatedAt: request.ctx.clock.now(),
            }),
          );
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(checklistCsv(rows));
    },
  });
};
