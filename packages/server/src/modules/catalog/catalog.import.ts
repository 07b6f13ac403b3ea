import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AppError,
  type CatalogEntryFile,
  CatalogFileSchema,
  CatalogTranslationSchema,
  type Clock,
  ErrorCode,
  ImdrfMappingFileSchema,
  KisaModelFileSchema,
  type LinksFile,
  LinksFileSchema,
  type NumericExample,
  type PracticeFile,
  PracticeFileSchema,
  type SecurityActivity,
  TemplatesFileSchema,
  uuidv7,
} from '@medsec/core';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Db, Queryable } from '../../db/client.ts';
import { canonicalJson } from '../../platform/audit/audit.chain.ts';

/**
 * Loads the reviewed catalog files (catalog/<framework>/) into the database: idempotent and versioned.
 * Re-import never duplicates; a changed entry becomes a new revision; an entry removed upstream is retired,
 * not deleted, because assessments point at it.
 */
export const DEFAULT_CATALOG_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  '..',
  'catalog',
);

interface FrameworkManifest {
  id: string;
  version: string;
  nameKo: string;
  nameEn: string;
  source: string;
  files: {
    requirements: string;
    more?: string[];
    translations?: string;
    approvalIds?: string;
    /** Per-article practical guidance (guidance points, security-activity tables, numeric examples). */
    practice?: string[];
    /** Structured data stored as versioned datasets. */
    datasets?: { file: string; kind: 'imdrf-mapping' | 'templates' | 'service-model' }[];
    /** Cross-references to other frameworks. */
    links?: string;
  };
}

/** The built-in frameworks and their files. */
export const BUILT_IN_FRAMEWORKS: FrameworkManifest[] = [
  {
    id: 'mfds-2025',
    version: '2025.11',
    nameKo: '디지털의료기기 전자적 침해행위 보안지침 가이드라인',
    nameEn: 'MFDS security guideline for digital medical devices (2025)',
    source: 'MFDS, Nov 2025 (seed 001)',
    files: {
      requirements: 'mfds-2025/requirements.yaml',
      more: ['mfds-2025/definitions.yaml', 'mfds-2025/gmp-checklist.yaml', 'mfds-2025/references.yaml'],
      translations: 'mfds-2025/en.yaml',
      approvalIds: 'mfds-2025/approval-ids.yaml',
      practice: ['mfds-2025/practice-01-11.yaml', 'mfds-2025/practice-12-22.yaml'],
      datasets: [
        { file: 'mfds-2025/imdrf-mapping.yaml', kind: 'imdrf-mapping' },
        { file: 'mfds-2025/templates.yaml', kind: 'templates' },
      ],
    },
  },
  {
    id: 'kisa-healthcare',
    version: '2021',
    nameKo: '디지털헬스케어 보안 모델 — 기기 보안요구사항',
    nameEn: 'KISA digital-healthcare security model — device security requirements',
    source: 'KISA digital-healthcare security model guide (seed 000)',
    files: {
      requirements: 'kisa-healthcare/requirements.yaml',
      more: ['kisa-healthcare/services.yaml', 'kisa-healthcare/threats.yaml'],
      datasets: [{ file: 'kisa-healthcare/model.yaml', kind: 'service-model' }],
      links: 'kisa-healthcare/mfds-links.yaml',
    },
  },
];

const ApprovalFileSchema = z.object({
  approvalRequirements: z.array(
    z.object({
      id: z.string().regex(/^[A-Z]{2,4}-\d{2}$/),
      titleKo: z.string().min(1),
      titleEn: z.string().optional(),
      inferred: z.boolean().default(false),
      note: z.string().optional(),
      source: z.object({ file: z.string(), lines: z.tuple([z.number(), z.number()]) }).optional(),
    }),
  ),
});

/** Framework files larger than this are refused before parsing. */
export const MAX_CATALOG_FILE_BYTES = 32 * 1024 * 1024;

const readYaml = (file: string): unknown => {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (cause) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: `${file}: no such file / 파일이 없습니다`, cause });
  }
  if (size > MAX_CATALOG_FILE_BYTES) {
    throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, {
      detail: `${file}: ${size} bytes is over the ${MAX_CATALOG_FILE_BYTES}-byte limit / 파일이 너무 큽니다`,
    });
  }
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: `${file}: not valid YAML (${(cause as Error).message})`,
      cause,
    });
  }
};

const issuesOf = (file: string, error: z.ZodError) =>
  error.issues.slice(0, 20).map((i) => ({ path: `${file}:${i.path.join('.')}`, message: i.message }));

export interface LoadedEntry extends CatalogEntryFile {
  keyChecksEn?: string[];
  detailsEn?: string[];
  evidenceExamplesEn?: string[];
  activities?: SecurityActivity[];
  numericExamples?: NumericExample[];
}

export interface LoadedDataset {
  key: string;
  titleKo: string;
  titleEn: string;
  data: unknown;
}

export interface LoadedFramework {
  entries: LoadedEntry[];
  approvals: z.infer<typeof ApprovalFileSchema>['approvalRequirements'];
  datasets: LoadedDataset[];
  links: LinksFile['links'];
}

const parseWith = <T>(schema: z.ZodType<T>, file: string): T => {
  const parsed = schema.safeParse(readYaml(file) ?? {});
  if (!parsed.success) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: `${file} does not match the catalog schema`,
      errors: issuesOf(file, parsed.error),
    });
  }
  return parsed.data;
};

const invalid = (file: string, detail: string): AppError =>
  new AppError(ErrorCode.VALIDATION_FAILED, { detail: `${file}: ${detail}` });

/** Guidance points become entries under their article; activities and numeric examples ride on the article. */
const applyPractice = (file: string, practice: PracticeFile, framework: string, entries: LoadedEntry[]) => {
  const byRef = new Map(entries.map((e) => [e.ref, e]));
  for (const a of practice.articles) {
    const articleRef = `${framework}:art-${a.article}`;
    const article = byRef.get(articleRef);
    if (!article) {
      throw invalid(file, `article ${a.article} is not in the framework`);
    }
    article.activities = [...(article.activities ?? []), ...a.activities];
    article.numericExamples = [...(article.numericExamples ?? []), ...a.numericExamples];
    for (const g of a.guidance) {
      entries.push({
        ref: `${articleRef}:guide-${g.key}`,
        kind: 'guidance',
        article: a.article,
        ...(g.clause ? { clause: g.clause } : {}),
        parentRef: articleRef,
        ...(article.group ? { group: article.group } : {}),
        ...(g.headingKo ? { titleKo: g.headingKo } : {}),
        ...(g.headingEn ? { titleEn: g.headingEn } : {}),
        textKo: g.textKo,
        textEn: g.textEn,
        obligation: g.obligation,
        actors: article.actors,
        approvalIds: [],
        ...(g.detailsKo.length ? { details: g.detailsKo, detailsEn: g.detailsEn } : {}),
        source: g.source,
      });
    }
  }
};

const datasetsOf = (
  file: string,
  kind: NonNullable<FrameworkManifest['files']['datasets']>[number]['kind'],
  known: { approvalIds: Set<string>; refs: Set<string>; framework: string },
): LoadedDataset[] => {
  if (kind === 'imdrf-mapping') {
    const data = parseWith(ImdrfMappingFileSchema, file);
    const principles = new Set(data.principles.map((p) => p.key));
    const imdrf = new Set<string>();
    for (const i of data.imdrf) {
      if (!principles.has(i.principle)) {
        throw invalid(file, `${i.key} names an unknown principle ${i.principle}`);
      }
      imdrf.add(i.key);
    }
    for (const m of data.mappings) {
      if (!imdrf.has(m.imdrf)) {
        throw invalid(file, `row ${m.row} names an unknown IMDRF requirement ${m.imdrf}`);
      }
      if (m.approvalId && !known.approvalIds.has(m.approvalId)) {
        throw invalid(file, `row ${m.row} names an unknown requirement ID ${m.approvalId}`);
      }
      if (m.article !== null && !known.refs.has(`${known.framework}:art-${m.article}`)) {
        throw invalid(file, `row ${m.row} names an article ${m.article} that is not in the framework`);
      }
    }
    return [
      {
        key: 'imdrf-mapping',
        titleKo: 'IMDRF 사이버보안 요구사항 · 허가·심사 가이드라인 보안 요구사항 · 보안지침 조항',
        titleEn: 'IMDRF N60 principles · approval-review requirement IDs · guideline articles',
        data,
      },
    ];
  }
  if (kind === 'templates') {
    return parseWith(TemplatesFileSchema, file).templates.map((t) => ({
      key: t.key,
      titleKo: t.titleKo,
      titleEn: t.titleEn,
      data: t,
    }));
  }
  return [
    {
      key: 'service-model',
      titleKo: '디지털헬스케어 서비스 모델 (서비스 영역, 기기 역할, 기기 유형)',
      titleEn: 'Digital-healthcare service model (domains, device role classes, device types)',
      data: parseWith(KisaModelFileSchema, file),
    },
  ];
};

/** Reads and checks a framework's files: schema, unique refs, parents that exist, mapping cells that resolve. */
export const loadFrameworkFiles = (dir: string, manifest: FrameworkManifest): LoadedFramework => {
  const reqFile = join(dir, manifest.files.requirements);
  const doc = parseWith(CatalogFileSchema, reqFile);
  for (const extra of manifest.files.more ?? []) {
    doc.entries.push(...parseWith(CatalogFileSchema, join(dir, extra)).entries);
  }
  const translations =
    manifest.files.translations && existsSync(join(dir, manifest.files.translations))
      ? CatalogTranslationSchema.parse(readYaml(join(dir, manifest.files.translations)) ?? {})
      : {};
  const seen = new Set<string>();
  const entries: LoadedEntry[] = doc.entries.map((e) => {
    if (seen.has(e.ref)) {
      throw invalid(reqFile, `duplicate ref ${e.ref}`);
    }
    seen.add(e.ref);
    const t = translations[e.ref];
    return {
      ...e,
      ...(t?.titleEn ? { titleEn: t.titleEn } : {}),
      ...(t?.textEn ? { textEn: t.textEn } : {}),
      ...(t?.keyChecksEn ? { keyChecksEn: t.keyChecksEn } : {}),
      ...(t?.detailsEn ? { detailsEn: t.detailsEn } : {}),
      ...(t?.evidenceExamplesEn ? { evidenceExamplesEn: t.evidenceExamplesEn } : {}),
    };
  });
  for (const file of manifest.files.practice ?? []) {
    applyPractice(join(dir, file), parseWith(PracticeFileSchema, join(dir, file)), manifest.id, entries);
  }
  const refs = new Set<string>();
  for (const e of entries) {
    if (refs.has(e.ref)) {
      throw invalid(reqFile, `duplicate ref ${e.ref}`);
    }
    refs.add(e.ref);
  }
  for (const e of entries) {
    if (e.parentRef && !refs.has(e.parentRef)) {
      throw invalid(reqFile, `${e.ref} names a parent ${e.parentRef} that does not exist`);
    }
  }
  const approvals =
    manifest.files.approvalIds && existsSync(join(dir, manifest.files.approvalIds))
      ? ApprovalFileSchema.parse(readYaml(join(dir, manifest.files.approvalIds))).approvalRequirements
      : [];
  const known = { approvalIds: new Set(approvals.map((a) => a.id)), refs, framework: manifest.id };
  const datasets = (manifest.files.datasets ?? []).flatMap((d) =>
    datasetsOf(join(dir, d.file), d.kind, known),
  );
  const links = manifest.files.links ? parseWith(LinksFileSchema, join(dir, manifest.files.links)).links : [];
  return { entries, approvals, datasets, links };
};

const compact = (s: string): string => s.toLowerCase().replace(/\s+/g, '');

const hashOf = (value: unknown): string => createHash('sha256').update(canonicalJson(value)).digest('hex');

export interface ImportSummary {
  framework: string;
  created: number;
  changed: number;
  retired: number;
  unchanged: number;
  skipped: boolean;
}

const insertRevision = async (
  tx: Queryable,
  r: {
    requirementId: string;
    revision: number;
    content: unknown;
    contentHash: string;
    change: 'created' | 'changed' | 'retired' | 'restored';
    now: Date;
  },
): Promise<void> => {
  await tx.query(
    `INSERT INTO catalog_requirement_revisions (id, requirement_id, revision, content, content_hash, change, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      uuidv7(r.now.getTime()),
      r.requirementId,
      r.revision,
      JSON.stringify(r.content),
      r.contentHash,
      r.change,
      r.now,
    ],
  );
};

/** Upserts one framework's entries in one transaction. */
export const importFramework = async (
  db: Db,
  clock: Clock,
  manifest: FrameworkManifest,
  data: LoadedFramework,
  organizationId: string | null = null,
  /** Runs in the import's transaction (the audit entry of an organization import). */
  after?: (tx: Queryable, summary: ImportSummary) => Promise<void>,
): Promise<ImportSummary> => {
  const frameworkHash = hashOf({
    manifest: { ...manifest, files: undefined },
    entries: data.entries,
    approvals: data.approvals,
    datasets: data.datasets,
    links: data.links,
  });
  return db.transaction(async (tx: Queryable) => {
    const now = clock.now();
    const [existing] = await tx.query<{ content_hash: string; organization_id: string | null }>(
      'SELECT content_hash, organization_id FROM catalog_frameworks WHERE id = $1 FOR UPDATE',
      [manifest.id],
    );
    if (existing && existing.organization_id !== organizationId) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: `Framework id ${manifest.id} is taken / 이미 사용 중인 프레임워크 ID입니다`,
      });
    }
    if (existing?.content_hash === frameworkHash) {
      return {
        framework: manifest.id,
        created: 0,
        changed: 0,
        retired: 0,
        unchanged: data.entries.length,
        skipped: true,
      };
    }
    if (existing) {
      await tx.query(
        'UPDATE catalog_frameworks SET version = $2, name_ko = $3, name_en = $4, source = $5, content_hash = $6, updated_at = $7 WHERE id = $1',
        [
          manifest.id,
          manifest.version,
          manifest.nameKo,
          manifest.nameEn,
          manifest.source,
          frameworkHash,
          now,
        ],
      );
    } else {
      await tx.query(
        `INSERT INTO catalog_frameworks (id, organization_id, version, name_ko, name_en, source, content_hash, imported_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
        [
          manifest.id,
          organizationId,
          manifest.version,
          manifest.nameKo,
          manifest.nameEn,
          manifest.source,
          frameworkHash,
          now,
        ],
      );
    }
    const current = new Map(
      (
        await tx.query<{
          id: string;
          ref: string;
          revision: number;
          content_hash: string;
          retired_at: Date | null;
        }>(
          'SELECT id, ref, revision, content_hash, retired_at FROM catalog_requirements WHERE framework_id = $1',
          [manifest.id],
        )
      ).map((r) => [r.ref, r]),
    );
    const summary: ImportSummary = {
      framework: manifest.id,
      created: 0,
      changed: 0,
      retired: 0,
      unchanged: 0,
      skipped: false,
    };
    let sortKey = 0;
    for (const e of data.entries) {
      sortKey++;
      const content = e as unknown as Record<string, unknown>;
      const contentHash = hashOf(content);
      const extra = {
        keyChecks: (e.keyChecks ?? []).map((ko, i) => ({ ko, en: e.keyChecksEn?.[i] ?? null })),
        details: (e.details ?? []).map((ko, i) => ({ ko, en: e.detailsEn?.[i] ?? null })),
        evidenceExamples: (e.evidenceExamples ?? []).map((ko, i) => ({
          ko,
          en: e.evidenceExamplesEn?.[i] ?? null,
        })),
        notes: e.notes ?? [],
        countermeasures: e.countermeasures ?? [],
        ...(e.activities?.length ? { activities: e.activities } : {}),
        ...(e.numericExamples?.length ? { numericExamples: e.numericExamples } : {}),
      };
      const searchText = [e.ref, e.titleKo, e.titleEn, e.textKo, e.textEn, ...(e.approvalIds ?? [])]
        .filter(Boolean)
        .join(' \n ');
      const values = [
        manifest.id,
        e.ref,
        e.kind,
        e.article ?? null,
        e.clause ?? null,
        e.item ?? null,
        e.parentRef ?? null,
        e.group ?? null,
        e.titleKo ?? null,
        e.titleEn ?? null,
        e.textKo,
        e.textEn ?? null,
        e.obligation,
        e.actors,
        e.approvalIds,
        JSON.stringify(extra),
        e.source ? JSON.stringify(e.source) : null,
        sortKey,
        contentHash,
        searchText,
        compact(searchText),
        now,
      ];
      const row = current.get(e.ref);
      if (!row) {
        const id = uuidv7(now.getTime());
        await tx.query(
          `INSERT INTO catalog_requirements (framework_id, ref, kind, article, clause, item, parent_ref, group_key, title_ko, title_en,
             text_ko, text_en, obligation, actors, approval_ids, extra, source, sort_key, content_hash, search_text, search_compact,
             created_at, updated_at, id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22, $23)`,
          [...values, id],
        );
        await insertRevision(tx, {
          requirementId: id,
          revision: 1,
          content,
          contentHash,
          change: 'created',
          now,
        });
        summary.created++;
      } else if (row.content_hash !== contentHash || row.retired_at) {
        const revision = row.revision + 1;
        await tx.query(
          `UPDATE catalog_requirements SET kind = $3, article = $4, clause = $5, item = $6, parent_ref = $7, group_key = $8, title_ko = $9,
             title_en = $10, text_ko = $11, text_en = $12, obligation = $13, actors = $14, approval_ids = $15, extra = $16, source = $17,
             sort_key = $18, content_hash = $19, search_text = $20, search_compact = $21, updated_at = $22, revision = $23, retired_at = NULL
           WHERE framework_id = $1 AND ref = $2`,
          [...values, revision],
        );
        await insertRevision(tx, {
          requirementId: row.id,
          revision,
          content,
          contentHash,
          change: row.retired_at ? 'restored' : 'changed',
          now,
        });
        summary.changed++;
      } else {
        await tx.query('UPDATE catalog_requirements SET sort_key = $2 WHERE id = $1', [row.id, sortKey]);
        summary.unchanged++;
      }
      current.delete(e.ref);
    }
    for (const gone of current.values()) {
      if (gone.retired_at) {
        continue;
      }
      const revision = gone.revision + 1;
      await tx.query(
        'UPDATE catalog_requirements SET retired_at = $2, revision = $3, updated_at = $2 WHERE id = $1',
        [gone.id, now, revision],
      );
      await insertRevision(tx, {
        requirementId: gone.id,
        revision,
        content: {},
        contentHash: gone.content_hash,
        change: 'retired',
        now,
      });
      summary.retired++;
    }
    for (const a of data.approvals) {
      await tx.query(
        `INSERT INTO catalog_approval_requirements (id, title_ko, title_en, inferred, source, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET title_ko = EXCLUDED.title_ko, title_en = EXCLUDED.title_en, inferred = EXCLUDED.inferred,
           source = EXCLUDED.source, updated_at = EXCLUDED.updated_at`,
        [
          a.id,
          a.titleKo,
          a.titleEn ?? null,
          a.inferred,
          a.source ? JSON.stringify({ ...a.source, note: a.note }) : null,
          now,
        ],
      );
    }
    await importDatasets(tx, manifest.id, data.datasets, now);
    await after?.(tx, summary);
    await tx.query('DELETE FROM catalog_links WHERE framework_id = $1', [manifest.id]);
    for (const l of data.links) {
      await tx.query(
        `INSERT INTO catalog_links (framework_id, from_ref, to_ref, relation, basis_en, stated_in_seed, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [manifest.id, l.from, l.to, l.relation, l.basisEn, l.statedInSeed, now],
      );
    }
    return summary;
  });
};

/** Datasets are versioned like entries: a changed one gets the next revision, a removed one is retired. */
const importDatasets = async (tx: Queryable, framework: string, datasets: LoadedDataset[], now: Date) => {
  const current = new Map(
    (
      await tx.query<{ key: string; content_hash: string; retired_at: Date | null }>(
        'SELECT key, content_hash, retired_at FROM catalog_datasets WHERE framework_id = $1',
        [framework],
      )
    ).map((r) => [r.key, r]),
  );
  for (const d of datasets) {
    const hash = hashOf(d);
    const row = current.get(d.key);
    current.delete(d.key);
    if (!row) {
      await tx.query(
        `INSERT INTO catalog_datasets (framework_id, key, title_ko, title_en, data, content_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
        [framework, d.key, d.titleKo, d.titleEn, JSON.stringify(d.data), hash, now],
      );
    } else if (row.content_hash !== hash || row.retired_at) {
      await tx.query(
        `UPDATE catalog_datasets SET title_ko = $3, title_en = $4, data = $5, content_hash = $6, updated_at = $7,
           revision = revision + 1, retired_at = NULL WHERE framework_id = $1 AND key = $2`,
        [framework, d.key, d.titleKo, d.titleEn, JSON.stringify(d.data), hash, now],
      );
    }
  }
  for (const gone of current.values()) {
    if (!gone.retired_at) {
      await tx.query(
        'UPDATE catalog_datasets SET retired_at = $3, revision = revision + 1, updated_at = $3 WHERE framework_id = $1 AND key = $2',
        [framework, gone.key, now],
      );
    }
  }
};

/** Imports every built-in framework (called after migrations: `medsec db migrate`, embedded start, tests). */
export const importBuiltInCatalog = async (
  db: Db,
  clock: Clock,
  dir: string = process.env.MEDSEC_CATALOG_DIR ?? DEFAULT_CATALOG_DIR,
): Promise<ImportSummary[]> => {
  const out: ImportSummary[] = [];
  const loaded = BUILT_IN_FRAMEWORKS.map((m) => ({ manifest: m, data: loadFrameworkFiles(dir, m) }));
  const refs = new Set(loaded.flatMap((l) => l.data.entries.map((e) => e.ref)));
  for (const { manifest, data } of loaded) {
    for (const l of data.links) {
      for (const ref of [l.from, l.to]) {
        if (!refs.has(ref)) {
          throw invalid(manifest.files.links ?? manifest.id, `link ${l.from} → ${l.to}: no entry ${ref}`);
        }
      }
    }
  }
  for (const { manifest, data } of loaded) {
    out.push(await importFramework(db, clock, manifest, data));
  }
  return out;
};

/**
 * `medsec catalog import`: an organization's own framework (e.g. IEC 81001-5-1 or an internal standard) in the same
 * schema, visible only to that organization. Refs must start with the framework id; parents must exist.
 * @throws VALIDATION_FAILED with the offending paths; CONFLICT when the id is built in or another organization's.
 */
export const importOrganizationFramework = async (
  db: Db,
  clock: Clock,
  organizationId: string,
  file: string,
  after?: (tx: Queryable, summary: ImportSummary) => Promise<void>,
): Promise<ImportSummary> =>
  importOrganizationDocument(db, clock, organizationId, file, readYaml(file), after);

/** The same from text sent to the API (YAML or JSON; `name` is only used in messages). */
export const importOrganizationFrameworkText = (
  db: Db,
  clock: Clock,
  organizationId: string,
  name: string,
  text: string,
  after?: (tx: Queryable, summary: ImportSummary) => Promise<void>,
): Promise<ImportSummary> => {
  if (Buffer.byteLength(text) > MAX_CATALOG_FILE_BYTES) {
    throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, { detail: `${name} is too large / 파일이 너무 큽니다` });
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (cause) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: `${name}: not valid YAML or JSON (${(cause as Error).message})`,
      cause,
    });
  }
  return importOrganizationDocument(db, clock, organizationId, name, doc, after);
};

const importOrganizationDocument = async (
  db: Db,
  clock: Clock,
  organizationId: string,
  file: string,
  raw: unknown,
  after?: (tx: Queryable, summary: ImportSummary) => Promise<void>,
): Promise<ImportSummary> => {
  const parsed = CatalogFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: `${file} does not match the catalog schema`,
      errors: issuesOf(file, parsed.error),
    });
  }
  const doc = parsed.data;
  if (BUILT_IN_FRAMEWORKS.some((f) => f.id === doc.framework)) {
    throw new AppError(ErrorCode.CONFLICT, {
      detail: `${doc.framework} is a built-in framework / 기본 제공 프레임워크입니다`,
    });
  }
  const refs = new Set<string>();
  const errors: { path: string; message: string }[] = [];
  doc.entries.forEach((e, i) => {
    if (!e.ref.startsWith(`${doc.framework}:`)) {
      errors.push({ path: `${file}:entries.${i}.ref`, message: `must start with ${doc.framework}:` });
    }
    if (refs.has(e.ref)) {
      errors.push({ path: `${file}:entries.${i}.ref`, message: 'duplicate ref' });
    }
    refs.add(e.ref);
  });
  doc.entries.forEach((e, i) => {
    if (e.parentRef && !refs.has(e.parentRef)) {
      errors.push({ path: `${file}:entries.${i}.parentRef`, message: `no entry ${e.parentRef}` });
    }
  });
  if (errors.length) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail: `${file}: ${errors.length} problem(s) in the framework`,
      errors: errors.slice(0, 50),
    });
  }
  const manifest: FrameworkManifest = {
    id: doc.framework,
    version: doc.version ?? '1',
    nameKo: doc.nameKo ?? doc.framework,
    nameEn: doc.nameEn ?? doc.framework,
    source: `organization import (${file.split('/').pop()})`,
    files: { requirements: file },
  };
  return importFramework(
    db,
    clock,
    manifest,
    { entries: doc.entries, approvals: [], datasets: [], links: [] },
    organizationId,
    after,
  );
};
