import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { AppError, ErrorCode, uuidv7 } from '@medsec/core';
import Fastify, { type FastifyServerOptions, type RouteOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Deps } from './context.ts';
import { installAuth } from './http/auth.ts';
import { sendProblem, toAppError } from './http/problem.ts';
import { createRateLimiter } from './http/rate-limit.ts';
import type { RegisterRoutes, RouteDeps, ZodApp } from './http/types.ts';
import { registerAdvisoryJobs } from './modules/advisories/advisories.jobs.ts';
import { registerAdvisoryRoutes } from './modules/advisories/advisories.routes.ts';
import { registerVulnerabilityDetailRoutes } from './modules/advisories/vulnerability-detail.routes.ts';
import { registerCatalogRoutes } from './modules/catalog/catalog.routes.ts';
import { registerComplianceRoutes } from './modules/compliance/compliance.routes.ts';
import { registerCsafRoutes } from './modules/csaf/csaf.routes.ts';
import { registerDocumentRoutes } from './modules/documents/documents.routes.ts';
import { registerEvidenceRoutes } from './modules/evidence/evidence.routes.ts';
import { registerFindingRoutes } from './modules/findings/findings.routes.ts';
import { registerFindingSeriesRoutes } from './modules/findings/findings-series.routes.ts';
import { registerOverdueRoutes } from './modules/findings/overdue.routes.ts';
import { registerNotificationJobs } from './modules/notifications/notifications.jobs.ts';
import { registerNotificationRoutes } from './modules/notifications/notifications.routes.ts';
import { registerProductRoutes } from './modules/products/products.routes.ts';
import { registerSbomExplorerRoutes } from './modules/sboms/sbom-explorer.routes.ts';
import { registerSbomRoutes } from './modules/sboms/sboms.routes.ts';
import { registerAuditRoutes } from './platform/audit/audit.routes.ts';
import { verifyAuditChain } from './platform/audit/audit.service.ts';
import { registerAuthRoutes } from './platform/auth/auth.routes.ts';
import { registerHealthRoutes } from './platform/health/health.routes.ts';
import { registerJobRoutes } from './platform/jobs/jobs.routes.ts';
import { createJobRegistry, type JobRegistry } from './platform/jobs/jobs.service.ts';
import { registerOrganizationRoutes } from './platform/organizations/organizations.routes.ts';
import { registerTokenRoutes } from './platform/tokens/tokens.routes.ts';
import { registerUserRoutes } from './platform/users/users.routes.ts';

export const DEFAULT_WEB_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

/** The routes files, in one list: a new module adds its line here. */
const ROUTES = [
  registerHealthRoutes,
  registerAuthRoutes,
  registerOrganizationRoutes,
  registerUserRoutes,
  registerTokenRoutes,
  registerAuditRoutes,
  registerJobRoutes,
  registerCatalogRoutes,
  registerProductRoutes,
  registerComplianceRoutes,
  registerEvidenceRoutes,
  registerDocumentRoutes,
  registerSbomRoutes,
  registerSbomExplorerRoutes,
  registerAdvisoryRoutes,
  registerVulnerabilityDetailRoutes,
  registerFindingRoutes,
  registerCsafRoutes,
  registerFindingSeriesRoutes,
  registerOverdueRoutes,
  registerNotificationRoutes,
];

export interface BuiltApp {
  app: ZodApp;
  jobs: JobRegistry;
  /** Every route with its declared access, for the route-table test. */
  routes: { method: string; url: string; access: string | undefined }[];
}

const registerBuiltInJobs = (jobs: JobRegistry): void => {
  registerAdvisoryJobs(jobs);
  registerNotificationJobs(jobs);
  jobs.handlers.set('audit.verify', async ({ deps, progress }) => {
    await progress(0.1, 'verifying audit chain');
    const result = await verifyAuditChain(deps.db);
    if (!result.ok) {
      throw new Error(
        `audit chain broken at event ${result.firstBrokenEventId ?? '(tail)'}: ${result.problem}`,
      );
    }
    return result;
  });
};

/** Builds the HTTP application on given dependencies (tests call it in process with `app.inject`). */
export const buildApp = async (
  deps: Deps,
  options: {
    logger?: FastifyServerOptions['logger'];
    https?: { key: Buffer; cert: Buffer };
    extraRoutes?: RegisterRoutes[];
  } = {},
): Promise<BuiltApp> => {
  const fastify = Fastify({
    logger: options.logger ?? false,
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy: deps.config.trustProxy,
    genReqId: () => uuidv7(),
    requestIdHeader: false,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    ...(options.https ? { https: { ...options.https, minVersion: 'TLSv1.2' as const } } : {}),
  });
  const app = fastify.withTypeProvider<ZodTypeProvider>() as unknown as ZodApp;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const jobs = createJobRegistry();
  registerBuiltInJobs(jobs);
  const limiter = createRateLimiter();
  const routeDeps: RouteDeps = { ...deps, limiter, jobs };
  const tls = deps.config.tls !== undefined || options.https !== undefined;

  // Every route must declare its access; checked when the app is ready (routes of plugins included).
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route as RouteOptions);
  });
  app.addHook('onReady', async () => {
    const missing = routes.filter((r) => !r.config?.security).map((r) => `${String(r.method)} ${r.url}`);
    if (missing.length > 0) {
      throw new Error(`Routes without a declared permission or 'public': ${missing.join(', ')}`);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', String(request.id));
    if (request.url.startsWith('/api/')) {
      void reply.header('cache-control', 'no-store');
    }
  });

  // File uploads (evidence, documents): one file per request, size-limited; content is checked by the service.
  await app.register(multipart, {
    limits: { fileSize: deps.config.uploadLimitBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 22 },
  });

  // JSON bodies: valid UTF-8 only, no prototype keys, size-limited by bodyLimit.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    const buffer = body as Buffer;
    if (buffer.length === 0) {
      done(null, undefined);
      return;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
    } catch {
      done(
        new AppError(ErrorCode.VALIDATION_FAILED, {
          detail: 'The body is not valid UTF-8 / 본문이 올바른 UTF-8이 아닙니다',
          errors: [{ path: 'body', message: 'invalid UTF-8' }],
        }),
        undefined,
      );
      return;
    }
    try {
      done(
        null,
        JSON.parse(text, (key, value: unknown) => {
          if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
            throw new SyntaxError('forbidden key');
          }
          return value;
        }),
      );
    } catch {
      done(
        new AppError(ErrorCode.VALIDATION_FAILED, {
          detail: 'The body is not valid JSON / 본문이 올바른 JSON이 아닙니다',
          errors: [{ path: 'body', message: 'malformed JSON' }],
        }),
        undefined,
      );
    }
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    // HTTP hardening (KISA web-service requirements; MFDS 2025 art. 10 secure communication).
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: tls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'MedSec Workbench API',
        description:
          'Product-security lifecycle and MFDS/KISA compliance for digital medical devices. Conventions: docs/api-conventions.md. / 디지털의료기기 보안 수명주기·규제 준수 API',
        version: 'v1',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: tls ? '__Host-medsec_session' : 'medsec_session' },
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (msk_…)' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  installAuth(app as never, deps, limiter);

  app.setErrorHandler((raw, request, reply) => {
    const { error, unexpected } = toAppError(raw);
    if (unexpected) {
      request.log.error({ err: raw, requestId: request.id }, 'unexpected error');
    }
    return sendProblem(request, reply, error);
  });

  for (const register of [...ROUTES, ...(options.extraRoutes ?? [])]) {
    register(app, routeDeps);
  }

  app.get('/api/v1/openapi.json', {
    config: { security: { access: 'public' } },
    schema: { hide: true },
    handler: async () => app.swagger(),
  });

  // The browsable API reference, served from the package (no CDN).
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), security: { access: 'public' } } as typeof route.config;
    });
    await scope.register(fastifySwaggerUi, {
      routePrefix: '/api/v1/docs',
      staticCSP: true,
      uiConfig: { docExpansion: 'list', deepLinking: false },
    });
  });

  // The web app (built by `npm run build`), with an SPA fallback for its client-side routes.
  const webDist = deps.config.webDist ?? DEFAULT_WEB_DIST;
  const indexFile = join(webDist, 'index.html');
  const hasWeb = existsSync(indexFile);
  if (hasWeb) {
    await app.register(async (scope) => {
      scope.addHook('onRoute', (route) => {
        route.config = { ...(route.config ?? {}), security: { access: 'public' } } as typeof route.config;
      });
      await scope.register(fastifyStatic, {
        root: webDist,
        wildcard: false,
        index: false,
        setHeaders: (res, path) => {
          void res.header(
            'cache-control',
            path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
        },
      });
    });
  }

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (hasWeb && request.method === 'GET' && !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path)) {
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(readFileSync(indexFile));
    }
    return sendProblem(
      request,
      reply,
      new AppError(ErrorCode.NOT_FOUND, { detail: 'No such resource / 요청한 리소스가 없습니다' }),
    );
  });

  await app.ready();
  return {
    app,
    jobs,
    routes: routes.map((r) => ({
      method: Array.isArray(r.method) ? r.method.join(',') : String(r.method),
      url: r.url,
      access: (r.config as { security?: { access: string } } | undefined)?.security?.access,
    })),
  };
};
