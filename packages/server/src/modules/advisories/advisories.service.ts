import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
import { canonicalJson } from '../../platform/audit/audit.chain.ts';
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
}

export type ImportProgress = (done: number, message: string) => void | Promise<void>;

const hashOf = (v: unknown) => createHash('sha256').update(canonicalJson(v)).digest('hex');

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

/** Finds the vulnerability any of these ids already belongs to, or creates it; merges aliases. */
const upsertVulnerability = async (q: Queryable, advisory: OsvAdvisory, now: Date): Promise<string> => {
  const ids = [advisory.id, ...advisory.aliases];
  const [existing] = await q.query<{ id: string; aliases: string[] }>(
    'SELECT id, aliases FROM vulnerabilities WHERE id = ANY ($1) OR aliases && $1 ORDER BY id LIMIT 1',
    [ids],
  );
  const cvss = cvssOf(advisory);
  const label = String(
    (advisory.databaseSpecific as { severity?: unknown } | undefined)?.severity ?? '',
  ).toLowerCase();
  const qualitative =
    label === 'moderate' ? 'medium' : ['critical', 'high', 'medium', 'low'].includes(label) ? label : null;
  const id = existing?.id ?? canonicalAliasId(ids);
  const aliases = [...new Set([...(existing?.aliases ?? []), ...ids])].filter((a) => a !== id).sort();
  await q.query(
    `INSERT INTO vulnerabilities (id, aliases, summary, details, published, modified, withdrawn_at, cvss3_vector, cvss3_score,
       cvss4_vector, cvss4_score, cwes, updated_at, qualitative_severity)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (id) DO UPDATE SET aliases = EXCLUDED.aliases,
       summary = coalesce(vulnerabilities.summary, EXCLUDED.summary), details = coalesce(vulnerabilities.details, EXCLUDED.details),
       published = coalesce(vulnerabilities.published, EXCLUDED.published),
       modified = greatest(vulnerabilities.modified, EXCLUDED.modified),
       cvss3_vector = coalesce(EXCLUDED.cvss3_vector, vulnerabilities.cvss3_vector),
       cvss3_score = coalesce(EXCLUDED.cvss3_score, vulnerabilities.cvss3_score),
       cvss4_vector = coalesce(EXCLUDED.cvss4_vector, vulnerabilities.cvss4_vector),
       cvss4_score = coalesce(EXCLUDED.cvss4_score, vulnerabilities.cvss4_score),
       cwes = (SELECT array_agg(DISTINCT x) FROM unnest(vulnerabilities.cwes || EXCLUDED.cwes) x),
       qualitative_severity = coalesce(EXCLUDED.qualitative_severity, vulnerabilities.qualitative_severity),
       updated_at = EXCLUDED.updated_at`,
    [
      id,
      aliases,
      advisory.summary ?? null,
      advisory.details ?? null,
      advisory.published ?? null,
      advisory.modified,
      null,
      cvss.v3?.vector ?? null,
      cvss.v3?.score ?? null,
      cvss.v4?.vector ?? null,
      cvss.v4?.score ?? null,
      advisory.cwes,
      now,
      qualitative,
    ],
  );
  return id;
};

const packageKeys = (advisory: OsvAdvisory) => {
  const keys = new Map<string, { ecosystem: string; base: string; name: string }>();
  for (const a of advisory.affected) {
    if (a.package) {
      const base = splitEcosystem(a.package.ecosystem).base;
      const name = normalizePackageName(a.package.ecosystem, a.package.name);
      keys.set(`${a.package.ecosystem}\u001f${name}`, { ecosystem: a.package.ecosystem, base, name });
    }
  }
  return [...keys.values()];
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
  const affectedKeys: { ecosystem: string; name: string }[] = [];
  let batch: { origin: string; advisory: OsvAdvisory }[] = [];
  const flush = async () => {
    if (batch.length === 0) {
      return;
    }
    const now = deps.clock.now();
    const items = batch;
    batch = [];
    await deps.db.transaction(async (tx) => {
      const known = new Map(
        (
          await tx.query<{ id: string; content_hash: string; withdrawn_at: Date | null }>(
            'SELECT id, content_hash, withdrawn_at FROM advisories WHERE id = ANY ($1)',
            [items.map((i) => i.advisory.id)],
          )
        ).map((r) => [r.id, r]),
      );
      for (const { advisory } of items) {
        const hash = hashOf(advisory);
        const prev = known.get(advisory.id);
        if (prev?.content_hash === hash) {
          counts.unchanged++;
          continue;
        }
        const vulnerabilityId = await upsertVulnerability(tx, advisory, now);
        const withdrawn = advisory.withdrawn ? new Date(advisory.withdrawn) : null;
        await tx.query(
          `INSERT INTO advisories (id, source, vulnerability_id, aliases, modified, withdrawn_at, content_hash, data, imported_at)
           VALUES ($1, 'osv', $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (id) DO UPDATE SET vulnerability_id = EXCLUDED.vulnerability_id, aliases = EXCLUDED.aliases,
             modified = EXCLUDED.modified, withdrawn_at = EXCLUDED.withdrawn_at, content_hash = EXCLUDED.content_hash,
             data = EXCLUDED.data, imported_at = EXCLUDED.imported_at`,
          [
            advisory.id,
            vulnerabilityId,
            advisory.aliases,
            advisory.modified,
            withdrawn,
            hash,
            JSON.stringify(advisory),
            now,
          ],
        );
        await tx.query('DELETE FROM advisory_packages WHERE advisory_id = $1', [advisory.id]);
        for (const k of packageKeys(advisory)) {
          await tx.query(
            'INSERT INTO advisory_packages (advisory_id, ecosystem, match_ecosystem, match_name) VALUES ($1, $2, $3, $4)',
            [advisory.id, k.ecosystem, k.base, k.name],
          );
          affectedKeys.push({ ecosystem: k.base, name: k.name });
        }
        if (withdrawn) {
          counts.withdrawn++;
        }
        if (prev) {
          counts.changed++;
        } else {
          counts.created++;
        }
      }
    });
  };
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
    batch.push({ origin: item.origin, advisory: result.advisory });
    if (batch.length >= 500) {
      await flush();
      await progress?.(counts.read, `${counts.read} records read`);
    }
  }
  await flush();
  await progress?.(
    counts.read,
    `re-matching ${new Set(affectedKeys.map((k) => `${k.ecosystem}:${k.name}`)).size} packages`,
  );
  counts.rematch = await rematchKeys(deps, affectedKeys);
  return counts;
};

/** CISA Known Exploited Vulnerabilities (JSON or CSV, by content): flags the CVEs, creating rows for unknown ones. */
export const importKev = async (deps: Deps, path: string) => {
  const text = readFileSync(path, 'utf8');
  const catalog = text.trimStart().startsWith('{') ? parseKevJson(text) : parseKevCsv(text);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    for (const r of catalog.records) {
      await tx.query(
        `INSERT INTO vulnerabilities (id, summary, kev_date_added, kev_due_date, kev_ransomware, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET kev_date_added = EXCLUDED.kev_date_added, kev_due_date = EXCLUDED.kev_due_date,
           kev_ransomware = EXCLUDED.kev_ransomware, updated_at = EXCLUDED.updated_at`,
        [
          r.cveId,
          r.vulnerabilityName,
          r.dateAdded,
          r.dueDate ?? null,
          r.knownRansomwareCampaignUse ?? null,
          now,
        ],
      );
      // a CVE that is an alias of another vulnerability row flags that row too
      await tx.query(
        `UPDATE vulnerabilities SET kev_date_added = $2, kev_due_date = $3, kev_ransomware = $4, updated_at = $5
          WHERE $1 = ANY (aliases)`,
        [r.cveId, r.dateAdded, r.dueDate ?? null, r.knownRansomwareCampaignUse ?? null, now],
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
