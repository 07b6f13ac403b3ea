/**
 * The metrics and allowed values of each CVSS version, in specification order, for strict vector validation
 * (the scoring library accepts incomplete or out-of-range vectors silently, so we check first).
 * Sources: CVSS v2 Complete Guide §2.4 (Table 13), CVSS v3.0/v3.1 Specification §6 (Table 15), CVSS v4.0
 * Specification §7 (Table 23).
 */

/** Metric abbreviation → allowed values; `group` tells where it belongs. */
export interface MetricTable {
  prefix: string | undefined;
  base: Record<string, readonly string[]>;
  temporal: Record<string, readonly string[]>;
  environmental: Record<string, readonly string[]>;
  supplemental: Record<string, readonly string[]>;
  /** CVSS 4.0 requires the specification order; 2.0 and 3.x allow any order. */
  ordered: boolean;
}

const V2: MetricTable = {
  prefix: undefined,
  base: {
    AV: ['L', 'A', 'N'],
    AC: ['H', 'M', 'L'],
    Au: ['M', 'S', 'N'],
    C: ['N', 'P', 'C'],
    I: ['N', 'P', 'C'],
    A: ['N', 'P', 'C'],
  },
  temporal: {
    E: ['U', 'POC', 'F', 'H', 'ND'],
    RL: ['OF', 'TF', 'W', 'U', 'ND'],
    RC: ['UC', 'UR', 'C', 'ND'],
  },
  environmental: {
    CDP: ['N', 'L', 'LM', 'MH', 'H', 'ND'],
    TD: ['N', 'L', 'M', 'H', 'ND'],
    CR: ['L', 'M', 'H', 'ND'],
    IR: ['L', 'M', 'H', 'ND'],
    AR: ['L', 'M', 'H', 'ND'],
  },
  supplemental: {},
  ordered: false,
};

const CIA3 = ['H', 'L', 'N'] as const;
const V3_BASE = {
  AV: ['N', 'A', 'L', 'P'],
  AC: ['L', 'H'],
  PR: ['N', 'L', 'H'],
  UI: ['N', 'R'],
  S: ['U', 'C'],
  C: CIA3,
  I: CIA3,
  A: CIA3,
};
const V3_TEMPORAL = { E: ['X', 'H', 'F', 'P', 'U'], RL: ['X', 'U', 'W', 'T', 'O'], RC: ['X', 'C', 'R', 'U'] };
const V3_ENVIRONMENTAL = {
  CR: ['X', 'H', 'M', 'L'],
  IR: ['X', 'H', 'M', 'L'],
  AR: ['X', 'H', 'M', 'L'],
  MAV: ['X', 'N', 'A', 'L', 'P'],
  MAC: ['X', 'L', 'H'],
  MPR: ['X', 'N', 'L', 'H'],
  MUI: ['X', 'N', 'R'],
  MS: ['X', 'U', 'C'],
  MC: ['X', ...CIA3],
  MI: ['X', ...CIA3],
  MA: ['X', ...CIA3],
};
const V3: MetricTable = {
  prefix: 'CVSS:3.1',
  base: V3_BASE,
  temporal: V3_TEMPORAL,
  environmental: V3_ENVIRONMENTAL,
  supplemental: {},
  ordered: false,
};

const V4: MetricTable = {
  prefix: 'CVSS:4.0',
  base: {
    AV: ['N', 'A', 'L', 'P'],
    AC: ['L', 'H'],
    AT: ['N', 'P'],
    PR: ['N', 'L', 'H'],
    UI: ['N', 'P', 'A'],
    VC: CIA3,
    VI: CIA3,
    VA: CIA3,
    SC: CIA3,
    SI: CIA3,
    SA: CIA3,
  },
  temporal: { E: ['X', 'A', 'P', 'U'] },
  environmental: {
    CR: ['X', 'H', 'M', 'L'],
    IR: ['X', 'H', 'M', 'L'],
    AR: ['X', 'H', 'M', 'L'],
    MAV: ['X', 'N', 'A', 'L', 'P'],
    MAC: ['X', 'L', 'H'],
    MAT: ['X', 'N', 'P'],
    MPR: ['X', 'N', 'L', 'H'],
    MUI: ['X', 'N', 'P', 'A'],
    MVC: ['X', ...CIA3],
    MVI: ['X', ...CIA3],
    MVA: ['X', ...CIA3],
    MSC: ['X', ...CIA3],
    MSI: ['X', 'S', ...CIA3],
    MSA: ['X', 'S', ...CIA3],
  },
  supplemental: {
    S: ['X', 'N', 'P'],
    AU: ['X', 'N', 'Y'],
    R: ['X', 'A', 'U', 'I'],
    V: ['X', 'D', 'C'],
    RE: ['X', 'L', 'M', 'H'],
    U: ['X', 'Clear', 'Green', 'Amber', 'Red'],
  },
  ordered: true,
};

export const CVSS_VERSIONS = ['2.0', '3.0', '3.1', '4.0'] as const;
export type CvssVersion = (typeof CVSS_VERSIONS)[number];

/** The metric table of a CVSS version. */
export const metricTable = (version: CvssVersion): MetricTable => {
  switch (version) {
    case '2.0':
      return V2;
    case '3.0':
      return { ...V3, prefix: 'CVSS:3.0' };
    case '3.1':
      return V3;
    default:
      return V4;
  }
};
