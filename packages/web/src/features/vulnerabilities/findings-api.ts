import type { FindingChangeKind, FindingHistory } from '@medsec/core';
import { query } from '../../api/client.ts';

/**
 * Shapes and choices of the findings API (server: modules/findings/findings.routes.ts, `toFinding`). The lists repeat
 * the server's (the web bundle does not import server code); a change there shows up in the e2e test.
 */
export const VEX_STATES = ['under_investigation', 'affected', 'not_affected', 'fixed'] as const;
export type VexState = (typeof VEX_STATES)[number];
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number];
export const REMEDIATIONS = ['none', 'planned', 'in-progress', 'done', 'wont-fix'] as const;
export type Remediation = (typeof REMEDIATIONS)[number];
export const SAFETY_IMPACTS = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type SafetyImpact = (typeof SAFETY_IMPACTS)[number];
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ADVISORY_SOURCES = ['osv', 'kev', 'epss'] as const;
export type AdvisorySource = (typeof ADVISORY_SOURCES)[number];
export const VEX_EXPORT_FORMATS = ['openvex', 'cyclonedx-vex', 'csv', 'json'] as const;
export type VexExportFormat = (typeof VEX_EXPORT_FORMATS)[number];

/** Why a component matched an advisory (the matcher's record: OSV `affected[]` entry and range evaluated). */
export interface MatchReason {
  advisory?: string;
  purl?: string;
  reason?: 'version-list' | 'range';
  ecosystem?: string;
  packageName?: string;
  rangeType?: string;
  introduced?: string;
  fixed?: string;
  lastAffected?: string;
  confidence?: 'high' | 'medium' | 'low';
  notes?: string[];
}

export interface Finding {
  id: string;
  releaseId: string;
  productId: string;
  product: string;
  release: string;
  componentId: string;
  component: string;
  componentVersion: string | null;
  purl: string | null;
  vulnerabilityId: string;
  aliases: string[];
  summary: string | null;
  advisoryId: string;
  matchKind: 'purl' | 'cpe';
  matchReason: MatchReason | null;
  confidence: number;
  state: VexState;
  justification: VexJustification | null;
  impactStatement: string | null;
  actionStatement: string | null;
  remediation: Remediation;
  patientSafetyImpact: SafetyImpact | null;
  cvss3: { vector: string; score: number | null } | null;
  cvss4: { vector: string; score: number | null } | null;
  environmental: { vector: string; score: number | null } | null;
  severity: Severity;
  kev: boolean;
  kevDateAdded: string | null;
  epss: number | null;
  epssPercentile: number | null;
  dueDate: string | null;
  overdue: boolean;
  retracted: boolean;
  firstSeenAt: string;
  lastSeenAt: string;
  version: number;
}

/** `GET /api/v1/vulnerabilities/:id`: the stored row (snake_case) with its advisories. */
export interface VulnerabilityDetail {
  id: string;
  aliases: string[];
  summary: string | null;
  details: string | null;
  published: string | null;
  modified: string | null;
  cwes: string[];
  kev_date_added: string | null;
  kev_due_date: string | null;
  kev_ransomware: string | null;
  epss: string | number | null;
  epss_percentile: string | number | null;
  advisories: { id: string; source: string; modified: string | null; withdrawn_at: string | null }[];
}

export interface FindingFilters {
  productId: string;
  releaseId: string;
  state: string;
  kev: boolean;
  overdue: boolean;
}

export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: 'red.9',
  high: 'red.6',
  medium: 'orange.5',
  low: 'yellow.5',
  none: 'gray.5',
};
/** The same colours as CSS variables (SVG fills). */
export const SEVERITY_CSS: Record<Severity, string> = {
  critical: 'var(--mantine-color-red-9)',
  high: 'var(--mantine-color-red-6)',
  medium: 'var(--mantine-color-orange-5)',
  low: 'var(--mantine-color-yellow-5)',
  none: 'var(--mantine-color-gray-5)',
};
export const STATE_COLOR: Record<VexState, string> = {
  under_investigation: 'blue',
  affected: 'red',
  not_affected: 'teal',
  fixed: 'green',
};
export const STATE_CSS: Record<VexState, string> = {
  under_investigation: 'var(--mantine-color-blue-5)',
  affected: 'var(--mantine-color-red-6)',
  not_affected: 'var(--mantine-color-teal-6)',
  fixed: 'var(--mantine-color-green-7)',
};

/** Open findings still need a decision or a fix: under investigation or affected. */
export const isOpen = (state: string): boolean => state === 'under_investigation' || state === 'affected';

/** The findings page with filters (links from a release's SBOM page and the assessment board). */
export const findingsHref = (filters: Partial<FindingFilters>): string =>
  `/vulnerabilities${query({
    productId: filters.productId,
    releaseId: filters.releaseId,
    state: filters.state,
    kev: filters.kev ? 'true' : undefined,
    overdue: filters.overdue ? 'true' : undefined,
  })}`;

export const findingsQuery = (f: FindingFilters): string =>
  query({
    productId: f.productId || undefined,
    releaseId: f.releaseId || undefined,
    state: f.state || undefined,
    kev: f.kev ? 'true' : undefined,
    overdue: f.overdue ? 'true' : undefined,
  });

export const exportFindingsHref = (releaseId: string, format: VexExportFormat): string =>
  `/api/v1/releases/${releaseId}/findings/export?format=${format}`;

/** Counts per severity of the open findings, in severity order. */
export const countBySeverity = (
  findings: Pick<Finding, 'severity' | 'state'>[],
): Record<Severity, number> => {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) {
    if (isOpen(f.state)) {
      counts[f.severity]++;
    }
  }
  return counts;
};

/** Counts per VEX state, in state order. */
export const countByState = (findings: Pick<Finding, 'state'>[]): Record<VexState, number> => {
  const counts = Object.fromEntries(VEX_STATES.map((s) => [s, 0])) as Record<VexState, number>;
  for (const f of findings) {
    counts[f.state]++;
  }
  return counts;
};

/** What a person decides about a finding (the editable part of `PATCH /api/v1/findings/:id`). */
export interface Triage {
  state: VexState;
  justification: VexJustification | '';
  impactStatement: string;
  actionStatement: string;
  remediation: Remediation;
  patientSafetyImpact: SafetyImpact | '';
  cvssEnvironmentalVector: string;
}

export const triageOf = (f: Finding): Triage => ({
  state: f.state,
  justification: f.justification ?? '',
  impactStatement: f.impactStatement ?? '',
  actionStatement: f.actionStatement ?? '',
  remediation: f.remediation,
  patientSafetyImpact: f.patientSafetyImpact ?? '',
  cvssEnvironmentalVector: f.environmental?.vector ?? '',
});

/**
 * The VEX rule the server enforces, checked before sending so the form can say what is missing: not_affected needs a
 * justification or an impact statement; affected needs an action statement.
 */
export const vexProblem = (t: Triage): 'justificationRequired' | 'actionRequired' | null => {
  if (t.state === 'not_affected' && !t.justification && !t.impactStatement.trim()) {
    return 'justificationRequired';
  }
  if (t.state === 'affected' && !t.actionStatement.trim()) {
    return 'actionRequired';
  }
  return null;
};

/**
 * The request body for a triage: only fields that differ from the finding (so a decision applied to many findings
 * does not overwrite what it does not mean to), empty text as null, the environmental vector for the server to score.
 */
export const triagePatch = (before: Triage, after: Triage): Record<string, unknown> => {
  const patch: Record<string, unknown> = {};
  const text = (v: string) => (v.trim() === '' ? null : v.trim());
  if (after.state !== before.state) {
    patch.state = after.state;
  }
  if (after.justification !== before.justification) {
    patch.justification = after.justification || null;
  }
  if (after.impactStatement.trim() !== before.impactStatement.trim()) {
    patch.impactStatement = text(after.impactStatement);
  }
  if (after.actionStatement.trim() !== before.actionStatement.trim()) {
    patch.actionStatement = text(after.actionStatement);
  }
  if (after.remediation !== before.remediation) {
    patch.remediation = after.remediation;
  }
  if (after.patientSafetyImpact !== before.patientSafetyImpact) {
    patch.patientSafetyImpact = after.patientSafetyImpact || null;
  }
  if (after.cvssEnvironmentalVector.trim() !== before.cvssEnvironmentalVector.trim()) {
    patch.cvssEnvironmentalVector = text(after.cvssEnvironmentalVector);
  }
  return patch;
};

/**
 * The body of a decision applied to every finding of the vulnerability: the whole decision (the other findings may
 * differ from this one), with empty fields left out rather than clearing what the others carry.
 */
export const decisionSet = (t: Triage): Record<string, unknown> => {
  const set: Record<string, unknown> = { state: t.state, remediation: t.remediation };
  if (t.justification) {
    set.justification = t.justification;
  }
  if (t.impactStatement.trim()) {
    set.impactStatement = t.impactStatement.trim();
  }
  if (t.actionStatement.trim()) {
    set.actionStatement = t.actionStatement.trim();
  }
  if (t.patientSafetyImpact) {
    set.patientSafetyImpact = t.patientSafetyImpact;
  }
  if (t.cvssEnvironmentalVector.trim()) {
    set.cvssEnvironmentalVector = t.cvssEnvironmentalVector.trim();
  }
  return set;
};

/** One line of the drawer's history: when the finding was first seen, a history row, or a retraction by the matcher. */
export type HistoryLine =
  | { key: string; kind: 'seen'; at: string }
  | { key: string; kind: 'matcherRetracted'; at: string }
  | ({ key: string; kind: FindingChangeKind; at: string } & Omit<FindingHistory['items'][number], 'kind'>);

/**
 * The history of `GET /api/v1/findings/:id/history` as lines, oldest first: first seen, each change, and the
 * retraction the matcher made without a history row (the finding's `retractedAt`, when no row retracted it then).
 */
export const historyLines = (h: FindingHistory): HistoryLine[] => {
  const lines: HistoryLine[] = [{ key: 'seen', kind: 'seen', at: h.firstSeenAt }];
  for (const item of h.items) {
    lines.push({ ...item, key: item.id, at: item.changedAt });
  }
  if (h.retractedAt && !h.items.some((i) => i.retracted && i.changedAt === h.retractedAt)) {
    lines.push({ key: 'retracted', kind: 'matcherRetracted', at: h.retractedAt });
  }
  return lines.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
};
