import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { type Ctx, orgOf, withTx } from '../../context.ts';
import { recordAudit } from '../../platform/audit/audit.service.ts';
import { getMember } from '../../platform/users/users.service.ts';
import { getProduct, requireRelease } from '../products/products.service.ts';
import { type Finding, listFindings } from './findings.service.ts';

/**
 * 취약점 조치 결과서 (vulnerability remediation report) of a product release: every finding that was decided or
 * remediated, with what the MFDS 2025 guideline asks a remediation record to show (art. 20 guidance: the
 * vulnerability, where it is, severity, the decision and its reason, the action, the fixed version, dates, and the
 * internal approval), as a Word document for signature. Open, undecided findings are counted, not listed.
 */

/** Whether the finding was closed by its due date. */
export const DUE_STATUSES = ['met', 'missed', 'overdue', 'open', 'no-due-date'] as const;
export type DueStatus = (typeof DUE_STATUSES)[number];

/** One row of the report. Dates are `YYYY-MM-DD` (UTC). */
export interface RemediationRow {
  vulnerabilityId: string;
  aliases: string[];
  summary: string | null;
  component: string;
  componentVersion: string | null;
  purl: string | null;
  severity: string;
  cvss: string | null;
  state: Finding['state'];
  justification: string | null;
  impactStatement: string | null;
  patientSafetyImpact: string | null;
  remediation: string;
  actionStatement: string | null;
  /** The first version of the component without the vulnerability, as the advisory says. */
  fixedVersion: string | null;
  release: string;
  foundOn: string;
  decidedOn: string | null;
  /** The day the finding was marked fixed (its decision date when its state is `fixed`). */
  fixedOn: string | null;
  dueDate: string | null;
  due: DueStatus;
  decidedBy: string | null;
}

export interface RemediationReport {
  product: { name: string; model: string; manufacturer: string };
  release: string;
  generatedAt: string;
  preparedBy: string;
  rows: RemediationRow[];
  /** Findings of the release still undecided (under investigation), not listed. */
  undecided: number;
}

const day = (d: Date | string | null | undefined): string | null =>
  d === null || d === undefined ? null : (typeof d === 'string' ? d : d.toISOString()).slice(0, 10);

/** Closed (fixed, not affected) on or before the due date → met; else missed; still open → open or overdue. */
export const dueStatus = (
  state: Finding['state'],
  closedOn: string | null,
  dueDate: string | null,
  today: string,
): DueStatus => {
  if (!dueDate) {
    return 'no-due-date';
  }
  if (state === 'fixed' || state === 'not_affected') {
    return closedOn !== null && closedOn <= dueDate ? 'met' : 'missed';
  }
  return today > dueDate ? 'overdue' : 'open';
};

/**
 * Collects the decided and remediated findings of a release (not retracted) with their decision dates and who
 * decided them.
 * @throws AppError NOT_FOUND for an unknown release (or one of another organization)
 */
export const buildRemediationReport = async (ctx: Ctx, releaseId: string): Promise<RemediationReport> => {
  const release = await requireRelease(ctx, ctx.db, releaseId);
  const product = await getProduct(ctx, release.product_id);
  const findings = await listFindings(ctx, { releaseId: release.id });
  const decisions = new Map(
    (
      await ctx.db.query<{ id: string; decided_by: string | null; decided_at: Date | null }>(
        'SELECT id, decided_by, decided_at FROM findings WHERE organization_id = $1 AND release_id = $2',
        [orgOf(ctx), release.id],
      )
    ).map((r) => [r.id, r]),
  );
  const names = new Map<string, string>();
  const nameOf = async (userId: string | null): Promise<string | null> => {
    if (!userId) {
      return null;
    }
    if (!names.has(userId)) {
      const member = await getMember(ctx, userId).catch(() => undefined);
      names.set(userId, member ? `${member.displayName} <${member.email}>` : userId);
    }
    return names.get(userId) ?? userId;
  };
  const today = day(ctx.clock.now()) ?? '';
  const decided = findings.filter(
    (f) => decisions.get(f.id)?.decided_at || f.state === 'fixed' || f.state === 'not_affected',
  );
  const rows: RemediationRow[] = [];
  for (const f of decided) {
    const decision = decisions.get(f.id);
    const decidedOn = day(decision?.decided_at);
    const closedOn = f.state === 'fixed' || f.state === 'not_affected' ? decidedOn : null;
    const cvss = f.cvss3 ?? f.cvss4;
    rows.push({
      vulnerabilityId: f.vulnerabilityId,
      aliases: f.aliases,
      summary: f.summary,
      component: f.component,
      componentVersion: f.componentVersion,
      purl: f.purl,
      severity: f.severity,
      cvss: cvss ? `${cvss.score ?? ''} ${cvss.vector}`.trim() : null,
      state: f.state,
      justification: f.justification,
      impactStatement: f.impactStatement,
      patientSafetyImpact: f.patientSafetyImpact,
      remediation: f.remediation,
      actionStatement: f.actionStatement,
      fixedVersion: (f.matchReason as { fixed?: unknown } | null)?.fixed?.toString() ?? null,
      release: f.release,
      foundOn: day(f.firstSeenAt) ?? '',
      decidedOn,
      fixedOn: f.state === 'fixed' ? decidedOn : null,
      dueDate: f.dueDate,
      due: dueStatus(f.state, closedOn, f.dueDate, today),
      decidedBy: await nameOf(decision?.decided_by ?? null),
    });
  }
  rows.sort(
    (a, b) =>
      SEVERITY_RANK.indexOf(a.severity) - SEVERITY_RANK.indexOf(b.severity) ||
      a.vulnerabilityId.localeCompare(b.vulnerabilityId) ||
      a.component.localeCompare(b.component),
  );
  return {
    product: { name: product.name, model: product.model, manufacturer: product.manufacturer },
    release: release.version,
    generatedAt: ctx.clock.now().toISOString(),
    preparedBy: (await nameOf(ctx.actor.userId)) ?? ctx.actor.label,
    rows,
    undecided: findings.length - decided.length,
  };
};

const SEVERITY_RANK = ['critical', 'high', 'medium', 'low', 'none', 'unknown'];

const STATE_KO: Record<string, string> = {
  fixed: '조치 완료',
  not_affected: '영향 없음',
  affected: '영향 있음',
  under_investigation: '조사 중',
};
const DUE_KO: Record<DueStatus, string> = {
  met: '준수 (met)',
  missed: '미준수 (missed)',
  overdue: '기한 초과 (overdue)',
  open: '진행 중 (open)',
  'no-due-date': '기한 없음 (no due date)',
};
const SEVERITY_KO: Record<string, string> = {
  critical: '긴급',
  high: '높음',
  medium: '중간',
  low: '낮음',
  none: '없음',
  unknown: '미상',
};

/**
 * Korean-capable fonts: Malgun Gothic (Windows' Korean UI font) for every script; LibreOffice and other readers
 * without it substitute a CJK font through fontconfig (Noto Sans KR / Noto Sans CJK KR where installed).
 */
const FONT = {
  ascii: 'Malgun Gothic',
  hAnsi: 'Malgun Gothic',
  eastAsia: 'Malgun Gothic',
  cs: 'Noto Sans KR',
};

const lines = (...parts: (string | null | undefined | false)[]): Paragraph[] => {
  const kept = parts.filter((p): p is string => typeof p === 'string' && p !== '');
  return (kept.length ? kept : ['—']).map(
    (text) => new Paragraph({ children: [new TextRun({ text, size: 16 })] }),
  );
};

const cell = (children: Paragraph[], header = false): TableCell =>
  new TableCell({
    children,
    ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'FBEBD5' } } : {}),
  });

const headerCell = (ko: string, en: string): TableCell =>
  cell(
    [
      new Paragraph({
        children: [
          new TextRun({ text: ko, bold: true, size: 16 }),
          new TextRun({ text: ` (${en})`, size: 14 }),
        ],
      }),
    ],
    true,
  );

const keyValueTable = (pairs: [string, string][]): Table =>
  new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: pairs.map(
      ([k, v]) =>
        new TableRow({
          children: [
            cell([new Paragraph({ children: [new TextRun({ text: k, bold: true, size: 18 })] })], true),
            cell([new Paragraph({ children: [new TextRun({ text: v, size: 18 })] })]),
          ],
        }),
    ),
  });

/** The report as DOCX (A4 landscape), headings in Korean with English beside them. */
export const remediationReportDocx = async (report: RemediationReport): Promise<Buffer> => {
  const counts = (state: string) => report.rows.filter((r) => r.state === state).length;
  const findingsTable = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({
        tableHeader: true,
        children: [
          headerCell('번호', 'No.'),
          headerCell('취약점', 'Vulnerability'),
          headerCell('구성요소', 'Component'),
          headerCell('심각도 / CVSS', 'Severity / CVSS'),
          headerCell('결정 (VEX 상태, 근거)', 'Decision: VEX state, justification'),
          headerCell('조치 내용', 'Action taken'),
          headerCell('수정 버전 / 릴리스', 'Fixed version / release'),
          headerCell('일자', 'Dates'),
          headerCell('조치 기한 / 준수 여부', 'Due date / met'),
          headerCell('결정자', 'Decided by'),
        ],
      }),
      ...report.rows.map(
        (r, i) =>
          new TableRow({
            cantSplit: true,
            children: [
              cell(lines(String(i + 1))),
              cell(lines(r.vulnerabilityId, r.aliases.length ? r.aliases.join(', ') : null, r.summary)),
              cell(lines(`${r.component}${r.componentVersion ? ` ${r.componentVersion}` : ''}`, r.purl)),
              cell(lines(`${SEVERITY_KO[r.severity] ?? r.severity} (${r.severity})`, r.cvss)),
              cell(
                lines(
                  `${STATE_KO[r.state] ?? r.state} (${r.state})`,
                  r.justification,
                  r.impactStatement,
                  r.patientSafetyImpact ? `환자 안전 영향 (patient safety): ${r.patientSafetyImpact}` : null,
                ),
              ),
              cell(lines(r.remediation !== 'none' ? r.remediation : null, r.actionStatement)),
              cell(
                lines(
                  r.fixedVersion ? `수정 버전 (fixed version): ${r.fixedVersion}` : null,
                  `릴리스 (release): ${r.release}`,
                ),
              ),
              cell(
                lines(
                  `발견 (found): ${r.foundOn}`,
                  `결정 (decided): ${r.decidedOn ?? '—'}`,
                  `조치 (fixed): ${r.fixedOn ?? '—'}`,
                ),
              ),
              cell(lines(r.dueDate, DUE_KO[r.due])),
              cell(lines(r.decidedBy ?? '—')),
            ],
          }),
      ),
    ],
  });
  const approvals = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({
        children: [
          headerCell('구분', 'Role'),
          headerCell('성명', 'Name'),
          headerCell('서명', 'Signature'),
          headerCell('일자', 'Date'),
        ],
      }),
      ...[
        ['작성자', 'Prepared by', report.preparedBy],
        ['검토자', 'Reviewed by', ''],
        ['승인자', 'Approved by', ''],
      ].map(
        ([ko, en, name]) =>
          new TableRow({
            height: { value: 600, rule: 'atLeast' },
            children: [
              cell(lines(`${ko} (${en})`)),
              cell([new Paragraph({ children: [new TextRun({ text: name ?? '', size: 16 })] })]),
              cell([new Paragraph('')]),
              cell([new Paragraph('')]),
            ],
          }),
      ),
    ],
  });
  const doc = new Document({
    creator: 'MedSec Workbench',
    title: `취약점 조치 결과서 (Vulnerability remediation report) — ${report.product.name} ${report.release}`,
    styles: { default: { document: { run: { font: FONT, size: 18 } } } },
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
        children: [
          new Paragraph({
            heading: HeadingLevel.TITLE,
            alignment: AlignmentType.CENTER,
            children: [
              new TextRun({ text: '취약점 조치 결과서', bold: true, size: 36, font: FONT }),
              new TextRun({ text: ' (Vulnerability remediation report)', size: 24, font: FONT }),
            ],
          }),
          new Paragraph({
            children: [
              new TextRun({
                text: 'MFDS 2025 의료기기 사이버보안 가이드라인 — 취약점 조치 기록 (art. 20, remediation record)',
                size: 16,
              }),
            ],
          }),
          new Paragraph({ heading: HeadingLevel.HEADING_1, text: '1. 개요 (Overview)' }),
          keyValueTable([
            ['제조사 (Manufacturer)', report.product.manufacturer],
            ['제품명 / 모델명 (Product / model)', `${report.product.name} / ${report.product.model}`],
            ['릴리스 (Release)', report.release],
            ['작성일시 (Generated)', report.generatedAt],
            [
              '조치 결과 요약 (Summary)',
              `조치 완료 (fixed) ${counts('fixed')} · 영향 없음 (not affected) ${counts('not_affected')} · 영향 있음 (affected) ${counts('affected')} · 미결정 (undecided, not listed) ${report.undecided}`,
            ],
            [
              '기한 준수 (Due dates met)',
              `${report.rows.filter((r) => r.due === 'met').length} / ${report.rows.filter((r) => r.due !== 'no-due-date').length}`,
            ],
          ]),
          new Paragraph({
            heading: HeadingLevel.HEADING_1,
            text: '2. 조치 내역 (Remediated and decided findings)',
          }),
          report.rows.length
            ? findingsTable
            : new Paragraph('결정된 취약점이 없습니다 (no decided findings)'),
          new Paragraph({ heading: HeadingLevel.HEADING_1, text: '3. 승인 (Approval)' }),
          approvals,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
};

/**
 * Builds and renders the remediation report of a release and records the export in the audit log (`findings.exported`,
 * format `remediation-docx`), as the export route does; used by `medsec findings export --format remediation-docx`.
 * @throws AppError NOT_FOUND for an unknown release
 */
export const exportRemediationReport = async (ctx: Ctx, releaseId: string): Promise<Buffer> => {
  const report = await buildRemediationReport(ctx, releaseId);
  const docx = await remediationReportDocx(report);
  await withTx(ctx, (tx) =>
    recordAudit(ctx, tx, {
      action: 'findings.exported',
      targetType: 'release',
      targetId: releaseId,
      details: { format: 'remediation-docx', findings: report.rows.length, organization: orgOf(ctx) },
    }),
  );
  return docx;
};
