import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { corpus } from '../testing/corpora.ts';
import { parseCsv } from './csv.ts';
import { parseEpssCsv } from './epss.ts';
import { parseKevCsv, parseKevJson } from './kev.ts';

const kevFile = (name: string): string => readFileSync(corpus('catalogs', 'kev', name), 'utf8');

describe('CISA KEV catalog (catalogs/kev, 2025-08-25)', () => {
  const json = parseKevJson(kevFile('known_exploited_vulnerabilities.json'));
  const csv = parseKevCsv(kevFile('known_exploited_vulnerabilities.csv'));

  it('reads all 1404 entries from the JSON with catalog metadata', () => {
    expect(json.catalogVersion).toBe('2025.08.25');
    expect(json.dateReleased).toBe('2025-08-25T17:04:19.9796Z');
    expect(json.records).toHaveLength(1404);
    expect(json.issues).toEqual([]);
    expect(json.records[0]).toMatchObject({
      cveId: 'CVE-2025-48384',
      vendorProject: 'Git',
      dateAdded: '2025-08-25',
      dueDate: '2025-09-15',
      knownRansomwareCampaignUse: 'unknown',
      cwes: ['CWE-59', 'CWE-436'],
    });
  });

  it('reads the CSV into exactly the same records as the JSON', () => {
    expect(csv.issues).toEqual([]);
    expect(csv.records).toEqual(json.records);
    expect(json.records.filter((r) => r.knownRansomwareCampaignUse === 'known').length).toBeGreaterThan(100);
    expect(new Set(json.records.map((r) => r.cveId)).size).toBe(1404);
  });

  it('skips bad rows with a reason and refuses what is not a KEV file', () => {
    const bad = parseKevJson(
      JSON.stringify({
        vulnerabilities: [{ cveID: 'CVE-21-1', dateAdded: '2021-01-01', dueDate: '2021-01-15' }],
      }),
    );
    expect(bad.records).toEqual([]);
    expect(bad.issues[0]).toMatchObject({ row: 0, message: expect.stringMatching(/cveId/) });
    expect(() => parseKevJson('{"nope": 1}')).toThrow(AppError);
    expect(() => parseKevJson('not json')).toThrow(/not valid JSON/);
    expect(() => parseKevCsv('a,b\n1,2\n')).toThrow(/lacks the column/);
  });
});

describe('FIRST EPSS CSV (format of epss_scores-YYYY-MM-DD.csv; no EPSS snapshot is in the corpora)', () => {
  it('reads the model comment, header and rows', () => {
    const text = [
      '#model_version:v2023.03.01,score_date:2025-08-25T00:00:00+0000',
      'cve,epss,percentile',
      'CVE-1999-0001,0.01018,0.76549',
      'CVE-2021-44228,0.94358,0.99995',
      'CVE-2025-48384,0.00088,0.26141',
      '',
    ].join('\r\n');
    const file = parseEpssCsv(text);
    expect(file.modelVersion).toBe('v2023.03.01');
    expect(file.scoreDate).toBe('2025-08-25T00:00:00+0000');
    expect(file.records).toEqual([
      { cveId: 'CVE-1999-0001', epss: 0.01018, percentile: 0.76549 },
      { cveId: 'CVE-2021-44228', epss: 0.94358, percentile: 0.99995 },
      { cveId: 'CVE-2025-48384', epss: 0.00088, percentile: 0.26141 },
    ]);
  });

  it('accepts the older format without comment line and reports bad rows by line', () => {
    const file = parseEpssCsv(
      'cve,epss,percentile\nCVE-2020-0001,0.5,0.9\nCVE-XXXX,0.1,0.1\nCVE-2020-0002,1.5,0.9\nCVE-2020-0003,,0.2\n',
    );
    expect(file.records).toHaveLength(1);
    expect(file.issues.map((i) => i.row)).toEqual([3, 4, 5]);
    expect(() => parseEpssCsv('id,score\n')).toThrow(AppError);
  });
});

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, embedded commas and line breaks, CRLF and a BOM', () => {
    expect(parseCsv('\ufeffa,"b,c","d ""e""","f\ng"\r\n1,2,3,4')).toEqual([
      { line: 1, fields: ['a', 'b,c', 'd "e"', 'f\ng'] },
      { line: 3, fields: ['1', '2', '3', '4'] },
    ]);
  });
});
