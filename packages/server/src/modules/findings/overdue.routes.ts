import { OverdueListSchema, OverdueQuerySchema } from '@medsec/core';
import type { RegisterRoutes } from '../../http/types.ts';
import { listOverdueFindings } from './overdue.service.ts';

/** `GET /api/v1/findings/overdue`: overdue and due-soon findings of the organization across products and releases. */
export const registerOverdueRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/findings/overdue', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags: ['vulnerabilities'],
      summary:
        'Open findings past their fix-by date, or due within `withinDays`, with days overdue (filters: product, severity)',
      querystring: OverdueQuerySchema,
      response: { 200: OverdueListSchema },
    },
    handler: async (request) => listOverdueFindings(request.ctx, request.query),
  });
};
