import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { canonicalAliasId, parseEpssCsv, parseKevCsv, parseKevJson, uuidv7 } from '@medsec/core';
import type { Deps } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { copyLine } from '../../db/copy.ts';
import { ANALYZE_AFTER, analyzeTables } from '../../db/sql.ts';
import { lockAdvisoryWrites, vulnerabilitiesNamedBy } from './advisories.sql.ts';
import { type MatchSummary, rematchKeys } from './matching.service.ts';
import { type PreparedBatch, preparedOsvBatches } from './osv-batches.ts';
import type { PreparedOsv } from './osv-prepare.ts';

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

const VULNERABILITY_COLUMNS = [
  'id',
  'aliases',
  'summary',
  'details',
  'published',
  'modified',
  'cvss3_vector',
  'cvss3_score',
  'cvss4_vector',
  'cvss4_score',
  'cwes',
  'qualitative_severity',
  'updated_at',
] as const;

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
 * aliases are unioned, text fields keep the first value, scores take the newest), and writes them.
 */
class VulnerabilityMerger {
  private readonly rows = new Map<string, VulnerabilityRow>();
  private readonly byAlias = new Map<string, Set<string>>();
  private readonly dirty = new Set<string>();
  /** Ids of the rows that were in the database before this batch (updated, not inserted). */
  private readonly stored = new Set<string>();

  static async load(q: Queryable, items: PreparedOsv[]): Promise<VulnerabilityMerger> {
    const merger = new VulnerabilityMerger();
    const ids = [...new Set(items.flatMap((a) => [a.id, ...a.aliases]))];
    const rows = await q.query<VulnerabilityRow>(
      `SELECT id, aliases, summary, details, published, modified, cvss3_vector, cvss3_score, cvss4_vector, cvss4_score,
              cwes, qualitative_severity
         FROM vulnerabilities
        WHERE id IN ${vulnerabilitiesNamedBy('$1::text[]')}`,
      [ids],
    );
    for (const r of rows) {
      merger.stored.add(r.id);
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
  merge(item: PreparedOsv): string {
    const ids = [item.id, ...item.aliases];
    let existing: VulnerabilityRow | undefined;
    for (const key of ids) {
      for (const rowId of this.byAlias.get(key) ?? []) {
        if (!existing || rowId < existing.id) {
          existing = this.rows.get(rowId);
        }
      }
    }
    const v = item.vulnerability;
    const id = existing?.id ?? canonicalAliasId(ids);
    const aliases = [...new Set([...(existing?.aliases ?? []), ...ids])].filter((a) => a !== id).sort();
    const row: VulnerabilityRow = {
      id,
      aliases,
      summary: existing?.summary ?? v.summary,
      details: existing?.details ?? v.details,
      published: existing?.published ?? v.published,
      modified: later(existing?.modified ?? null, v.modified),
      cvss3_vector: v.cvss3_vector ?? existing?.cvss3_vector ?? null,
      cvss3_score: v.cvss3_score ?? existing?.cvss3_score ?? null,
      cvss4_vector: v.cvss4_vector ?? existing?.cvss4_vector ?? null,
      cvss4_score: v.cvss4_score ?? existing?.cvss4_score ?? null,
      cwes: [...new Set([...(existing?.cwes ?? []), ...v.cwes])].sort(),
      qualitative_severity: v.qualitative_severity ?? existing?.qualitative_severity ?? null,
    };
    this.remember(row);
    this.dirty.add(id);
    return id;
  }

  /** New rows go in by COPY; rows that were already stored are updated with one upsert statement. */
  async write(q: Queryable, now: Date): Promise<void> {
    const fresh: string[] = [];
    const rows: VulnerabilityRow[] = [];
    for (const id of this.dirty) {
      const r = this.rows.get(id) as VulnerabilityRow;
      if (this.stored.has(id)) {
        rows.push(r);
      } else {
        fresh.push(
          copyLine([
            r.id,
            r.aliases,
            r.summary,
            r.details,
            r.published,
            r.modified,
            r.cvss3_vector,
            r.cvss3_score,
            r.cvss4_vector,
            r.cvss4_score,
            r.cwes,
            r.qualitative_severity,
            now,
          ]),
        );
      }
    }
    await q.copyFrom('vulnerabilities', VULNERABILITY_COLUMNS, fresh.join(''));
    if (rows.length === 0) {
      return;
    }
    await q.query(
      `UPDATE vulnerabilities v SET aliases = r.aliases, summary = r.summary, details = r.details,
              published = r.published, modified = r.modified, cvss3_vector = r.cvss3_vector,
              cvss3_score = r.cvss3_score, cvss4_vector = r.cvss4_vector, cvss4_score = r.cvss4_score, cwes = r.cwes,
              qualitative_severity = r.qualitative_severity, updated_at = $2
         FROM jsonb_to_recordset($1::jsonb) AS r (id text, aliases text[], summary text, details text,
              published timestamptz, modified timestamptz, cvss3_vector text, cvss3_score numeric, cvss4_vector text,
              cvss4_score numeric, cwes text[], qualitative_severity text)
        WHERE v.id = r.id`,
      [JSON.stringify(rows), now],
    );
  }
}

/** Records per transaction: large enough that PGlite writes few statements, small enough to bound memory. */
const IMPORT_BATCH = 1000;

const ADVISORY_COLUMNS = [
  'id',
  'source',
  'vulnerability_id',
  'aliases',
  'modified',
  'withdrawn_at',
  'content_hash',
  'data',
  'imported_at',
] as const;
const PACKAGE_COLUMNS = ['advisory_id', 'ecosystem', 'match_ecosystem', 'match_name', 'affected'] as const;

/**
 * Writes one batch of prepared OSV records in one transaction: unchanged ones (same content hash) are skipped, new
 * ones go in by COPY (advisories, their package index, new vulnerabilities), changed ones are updated with one
 * statement per table. Writers of advisory data take one lock, so a COPY never meets a row inserted meanwhile.
 */
const writeOsvBatch = async (
  deps: Deps,
  items: PreparedOsv[],
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
    await lockAdvisoryWrites(tx);
    const known = new Map(
      (
        await tx.query<{ id: string; content_hash: string }>(
          'SELECT id, content_hash FROM advisories WHERE id = ANY ($1)',
          [unique.map((a) => a.id)],
        )
      ).map((r) => [r.id, r.content_hash]),
    );
    const changed = unique.filter((item) => {
      if (known.get(item.id) === item.hash) {
        counts.unchanged++;
        return false;
      }
      return true;
    });
    if (changed.length === 0) {
      return;
    }
    const merger = await VulnerabilityMerger.load(tx, changed);
    const fresh: string[] = [];
    const updated: string[] = [];
    const packages: string[] = [];
    for (const item of changed) {
      const vulnerabilityId = merger.merge(item);
      if (known.has(item.id)) {
        counts.changed++;
        updated.push(
          JSON.stringify({
            id: item.id,
            vulnerability_id: vulnerabilityId,
            aliases: item.aliases,
            modified: item.modified,
            withdrawn_at: item.withdrawn,
            content_hash: item.hash,
            data: item.json,
          }),
        );
      } else {
        counts.created++;
        // the record's text was escaped for COPY by the preparation thread
        fresh.push(
          copyLine([
            item.id,
            'osv',
            vulnerabilityId,
            item.aliases,
            item.modified,
            item.withdrawn,
            item.hash,
            item.jsonCopy,
            now,
          ]),
        );
      }
      packages.push(item.packageLines);
      for (const k of item.packages) {
        affectedKeys.set(`${k.base}\u001f${k.name}`, { ecosystem: k.base, name: k.name });
      }
      if (item.withdrawn) {
        counts.withdrawn++;
      }
    }
    await merger.write(tx, now);
    await tx.copyFrom('advisories', ADVISORY_COLUMNS, fresh.join(''));
    if (updated.length > 0) {
      await tx.query(
        `UPDATE advisories a SET vulnerability_id = r.vulnerability_id, aliases = r.aliases, modified = r.modified,
                withdrawn_at = r.withdrawn_at, content_hash = r.content_hash, data = r.data, imported_at = $2
           FROM jsonb_to_recordset($1::jsonb) AS r (id text, vulnerability_id text, aliases text[],
                modified timestamptz, withdrawn_at timestamptz, content_hash text, data text)
          WHERE a.id = r.id`,
        [`[${updated.join(',')}]`, now],
      );
      await tx.query('DELETE FROM advisory_packages WHERE advisory_id = ANY ($1)', [
        changed.filter((c) => known.has(c.id)).map((c) => c.id),
      ]);
    }
    await tx.copyFrom('advisory_packages', PACKAGE_COLUMNS, packages.join(''));
  });
};

/** Counts what a prepared batch carries before it is written: documents read, refused and flagged. */
const countBatch = (counts: ImportCounts, batch: PreparedBatch): void => {
  counts.read += batch.read;
  counts.flagged += batch.flagged;
  counts.refused += batch.refused.length;
  for (const r of batch.refused) {
    if (counts.errors.length < 50) {
      counts.errors.push(r);
    }
  }
};

/**
 * Imports OSV records from files, directories, zips or `.jsonl.gz` streams (one path or several, read into the same
 * batches), then re-matches what changed. Documents are read,
 * checked and normalised on a worker thread; batches are written one after another (the next one's alias merge
 * reads what this one wrote) while the worker prepares the next.
 */
export const importOsv = async (
  deps: Deps,
  path: string | readonly string[],
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
  let writing: Promise<void> = Promise.resolve();
  try {
    for await (const batch of preparedOsvBatches(typeof path === 'string' ? [path] : path, IMPORT_BATCH)) {
      await writing;
      countBatch(counts, batch);
      writing = writeOsvBatch(deps, batch.items, counts, affectedKeys);
      // handled here so a failure waits for the `await` above instead of surfacing as an unhandled rejection
      writing.catch(() => undefined);
      await progress?.(counts.read, `${counts.read} records read`);
    }
  } finally {
    // a failed read still lets the batch being written finish (or fail) before the import ends
    await writing.catch(() => undefined);
  }
  await writing;
  if (counts.created + counts.changed >= ANALYZE_AFTER) {
    // fresh planner statistics after a bulk load: PGlite has no autovacuum, and PostgreSQL's comes later; without
    // them the candidate query of the next match is planned for empty tables (sequential scans and hash joins)
    await analyzeTables(
      deps.db,
      [
        'vulnerabilities (id)',
        'vulnerability_ids',
        'advisories (id, vulnerability_id, withdrawn_at)',
        'advisory_packages (advisory_id, match_ecosystem, match_name)',
      ],
      counts.created + counts.changed,
    );
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
    await lockAdvisoryWrites(tx);
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
          JOIN vulnerability_ids i ON i.alias = t.cve
          WHERE v.id = i.vulnerability_id`,
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
        `WITH input AS (SELECT * FROM unnest($1::text[], $2::numeric[], $3::numeric[]) AS t(cve, epss, pct)),
              target AS (SELECT cve AS id, epss, pct FROM input
                         UNION ALL
                         SELECT i.vulnerability_id, input.epss, input.pct
                           FROM input JOIN vulnerability_ids i ON i.alias = input.cve)
         UPDATE vulnerabilities v SET epss = target.epss, epss_percentile = target.pct, epss_date = $4
           FROM target WHERE v.id = target.id RETURNING 1 AS n`,
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
