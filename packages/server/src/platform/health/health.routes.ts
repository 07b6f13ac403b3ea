import { z } from 'zod';
import { getMigrationStatus } from '../../db/migrate.ts';
import type { RegisterRoutes } from '../../http/types.ts';

/** Liveness and readiness probes: no version, no internals. */
export const registerHealthRoutes: RegisterRoutes = (app, deps) => {
  app.get('/healthz', {
    config: { security: { access: 'public' } },
    schema: {
      tags: ['health'],
      summary: 'Liveness',
      response: { 200: z.object({ status: z.literal('ok') }) },
    },
    handler: async () => ({ status: 'ok' as const }),
  });
  app.get('/readyz', {
    config: { security: { access: 'public' } },
    schema: {
      tags: ['health'],
      summary: 'Readiness: database reachable and schema current',
      response: {
        200: z.object({ status: z.literal('ready') }),
        503: z.object({ status: z.literal('not_ready') }),
      },
    },
    handler: async (_request, reply) => {
      try {
        await deps.db.query('SELECT 1');
        const status = await getMigrationStatus(deps.db);
        if (status.pending.length > 0) {
          return reply.status(503).send({ status: 'not_ready' as const });
        }
        return { status: 'ready' as const };
      } catch {
        return reply.status(503).send({ status: 'not_ready' as const });
      }
    },
  });
};
