import { Readable } from 'node:stream';
import {
  AuditEventPageSchema,
  AuditVerifyResultSchema,
  ExportAuditEventsQuerySchema,
  ListAuditEventsQuerySchema,
} from '@medsec/core';
import { withTx } from '../../context.ts';
import type { RegisterRoutes } from '../../http/types.ts';
import {
  auditCsvHeader,
  auditCsvRow,
  iterateAuditEvents,
  listAuditEvents,
  recordAudit,
  verifyAuditChain,
} from './audit.service.ts';

const tags = ['audit'];

export const registerAuditRoutes: RegisterRoutes = (app, deps) => {
  app.get('/api/v1/audit-events', {
    config: { security: { access: 'audit:read' } },
    schema: {
      tags,
      summary: 'Audit events of the organization, filtered and paged',
      querystring: ListAuditEventsQuerySchema,
      response: { 200: AuditEventPageSchema },
    },
    handler: async (request) => listAuditEvents(request.ctx, request.query),
  });
  app.get('/api/v1/audit-events/export', {
    config: { security: { access: 'audit:export' } },
    schema: {
      tags,
      summary: 'Export matching audit events as CSV or JSON lines (the export itself is audited)',
      querystring: ExportAuditEventsQuerySchema,
    },
    handler: async (request, reply) => {
      const { format, ...filter } = request.query;
      await withTx(request.ctx, (tx) =>
        recordAudit(request.ctx, tx, { action: 'audit.exported', details: { format, filter } }),
      );
      const ctx = request.ctx;
      async function* body(): AsyncGenerator<string> {
        if (format === 'csv') {
          yield '\ufeff';
          yield auditCsvHeader();
        }
        for await (const event of iterateAuditEvents(ctx, filter)) {
          yield format === 'csv' ? auditCsvRow(event) : `${JSON.stringify(event)}\n`;
        }
      }
      const stamp = deps.clock.now().toISOString().slice(0, 10);
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="audit-events-${stamp}.${format === 'csv' ? 'csv' : 'jsonl'}"`,
        )
        .send(Readable.from(body()));
    },
  });
  app.get('/api/v1/audit-events/verify', {
    config: { security: { access: 'audit:read' } },
    schema: {
      tags,
      summary: 'Recompute the hash chain and report the first broken link',
      response: { 200: AuditVerifyResultSchema },
    },
    handler: async () => verifyAuditChain(deps.db),
  });
};
