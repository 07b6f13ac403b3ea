import { AppError } from '../errors.ts';
import { parseCsv } from './csv.ts';
import { type EpssRecord, EpssRecordSchema, type FeedIssue } from './feeds.schemas.ts';

/** An EPSS daily file: model version and score date from its comment line, and the scores. */
export interface EpssFile {
  modelVersion: string | undefined;
  scoreDate: string | undefined;
  records: EpssRecord[];
  issues: FeedIssue[];
}

/**
 * Reads a FIRST EPSS CSV (`epss_scores-YYYY-MM-DD.csv`, already decompressed): an optional first line
 * `#model_version:v2023.03.01,score_date:2023-03-16T00:00:00+0000`, a header `cve,epss,percentile`, then one
 * row per CVE. Rows with a bad CVE id or a number outside 0–1 are skipped and listed in `issues`.
 * @throws AppError VALIDATION_FAILED when the header lacks `cve` or `epss`.
 */
export const parseEpssCsv = (text: string): EpssFile => {
  let modelVersion: string | undefined;
  let scoreDate: string | undefined;
  let body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let offset = 0;
  if (body.startsWith('#')) {
    const end = body.indexOf('\n');
    const comment = body.slice(1, end < 0 ? undefined : end).trim();
    for (const pair of comment.split(',')) {
      const [key, ...rest] = pair.split(':');
      const value = rest.join(':').trim();
      if (key?.trim() === 'model_version') {
        modelVersion = value;
      } else if (key?.trim() === 'score_date') {
        scoreDate = value;
      }
    }
    body = end < 0 ? '' : body.slice(end + 1);
    offset = 1;
  }
  const [header, ...rows] = parseCsv(body);
  const names = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const cve = names.indexOf('cve');
  const epss = names.indexOf('epss');
  const percentile = names.indexOf('percentile');
  if (cve < 0 || epss < 0) {
    throw new AppError('VALIDATION_FAILED', {
      detail: 'The EPSS CSV needs the columns cve and epss (and percentile)',
    });
  }
  const issues: FeedIssue[] = [];
  const records: EpssRecord[] = [];
  const num = (value: string | undefined): number =>
    value === undefined || value.trim() === '' ? Number.NaN : Number(value);
  for (const { line, fields } of rows) {
    const parsed = EpssRecordSchema.safeParse({
      cveId: (fields[cve] ?? '').trim(),
      epss: num(fields[epss]),
      percentile: percentile < 0 ? 0 : num(fields[percentile]),
    });
    if (parsed.success) {
      records.push(parsed.data);
    } else {
      issues.push({
        row: line + offset,
        message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      });
    }
  }
  return { modelVersion, scoreDate, records, issues };
};
