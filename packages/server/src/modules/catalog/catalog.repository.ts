import type {
  Framework,
  ListRequirementsQuery,
  NumericExample,
  Requirement,
  SecurityActivity,
} from '@medsec/core';
import type { Queryable } from '../../db/client.ts';
import { escapeLike } from '../../db/sql.ts';

/** SQL of the catalog. Built-in frameworks (organization_id NULL) are visible to every organization. */
export interface RequirementRow {
  framework_id: string;
  ref: string;
  revision: number;
  kind: Requirement['kind'];
  article: number | null;
  clause: number | null;
  item: number | null;
  parent_ref: string | null;
  group_key: string | null;
  title_ko: string | null;
  title_en: string | null;
  text_ko: string;
  text_en: string | null;
  obligation: Requirement['obligation'];
  actors: string[];
  approval_ids: string[];
  extra: {
    keyChecks?: Requirement['keyChecks'];
    details?: Requirement['details'];
    evidenceExamples?: Requirement['evidenceExamples'];
    notes?: string[];
    countermeasures?: string[];
    activities?: SecurityActivity[];
    numericExamples?: NumericExample[];
  };
  source: { file: string; lines: number[] } | null;
  retired_at: Date | null;
  score?: number;
}

export const toRequirement = (r: RequirementRow): Requirement => ({
  ref: r.ref,
  framework: r.framework_id,
  revision: r.revision,
  kind: r.kind,
  article: r.article,
  clause: r.clause,
  item: r.item,
  parentRef: r.parent_ref,
  group: r.group_key,
  titleKo: r.title_ko,
  titleEn: r.title_en,
  textKo: r.text_ko,
  textEn: r.text_en,
  obligation: r.obligation,
  actors: r.actors,
  approvalIds: r.approval_ids,
  keyChecks: r.extra.keyChecks ?? [],
  details: r.extra.details ?? [],
  evidenceExamples: r.extra.evidenceExamples ?? [],
  notes: r.extra.notes ?? [],
  countermeasures: (r.extra.countermeasures ?? []).map((nameKo) => ({ nameKo, refs: [] })),
  source: r.source ? { file: r.source.file, lines: r.source.lines } : null,
  retired: r.retired_at !== null,
});

const VISIBLE = `f.organization_id IS NULL OR f.organization_id = $1`;
const SELECT = `SELECT r.* FROM catalog_requirements r JOIN catalog_frameworks f ON f.id = r.framework_id`;

export const listFrameworks = async (q: Queryable, orgId: string | null): Promise<Framework[]> => {
  const rows = await q.query<{
    id: string;
    version: string;
    name_ko: string;
    name_en: string;
    source: string;
    organization_id: string | null;
    imported_at: Date;
    kind: string | null;
    n: number;
  }>(
    `SELECT f.*, r.kind, count(r.id)::int AS n FROM catalog_frameworks f LEFT JOIN catalog_requirements r ON r.framework_id = f.id AND r.retired_at IS NULL
      WHERE ${VISIBLE} GROUP BY f.id, r.kind ORDER BY f.id`,
    [orgId],
  );
  const byId = new Map<string, Framework>();
  for (const r of rows) {
    const f = byId.get(r.id) ?? {
      id: r.id,
      version: r.version,
      nameKo: r.name_ko,
      nameEn: r.name_en,
      source: r.source,
      builtIn: r.organization_id === null,
      counts: {},
      importedAt: r.imported_at.toISOString(),
    };
    if (r.kind) {
      f.counts[r.kind] = r.n;
    }
    byId.set(r.id, f);
  }
  return [...byId.values()];
};

export const listRequirementRows = async (
  q: Queryable,
  orgId: string | null,
  query: ListRequirementsQuery,
): Promise<{ rows: RequirementRow[]; total: number }> => {
  const params: unknown[] = [orgId];
  const where = [`(${VISIBLE})`];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (query.framework) {
    add((n) => `r.framework_id = $${n}`, query.framework);
  }
  if (query.article !== undefined) {
    add((n) => `r.article = $${n}`, query.article);
  }
  if (query.kind) {
    add((n) => `r.kind = $${n}`, query.kind);
  }
  if (query.group) {
    add((n) => `r.group_key = $${n}`, query.group);
  }
  if (query.obligation) {
    add((n) => `r.obligation = $${n}`, query.obligation);
  }
  if (query.actor) {
    add((n) => `$${n} = ANY (r.actors)`, query.actor);
  }
  if (query.approvalId) {
    add((n) => `$${n} = ANY (r.approval_ids)`, query.approvalId);
  }
  if (query.q) {
    add(
      (n) => `r.search_compact LIKE '%' || $${n} || '%'`,
      escapeLike(query.q.toLowerCase().replace(/\s+/g, '')),
    );
  }
  if (query.includeRetired !== 'true') {
    where.push('r.retired_at IS NULL');
  }
  const order =
    query.sort === '-article'
      ? 'r.framework_id, r.article DESC NULLS LAST, r.sort_key'
      : query.sort === '-ref'
        ? 'r.ref DESC'
        : query.sort === 'ref'
          ? 'r.ref'
          : 'r.framework_id, r.sort_key';
  const [count] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM catalog_requirements r JOIN catalog_frameworks f ON f.id = r.framework_id WHERE ${where.join(' AND ')}`,
    params,
  );
  const rows = await q.query<RequirementRow>(
    `${SELECT} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, query.pageSize, (query.page - 1) * query.pageSize],
  );
  return { rows, total: count?.n ?? 0 };
};

export const findRequirementRow = async (
  q: Queryable,
  orgId: string | null,
  ref: string,
): Promise<RequirementRow | undefined> =>
  (await q.query<RequirementRow>(`${SELECT} WHERE (${VISIBLE}) AND r.ref = $2`, [orgId, ref]))[0];

export const listChildRows = (q: Queryable, frameworkId: string, ref: string): Promise<RequirementRow[]> =>
  q.query<RequirementRow>(
    'SELECT r.* FROM catalog_requirements r WHERE r.framework_id = $1 AND r.parent_ref = $2 AND r.retired_at IS NULL ORDER BY r.sort_key',
    [frameworkId, ref],
  );

/**
 * Full-text search that works for Korean: the phrase, with all whitespace removed, is matched as a substring of
 * the entry's compacted text (trigram-indexed); English words must all appear. Best first: exact phrase in the
 * Korean text, then in the English text, then trigram word similarity.
 */
export const searchRequirementRows = async (
  q: Queryable,
  orgId: string | null,
  text: string,
  framework: string | undefined,
  limit: number,
): Promise<RequirementRow[]> => {
  const compactQ = escapeLike(text.toLowerCase().replace(/\s+/g, ''));
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, 8)
    .map(escapeLike);
  const params: unknown[] = [orgId, compactQ, text];
  const wordClauses = words.map((w) => {
    params.push(w);
    return `lower(r.search_text) LIKE '%' || $${params.length} || '%'`;
  });
  let fw = '';
  if (framework) {
    params.push(framework);
    fw = `AND r.framework_id = $${params.length}`;
  }
  params.push(limit);
  return q.query<RequirementRow>(
    `SELECT r.*, (
        CASE WHEN replace(lower(r.text_ko), ' ', '') LIKE '%' || $2 || '%' THEN 2 ELSE 0 END
      + CASE WHEN lower(coalesce(r.text_en, '')) LIKE '%' || lower($3) || '%' THEN 1.5 ELSE 0 END
      + CASE WHEN r.kind = 'article' THEN -0.2 ELSE 0 END
      + word_similarity(lower($3), lower(r.search_text))
      )::float8 AS score
       FROM catalog_requirements r JOIN catalog_frameworks f ON f.id = r.framework_id
      WHERE (${VISIBLE}) AND r.retired_at IS NULL ${fw}
        AND (r.search_compact LIKE '%' || $2 || '%' ${wordClauses.length ? `OR (${wordClauses.join(' AND ')})` : ''})
      ORDER BY score DESC, r.sort_key
      LIMIT $${params.length}`,
    params,
  );
};

export const listApprovalRequirementRows = (q: Queryable) =>
  q.query<{
    id: string;
    title_ko: string;
    title_en: string | null;
    inferred: boolean;
    articles: number[] | null;
  }>(
    `SELECT a.id, a.title_ko, a.title_en, a.inferred,
            (SELECT array_agg(DISTINCT r.article ORDER BY r.article) FROM catalog_requirements r
              WHERE a.id = ANY (r.approval_ids) AND r.retired_at IS NULL) AS articles
       FROM catalog_approval_requirements a ORDER BY split_part(a.id, '-', 1), a.id`,
  );

export const findApprovalRows = (q: Queryable, ids: string[]) =>
  q.query<{ id: string; title_ko: string; title_en: string | null }>(
    'SELECT id, title_ko, title_en FROM catalog_approval_requirements WHERE id = ANY ($1) ORDER BY id',
    [ids],
  );

/** Requirements of a framework whose security item (the title after the number) matches a countermeasure name. */
export const findRefsBySection = async (
  q: Queryable,
  frameworkId: string,
  names: string[],
): Promise<Map<string, string[]>> => {
  const rows = await q.query<{ ref: string; title_ko: string }>(
    `SELECT ref, title_ko FROM catalog_requirements WHERE framework_id = $1 AND kind = 'requirement' AND retired_at IS NULL
       AND ref LIKE $2 ORDER BY sort_key`,
    [frameworkId, `${frameworkId}:dev-%`],
  );
  const norm = (s: string) => s.replace(/\s+/g, '');
  const out = new Map<string, string[]>();
  for (const name of names) {
    out.set(
      name,
      rows.filter((r) => norm(r.title_ko.replace(/^[\d.]+\s*/, '')) === norm(name)).map((r) => r.ref),
    );
  }
  return out;
};

export interface DatasetRow {
  framework_id: string;
  key: string;
  revision: number;
  title_ko: string;
  title_en: string;
  data: unknown;
}

/** Structured datasets (IMDRF mapping, templates, service model) of the visible frameworks. */
export const findDatasetRow = async (
  q: Queryable,
  orgId: string | null,
  framework: string,
  key: string,
): Promise<DatasetRow | undefined> =>
  (
    await q.query<DatasetRow>(
      `SELECT d.* FROM catalog_datasets d JOIN catalog_frameworks f ON f.id = d.framework_id
        WHERE (${VISIBLE}) AND d.framework_id = $2 AND d.key = $3 AND d.retired_at IS NULL`,
      [orgId, framework, key],
    )
  )[0];

export const listDatasetRows = (q: Queryable, orgId: string | null): Promise<DatasetRow[]> =>
  q.query<DatasetRow>(
    `SELECT d.* FROM catalog_datasets d JOIN catalog_frameworks f ON f.id = d.framework_id
      WHERE (${VISIBLE}) AND d.retired_at IS NULL ORDER BY d.framework_id, d.created_at, d.key`,
    [orgId],
  );

export interface LinkRow {
  from_ref: string;
  to_ref: string;
  relation: 'supports' | 'related';
  basis_en: string;
  stated_in_seed: boolean;
  other_ref: string;
  other_title_ko: string | null;
  other_title_en: string | null;
  direction: 'outgoing' | 'incoming';
}

/**
 * Cross-references touching an entry, both ways: links from it, links to it, and (for an article or clause) links to
 * anything beneath it. Each row carries the title of the entry at the other end.
 */
export const listLinkRows = (q: Queryable, orgId: string | null, ref: string): Promise<LinkRow[]> =>
  q.query<LinkRow>(
    `SELECT l.from_ref, l.to_ref, l.relation, l.basis_en, l.stated_in_seed,
            CASE WHEN l.from_ref = $2 THEN 'outgoing' ELSE 'incoming' END AS direction,
            o.ref AS other_ref, o.title_ko AS other_title_ko, o.title_en AS other_title_en
       FROM catalog_links l
       JOIN catalog_frameworks f ON f.id = l.framework_id
       JOIN catalog_requirements o ON o.ref = CASE WHEN l.from_ref = $2 THEN l.to_ref ELSE l.from_ref END
      WHERE (${VISIBLE}) AND (l.from_ref = $2 OR l.to_ref = $2 OR l.to_ref LIKE $3)
      ORDER BY direction, l.to_ref, l.from_ref`,
    [orgId, ref, `${escapeLike(ref)}:%`],
  );

export const listAllLinkRows = (q: Queryable, orgId: string | null) =>
  q.query<{ from_ref: string; to_ref: string; relation: string; basis_en: string; stated_in_seed: boolean }>(
    `SELECT l.from_ref, l.to_ref, l.relation, l.basis_en, l.stated_in_seed FROM catalog_links l
       JOIN catalog_frameworks f ON f.id = l.framework_id WHERE (${VISIBLE}) ORDER BY l.from_ref, l.to_ref`,
    [orgId],
  );
