import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  canonicalAliasId,
  normalizeOsv,
  normalizePackageName,
  type OsvAdvisory,
  parseEpssCsv,
  parseKevCsv,
  parseKevJson,
  scoreCvss,
  splitEcosystem,
  uuidv7,
} from '@medsec/core';
import type { Deps } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ANALYZE_AFTER, analyzeTables } from '../../db/sql.ts';
import { readAdvisoryDocuments } from './advisory.files.ts';
import { type MatchSummary, rematchKeys } from './matching.service.ts';

/**
 * Offline import of public advisory data (always works on air-gapped sites; an online sync job feeds the same code):
 * OSV (single JSON, directories, OSV zip archives, `.jsonl.gz`), CISA KEV (JSON or CSV) and EPSS (CSV). Imports are
 * incremental and idempotent: an advisory whose normalised content is unchanged is skipped; a changed or withdrawn one
 * triggers a re-match of exactly the components its packages name. Aliases (CVE, GHSA, vendor IDs) merge into one
 * vulnerability (a CVE id is preferred as its id).
 */
export interface ImportCounts {
  read: number;
  created: number;
  changed: number;
  unchanged: number;
  withdrawn: number;
  refused: number;
  flagged: number;
  errors: { origin: string; message: string }[];
  rematch?: MatchSummary;
  /** Wall time of the import (reading, normalising, writing) and of the re-match that follows it. */
  importMs?: number;
  rematchMs?: number;
}

export type ImportProgress = (done: number, message: string) => void | Promise<void>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const cvssOf = (advisory: OsvAdvisory) => {
  const out: { v3?: { vector: string; score: number }; v4?: { vector: string; score: number } } = {};
  const all = [...advisory.severity, ...advisory.affected.flatMap((a) => a.severity)];
  for (const s of all) {
    try {
      if (s.type === 'CVSS_V3' && !out.v3) {
        out.v3 = { vector: s.score, score: scoreCvss(s.score).baseScore };
      }
      if (s.type === 'CVSS_V4' && !out.v4) {
        out.v4 = { vector: s.score, score: scoreCvss(s.score).baseScore };
      }
    } catch {
      // an invalid vector is kept in the advisory data but not scored
    }
  }
  return out;
};

/** A vulnerability row as the import merges it in memory before one bulk write per batch. */
interface VulnerabilityRow {
  id: string;
  aliases: string[];
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

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const later = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : Date.parse(a) >= Date.parse(b) ? a : b;

/**
 * The vulnerabilities of one batch: loads the rows any of the batch's ids or aliases already belong to, then
 * merges each advisory in order (as one statement per advisory would: the existing row with the smallest id wins,
 * aliases are unioned, text fields keep the first value, scores take the newest), and writes them in one statement.
 */
class VulnerabilityMerger {
  private readonly rows = new Map<string, VulnerabilityRow>();
  private readonly byAlias = new Map<string, Set<string>>();
  private readonly dirty = new Set<string>();

  static async load(q: Queryable, advisories: OsvAdvisory[]): Promise<VulnerabilityMerger> {
    const merger = new VulnerabilityMerger();
    const ids = [...new Set(advisories.flatMap((a) => [a.id, ...a.aliases]))];
    const rows = await q.query<VulnerabilityRow>(
      `SELECT id, aliases, summary, details, published, modified, cvss3_vector, cvss3_score, cvss4_vector, cvss4_score,
              cwes, qualitative_severity
         FROM vulnerabilities
        WHERE id IN (SELECT vulnerability_id FROM vulnerability_ids WHERE alias = ANY ($1::text[]))`,
      [ids],
    );
    for (const r of rows) {
      merger.remember({
        ...r,
        published: iso(r.published),
        modified: iso(r.modified),
        cvss3_score: num(r.cvss3_score),
        cvss4_score: num(r.cvss4_score),
      });
    }
    return merger;
  }

  private remember(row: VulnerabilityRow): void {
    this.rows.set(row.id, row);
    for (const key of [row.id, ...row.aliases]) {
      const set = this.byAlias.get(key) ?? new Set<string>();
      set.add(row.id);
      this.byAlias.set(key, set);
    }
  }

  /** Merges one advisory and returns the id of the vulnerability it belongs to. */
  merge(advisory: OsvAdvisory): string {
    const ids = [advisory.id, ...advisory.aliases];
    let existing: VulnerabilityRow | undefined;
    for (const key of ids) {
      for (const rowId of this.byAlias.get(key) ?? []) {
        if (!existing || rowId < existing.id) {
          existing = this.rows.get(rowId);
        }
      }
    }
    const cvss = cvssOf(advisory);
    const label = String(
      (advisory.databaseSpecific as { severity?: unknown } | undefined)?.severity ?? '',
    ).toLowerCase();
    const qualitative =
      label === 'moderate' ? 'medium' : ['critical', 'high', 'medium', 'low'].includes(label) ? label : null;
    const id = existing?.id ?? canonicalAliasId(ids);
    const aliases = [...new Set([...(existing?.aliases ?? []), ...ids])].filter((a) => a !== id).sort();
    const row: VulnerabilityRow = {
      id,
      aliases,
      summary: existing?.summary ?? advisory.summary ?? null,
      details: existing?.details ?? advisory.details ?? null,
      published: existing?.published ?? advisory.published ?? null,
      modified: later(existing?.modified ?? null, advisory.modified ?? null),
      cvss3_vector: cvss.v3?.vector ?? existing?.cvss3_vector ?? null,
      cvss3_score: cvss.v3?.score ?? existing?.cvss3_score ?? null,
      cvss4_vector: cvss.v4?.vector ?? existing?.cvss4_vector ?? null,
      cvss4_score: cvss.v4?.score ?? existing?.cvss4_score ?? null,
      cwes: [...new Set([...(existing?.cwes ?? []), ...advisory.cwes])].sort(),
      qualitative_severity: qualitative ?? existing?.qualitative_severity ?? null,
    };
    this.remember(row);
    this.dirty.add(id);
    return id;
  }

  async write(q: Queryable, now: Date): Promise<void> {
    if (this.dirty.size === 0) {
      return;
    }
    const rows = [...this.dirty].map((id) => this.rows.get(id) as VulnerabilityRow);
    await q.query(
      `INSERT INTO vulnerabilities (id, aliases, summary, details, published, modified, cvss3_vector, cvss3_score,
         cvss4_vector, cvss4_score, cwes, qualitative_severity, updated_at)
       SELECT r.id, r.aliases, r.summary, r.details, r.published, r.modified, r.cvss3_vector, r.cvss3_score,
              r.cvss4_vector, r.cvss4_score, r.cwes, r.qualitative_severity, $2
         FROM jsonb_to_recordset($1::jsonb) AS r (id text, aliases text[], summary text, details text,
              published timestamptz, modified timestamptz, cvss3_vector text, cvss3_score numeric, cvss4_vector text,
              cvss4_score numeric, cwes text[], qualitative_severity text)
       ON CONFLICT (id) DO UPDATE SET aliases = EXCLUDED.aliases, summary = EXCLUDED.summary,
         details = EXCLUDED.details, published = EXCLUDED.published, modified = EXCLUDED.modified,
         cvss3_vector = EXCLUDED.cvss3_vector, cvss3_score = EXCLUDED.cvss3_score,
         cvss4_vector = EXCLUDED.cvss4_vector, cvss4_score = EXCLUDED.cvss4_score, cwes = EXCLUDED.cwes,
         qualitative_severity = EXCLUDED.qualitative_severity, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(rows), now],
    );
  }
}

/**
 * The packages an advisory names, each with its own affected entries (and their position in the advisory): what
 * matching reads, instead of the whole record.
 */
const packageKeys = (advisory: OsvAdvisory) => {
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
  return [...keys.values()];
};

/** Records per transaction: large enough that PGlite writes few statements, small enough to bound memory. */
const IMPORT_BATCH = 1000;

/**
 * Writes one batch of normalised OSV records: unchanged ones (same content hash) are skipped; the rest are written
 * with one statement per table (vulnerabilities, advisories, their package index) in one transaction.
 */
const writeOsvBatch = async (
  deps: Deps,
  items: OsvAdvisory[],
  counts: ImportCounts,
  affectedKeys: Map<string, { ecosystem: string; name: string }>,
): Promise<void> => {
  if (items.length === 0) {
    return;
  }
  // the last record wins when a batch names the same advisory twice
  const unique = [...new Map(items.map((a) => [a.id, a])).values()];
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const known = new Map(
      (
        await tx.query<{ id: string; content_hash: string }>(
          'SELECT id, content_hash FROM advisories WHERE id = ANY ($1)',
          [unique.map((a) => a.id)],
        )
      ).map((r) => [r.id, r.content_hash]),
    );
    const changed: { advisory: OsvAdvisory; json: string; hash: string }[] = [];
    for (const advisory of unique) {
      const json = JSON.stringify(advisory);
      const hash = sha256(json);
      if (known.get(advisory.id) === hash) {
        counts.unchanged++;
        continue;
      }
      changed.push({ advisory, json, hash });
    }
    if (changed.length === 0) {
      return;
    }
    const merger = await VulnerabilityMerger.load(
      tx,
      changed.map((c) => c.advisory),
    );
    const rows: string[] = [];
    const packages: string[] = [];
    for (const { advisory, json, hash } of changed) {
      const vulnerabilityId = merger.merge(advisory);
      const withdrawn = advisory.withdrawn ? new Date(advisory.withdrawn).toISOString() : null;
      rows.push(
        `{"id":${JSON.stringify(advisory.id)},"vulnerability_id":${JSON.stringify(vulnerabilityId)},"aliases":${JSON.stringify(
          advisory.aliases,
        )},"modified":${JSON.stringify(advisory.modified ?? null)},"withdrawn_at":${JSON.stringify(withdrawn)},"content_hash":"${hash}","data":${json}}`,
      );
      for (const k of packageKeys(advisory)) {
        packages.push(
          `{"advisory_id":${JSON.stringify(advisory.id)},"ecosystem":${JSON.stringify(k.ecosystem)},"match_ecosystem":${JSON.stringify(
            k.base,
          )},"match_name":${JSON.stringify(k.name)},"affected":${JSON.stringify(k.affected)}}`,
        );
        affectedKeys.set(`${k.base}\u001f${k.name}`, { ecosystem: k.base, name: k.name });
      }
      if (withdrawn) {
        counts.withdrawn++;
      }
      if (known.has(advisory.id)) {
        counts.changed++;
      } else {
        counts.created++;
      }
    }
    await merger.write(tx, now);
    await tx.query(
      `INSERT INTO advisories (id, source, vulnerability_id, aliases, modified, withdrawn_at, content_hash, data, imported_at)
       SELECT r.id, 'osv', r.vulnerability_id, r.aliases, r.modified, r.withdrawn_at, r.content_hash, r.data, $2
         FROM jsonb_to_recordset($1::jsonb) AS r (id text, vulnerability_id text, aliases text[], modified timestamptz,
              withdrawn_at timestamptz, content_hash text, data jsonb)
       ON CONFLICT (id) DO UPDATE SET vulnerability_id = EXCLUDED.vulnerability_id, aliases = EXCLUDED.aliases,
         modified = EXCLUDED.modified, withdrawn_at = EXCLUDED.withdrawn_at, content_hash = EXCLUDED.content_hash,
         data = EXCLUDED.data, imported_at = EXCLUDED.imported_at`,
      [`[${rows.join(',')}]`, now],
    );
    const replaced = changed.filter((c) => known.has(c.advisory.id)).map((c) => c.advisory.id);
    if (replaced.length > 0) {
      await tx.query('DELETE FROM advisory_packages WHERE advisory_id = ANY ($1)', [replaced]);
    }
    if (packages.length > 0) {
      await tx.query(
        `INSERT INTO advisory_packages (advisory_id, ecosystem, match_ecosystem, match_name, affected)
         SELECT * FROM jsonb_to_recordset($1::jsonb)
                AS r (advisory_id text, ecosystem text, match_ecosystem text, match_name text, affected jsonb)`,
        [`[${packages.join(',')}]`],
      );
    }
  });
};

/** Imports OSV records from a file, directory, zip or `.jsonl.gz`, then re-matches what changed. */
export const importOsv = async (
  deps: Deps,
  path: string,
  progress?: ImportProgress,
): Promise<ImportCounts> => {
  const counts: ImportCounts = {
    read: 0,
    created: 0,
    changed: 0,
    unchanged: 0,
    withdrawn: 0,
    refused: 0,
    flagged: 0,
    errors: [],
  };
  const started = performance.now();
  const affectedKeys = new Map<string, { ecosystem: string; name: string }>();
  let batch: OsvAdvisory[] = [];
  let writing: Promise<void> = Promise.resolve();
  for await (const item of readAdvisoryDocuments(path)) {
    counts.read++;
    if (!item.ok) {
      counts.refused++;
      counts.errors.length < 50 && counts.errors.push({ origin: item.origin, message: item.error });
      continue;
    }
    const result = normalizeOsv(item.doc);
    if (!result.accepted || !result.advisory) {
      counts.refused++;
      counts.errors.length < 50 &&
        counts.errors.push({
          origin: item.origin,
          message: result.issues
            .filter((i) => i.severity === 'error')
            .map((i) => `${i.path}: ${i.message}`)
            .join('; '),
        });
      continue;
    }
    if (result.flagged) {
      counts.flagged++;
    }
    batch.push(result.advisory);
    if (batch.length >= IMPORT_BATCH) {
      // batches are written one after another (the next one's alias merge reads what this one wrote), but the next
      // batch is read and normalised while this one is being written: on PostgreSQL that is the other core's work
      await writing;
      writing = writeOsvBatch(deps, batch, counts, affectedKeys);
      // handled here so a failure waits for the `await` above instead of surfacing as an unhandled rejection
      writing.catch(() => undefined);
      batch = [];
      await progress?.(counts.read, `${counts.read} records read`);
    }
  }
  await writing;
  await writeOsvBatch(deps, batch, counts, affectedKeys);
  if (counts.created + counts.changed >= ANALYZE_AFTER) {
    // fresh planner statistics after a bulk load: PGlite has no autovacuum, and PostgreSQL's comes later; without
    // them the candidate query of the next match is planned for empty tables (sequential scans and hash joins)
    await analyzeTables(deps.db, [
      'vulnerabilities (id)',
      'vulnerability_ids',
      'advisories (id, vulnerability_id, withdrawn_at)',
      'advisory_packages (advisory_id, match_ecosystem, match_name)',
    ]);
  }
  counts.importMs = Math.round(performance.now() - started);
  await progress?.(counts.read, `re-matching ${affectedKeys.size} packages`);
  const rematchStarted = performance.now();
  counts.rematch = await rematchKeys(deps, [...affectedKeys.values()]);
  counts.rematchMs = Math.round(performance.now() - rematchStarted);
  return counts;
};

/** CISA Known Exploited Vulnerabilities (JSON or CSV, by content): flags the CVEs, creating rows for unknown ones. */
export const importKev = async (deps: Deps, path: string) => {
  const text = readFileSync(path, 'utf8');
  const catalog = text.trimStart().startsWith('{') ? parseKevJson(text) : parseKevCsv(text);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    for (let i = 0; i < catalog.records.length; i += 1000) {
      const chunk = catalog.records.slice(i, i + 1000);
      const params = [
        chunk.map((r) => r.cveId),
        chunk.map((r) => r.vulnerabilityName ?? null),
        chunk.map((r) => r.dateAdded),
        chunk.map((r) => r.dueDate ?? null),
        chunk.map((r) => r.knownRansomwareCampaignUse ?? null),
        now,
      ];
      await tx.query(
        `INSERT INTO vulnerabilities (id, summary, kev_date_added, kev_due_date, kev_ransomware, updated_at)
         SELECT DISTINCT ON (cve) cve, name, added, due, ransomware, $6
           FROM unnest($1::text[], $2::text[], $3::date[], $4::date[], $5::text[]) AS t(cve, name, added, due, ransomware)
         ON CONFLICT (id) DO UPDATE SET kev_date_added = EXCLUDED.kev_date_added, kev_due_date = EXCLUDED.kev_due_date,
           kev_ransomware = EXCLUDED.kev_ransomware, updated_at = EXCLUDED.updated_at`,
        params,
      );
      // a CVE that is an alias of another vulnerability row flags that row too
      await tx.query(
        `UPDATE vulnerabilities v SET kev_date_added = t.added, kev_due_date = t.due, kev_ransomware = t.ransomware,
                updated_at = $6
           FROM unnest($1::text[], $2::text[], $3::date[], $4::date[], $5::text[]) AS t(cve, name, added, due, ransomware)
          WHERE t.cve = ANY (v.aliases)`,
        params,
      );
    }
  });
  return {
    read: catalog.records.length,
    issues: catalog.issues.length,
    catalogVersion: catalog.catalogVersion ?? null,
  };
};

/** EPSS scores (CSV): updates the vulnerabilities already known (by id or CVE alias). */
export const importEpss = async (deps: Deps, path: string) => {
  const file = parseEpssCsv(readFileSync(path, 'utf8'));
  let updated = 0;
  await deps.db.transaction(async (tx) => {
    for (let i = 0; i < file.records.length; i += 1000) {
      const chunk = file.records.slice(i, i + 1000);
      const rows = await tx.query<{ n: number }>(
        `WITH input AS (SELECT * FROM unnest($1::text[], $2::numeric[], $3::numeric[]) AS t(cve, epss, pct))
         UPDATE vulnerabilities v SET epss = input.epss, epss_percentile = input.pct, epss_date = $4
           FROM input WHERE v.id = input.cve OR input.cve = ANY (v.aliases) RETURNING 1 AS n`,
        [
          chunk.map((r) => r.cveId),
          chunk.map((r) => r.epss),
          chunk.map((r) => r.percentile),
          file.scoreDate ?? null,
        ],
      );
      updated += rows.length;
    }
  });
  return { read: file.records.length, updated, scoreDate: file.scoreDate ?? null, id: uuidv7() };
};
