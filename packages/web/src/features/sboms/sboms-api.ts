import type {
  CompletenessReport,
  Component,
  ComponentChange,
  ComponentElement,
  ExportFormat,
  SbomIssue,
} from '@medsec/core';
import { get } from '../../api/client.ts';

/**
 * Shapes of the SBOM API (server: modules/sboms/sboms.routes.ts). The web bundle imports only core's types, so the
 * lists are repeated here and checked against core's unions with `satisfies`.
 */
export interface SbomSummary {
  id: string;
  releaseId: string;
  format: string;
  sourceFormat: string;
  specVersion: string;
  name: string | null;
  fileName: string;
  sha256: string;
  size: number;
  componentCount: number;
  completeness: CompletenessReport | null;
  issues: SbomIssue[];
  lenient: boolean;
  current: boolean;
  createdAt: string;
}

export interface SbomComponent {
  id: string;
  key: string;
  type: string;
  name: string;
  version: string | null;
  group: string | null;
  purl: string | null;
  cpe: string | null;
  supplier: string | null;
  author: string | null;
  licenses: string | null;
  supportLevel: string | null;
  endOfSupport: string | null;
  scope: string | null;
  /** Open (not retracted) findings of the component. */
  findings: number;
}

/** `GET /api/v1/sboms/:id/diff`: core's SbomDiff plus findings (`<vulnerability> <component>`) new or gone. */
export interface SbomComparison {
  added: Component[];
  removed: Component[];
  changed: ComponentChange[];
  unchanged: number;
  newFindings: string[];
  goneFindings: string[];
}

export const SBOM_EXPORT_FORMATS = [
  'cyclonedx-json',
  'cyclonedx-xml',
  'spdx-json',
] as const satisfies readonly ExportFormat[];

/** NTIA minimum elements (2021) per component, in the order NTIA lists them. */
export const NTIA_ELEMENTS = [
  'supplier',
  'name',
  'version',
  'uniqueIdentifier',
  'dependencyRelationship',
] as const satisfies readonly ComponentElement[];
/** The FDA premarket guidance's support fields. */
export const FDA_ELEMENTS = ['supportLevel', 'endOfSupport'] as const satisfies readonly ComponentElement[];

export const listSboms = async (releaseId: string): Promise<SbomSummary[]> =>
  (await get<{ items: SbomSummary[] }>(`/api/v1/releases/${releaseId}/sboms`)).items;

export const exportHref = (sbomId: string, format: ExportFormat): string =>
  `/api/v1/sboms/${sbomId}/export?format=${format}`;

/** `present / total` of one element as a percentage (0 with no components). */
export const coverage = (report: CompletenessReport, element: ComponentElement): number => {
  const total = report.componentCount;
  const present = report.elements[element]?.present ?? 0;
  return total === 0 ? 0 : Math.round((present / total) * 1000) / 10;
};

/** "CycloneDX 1.4 (JSON)" from a summary's format, source format and spec version. */
export const formatLabel = (s: Pick<SbomSummary, 'format' | 'sourceFormat' | 'specVersion'>): string => {
  const name = s.format === 'cyclonedx' ? 'CycloneDX' : s.format === 'spdx' ? 'SPDX' : s.format;
  const serialisation = /-(json|xml|yaml|tag-value|jsonld)$/.exec(s.sourceFormat)?.[1];
  const label: Record<string, string> = {
    json: 'JSON',
    xml: 'XML',
    yaml: 'YAML',
    'tag-value': 'tag-value',
    jsonld: 'JSON-LD',
  };
  return `${name} ${s.specVersion}${serialisation ? ` (${label[serialisation]})` : ''}`;
};

/** A finding key of the diff (`GHSA-… Newtonsoft.Json`) split into vulnerability and component. */
export const splitFindingKey = (key: string): { vulnerability: string; component: string } => {
  const at = key.indexOf(' ');
  return at < 0
    ? { vulnerability: key, component: '' }
    : { vulnerability: key.slice(0, at), component: key.slice(at + 1) };
};
