import {
  AppError,
  type CatalogTemplate,
  ErrorCode,
  type Framework,
  type ImdrfMapping,
  type ImdrfMappingFile,
  type KisaModelFile,
  type ListRequirementsQuery,
  type Page,
  type Requirement,
  type RequirementDetail,
} from '@medsec/core';
import type { Ctx } from '../../context.ts';
import { csvCell } from '../../platform/audit/audit.service.ts';
import {
  findApprovalRows,
  findDatasetRow,
  findRefsBySection,
  findRequirementRow,
  listApprovalRequirementRows,
  listChildRows,
  listDatasetRows,
  listFrameworks as listFrameworkRows,
  listLinkRows,
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
export const getRequirement = async (ctx: Ctx, ref: string): Promise<RequirementDetail> => {
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
  const links = await listLinkRows(ctx.db, ctx.actor.organizationId, row.ref);
  return {
    ...base,
    parent: parent ? toRequirement(parent) : null,
    children: children.map(toRequirement),
    approvalRequirements: approvals.map((a) => ({ id: a.id, titleKo: a.title_ko, titleEn: a.title_en })),
    imdrf: await imdrfRowsFor(ctx, base),
    links: links.map((l) => ({
      from: l.from_ref,
      to: l.to_ref,
      relation: l.relation,
      basisEn: l.basis_en,
      statedInSeed: l.stated_in_seed,
      direction: l.direction,
      otherRef: l.other_ref,
      otherTitleKo: l.other_title_ko,
      otherTitleEn: l.other_title_en,
    })),
    ...(await practiceFor(ctx, base)),
  };
};

/** The security-activity tables and numeric examples of an article, narrowed to a clause for clauses and items. */
const practiceFor = async (ctx: Ctx, r: Requirement) => {
  if (r.article === null || !['article', 'clause', 'item', 'guidance'].includes(r.kind)) {
    return { activities: [], numericExamples: [] };
  }
  const article =
    r.kind === 'article'
      ? await findRequirementRow(ctx.db, ctx.actor.organizationId, r.ref)
      : await findRequirementRow(ctx.db, ctx.actor.organizationId, `${r.framework}:art-${r.article}`);
  const activities = article?.extra.activities ?? [];
  const numericExamples = article?.extra.numericExamples ?? [];
  if (r.kind === 'article' || r.clause === null) {
    return { activities, numericExamples };
  }
  const clause = r.clause;
  return {
    activities: activities.filter((a) => a.clauses.length === 0 || a.clauses.includes(clause)),
    numericExamples: numericExamples.filter((n) => n.clause === undefined || n.clause === clause),
  };
};

/** IMDRF mapping rows of the entry's article, or naming one of its approval-review IDs. */
const imdrfRowsFor = async (ctx: Ctx, r: Requirement): Promise<RequirementDetail['imdrf']> => {
  if (r.article === null && r.approvalIds.length === 0) {
    return [];
  }
  const mapping = await getImdrfMapping(ctx, r.framework).catch(() => null);
  if (!mapping) {
    return [];
  }
  const texts = new Map(mapping.imdrf.map((i) => [i.key, i.textEn]));
  return mapping.rows
    .filter(
      (m) =>
        (r.article !== null && m.article === r.article && ['article', 'clause', 'item'].includes(r.kind)) ||
        (m.approvalId !== null && r.approvalIds.includes(m.approvalId)),
    )
    .map((m) => ({ ...m, imdrfTextEn: texts.get(m.imdrf) ?? '' }));
};

const notFound = (what: string) =>
  new AppError(ErrorCode.NOT_FOUND, { detail: `No ${what} in the catalog / 카탈로그에 없습니다` });

/** The Ch. II table IMDRF N60 ↔ approval-review requirement ID ↔ article, one row per printed row. */
export const getImdrfMapping = async (ctx: Ctx, framework = 'mfds-2025'): Promise<ImdrfMapping> => {
  const row = await findDatasetRow(ctx.db, ctx.actor.organizationId, framework, 'imdrf-mapping');
  if (!row) {
    throw notFound(`IMDRF mapping for ${framework}`);
  }
  const data = row.data as ImdrfMappingFile;
  const principleOf = new Map(data.imdrf.map((i) => [i.key, i.principle]));
  return {
    principles: data.principles,
    imdrf: data.imdrf.map((i) => ({
      key: i.key,
      principle: i.principle,
      textEn: i.textEn,
      textKo: i.textKo ?? null,
      noteKo: i.noteKo ?? null,
    })),
    rows: data.mappings.map((m) => ({
      row: m.row,
      imdrf: m.imdrf,
      principle: principleOf.get(m.imdrf) ?? '',
      approvalId: m.approvalId,
      approvalTitleKo: m.approvalTitleKo ?? null,
      articleTextKo: m.articleTextKo ?? null,
      article: m.article,
      articleTitleKo: m.articleTitleKo ?? null,
      inferred: m.inferred,
      note: m.note ?? null,
    })),
  };
};

const TEMPLATE_KINDS = new Set(['imdrf-mapping', 'service-model']);

/** Document templates (붙임1 procedure outline, 붙임2 submission forms) that later modules generate documents from. */
export const listTemplates = async (ctx: Ctx): Promise<(CatalogTemplate & { framework: string })[]> =>
  (await listDatasetRows(ctx.db, ctx.actor.organizationId))
    .filter((d) => !TEMPLATE_KINDS.has(d.key))
    .map((d) => ({ ...(d.data as CatalogTemplate), framework: d.framework_id }));

export const getTemplate = async (
  ctx: Ctx,
  key: string,
): Promise<CatalogTemplate & { framework: string }> => {
  const found = (await listTemplates(ctx)).find((t) => t.key === key);
  if (!found) {
    throw notFound(`template ${key}`);
  }
  return found;
};

/** The KISA service model: domains, device role classes, device types. */
export const getServiceModel = async (ctx: Ctx): Promise<KisaModelFile> => {
  const row = await findDatasetRow(ctx.db, ctx.actor.organizationId, 'kisa-healthcare', 'service-model');
  if (!row) {
    throw notFound('service model');
  }
  return row.data as KisaModelFile;
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
  const cell = (v: unknown): string => csvCell(Array.isArray(v) ? v.join(' ') : v);
  return `\ufeff${CSV_COLUMNS.join(',')}\r\n${items.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(',')).join('\r\n')}\r\n`;
};

/**
 * XLSX export (exceljs): one sheet of entries (Korean and English side by side, obligation, mappings) and one of the
 * approval-review requirement IDs, with a header row frozen and filters on.
 */
export const requirementsXlsx = async (
  items: Requirement[],
  approvals: { id: string; titleKo: string; titleEn: string | null; articles: number[] }[],
): Promise<Buffer> => {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'MedSec Workbench';
  wb.created = new Date();
  const sheet = wb.addWorksheet('Catalog · 카탈로그', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: 'ref', key: 'ref', width: 30 },
    { header: 'framework', key: 'framework', width: 16 },
    { header: 'kind', key: 'kind', width: 11 },
    { header: 'article', key: 'article', width: 8 },
    { header: 'obligation / 의무 구분', key: 'obligation', width: 14 },
    { header: 'actors', key: 'actors', width: 22 },
    { header: 'approvalIds', key: 'approvalIds', width: 24 },
    { header: 'titleKo', key: 'titleKo', width: 24 },
    { header: 'titleEn', key: 'titleEn', width: 24 },
    { header: 'textKo (원문)', key: 'textKo', width: 70 },
    { header: 'textEn', key: 'textEn', width: 70 },
  ];
  for (const r of items) {
    sheet.addRow({ ...r, actors: r.actors.join(', '), approvalIds: r.approvalIds.join(', ') });
  }
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: 'A1', to: 'K1' };
  for (const col of ['J', 'K']) {
    sheet.getColumn(col).alignment = { wrapText: true, vertical: 'top' };
  }
  const ids = wb.addWorksheet('Approval IDs · 요구사항 ID');
  ids.columns = [
    { header: 'id', key: 'id', width: 10 },
    { header: 'titleKo', key: 'titleKo', width: 36 },
    { header: 'titleEn', key: 'titleEn', width: 44 },
    { header: 'articles', key: 'articles', width: 16 },
  ];
  for (const a of approvals) {
    ids.addRow({ ...a, articles: a.articles.join(', ') });
  }
  ids.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
};
