import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../context.ts';
import type { JobRegistry } from '../platform/jobs/jobs.service.ts';
import type { RateLimiter } from './rate-limit.ts';

export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression<RawServerDefault>,
  RawReplyDefaultExpression<RawServerDefault>,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What every routes file receives. */
export interface RouteDeps extends Deps {
  limiter: RateLimiter;
  jobs: JobRegistry;
}

export type RegisterRoutes = (app: ZodApp, deps: RouteDeps) => void;
