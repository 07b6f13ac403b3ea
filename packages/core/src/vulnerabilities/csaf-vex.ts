import {
  type CsafReleaseInput,
  csafCvss3Score,
  csafFrame,
  csafIdentity,
  csafProductId,
  csafProductTree,
  releaseStatus,
} from './csaf.ts';

/**
 * CSAF 2.0 VEX documents (profile `csaf_vex`) for one product release, from its findings (MFDS 2025 art. 21: tell
 * healthcare providers and users, per device version, whether each known vulnerability affects it and what to do).
 * The release is the product; each vulnerability gets the release's VEX state (the worst state of its findings in the
 * release), and what the profile's mandatory tests ask of each state (6.1.27.6–10):
 * - known_not_affected: a flag with the VEX justification label (when one was recorded) and always an `impact` threat
 *   with the impact statement (or the justification written out);
 * - known_affected: a remediation (action statement): `mitigation` or `workaround` from the finding's action statement,
 *   `vendor_fix` when a fix is planned or in progress, `no_fix_planned` when it will not be fixed, else `none_available`;
 * - fixed: a `vendor_fix` remediation; under_investigation: nothing more (the profile allows it).
 */
export interface CsafVexFinding {
  component: string;
  componentVersion: string | null;
  purl: string | null;
  state: 'under_investigation' | 'affected' | 'not_affected' | 'fixed';
  justification: string | null;
  impactStatement: string | null;
  actionStatement: string | null;
  remediation: 'none' | 'planned' | 'in-progress' | 'done' | 'wont-fix';
}

export interface CsafVexVulnerability {
  id: string;
  aliases: string[];
  summary: string | null;
  cwes: string[];
  /** Official CWE names by id (mandatory test 6.1.11); a CWE without a known name is left out. */
  cweNames?: Record<string, string>;
  cvss3: { vector: string; score: number; severity: string } | null;
  findings: CsafVexFinding[];
}

export interface CsafVexInput {
  trackingId: string;
  title: string;
  publisher: { name: string; namespace: string; contactDetails?: string };
  product: { name: string; model: string };
  release: { version: string };
  vulnerabilities: CsafVexVulnerability[];
  status: 'draft' | 'interim' | 'final';
  version: string;
  /** ISO date-times. */
  initialReleaseDate: string;
  currentReleaseDate: string;
  revisionHistory: { date: string; number: string; summary: string }[];
}

export type CsafVexState = 'known_affected' | 'known_not_affected' | 'fixed' | 'under_investigation';

const JUSTIFICATION_TEXT: Record<string, string> = {
  component_not_present: 'The vulnerable component is not present in the product.',
  vulnerable_code_not_present: 'The vulnerable code is not present in the product.',
  vulnerable_code_not_in_execute_path: 'The vulnerable code is not in an execution path of the product.',
  vulnerable_code_cannot_be_controlled_by_adversary:
    'The vulnerable code cannot be controlled by an attacker in the product.',
  inline_mitigations_already_exist: 'Mitigations built into the product already prevent exploitation.',
};

/** The VEX state of a release for one vulnerability (worst state of its findings). */
export const vexStateOf = (findings: CsafVexFinding[]): CsafVexState =>
  releaseStatus({ version: '', findings } as CsafReleaseInput);

const componentList = (findings: CsafVexFinding[]) =>
  [
    ...new Set(findings.map((f) => `${f.component}${f.componentVersion ? ` ${f.componentVersion}` : ''}`)),
  ].join(', ');

const remediationOf = (findings: CsafVexFinding[], productName: string, pid: string) => {
  const open = findings.filter((f) => f.state === 'affected' || f.state === 'under_investigation');
  const action = open.find((f) => f.actionStatement)?.actionStatement;
  if (open.some((f) => f.remediation === 'wont-fix') && !action) {
    return {
      category: 'no_fix_planned',
      details: `The manufacturer does not plan a fix for ${productName}.`,
      product_ids: [pid],
    };
  }
  if (action) {
    return {
      category: open.some((f) => f.remediation === 'planned' || f.remediation === 'in-progress')
        ? 'vendor_fix'
        : 'mitigation',
      details: action,
      product_ids: [pid],
    };
  }
  if (open.some((f) => f.remediation === 'planned' || f.remediation === 'in-progress')) {
    return {
      category: 'vendor_fix',
      details: `A fix for ${productName} is being prepared; the manufacturer will publish an updated release.`,
      product_ids: [pid],
    };
  }
  return {
    category: 'none_available',
    details: `No fix is available yet for ${productName}; the manufacturer is analysing the vulnerability.`,
    product_ids: [pid],
  };
};

/** Builds the CSAF 2.0 VEX document (category `csaf_vex`) of one release. */
export const buildCsafVex = (input: CsafVexInput): Record<string, unknown> => {
  const frame = csafFrame(
    input,
    'VEX',
    'arts. 20–21: vulnerability handling and disclosure to healthcare providers and users',
  );
  const pid = csafProductId(input.release.version);
  const productName = `${input.product.name} ${input.product.model} ${input.release.version}`;
  const vulnerabilities = input.vulnerabilities.map((v) => {
    const state = vexStateOf(v.findings);
    const extra: Record<string, unknown> = {};
    if (state === 'known_not_affected') {
      const withJustification = v.findings.find((f) => f.justification);
      const label = withJustification?.justification;
      if (label && JUSTIFICATION_TEXT[label]) {
        extra.flags = [{ label, product_ids: [pid] }];
      }
      const statement =
        v.findings.find((f) => f.impactStatement)?.impactStatement ??
        (label ? JUSTIFICATION_TEXT[label] : undefined) ??
        `${productName} is not affected.`;
      extra.threats = [{ category: 'impact', details: statement, product_ids: [pid] }];
    }
    if (state === 'known_affected') {
      extra.remediations = [remediationOf(v.findings, productName, pid)];
      const impact = v.findings.find((f) => f.state === 'affected' && f.impactStatement)?.impactStatement;
      if (impact) {
        extra.threats = [{ category: 'impact', details: impact, product_ids: [pid] }];
      }
    }
    if (state === 'fixed') {
      extra.remediations = [
        {
          category: 'vendor_fix',
          details: v.findings.find((f) => f.actionStatement)?.actionStatement ?? `Fixed in ${productName}.`,
          product_ids: [pid],
        },
      ];
    }
    if (v.cvss3 && (state === 'known_affected' || state === 'under_investigation')) {
      extra.scores = [csafCvss3Score(v.cvss3, [pid])];
    }
    return {
      ...csafIdentity(v),
      title: v.summary ?? v.id,
      notes: [
        {
          category: 'description',
          title: 'Components',
          text: `Components of ${productName} named by the advisory: ${componentList(v.findings) || 'none'}.`,
        },
      ],
      product_status: { [state]: [pid] },
      ...extra,
    };
  });
  return {
    document: {
      category: 'csaf_vex',
      csaf_version: '2.0',
      lang: 'en',
      title: input.title,
      publisher: frame.publisher,
      notes: [
        {
          category: 'summary',
          title: 'Summary',
          text: `Exploitability of ${input.vulnerabilities.length} known vulnerabilit${input.vulnerabilities.length === 1 ? 'y' : 'ies'} in ${productName}, from the manufacturer's analysis of its components.`,
        },
        frame.note,
      ],
      references: frame.references,
      tracking: frame.tracking,
    },
    product_tree: csafProductTree(input.publisher.name, input.product, [input.release.version]),
    vulnerabilities,
  };
};
