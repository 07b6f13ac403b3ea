import {
  ComponentSearchQuerySchema,
  ComponentSearchResultSchema,
  DependencyLevelSchema,
  DependencyQuerySchema,
  IdParamsSchema,
} from '@medsec/core';
import { z } from 'zod';
import type { RegisterRoutes } from '../../http/types.ts';
import { getDependencyLevel, getDependencyPath, searchComponents } from './sbom-explorer.service.ts';

const tags = ['sboms'];

/** The component explorer of an SBOM page: faceted search and the dependency tree. */
export const registerSbomExplorerRoutes: RegisterRoutes = (app) => {
  app.get('/api/v1/sboms/:id/components/search', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary:
        'Components of an SBOM, paged: search by name or purl, filter by licence, supplier, type and open findings; facet counts per licence, supplier and type',
      params: IdParamsSchema,
      querystring: ComponentSearchQuerySchema,
      response: { 200: ComponentSearchResultSchema },
    },
    handler: async (request) => searchComponents(request.ctx, request.params.id, request.query),
  });
  app.get('/api/v1/sboms/:id/dependencies', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary:
        'One level of the dependency tree: the roots, or the direct dependencies of `parent` (paged), with child counts and open findings at and below each node; cycles are cut by the client on its path',
      params: IdParamsSchema,
      querystring: DependencyQuerySchema,
      response: { 200: DependencyLevelSchema },
    },
    handler: async (request) => getDependencyLevel(request.ctx, request.params.id, request.query),
  });
  app.get('/api/v1/sboms/:id/dependencies/path', {
    config: { security: { access: 'products:read' } },
    schema: {
      tags,
      summary:
        'A shortest path of keys from a root of the dependency tree to a component (to open the tree down to it)',
      params: IdParamsSchema,
      querystring: z.object({ key: z.string().min(1).max(1000) }),
      response: { 200: z.object({ path: z.array(z.string()) }) },
    },
    handler: async (request) => getDependencyPath(request.ctx, request.params.id, request.query.key),
  });
};
