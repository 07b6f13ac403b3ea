/**
 * CSAF 2.0 security advisories authored from findings (MFDS 2025 arts. 20–21: disclose a vulnerability to healthcare
 * providers and users with what is affected and what to do). One advisory covers one vulnerability across the
 * releases of one product: each release is a product version in the product tree and gets a product status derived
 * from its findings (affected or under investigation → known_affected / under_investigation; not_affected with its
 * VEX justification as a flag; fixed). Validation (schema and mandatory tests) is done by the server with the BSI
 * csaf-validator-lib.
 */
export interface CsafReleaseInput {
  version: string;
  /** The findings of this vulnerability in the release (one per affected component). */
  findings: {
    component: string;
    componentVersion: string | null;
    purl: string | null;
    state: 'under_investigation' | 'affected' | 'not_affected' | 'fixed';
    justification: string | null;
    impactStatement: string | null;
    actionStatement: string | null;
  }[];
}

export interface CsafInput {
  trackingId: string;
  title: string;
  publisher: { name: string; namespace: string; contactDetails?: string };
  product: { name: string; model: string };
  vulnerability: {
    id: string;
    aliases: string[];
    summary: string | null;
    cwes: string[];
    /** Official CWE names by id (CSAF mandatory test 6.1.11 checks them); a CWE without a known name is left out. */
    cweNames?: Record<string, string>;
    cvss3: { vector: string; score: number; severity: string } | null;
  };
  releases: CsafReleaseInput[];
  status: 'draft' | 'interim' | 'final';
  version: string;
  /** ISO date-times. */
  initialReleaseDate: string;
  currentReleaseDate: string;
  revisionHistory: { date: string; number: string; summary: string }[];
}

/** What every CSAF document we issue has in common: who publishes it, under which tracking id, at which revision. */
export interface CsafDocumentFrame {
  trackingId: string;
  publisher: { name: string; namespace: string; contactDetails?: string };
  status: 'draft' | 'interim' | 'final';
  version: string;
  /** ISO date-times. */
  initialReleaseDate: string;
  currentReleaseDate: string;
  revisionHistory: { date: string; number: string; summary: string }[];
}

/** The publisher, regulatory note, self reference and tracking of a document, shared by advisories and VEX. */
export const csafFrame = (
  input: CsafDocumentFrame,
  label: string,
  articles: string,
): {
  publisher: Record<string, string>;
  note: Record<string, string>;
  references: Record<string, string>[];
  tracking: Record<string, unknown>;
} => ({
  publisher: {
    category: 'vendor',
    name: input.publisher.name,
    namespace: input.publisher.namespace,
    ...(input.publisher.contactDetails ? { contact_details: input.publisher.contactDetails } : {}),
  },
  note: {
    category: 'general',
    title: 'Regulatory context',
    text: `Published under the MFDS 2025 security guideline for digital medical devices (${articles}).`,
  },
  references: [
    {
      category: 'self',
      summary: `${label} ${input.trackingId}`,
      url: `${input.publisher.namespace.replace(/\/$/, '')}/advisories/${encodeURIComponent(input.trackingId)}.json`,
    },
  ],
  tracking: {
    id: input.trackingId,
    status: input.status,
    version: input.version,
    initial_release_date: input.initialReleaseDate,
    current_release_date: input.currentReleaseDate,
    revision_history: input.revisionHistory,
    generator: { engine: { name: 'MedSec Workbench', version: '0.1.0' } },
  },
});

/** The CSAF product id of one release of the product. */
export const csafProductId = (version: string): string =>
  `CSAFPID-${version.replace(/[^A-Za-z0-9._-]/g, '_')}`;
const pid = csafProductId;

/** vendor → product → one branch per release version, each release a product. */
export const csafProductTree = (
  vendor: string,
  product: { name: string; model: string },
  versions: string[],
): Record<string, unknown> => ({
  branches: [
    {
      category: 'vendor',
      name: vendor,
      branches: [
        {
          category: 'product_name',
          name: `${product.name} ${product.model}`,
          branches: versions.map((version) => ({
            category: 'product_version',
            name: version,
            product: {
              name: `${product.name} ${product.model} ${version}`,
              product_id: csafProductId(version),
            },
          })),
        },
      ],
    },
  ],
});

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;

/** A vulnerability's `cve`, other `ids` and `cwe` (only a CWE whose official name is known: mandatory test 6.1.11). */
export const csafIdentity = (v: {
  id: string;
  aliases: string[];
  cwes: string[];
  cweNames?: Record<string, string>;
}): Record<string, unknown> => {
  const cve = CVE_ID.test(v.id) ? v.id : v.aliases.find((a) => CVE_ID.test(a));
  const otherIds = [...new Set([v.id, ...v.aliases])].filter((i) => i !== cve);
  const cwe = v.cwes.find((c) => v.cweNames?.[c]);
  return {
    ...(cve ? { cve } : {}),
    ...(otherIds.length
      ? { ids: otherIds.map((id) => ({ system_name: id.split('-')[0] || 'ID', text: id })) }
      : {}),
    ...(cwe ? { cwe: { id: cwe, name: v.cweNames?.[cwe] } } : {}),
  };
};

/** The CVSS 3.x score of a vulnerability for the given products. */
export const csafCvss3Score = (
  cvss3: { vector: string; score: number; severity: string },
  productIds: string[],
): Record<string, unknown> => ({
  cvss_v3: {
    version: cvss3.vector.startsWith('CVSS:3.0') ? '3.0' : '3.1',
    vectorString: cvss3.vector,
    baseScore: cvss3.score,
    baseSeverity: cvss3.severity.toUpperCase(),
  },
  products: productIds,
});

/** The product status of one release for the vulnerability (worst state of its findings wins). */
export const releaseStatus = (
  r: CsafReleaseInput,
): 'known_affected' | 'under_investigation' | 'known_not_affected' | 'fixed' => {
  const states = new Set(r.findings.map((f) => f.state));
  if (states.has('affected')) {
    return 'known_affected';
  }
  if (states.has('under_investigation')) {
    return 'under_investigation';
  }
  if (states.size > 0 && [...states].every((s) => s === 'fixed')) {
    return 'fixed';
  }
  return 'known_not_affected';
};

const CSAF_FLAG: Record<string, string> = {
  component_not_present: 'component_not_present',
  vulnerable_code_not_present: 'vulnerable_code_not_present',
  vulnerable_code_not_in_execute_path: 'vulnerable_code_not_in_execute_path',
  vulnerable_code_cannot_be_controlled_by_adversary: 'vulnerable_code_cannot_be_controlled_by_adversary',
  inline_mitigations_already_exist: 'inline_mitigations_already_exist',
};

/** Builds the CSAF 2.0 document (category `csaf_security_advisory`). */
export const buildCsafAdvisory = (input: CsafInput): Record<string, unknown> => {
  const frame = csafFrame(
    input,
    'Advisory',
    'arts. 20–21: vulnerability disclosure to healthcare providers and users',
  );
  const status: Record<string, string[]> = {};
  const flags = new Map<string, string[]>();
  const remediations: Record<string, unknown>[] = [];
  for (const r of input.releases) {
    const s = releaseStatus(r);
    status[s] = [...(status[s] ?? []), pid(r.version)];
    if (s === 'known_not_affected') {
      const label = r.findings.find((f) => f.justification)?.justification;
      if (label && CSAF_FLAG[label]) {
        flags.set(CSAF_FLAG[label], [...(flags.get(CSAF_FLAG[label]) ?? []), pid(r.version)]);
      }
    }
    if (s === 'known_affected' || s === 'under_investigation') {
      const action = r.findings.find((f) => f.actionStatement)?.actionStatement;
      remediations.push({
        category: action ? 'mitigation' : 'none_available',
        details:
          action ??
          `No fix is available yet for ${input.product.name} ${r.version}; the manufacturer is analysing the vulnerability.`,
        product_ids: [pid(r.version)],
      });
    }
    if (s === 'fixed') {
      remediations.push({
        category: 'vendor_fix',
        details: `Fixed in ${input.product.name} ${r.version}.`,
        product_ids: [pid(r.version)],
      });
    }
  }
  const components = [
    ...new Set(
      input.releases.flatMap((r) =>
        r.findings.map((f) => `${f.component}${f.componentVersion ? ` ${f.componentVersion}` : ''}`),
      ),
    ),
  ];
  const affectedIds = [...(status.known_affected ?? []), ...(status.under_investigation ?? [])];
  return {
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      lang: 'en',
      title: input.title,
      publisher: frame.publisher,
      notes: [
        {
          category: 'summary',
          title: 'Summary',
          text: `${input.vulnerability.summary ?? input.vulnerability.id} affects components of ${input.product.name} (${components.join(', ')}).`,
        },
        frame.note,
      ],
      references: frame.references,
      tracking: frame.tracking,
    },
    product_tree: csafProductTree(
      input.publisher.name,
      input.product,
      input.releases.map((r) => r.version),
    ),
    vulnerabilities: [
      {
        ...csafIdentity(input.vulnerability),
        title: input.vulnerability.summary ?? input.vulnerability.id,
        notes: [
          {
            category: 'description',
            title: 'Affected components',
            text: components.join(', ') || 'None found in the listed releases.',
          },
        ],
        product_status: status,
        ...(flags.size
          ? { flags: [...flags.entries()].map(([label, ids]) => ({ label, product_ids: ids })) }
          : {}),
        ...(remediations.length ? { remediations } : {}),
        ...(input.vulnerability.cvss3 && affectedIds.length
          ? {
              scores: [csafCvss3Score(input.vulnerability.cvss3, affectedIds)],
            }
          : {}),
      },
    ],
  };
};
