import { AppError } from '../errors.ts';
import { parseCsv } from './csv.ts';
import { type FeedIssue, type KevRecord, KevRecordSchema } from './feeds.schemas.ts';

/** The CISA KEV catalog as read from its JSON or CSV form. */
export interface KevCatalog {
  catalogVersion: string | undefined;
  dateReleased: string | undefined;
  records: KevRecord[];
  /** Rows that were skipped, with the reason. */
  issues: FeedIssue[];
}

const FIELDS = [
  'cveID',
  'vendorProject',
  'product',
  'vulnerabilityName',
  'dateAdded',
  'shortDescription',
  'requiredAction',
  'dueDate',
  'knownRansomwareCampaignUse',
  'notes',
  'cwes',
] as const;

const toRecord = (raw: Record<string, unknown>, row: number, issues: FeedIssue[]): KevRecord | undefined => {
  const text = (k: string): string => (typeof raw[k] === 'string' ? (raw[k] as string).trim() : '');
  const cwes = Array.isArray(raw.cwes)
    ? raw.cwes.filter((c): c is string => typeof c === 'string')
    : text('cwes')
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== '');
  const parsed = KevRecordSchema.safeParse({
    cveId: text('cveID'),
    vendorProject: text('vendorProject'),
    product: text('product'),
    vulnerabilityName: text('vulnerabilityName'),
    dateAdded: text('dateAdded'),
    shortDescription: text('shortDescription'),
    requiredAction: text('requiredAction'),
    dueDate: text('dueDate'),
    knownRansomwareCampaignUse:
      text('knownRansomwareCampaignUse').toLowerCase() === 'known' ? 'known' : 'unknown',
    notes: text('notes'),
    cwes,
  });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    issues.push({ row, message: `${first?.path.join('.') ?? ''}: ${first?.message ?? 'invalid'}` });
    return undefined;
  }
  return parsed.data;
};

/**
 * Reads the KEV catalog JSON (`known_exploited_vulnerabilities.json`). Rows that fail validation (bad CVE id
 * or date) are skipped and listed in `issues`.
 * @throws AppError VALIDATION_FAILED when the text is not JSON or has no `vulnerabilities` array.
 */
export const parseKevJson = (text: string): KevCatalog => {
  let doc: { catalogVersion?: unknown; dateReleased?: unknown; vulnerabilities?: unknown };
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new AppError('VALIDATION_FAILED', { detail: 'The KEV catalog is not valid JSON', cause });
  }
  if (!doc || !Array.isArray(doc.vulnerabilities)) {
    throw new AppError('VALIDATION_FAILED', { detail: 'The KEV catalog has no "vulnerabilities" array' });
  }
  const issues: FeedIssue[] = [];
  const records = (doc.vulnerabilities as Record<string, unknown>[]).flatMap((raw, i) => {
    const record = toRecord(raw ?? {}, i, issues);
    return record ? [record] : [];
  });
  return {
    catalogVersion: typeof doc.catalogVersion === 'string' ? doc.catalogVersion : undefined,
    dateReleased: typeof doc.dateReleased === 'string' ? doc.dateReleased : undefined,
    records,
    issues,
  };
};

/**
 * Reads the KEV catalog CSV (`known_exploited_vulnerabilities.csv`, header row with the JSON field names).
 * @throws AppError VALIDATION_FAILED when the header lacks a KEV column.
 */
export const parseKevCsv = (text: string): KevCatalog => {
  const [header, ...rows] = parseCsv(text);
  const names = header?.fields.map((f) => f.trim()) ?? [];
  const missing = FIELDS.filter((f) => f !== 'cwes' && f !== 'notes' && !names.includes(f));
  if (missing.length > 0) {
    throw new AppError('VALIDATION_FAILED', {
      detail: `The KEV CSV lacks the column(s) ${missing.join(', ')}`,
    });
  }
  const issues: FeedIssue[] = [];
  const records = rows.flatMap(({ line, fields }) => {
    const raw = Object.fromEntries(names.map((name, i) => [name, fields[i] ?? '']));
    const record = toRecord(raw, line, issues);
    return record ? [record] : [];
  });
  return { catalogVersion: undefined, dateReleased: undefined, records, issues };
};
