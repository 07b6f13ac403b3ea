import { createHash } from 'node:crypto';
import {
  normalizeOsv,
  normalizePackageName,
  type OsvAdvisory,
  scoreCvss,
  splitEcosystem,
} from '@medsec/core';
import { type CopyEscaped, copyEscaped, copyLine } from '../../db/copy.ts';

/**
 * The CPU-bound half of an OSV import, done apart from the database (in a worker thread, `osv-prepare.worker.ts`):
 * each record is checked and normalised, serialised once (the stored text and its SHA-256), scored, and reduced to
 * what the database write needs. Only plain data leaves this module, so it crosses threads cheaply.
 */

/** The vulnerability fields one advisory contributes (merged with the stored row and the other advisories). */
export interface VulnerabilityFields {
  summary: string | null;
  details: string | null;
  published: string | null;
  modified: string | null;
  cvss3_vector: string | null;
  cvss3_score: number | null;
  cvss4_vector: string | null;
  cvss4_score: number | null;
  cwes: string[];
  qualitative_severity: string | null;
}

/** A package the advisory names, with the JSON text of its affected entries (`{ index, entry }[]`). */
export interface PreparedPackage {
  ecosystem: string;
  base: string;
  name: string;
  affected: string;
}

export interface PreparedOsv {
  id: string;
  aliases: string[];
  modified: string | null;
  /** ISO timestamp of withdrawal, or null. */
  withdrawn: string | null;
  /** The normalised record as stored: `hash` is the SHA-256 of exactly this text. */
  json: string;
  /** `json` escaped for a COPY text line (done here, off the thread that writes). */
  jsonCopy: CopyEscaped;
  hash: string;
  vulnerability: VulnerabilityFields;
  packages: PreparedPackage[];
  /** The COPY text lines of this advisory's `advisory_packages` rows. */
  packageLines: string;
}

export type PrepareResult =
  | { ok: true; item: PreparedOsv; flagged: boolean }
  | { ok: false; message: string };

/** Base scores by vector: feeds repeat the same few hundred vectors, and scoring one costs a parse. */
const scores = new Map<string, number | null>();
const MAX_SCORES = 20_000;

const baseScore = (vector: string): number | null => {
  let score = scores.get(vector);
  if (score === undefined) {
    try {
      score = scoreCvss(vector).baseScore;
    } catch {
      // an invalid vector is kept in the advisory data but not scored
      score = null;
    }
    if (scores.size >= MAX_SCORES) {
      scores.clear();
    }
    scores.set(vector, score);
  }
  return score;
};

const cvssOf = (advisory: OsvAdvisory) => {
  let v3: { vector: string; score: number } | undefined;
  let v4: { vector: string; score: number } | undefined;
  for (const s of [...advisory.severity, ...advisory.affected.flatMap((a) => a.severity)]) {
    if (s.type === 'CVSS_V3' && !v3) {
      const score = baseScore(s.score);
      v3 = score === null ? undefined : { vector: s.score, score };
    } else if (s.type === 'CVSS_V4' && !v4) {
      const score = baseScore(s.score);
      v4 = score === null ? undefined : { vector: s.score, score };
    }
  }
  return { v3, v4 };
};

const QUALITATIVE = new Set(['critical', 'high', 'medium', 'low']);

/** GitHub's `database_specific.severity` label as our qualitative severity (GitHub says "moderate"). */
const qualitativeOf = (advisory: OsvAdvisory): string | null => {
  const label = String(
    (advisory.databaseSpecific as { severity?: unknown } | undefined)?.severity ?? '',
  ).toLowerCase();
  return label === 'moderate' ? 'medium' : QUALITATIVE.has(label) ? label : null;
};

/**
 * The packages an advisory names, each with its own affected entries (and their position in the advisory): what
 * matching reads, instead of the whole record.
 */
export const packagesOf = (advisory: OsvAdvisory): PreparedPackage[] => {
  const keys = new Map<
    string,
    { ecosystem: string; base: string; name: string; affected: { index: number; entry: unknown }[] }
  >();
  advisory.affected.forEach((a, index) => {
    if (a.package) {
      const base = splitEcosystem(a.package.ecosystem).base;
      const name = normalizePackageName(a.package.ecosystem, a.package.name);
      const key = `${a.package.ecosystem}\u001f${name}`;
      const found = keys.get(key);
      // only what version evaluation reads: the package, its ranges and its listed versions
      const entry = { package: a.package, ranges: a.ranges, versions: a.versions };
      if (found) {
        found.affected.push({ index, entry });
      } else {
        keys.set(key, { ecosystem: a.package.ecosystem, base, name, affected: [{ index, entry }] });
      }
    }
  });
  return [...keys.values()].map((k) => ({
    ecosystem: k.ecosystem,
    base: k.base,
    name: k.name,
    affected: JSON.stringify(k.affected),
  }));
};

/** Checks, normalises and reduces one parsed OSV document. */
export const prepareOsv = (doc: unknown): PrepareResult => {
  const result = normalizeOsv(doc);
  if (!result.accepted || !result.advisory) {
    return {
      ok: false,
      message: result.issues
        .filter((i) => i.severity === 'error')
        .map((i) => `${i.path}: ${i.message}`)
        .join('; '),
    };
  }
  const advisory = result.advisory;
  const json = JSON.stringify(advisory);
  const cvss = cvssOf(advisory);
  const packages = packagesOf(advisory);
  return {
    ok: true,
    flagged: result.flagged,
    item: {
      id: advisory.id,
      aliases: advisory.aliases,
      modified: advisory.modified ?? null,
      withdrawn: advisory.withdrawn ? new Date(advisory.withdrawn).toISOString() : null,
      json,
      jsonCopy: copyEscaped(json),
      hash: createHash('sha256').update(json).digest('hex'),
      vulnerability: {
        summary: advisory.summary ?? null,
        details: advisory.details ?? null,
        published: advisory.published ?? null,
        modified: advisory.modified ?? null,
        cvss3_vector: cvss.v3?.vector ?? null,
        cvss3_score: cvss.v3?.score ?? null,
        cvss4_vector: cvss.v4?.vector ?? null,
        cvss4_score: cvss.v4?.score ?? null,
        cwes: advisory.cwes,
        qualitative_severity: qualitativeOf(advisory),
      },
      packages,
      packageLines: packages
        .map((k) => copyLine([advisory.id, k.ecosystem, k.base, k.name, k.affected]))
        .join(''),
    },
  };
};
