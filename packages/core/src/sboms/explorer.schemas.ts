import { z } from 'zod';
import { MAX_PAGE_SIZE } from '../api/common.schemas.ts';

/**
 * The component explorer of an SBOM (MFDS 2025 arts. 13, 16: know every component of a release): a paged, filtered
 * list with facet counts, and the dependency graph opened level by level.
 */

/** Facet value standing for "not given" (a component without licence or supplier). */
export const FACET_NONE = '__none__';

export const ComponentSearchQuerySchema = z.object({
  /** Part of the name, group or purl (case-insensitive). */
  q: z.string().trim().max(200).optional(),
  license: z.string().max(500).optional(),
  supplier: z.string().max(500).optional(),
  type: z.string().max(40).optional(),
  /** Only components with open findings (under investigation or affected). */
  withFindings: z.enum(['true', 'false']).optional(),
  sort: z.enum(['name', '-findings']).default('name'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
});
export type ComponentSearchQuery = z.infer<typeof ComponentSearchQuerySchema>;

export const ExplorerComponentSchema = z.object({
  id: z.uuid(),
  key: z.string(),
  type: z.string(),
  name: z.string(),
  version: z.string().nullable(),
  group: z.string().nullable(),
  purl: z.string().nullable(),
  cpe: z.string().nullable(),
  supplier: z.string().nullable(),
  licenses: z.string().nullable(),
  /** Findings not retracted (any VEX state). */
  findings: z.number().int(),
  /** Findings still open: under investigation or affected. */
  openFindings: z.number().int(),
  /** Components it depends on, and components that depend on it. */
  dependsOn: z.number().int(),
  dependents: z.number().int(),
});
export type ExplorerComponent = z.infer<typeof ExplorerComponentSchema>;

export const FacetValueSchema = z.object({
  /** The value, or FACET_NONE for components without one. */
  value: z.string(),
  count: z.number().int(),
});
export type FacetValue = z.infer<typeof FacetValueSchema>;

export const ComponentFacetsSchema = z.object({
  licenses: z.array(FacetValueSchema),
  suppliers: z.array(FacetValueSchema),
  types: z.array(FacetValueSchema),
});
export type ComponentFacets = z.infer<typeof ComponentFacetsSchema>;

export const ComponentSearchResultSchema = z.object({
  items: z.array(ExplorerComponentSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  /** Counts per value of each facet, under the other filters (the facet's own filter left out). */
  facets: ComponentFacetsSchema,
});
export type ComponentSearchResult = z.infer<typeof ComponentSearchResultSchema>;

export const DependencyQuerySchema = z.object({
  /** The key whose direct dependencies to list; without it, the roots. */
  parent: z.string().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type DependencyQuery = z.infer<typeof DependencyQuerySchema>;

export const DependencyNodeSchema = z.object({
  key: z.string(),
  /** The component with this key, or null when the key is no component (the SBOM's own subject). */
  component: z
    .object({
      id: z.uuid(),
      type: z.string(),
      name: z.string(),
      version: z.string().nullable(),
      group: z.string().nullable(),
      purl: z.string().nullable(),
    })
    .nullable(),
  /** Direct dependencies (children in the tree). */
  childCount: z.number().int(),
  openFindings: z.number().int(),
  /** Some component below it (transitively) has open findings. */
  findingsBelow: z.boolean(),
});
export type DependencyNode = z.infer<typeof DependencyNodeSchema>;

export const DependencyLevelSchema = z.object({
  parent: z.string().nullable(),
  total: z.number().int(),
  offset: z.number().int(),
  items: z.array(DependencyNodeSchema),
  /** Size of the whole graph, for the header. */
  graph: z.object({ nodes: z.number().int(), edges: z.number().int(), roots: z.number().int() }),
});
export type DependencyLevel = z.infer<typeof DependencyLevelSchema>;
