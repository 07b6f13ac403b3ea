import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { SCHEMA_DIR } from '../sboms/sbom.validate.ts';
import type { Finding } from './findings.service.ts';

/**
 * VEX documents from findings: OpenVEX 0.2.0 and CycloneDX 1.6 VEX. One statement per vulnerability × product
 * (component purl) with its status and justification, so a healthcare provider can tell which findings affect the
 * device it runs (MFDS 2025 arts. 20–21: disclose vulnerabilities and their status).
 */
const OPENVEX_JUSTIFICATIONS: Record<string, string> = {
  component_not_present: 'component_not_present',
  vulnerable_code_not_present: 'vulnerable_code_not_present',
  vulnerable_code_not_in_execute_path: 'vulnerable_code_not_in_execute_path',
  vulnerable_code_cannot_be_controlled_by_adversary: 'vulnerable_code_cannot_be_controlled_by_adversary',
  inline_mitigations_already_exist: 'inline_mitigations_already_exist',
};

export interface VexMeta {
  author: string;
  product: string;
  version: string;
  timestamp: string;
}

const productId = (f: Finding) => f.purl ?? `urn:medsec:component:${f.componentId}`;

export const buildOpenVex = (findings: Finding[], meta: VexMeta) => {
  const statements = findings.map((f) => ({
    vulnerability: { name: f.vulnerabilityId, ...(f.aliases.length ? { aliases: f.aliases } : {}) },
    products: [{ '@id': productId(f) }],
    status: f.state,
    ...(f.state === 'not_affected'
      ? f.justification
        ? { justification: OPENVEX_JUSTIFICATIONS[f.justification] }
        : { impact_statement: f.impactStatement ?? 'See the manufacturer analysis' }
      : {}),
    ...(f.state === 'not_affected' && f.justification && f.impactStatement
      ? { impact_statement: f.impactStatement }
      : {}),
    ...(f.state === 'affected'
      ? { action_statement: f.actionStatement ?? 'Follow the manufacturer advisory' }
      : {}),
  }));
  const body = { author: meta.author, timestamp: meta.timestamp, version: 1, statements };
  const id = createHash('sha256')
    .update(JSON.stringify({ ...body, product: meta.product, v: meta.version }))
    .digest('hex');
  return {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': `https://medsec.example/vex/${id.slice(0, 32)}`,
    ...body,
  };
};

const CDX_STATE: Record<string, string> = {
  under_investigation: 'in_triage',
  affected: 'exploitable',
  not_affected: 'not_affected',
  fixed: 'resolved',
};
const CDX_JUSTIFICATION: Record<string, string> = {
  component_not_present: 'code_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'protected_by_mitigating_control',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

export const buildCycloneDxVex = (findings: Finding[], meta: VexMeta) => {
  const components = new Map<
    string,
    { 'bom-ref': string; type: 'library'; name: string; version?: string; purl?: string }
  >();
  for (const f of findings) {
    const ref = productId(f);
    components.set(ref, {
      'bom-ref': ref,
      type: 'library',
      name: f.component,
      ...(f.componentVersion ? { version: f.componentVersion } : {}),
      ...(f.purl ? { purl: f.purl } : {}),
    });
  }
  const vulnerabilities = findings.map((f) => ({
    'bom-ref': `${f.vulnerabilityId}@${productId(f)}`,
    id: f.vulnerabilityId,
    ...(f.aliases.length
      ? { references: f.aliases.map((a) => ({ id: a, source: { name: a.split('-')[0] } })) }
      : {}),
    ...(f.cvss3
      ? {
          ratings: [
            {
              method: 'CVSSv31',
              score: f.cvss3.score ?? undefined,
              vector: f.cvss3.vector,
              severity: f.severity,
            },
          ],
        }
      : {}),
    analysis: {
      state: CDX_STATE[f.state],
      ...(f.justification ? { justification: CDX_JUSTIFICATION[f.justification] } : {}),
      ...(f.impactStatement || f.actionStatement
        ? { detail: [f.impactStatement, f.actionStatement].filter(Boolean).join(' ') }
        : {}),
    },
    affects: [{ ref: productId(f) }],
  }));
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${createHash('sha256')
      .update(JSON.stringify(vulnerabilities))
      .digest('hex')
      .replace(/^(.{8})(.{4})(.{3})(.{3})(.{12}).*/, '$1-$2-4$3-8$4-$5')}`,
    version: 1,
    metadata: {
      timestamp: meta.timestamp,
      component: { type: 'device', name: meta.product, version: meta.version, 'bom-ref': 'product' },
      manufacturer: { name: meta.author },
    },
    components: [...components.values()],
    vulnerabilities,
  };
};

let openVex: (((doc: unknown) => boolean) & { errors?: unknown }) | undefined;
/** Validates against the official OpenVEX 0.2.0 JSON Schema (vendored). */
export const validateOpenVex = (doc: unknown): { valid: boolean; errors: string[] } => {
  if (!openVex) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    openVex = ajv.compile(
      JSON.parse(readFileSync(join(SCHEMA_DIR, 'openvex', 'openvex_json_schema.json'), 'utf8')),
    );
  }
  const valid = openVex(doc);
  return {
    valid,
    errors: valid
      ? []
      : ((openVex.errors as { instancePath: string; message?: string }[]) ?? []).map(
          (e) => `${e.instancePath} ${e.message}`,
        ),
  };
};

export const findingsCsv = (findings: Finding[]): string => {
  const cols = [
    'vulnerabilityId',
    'aliases',
    'component',
    'componentVersion',
    'purl',
    'state',
    'justification',
    'remediation',
    'severity',
    'kev',
    'epss',
    'dueDate',
    'overdue',
    'patientSafetyImpact',
  ] as const;
  const cell = (v: unknown) => {
    const s = Array.isArray(v) ? v.join(' ') : v === null || v === undefined ? '' : String(v);
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\ufeff${cols.join(',')}\r\n${findings.map((f) => cols.map((c) => cell(f[c])).join(',')).join('\r\n')}\r\n`;
};

/**
 * 취약점 대응 관리 대장 (vulnerability response ledger) as XLSX: one row per finding with the items the MFDS 2025
 * guideline asks a remediation record to hold (art. 20 guidance, 취약점 조치 기록에 포함되어야 하는 항목), headings in
 * Korean as printed with English beside them, plus a summary sheet by severity and state.
 */
export const findingsLedgerXlsx = async (
  findings: Finding[],
  meta: { product: string; version: string; generatedAt: Date },
): Promise<Buffer> => {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'MedSec Workbench';
  wb.created = meta.generatedAt;
  const sheet = wb.addWorksheet('취약점 대응 관리 대장', { views: [{ state: 'frozen', ySplit: 3 }] });
  sheet.addRow([`취약점 대응 관리 대장 (Vulnerability response ledger) — ${meta.product} ${meta.version}`]);
  sheet.addRow([`MFDS 2025 art. 20 · generated ${meta.generatedAt.toISOString()}`]);
  sheet.getRow(1).font = { bold: true, size: 13 };
  const headers = [
    '취약점 ID (Vulnerability ID)',
    '취약점 상세 내용 및 기술적 특성 (Details and technical characteristics)',
    '취약점 발생 위치(제품 구성요소, 라이브러리 등) 및 영향 범위 (Location and scope)',
    '심각도 평가 결과 및 위험 분석 내용 (Severity and risk analysis)',
    '조치 방안 (Remediation)',
    '조치 일자, 소프트웨어 적용 버전, 검증 결과 (Date, version, verification)',
    '내부 승인 및 외부 보고 여부 (Internal approval, external report)',
    '재발 방지 조치 이행 여부 (Recurrence prevention)',
    '기한 (Due date)',
  ];
  const header = sheet.addRow(headers);
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFBEBD5' } };
  for (const f of findings) {
    sheet.addRow([
      [f.vulnerabilityId, ...f.aliases].join('\n'),
      [f.summary, f.cvss3 ? `CVSS ${f.cvss3.vector}` : null, f.cvss4 ? `CVSS ${f.cvss4.vector}` : null]
        .filter(Boolean)
        .join('\n'),
      `${f.product} ${f.release}\n${f.component}${f.componentVersion ? ` ${f.componentVersion}` : ''}${f.purl ? `\n${f.purl}` : ''}`,
      [
        `severity ${f.severity}${f.cvss3?.score !== undefined && f.cvss3 ? ` (${f.cvss3.score})` : ''}`,
        f.environmental ? `environmental ${f.environmental.score}` : null,
        f.kev ? `KEV since ${f.kevDateAdded}` : null,
        f.epss !== null ? `EPSS ${f.epss}` : null,
        `VEX ${f.state}${f.justification ? ` (${f.justification})` : ''}`,
        f.patientSafetyImpact ? `patient safety: ${f.patientSafetyImpact}` : null,
        f.impactStatement,
      ]
        .filter(Boolean)
        .join('\n'),
      [f.remediation, f.actionStatement].filter((x) => x && x !== 'none').join('\n'),
      f.state === 'fixed' ? `fixed · ${f.release}` : '',
      '',
      '',
      f.dueDate ? `${f.dueDate}${f.overdue ? ' (overdue)' : ''}` : '',
    ]);
  }
  const widths = [22, 50, 40, 40, 30, 24, 22, 22, 16];
  widths.forEach((w, i) => {
    const col = sheet.getColumn(i + 1);
    col.width = w;
    col.alignment = { wrapText: true, vertical: 'top' };
  });
  sheet.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: headers.length } };
  const summary = wb.addWorksheet('요약 (Summary)');
  summary.addRow(['severity', 'under_investigation', 'affected', 'not_affected', 'fixed']).font = {
    bold: true,
  };
  for (const sev of ['critical', 'high', 'medium', 'low', 'none']) {
    summary.addRow([
      sev,
      ...['under_investigation', 'affected', 'not_affected', 'fixed'].map(
        (st) => findings.filter((f) => f.severity === sev && f.state === st).length,
      ),
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
};
