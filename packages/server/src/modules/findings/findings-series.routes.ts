import { FindingsSeriesQuerySchema, FindingsSeriesSchema } from '@medsec/core';
import type { RegisterRoutes } from '../../http/types.ts';
import { getFindingsSeries } from './findings-series.service.ts';

/** The findings page's time series: open findings by severity, the deadline line and overdue findings. */
export const registerFindingSeriesRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/findings/series', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags: ['vulnerabilities'],
      summary:
        'Open findings per day or week by severity, with the deadline line (findings not yet due) and overdue findings, for a release, a product or the organization',
      querystring: FindingsSeriesQuerySchema,
      response: { 200: FindingsSeriesSchema },
    },
    handler: async (request) => getFindingsSeries(request.ctx, request.query),
  });
};
