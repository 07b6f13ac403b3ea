import {
  AppError,
  ErrorCode,
  type Framework,
  type ListRequirementsQuery,
  type Page,
  type Requirement,
} from '@medsec/core';
import type { Ctx } from '../../context.ts';
import {
  findApprovalRows,
  findRefsBySection,
  findRequirementRow,
  listApprovalRequirementRows,
  listChildRows,
  listFrameworks as listFrameworkRows,
  listRequirementRows,
  searchRequirementRows,
  toRequirement,
} from './catalog.repository.ts';

/** Reading the regulatory catalog: frameworks, requirements, search, approval-review requirement IDs. */
export const listFrameworks = (ctx: Ctx): Promise<Framework[]> =>
  listFrameworkRows(ctx.db, ctx.actor.organizationId);

export const listRequirements = async (
  ctx: Ctx,
  query: ListRequirementsQuery,
): Promise<Page<Requirement>> => {
  const { rows, total } = await listRequirementRows(ctx.db, ctx.actor.organizationId, query);
  return { items: rows.map(toRequirement), page: query.page, pageSize: query.pageSize, total };
};

/** @throws NOT_FOUND for an unknown ref (or one of another organization's framework). */
export const getRequirement = async (ctx: Ctx, ref: string) => {
  const row = await findRequirementRow(ctx.db, ctx.actor.organizationId, ref);
  if (!row) {
    throw new AppError(ErrorCode.NOT_FOUND, { detail: `No catalog entry ${ref} / 카탈로그 항목이 없습니다` });
  }
  const parent = row.parent_ref
    ? await findRequirementRow(ctx.db, ctx.actor.organizationId, row.parent_ref)
    : undefined;
  const children = await listChildRows(ctx.db, row.framework_id, row.ref);
  const approvals = row.approval_ids.length ? await findApprovalRows(ctx.db, row.approval_ids) : [];
  const base = toRequirement(row);
  if (base.countermeasures.length > 0) {
    const refs = await findRefsBySection(
      ctx.db,
      row.framework_id,
      base.countermeasures.map((c) => c.nameKo),
    );
    base.countermeasures = base.countermeasures.map((c) => ({
      nameKo: c.nameKo,
      refs: refs.get(c.nameKo) ?? [],
    }));
  }
  return {
    ...base,
    parent: parent ? toRequirement(parent) : null,
    children: children.map(toRequirement),
    approvalRequirements: approvals.map((a) => ({ id: a.id, titleKo: a.title_ko, titleEn: a.title_en })),
  };
};

export const searchCatalog = async (ctx: Ctx, q: string, framework: string | undefined, limit: number) =>
  (await searchRequirementRows(ctx.db, ctx.actor.organizationId, q, framework, limit)).map((r) => ({
    ...toRequirement(r),
    score: Number(r.score ?? 0),
  }));

export const listApprovalRequirements = async (ctx: Ctx) =>
  (await listApprovalRequirementRows(ctx.db)).map((a) => ({
    id: a.id,
    titleKo: a.title_ko,
    titleEn: a.title_en,
    inferred: a.inferred,
    articles: a.articles ?? [],
  }));

/** Every requirement of the visible frameworks (or one), in catalog order, for exports. */
export const exportRequirements = async (ctx: Ctx, framework: string | undefined): Promise<Requirement[]> => {
  const out: Requirement[] = [];
  for (let page = 1; ; page++) {
    const { rows } = await listRequirementRows(ctx.db, ctx.actor.organizationId, {
      page,
      pageSize: 100,
      ...(framework ? { framework } : {}),
    });
    out.push(...rows.map(toRequirement));
    if (rows.length < 100) {
      return out;
    }
  }
};

const CSV_COLUMNS = [
  'ref',
  'framework',
  'kind',
  'article',
  'clause',
  'item',
  'parentRef',
  'group',
  'obligation',
  'actors',
  'approvalIds',
  'titleKo',
  'titleEn',
  'textKo',
  'textEn',
] as const;

export const requirementsCsv = (items: Requirement[]): string => {
  const cell = (v: unknown): string => {
    let s = v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v);
    if (/^[=+\-@\t\r]/.test(s)) {
      s = `'${s}`;
    }
    return `"${s.replace(/"/g, '""')}"`;
  };
  return `\ufeff${CSV_COLUMNS.join(',')}\r\n${items.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(',')).join('\r\n')}\r\n`;
};
