import { AppError, ErrorCode, ITEM_STATUSES, type ItemStatus, type Method, uuidv7 } from '@medsec/core';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';

/**
 * Assessments: per release, one item per applicable requirement, with status, owner, due date, conformity method,
 * notes and history (MFDS 2025 art. 2: perform the security activities and document them; 붙임2: for every
 * requirement, whether it is applied and how conformity is shown).
 */

/**
 * The catalog entries a release is assessed against: applicable MFDS items, clauses without items and articles
 * without clauses that oblige something, and KISA requirements; organization framework entries likewise.
 */
const ASSESSABLE = `
  SELECT d.requirement_ref AS ref FROM applicability_decisions d
    JOIN catalog_requirements r ON r.ref = d.requirement_ref AND r.retired_at IS NULL
   WHERE d.organization_id = $1 AND d.product_id = $2 AND coalesce(d.override_applicable, d.applicable)
     AND (r.kind IN ('item', 'requirement')
          OR (r.kind IN ('clause', 'article') AND r.obligation <> 'none' AND NOT EXISTS (
                SELECT 1 FROM catalog_requirements c
                 WHERE c.framework_id = r.framework_id AND c.parent_ref = r.ref AND c.kind IN ('clause', 'item')
                   AND c.retired_at IS NULL)))`;

/** Gives every open release of a product an item for each applicable requirement it lacks. */
export const syncReleaseItems = async (ctx: Ctx, tx: Queryable, productId: string): Promise<number> => {
  const now = ctx.clock.now();
  const releases = await tx.query<{ id: string }>(
    `SELECT id FROM product_releases WHERE organization_id = $1 AND product_id = $2 AND status <> 'end-of-support'`,
    [orgOf(ctx), productId],
  );
  let added = 0;
  for (const r of releases) {
    added += await addMissingItems(ctx, tx, productId, r.id, now);
  }
  return added;
};

const addMissingItems = async (
  ctx: Ctx,
  tx: Queryable,
  productId: string,
  releaseId: string,
  now: Date,
): Promise<number> => {
  const missing = await tx.query<{ ref: string }>(
    `${ASSESSABLE} AND NOT EXISTS (SELECT 1 FROM assessment_items i WHERE i.release_id = $3 AND i.requirement_ref = d.requirement_ref)
     ORDER BY r.framework_id, r.sort_key`,
    [orgOf(ctx), productId, releaseId],
  );
  // Batched: one statement per 200 items (row-by-row inserts are slow on PGlite).
  for (let i = 0; i < missing.length; i += 200) {
    const chunk = missing.slice(i, i + 200);
    const values: unknown[] = [orgOf(ctx), releaseId, now];
    const tuples = chunk.map((m) => {
      values.push(uuidv7(now.getTime()), m.ref);
      return `($${values.length - 1}, $1, $2, $${values.length}, $3, $3)`;
    });
    await tx.query(
      `INSERT INTO assessment_items (id, organization_id, release_id, requirement_ref, created_at, updated_at)
       VALUES ${tuples.join(', ')} ON CONFLICT (release_id, requirement_ref) DO NOTHING`,
      values,
    );
  }
  return missing.length;
};

/** A new release's items: copied from its predecessor (remembering where each came from), then the missing ones. */
export const seedReleaseItems = async (
  ctx: Ctx,
  tx: Queryable,
  productId: string,
  releaseId: string,
  basedOn: string | null,
): Promise<number> => {
  const now = ctx.clock.now();
  let copied = 0;
  if (basedOn) {
    const base = await tx.query<{ id: string }>(
      'SELECT id FROM assessment_items WHERE organization_id = $1 AND release_id = $2 ORDER BY requirement_ref',
      [orgOf(ctx), basedOn],
    );
    for (const b of base) {
      await tx.query(
        `INSERT INTO assessment_items (id, organization_id, release_id, requirement_ref, status, owner_id, due_date, method,
           notes, inherited_from, created_at, updated_at, updated_by)
         SELECT $1, organization_id, $2, requirement_ref, status, owner_id, due_date, method, notes, id, $3, $3, $4
           FROM assessment_items WHERE id = $5`,
        [uuidv7(now.getTime()), releaseId, now, ctx.actor.userId, b.id],
      );
    }
    copied = base.length;
  }
  return copied + (await addMissingItems(ctx, tx, productId, releaseId, now));
};

export interface AssessmentItemView {
  id: string;
  ref: string;
  framework: string;
  kind: string;
  article: number | null;
  group: string | null;
  obligation: string;
  titleKo: string | null;
  titleEn: string | null;
  textKo: string;
  textEn: string | null;
  applicable: boolean;
  reasonEn: string | null;
  reasonKo: string | null;
  status: ItemStatus;
  ownerId: string | null;
  ownerName: string | null;
  dueDate: string | null;
  method: Method | null;
  notes: string;
  inheritedFrom: string | null;
  version: number;
  updatedAt: string;
}

interface ItemRow {
  id: string;
  requirement_ref: string;
  framework_id: string;
  kind: string;
  article: number | null;
  group_key: string | null;
  obligation: string;
  title_ko: string | null;
  title_en: string | null;
  text_ko: string;
  text_en: string | null;
  applicable: boolean | null;
  reason_en: string | null;
  reason_ko: string | null;
  status: ItemStatus;
  owner_id: string | null;
  owner_name: string | null;
  due_date: string | Date | null;
  method: Method | null;
  notes: string;
  inherited_from: string | null;
  version: number;
  updated_at: Date;
}

const ITEM_SELECT = `
  SELECT i.*, r.framework_id, r.kind, r.article, r.group_key, r.obligation, r.title_ko, r.title_en, r.text_ko, r.text_en,
         coalesce(d.override_applicable, d.applicable) AS applicable, d.reason_en, d.reason_ko, u.display_name AS owner_name
    FROM assessment_items i
    JOIN product_releases rel ON rel.id = i.release_id
    JOIN catalog_requirements r ON r.ref = i.requirement_ref
    LEFT JOIN applicability_decisions d ON d.product_id = rel.product_id AND d.requirement_ref = i.requirement_ref
    LEFT JOIN users u ON u.id = i.owner_id`;

const dateOnly = (d: string | Date | null): string | null =>
  d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10);

const toItem = (r: ItemRow): AssessmentItemView => ({
  id: r.id,
  ref: r.requirement_ref,
  framework: r.framework_id,
  kind: r.kind,
  article: r.article,
  group: r.group_key,
  obligation: r.obligation,
  titleKo: r.title_ko,
  titleEn: r.title_en,
  textKo: r.text_ko,
  textEn: r.text_en,
  applicable: r.applicable ?? false,
  reasonEn: r.reason_en,
  reasonKo: r.reason_ko,
  status: r.status,
  ownerId: r.owner_id,
  ownerName: r.owner_name,
  dueDate: dateOnly(r.due_date),
  method: r.method,
  notes: r.notes,
  inheritedFrom: r.inherited_from,
  version: r.version,
  updatedAt: r.updated_at.toISOString(),
});

export interface AssessmentFilter {
  status?: ItemStatus | undefined;
  framework?: string | undefined;
  article?: number | undefined;
  group?: string | undefined;
  obligation?: string | undefined;
  ownerId?: string | undefined;
  includeNotApplicable?: boolean | undefined;
}

const requireReleaseRow = async (ctx: Ctx, q: Queryable, releaseId: string) => {
  const [row] = await q.query<{ id: string; product_id: string; based_on: string | null; version: string }>(
    'SELECT id, product_id, based_on, version FROM product_releases WHERE organization_id = $1 AND id = $2',
    [orgOf(ctx), releaseId],
  );
  if (!row) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such release / 없는 릴리스입니다' });
  }
  return row;
};

export const listAssessmentItems = async (
  ctx: Ctx,
  releaseId: string,
  filter: AssessmentFilter,
): Promise<AssessmentItemView[]> => {
  await requireReleaseRow(ctx, ctx.db, releaseId);
  const params: unknown[] = [orgOf(ctx), releaseId];
  const where = ['i.organization_id = $1', 'i.release_id = $2'];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    where.push(sql(params.length));
  };
  if (filter.status) {
    add((n) => `i.status = $${n}`, filter.status);
  }
  if (filter.framework) {
    add((n) => `r.framework_id = $${n}`, filter.framework);
  }
  if (filter.article !== undefined) {
    add((n) => `r.article = $${n}`, filter.article);
  }
  if (filter.group) {
    add((n) => `r.group_key = $${n}`, filter.group);
  }
  if (filter.obligation) {
    add((n) => `r.obligation = $${n}`, filter.obligation);
  }
  if (filter.ownerId) {
    add((n) => `i.owner_id = $${n}`, filter.ownerId);
  }
  if (!filter.includeNotApplicable) {
    where.push('coalesce(d.override_applicable, d.applicable, false)');
  }
  const rows = await ctx.db.query<ItemRow>(
    `${ITEM_SELECT} WHERE ${where.join(' AND ')} ORDER BY r.framework_id, r.sort_key`,
    params,
  );
  return rows.map(toItem);
};

export interface ProgressBucket {
  key: string;
  framework: string;
  total: number;
  byStatus: Record<ItemStatus, number>;
  verifiedPercent: number;
}

/** Progress per article (MFDS) and per group, counting applicable items only. */
export const assessmentProgress = async (
  ctx: Ctx,
  releaseId: string,
): Promise<{
  byArticle: ProgressBucket[];
  byGroup: ProgressBucket[];
  overall: ProgressBucket;
  mandatory: ProgressBucket;
}> => {
  const items = await listAssessmentItems(ctx, releaseId, {});
  const bucket = (key: string, framework: string, list: AssessmentItemView[]): ProgressBucket => {
    const byStatus = Object.fromEntries(ITEM_STATUSES.map((s) => [s, 0])) as Record<ItemStatus, number>;
    for (const i of list) {
      byStatus[i.status]++;
    }
    return {
      key,
      framework,
      total: list.length,
      byStatus,
      verifiedPercent: list.length ? Math.round((byStatus.verified / list.length) * 1000) / 10 : 0,
    };
  };
  const groupBy = (keyOf: (i: AssessmentItemView) => string | null) => {
    const map = new Map<string, AssessmentItemView[]>();
    for (const i of items) {
      const k = keyOf(i);
      if (k !== null) {
        map.set(k, [...(map.get(k) ?? []), i]);
      }
    }
    return [...map.entries()].map(([k, list]) => bucket(k, list[0]!.framework, list));
  };
  return {
    byArticle: groupBy((i) => (i.framework === 'mfds-2025' && i.article !== null ? String(i.article) : null)),
    byGroup: groupBy((i) => (i.group ? `${i.framework}:${i.group}` : null)),
    overall: bucket('all', '*', items),
    mandatory: bucket(
      'mandatory',
      'mfds-2025',
      items.filter(
        (i) => i.framework === 'mfds-2025' && (i.obligation === 'mandatory' || i.obligation === 'mixed'),
      ),
    ),
  };
};

export interface ItemPatch {
  status?: ItemStatus | undefined;
  ownerId?: string | null | undefined;
  dueDate?: string | null | undefined;
  method?: Method | null | undefined;
  notes?: string | undefined;
}

const FIELD_COLUMNS: Record<keyof ItemPatch, string> = {
  status: 'status',
  ownerId: 'owner_id',
  dueDate: 'due_date',
  method: 'method',
  notes: 'notes',
};

const applyPatch = async (
  ctx: Ctx,
  tx: Queryable,
  item: ItemRow,
  patch: ItemPatch,
  now: Date,
): Promise<Record<string, { from: unknown; to: unknown }>> => {
  const current: Record<keyof ItemPatch, unknown> = {
    status: item.status,
    ownerId: item.owner_id,
    dueDate: dateOnly(item.due_date),
    method: item.method,
    notes: item.notes,
  };
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(FIELD_COLUMNS) as (keyof ItemPatch)[]) {
    if (patch[key] !== undefined && patch[key] !== current[key]) {
      changes[key] = { from: current[key], to: patch[key] };
    }
  }
  if (Object.keys(changes).length === 0) {
    return changes;
  }
  const sets = Object.keys(changes).map((k, i) => `${FIELD_COLUMNS[k as keyof ItemPatch]} = $${i + 3}`);
  await tx.query(
    `UPDATE assessment_items SET ${sets.join(', ')}, version = version + 1, updated_at = $${sets.length + 3},
       updated_by = $${sets.length + 4} WHERE organization_id = $1 AND id = $2`,
    [orgOf(ctx), item.id, ...Object.values(changes).map((c) => c.to), now, ctx.actor.userId],
  );
  await tx.query(
    `INSERT INTO assessment_item_history (id, organization_id, item_id, changed_by, changed_at, changes)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [uuidv7(now.getTime()), orgOf(ctx), item.id, ctx.actor.userId, now, JSON.stringify(changes)],
  );
  return changes;
};

const requireOwner = async (ctx: Ctx, tx: Queryable, ownerId: string | null | undefined) => {
  if (!ownerId) {
    return;
  }
  const [m] = await tx.query(
    `SELECT 1 FROM memberships WHERE organization_id = $1 AND user_id = $2 AND status = 'active'`,
    [orgOf(ctx), ownerId],
  );
  if (!m) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, {
      detail:
        'The owner must be an active member of the organization / 담당자는 조직의 활성 구성원이어야 합니다',
    });
  }
};

/**
 * Updates one item. `version` is the version the editor saw: a stale one is refused (someone else changed it).
 */
export const updateAssessmentItem = (
  ctx: Ctx,
  itemId: string,
  patch: ItemPatch & { version?: number | undefined },
): Promise<AssessmentItemView> =>
  withTx(ctx, async (tx) => {
    const [item] = await tx.query<ItemRow>(
      `${ITEM_SELECT} WHERE i.organization_id = $1 AND i.id = $2 FOR UPDATE OF i`,
      [orgOf(ctx), itemId],
    );
    if (!item) {
      throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such assessment item / 없는 평가 항목입니다' });
    }
    if (patch.version !== undefined && patch.version !== item.version) {
      throw new AppError(ErrorCode.CONFLICT, {
        detail: 'The item changed since you opened it; reload / 다른 사용자가 변경했습니다. 새로고침하세요',
      });
    }
    await requireOwner(ctx, tx, patch.ownerId);
    const changes = await applyPatch(ctx, tx, item, patch, ctx.clock.now());
    if (Object.keys(changes).length) {
      await recordAudit(ctx, tx, {
        action: 'assessment.item_updated',
        targetType: 'assessment_item',
        targetId: itemId,
        details: { ref: item.requirement_ref, changes },
      });
    }
    const [after] = await tx.query<ItemRow>(`${ITEM_SELECT} WHERE i.organization_id = $1 AND i.id = $2`, [
      orgOf(ctx),
      itemId,
    ]);
    return toItem(after!);
  });

/** Sets the same fields on many items of one release, in one transaction (all or nothing); history per item. */
export const bulkUpdateAssessmentItems = (
  ctx: Ctx,
  releaseId: string,
  itemIds: string[],
  patch: ItemPatch,
): Promise<{ updated: number }> =>
  withTx(ctx, async (tx) => {
    await requireReleaseRow(ctx, tx, releaseId);
    await requireOwner(ctx, tx, patch.ownerId);
    const items = await tx.query<ItemRow>(
      `${ITEM_SELECT} WHERE i.organization_id = $1 AND i.release_id = $2 AND i.id = ANY ($3) FOR UPDATE OF i`,
      [orgOf(ctx), releaseId, itemIds],
    );
    if (items.length !== new Set(itemIds).size) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, {
        detail: `${new Set(itemIds).size - items.length} item(s) are not in this release / 릴리스에 없는 항목이 있습니다`,
      });
    }
    const now = ctx.clock.now();
    let updated = 0;
    for (const item of items) {
      if (Object.keys(await applyPatch(ctx, tx, item, patch, now)).length) {
        updated++;
      }
    }
    await recordAudit(ctx, tx, {
      action: 'assessment.bulk_updated',
      targetType: 'release',
      targetId: releaseId,
      details: { items: itemIds.length, updated, patch },
    });
    return { updated };
  });

export const itemHistory = async (ctx: Ctx, itemId: string) => {
  const [item] = await ctx.db.query('SELECT 1 FROM assessment_items WHERE organization_id = $1 AND id = $2', [
    orgOf(ctx),
    itemId,
  ]);
  if (!item) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such assessment item / 없는 평가 항목입니다' });
  }
  const rows = await ctx.db.query<{ changed_at: Date; changes: unknown; display_name: string | null }>(
    `SELECT h.changed_at, h.changes, u.display_name FROM assessment_item_history h LEFT JOIN users u ON u.id = h.changed_by
      WHERE h.organization_id = $1 AND h.item_id = $2 ORDER BY h.changed_at, h.id`,
    [orgOf(ctx), itemId],
  );
  return rows.map((r) => ({ at: r.changed_at.toISOString(), by: r.display_name, changes: r.changes }));
};

/**
 * What is missing for submission (붙임2): applicable mandatory requirements not yet verified, or without a
 * conformity method.
 */
export const missingForSubmission = async (ctx: Ctx, releaseId: string) =>
  (await listAssessmentItems(ctx, releaseId, {}))
    .filter((i) => i.obligation === 'mandatory' || i.obligation === 'mixed' || i.framework !== 'mfds-2025')
    .filter((i) => i.status !== 'verified' || i.method === null)
    .map((i) => ({
      ...i,
      missing: [
        ...(i.status !== 'verified' ? ['verification'] : []),
        ...(i.method === null ? ['method'] : []),
      ],
    }));

/** How a release differs from the one it was based on: per requirement, the fields that changed. */
export const releaseDiff = async (ctx: Ctx, releaseId: string) => {
  const rel = await requireReleaseRow(ctx, ctx.db, releaseId);
  if (!rel.based_on) {
    return { basedOn: null, added: [], removed: [], changed: [] };
  }
  const [mine, theirs] = await Promise.all([
    listAssessmentItems(ctx, releaseId, { includeNotApplicable: true }),
    listAssessmentItems(ctx, rel.based_on, { includeNotApplicable: true }),
  ]);
  const base = new Map(theirs.map((i) => [i.ref, i]));
  const fields = ['status', 'ownerId', 'dueDate', 'method', 'notes'] as const;
  const changed: { ref: string; fields: Record<string, { from: unknown; to: unknown }> }[] = [];
  const added: string[] = [];
  for (const i of mine) {
    const b = base.get(i.ref);
    base.delete(i.ref);
    if (!b) {
      added.push(i.ref);
      continue;
    }
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    for (const f of fields) {
      if (i[f] !== b[f]) {
        diff[f] = { from: b[f], to: i[f] };
      }
    }
    if (Object.keys(diff).length) {
      changed.push({ ref: i.ref, fields: diff });
    }
  }
  return { basedOn: rel.based_on, added, removed: [...base.keys()], changed };
};

/** One row of the 붙임2 checklist: requirement, applied (Y/N), conformity method, evidence, reason not applied. */
export interface ChecklistRow {
  ref: string;
  requirement: string;
  requirementEn: string;
  obligation: string;
  applies: 'Y' | 'N';
  status: ItemStatus | null;
  method: Method | null;
  evidence: string;
  reasonNotApplied: string;
}

const METHOD_KO: Record<Method, string> = {
  test: '시험',
  inspection: '검사',
  analysis: '분석',
  'document-review': '문서 검토',
  'third-party-certificate': '제3자 인증서',
};

/**
 * The 붙임2 checklist of a release: every catalog requirement decided for the product (applied or not), how
 * conformity is shown, the evidence and documents that prove it, and for what is not applied, the reason (the
 * override's justification and reference, or the rule's reason).
 */
export const assessmentChecklist = async (ctx: Ctx, releaseId: string): Promise<ChecklistRow[]> => {
  const rel = await requireReleaseRow(ctx, ctx.db, releaseId);
  const rows = await ctx.db.query<{
    ref: string;
    title_ko: string | null;
    title_en: string | null;
    text_ko: string;
    text_en: string | null;
    obligation: string;
    applicable: boolean;
    reason_ko: string;
    override_justification: string | null;
    override_reference: string | null;
    status: ItemStatus | null;
    method: Method | null;
    item_id: string | null;
  }>(
    `SELECT r.ref, r.title_ko, r.title_en, r.text_ko, r.text_en, r.obligation,
            coalesce(d.override_applicable, d.applicable) AS applicable, d.reason_ko, d.override_justification,
            d.override_reference, i.status, i.method, i.id AS item_id
       FROM (${ASSESSABLE_ALL}) a
       JOIN applicability_decisions d ON d.product_id = $2 AND d.requirement_ref = a.ref
       JOIN catalog_requirements r ON r.ref = a.ref
       LEFT JOIN assessment_items i ON i.release_id = $3 AND i.requirement_ref = a.ref
      ORDER BY r.framework_id DESC, r.sort_key`,
    [orgOf(ctx), rel.product_id, releaseId],
  );
  const evidence = await evidenceLabels(
    ctx,
    rows.map((r) => r.item_id).filter((id): id is string => id !== null),
  );
  return rows.map((r) => {
    const label = [r.title_ko, r.text_ko].filter(Boolean).join(' — ');
    return {
      ref: r.ref,
      requirement: `${r.ref.replace(/^[^:]+:/, '')} ${label}`,
      requirementEn: `${r.ref.replace(/^[^:]+:/, '')} ${[r.title_en, r.text_en].filter(Boolean).join(' — ')}`,
      obligation: r.obligation,
      applies: r.applicable ? 'Y' : 'N',
      status: r.status,
      method: r.method,
      evidence: r.item_id ? (evidence.get(r.item_id) ?? []).join('; ') : '',
      reasonNotApplied: r.applicable
        ? ''
        : r.override_justification
          ? `${r.override_justification}${r.override_reference ? ` (${r.override_reference})` : ''}`
          : r.reason_ko,
    };
  });
};

/** Assessable entries regardless of applicability (the checklist lists what is not applied too). */
const ASSESSABLE_ALL = ASSESSABLE.replace('AND coalesce(d.override_applicable, d.applicable)', '');

/** Evidence titles and controlled-document numbers linked to each item (filled by the evidence module). */
export const evidenceLabels = async (ctx: Ctx, itemIds: string[]): Promise<Map<string, string[]>> => {
  const out = new Map<string, string[]>();
  if (itemIds.length === 0) {
    return out;
  }
  const rows = await ctx.db.query<{ item_id: string; label: string }>(
    `SELECT l.item_id, e.title AS label FROM evidence_links l JOIN evidence e ON e.id = l.evidence_id
      WHERE l.organization_id = $1 AND l.item_id = ANY ($2)
     UNION ALL
     SELECT l.item_id, d.number || ' ' || d.title || ' Rev.' || d.revision AS label
       FROM document_links l JOIN controlled_documents d ON d.id = l.document_id
      WHERE l.organization_id = $1 AND l.item_id = ANY ($2)
     ORDER BY 1, 2`,
    [orgOf(ctx), itemIds],
  );
  for (const r of rows) {
    out.set(r.item_id, [...(out.get(r.item_id) ?? []), r.label]);
  }
  return out;
};

const CHECKLIST_HEADERS = [
  ['requirement', '요구사항 (Requirement)'],
  ['applies', '적용 여부 (Applied Y/N)'],
  ['method', '적합성 입증 방법 (Conformity method)'],
  ['evidence', '이를 검증한 자료명 또는 문서번호 (Evidence / document no.)'],
  ['reasonNotApplied', '미적용 사유 (Reason not applied)'],
  ['status', '상태 (Status)'],
  ['ref', 'ref'],
] as const;

const methodLabel = (m: Method | null) => (m ? `${METHOD_KO[m]} (${m})` : '');

export const checklistCsv = (rows: ChecklistRow[]): string => {
  const cell = (v: unknown) => {
    const s = String(v ?? '');
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = rows.map((r) =>
    CHECKLIST_HEADERS.map(([k]) => cell(k === 'method' ? methodLabel(r.method) : r[k])).join(','),
  );
  return `\ufeff${CHECKLIST_HEADERS.map(([, h]) => cell(h)).join(',')}\r\n${lines.join('\r\n')}\r\n`;
};

export const checklistXlsx = async (
  rows: ChecklistRow[],
  meta: { product: string; version: string; generatedAt: Date },
): Promise<Buffer> => {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'MedSec Workbench';
  wb.created = meta.generatedAt;
  const sheet = wb.addWorksheet('붙임2 checklist', { views: [{ state: 'frozen', ySplit: 3 }] });
  sheet.addRow([`의료기기 사이버보안 요구사항 체크리스트 — ${meta.product} ${meta.version}`]);
  sheet.addRow([
    `Cybersecurity requirements checklist (MFDS 2025 붙임2) · generated ${meta.generatedAt.toISOString()}`,
  ]);
  sheet.getRow(1).font = { bold: true, size: 13 };
  const header = sheet.addRow(CHECKLIST_HEADERS.map(([, h]) => h));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7F0FA' } };
  for (const r of rows) {
    sheet.addRow(CHECKLIST_HEADERS.map(([k]) => (k === 'method' ? methodLabel(r.method) : (r[k] ?? ''))));
  }
  const widths = [70, 12, 22, 40, 50, 14, 30];
  widths.forEach((w, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = w;
    col.alignment = { wrapText: true, vertical: 'top' };
  });
  sheet.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: CHECKLIST_HEADERS.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
};

/** Product name and version of a release, and a file-name-safe label. */
export const releaseLabel = async (ctx: Ctx, releaseId: string) => {
  const [row] = await ctx.db.query<{ name: string; model: string; version: string }>(
    `SELECT p.name, p.model, r.version FROM product_releases r JOIN products p ON p.id = r.product_id
      WHERE r.organization_id = $1 AND r.id = $2`,
    [orgOf(ctx), releaseId],
  );
  if (!row) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such release / 없는 릴리스입니다' });
  }
  return {
    product: `${row.name} ${row.model}`,
    version: row.version,
    file: `${row.model}-${row.version}`.replace(/[^A-Za-z0-9._-]+/g, '_'),
  };
};

/**
 * Reuses one decision across releases (and products): copies an item's status, method, notes and its evidence and
 * document links to the items of the same requirement in the given releases, with history and one audit entry each.
 */
export const propagateAssessmentItem = (ctx: Ctx, itemId: string, releaseIds: string[]) =>
  withTx(ctx, async (tx) => {
    const [source] = await tx.query<ItemRow>(`${ITEM_SELECT} WHERE i.organization_id = $1 AND i.id = $2`, [
      orgOf(ctx),
      itemId,
    ]);
    if (!source) {
      throw new AppError(ErrorCode.NOT_FOUND, { detail: 'No such assessment item / 없는 평가 항목입니다' });
    }
    const targets = await tx.query<ItemRow>(
      `${ITEM_SELECT} WHERE i.organization_id = $1 AND i.release_id = ANY ($2) AND i.requirement_ref = $3 AND i.id <> $4
       FOR UPDATE OF i`,
      [orgOf(ctx), releaseIds, source.requirement_ref, itemId],
    );
    const found = new Set(
      (
        await tx.query<{ id: string }>(
          'SELECT id FROM product_releases WHERE organization_id = $1 AND id = ANY ($2)',
          [orgOf(ctx), releaseIds],
        )
      ).map((r) => r.id),
    );
    if (found.size !== new Set(releaseIds).size) {
      throw new AppError(ErrorCode.NOT_FOUND, {
        detail: 'Some releases do not exist / 없는 릴리스가 있습니다',
      });
    }
    const now = ctx.clock.now();
    for (const target of targets) {
      await applyPatch(
        ctx,
        tx,
        target,
        { status: source.status, method: source.method, notes: source.notes },
        now,
      );
      for (const [table, column] of [
        ['evidence_links', 'evidence_id'],
        ['document_links', 'document_id'],
      ] as const) {
        await tx.query(
          `INSERT INTO ${table} (organization_id, ${column}, item_id, linked_by, linked_at)
           SELECT organization_id, ${column}, $2, $3, $4 FROM ${table} WHERE item_id = $1
           ON CONFLICT DO NOTHING`,
          [itemId, target.id, ctx.actor.userId, now],
        );
      }
    }
    await recordAudit(ctx, tx, {
      action: 'assessment.propagated',
      targetType: 'assessment_item',
      targetId: itemId,
      details: { ref: source.requirement_ref, items: targets.map((t) => t.id) },
    });
    return { updated: targets.length };
  });

/**
 * Attaches (or detaches) evidence or a controlled document to assessment items of the organization: the items must
 * all exist in it, else nothing changes. Shared by the evidence vault and the document register.
 */
export const setItemLinks = async (
  ctx: Ctx,
  tx: Queryable,
  target: { table: 'evidence_links' | 'document_links'; column: 'evidence_id' | 'document_id'; id: string },
  itemIds: string[],
  link: boolean,
): Promise<string[]> => {
  const unique = [...new Set(itemIds)];
  const found = await tx.query<{ id: string }>(
    'SELECT id FROM assessment_items WHERE organization_id = $1 AND id = ANY ($2)',
    [orgOf(ctx), unique],
  );
  if (found.length !== unique.length) {
    throw new AppError(ErrorCode.NOT_FOUND, {
      detail: 'Some assessment items do not exist / 없는 평가 항목',
    });
  }
  for (const itemId of unique) {
    await tx.query(
      link
        ? `INSERT INTO ${target.table} (organization_id, ${target.column}, item_id, linked_by, linked_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`
        : `DELETE FROM ${target.table} WHERE organization_id = $1 AND ${target.column} = $2 AND item_id = $3`,
      link
        ? [orgOf(ctx), target.id, itemId, ctx.actor.userId, ctx.clock.now()]
        : [orgOf(ctx), target.id, itemId],
    );
  }
  return unique;
};
