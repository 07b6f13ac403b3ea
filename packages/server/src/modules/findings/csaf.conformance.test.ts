import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../../../core/src/testing/corpora.ts';
import { CSAF_TESTS_NOT_RUN, csafTests, validateCsaf } from './csaf.validate.ts';

/**
 * The OASIS CSAF 2.0 conformance suite through the server's own validation function: for each test id of
 * `testcases.json`, every `failures` file must be flagged by that test and every `valid` file must pass it. Mandatory
 * files are also run through the whole export gate (schema + all mandatory tests): a `valid` file must pass it, a
 * `failures` file must fail it. Then the OASIS examples and the CISA ICS-medical advisories.
 */
const SUITE = corpus('csaf', 'oasis-csaf-2.0-validator-tests');
interface TestCase {
  id: string;
  group: 'mandatory' | 'optional' | 'informative';
  failures?: { name: string }[];
  valid?: { name: string }[];
}
const cases = (JSON.parse(readFileSync(join(SUITE, 'testcases.json'), 'utf8')) as { tests: TestCase[] })
  .tests;
const read = (name: string): unknown => JSON.parse(readFileSync(join(SUITE, name), 'utf8'));
const testName = (c: TestCase) =>
  `${{ mandatory: 'mandatoryTest_', optional: 'optionalTest_', informative: 'informativeTest_' }[c.group]}${c.id.replaceAll('.', '_')}`;

const flaggedBy = async (name: string, doc: unknown, group: TestCase['group']) => {
  const r = await validateCsaf(doc, { tests: [name] });
  return group === 'mandatory' ? !r.isValid : r.errors.length + r.warnings.length + r.infos.length > 0;
};

describe('OASIS CSAF 2.0 conformance suite', () => {
  // the validator library compiles its schemas on first use (seconds on a busy machine): not part of any test's time
  beforeAll(() => csafTests(), 120_000);
  for (const group of ['mandatory', 'optional', 'informative'] as const) {
    it(`${group} tests: every failure file is flagged, every valid file passes`, async () => {
      const CSAF_TESTS = await csafTests();
      const counts = { tests: 0, notRun: [] as string[], failures: 0, valid: 0, wrong: [] as string[] };
      for (const c of cases.filter((x) => x.group === group)) {
        const name = testName(c);
        if (CSAF_TESTS_NOT_RUN.includes(name)) {
          counts.notRun.push(c.id);
          continue;
        }
        expect(CSAF_TESTS[name], `${name} is implemented`).toBeDefined();
        counts.tests++;
        for (const f of c.failures ?? []) {
          counts.failures++;
          if (!(await flaggedBy(name, read(f.name), group))) {
            counts.wrong.push(`${f.name} not flagged by ${c.id}`);
          }
        }
        for (const f of c.valid ?? []) {
          counts.valid++;
          if (await flaggedBy(name, read(f.name), group)) {
            counts.wrong.push(`${f.name} flagged by ${c.id}`);
          }
        }
      }
      console.info(`OASIS ${group}:`, JSON.stringify({ ...counts, wrong: counts.wrong.length }));
      expect(counts.wrong).toEqual([]);
      const expected = { mandatory: [43, 0, 87, 60], optional: [20, 0, 36, 15], informative: [8, 3, 17, 15] }[
        group
      ];
      expect([counts.tests, counts.notRun.length, counts.failures, counts.valid]).toEqual(expected);
    });
  }

  it('the export gate (schema + all mandatory tests) passes every valid mandatory file and fails every failure file', async () => {
    const wrong: string[] = [];
    let n = 0;
    for (const c of cases.filter((x) => x.group === 'mandatory')) {
      for (const [files, shouldPass] of [
        [c.failures ?? [], false],
        [c.valid ?? [], true],
      ] as const) {
        for (const f of files) {
          n++;
          const r = await validateCsaf(read(f.name));
          if (r.isValid !== shouldPass) {
            wrong.push(`${f.name}: ${r.isValid} ${JSON.stringify(r.errors.slice(0, 2))}`);
          }
        }
      }
    }
    expect(n).toBe(147);
    expect(wrong).toEqual([]);
  });

  it('flags the two files the library alone gets wrong (6.1.21 same-date order, 6.1.26 compacted profile value)', async () => {
    expect((await validateCsaf(read('mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-14-12.json'))).isValid).toBe(
      true,
    );
    const r = await validateCsaf(read('mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-26-04.json'));
    expect(r.errors.map((e) => `${e.test} ${e.message}`)).toEqual(['mandatoryTest_6_1_26 value prohibited']);
  });
});

describe('real CSAF documents', () => {
  it('accepts every OASIS CSAF 2.0 example advisory (and its VEX examples)', async () => {
    const dir = corpus('csaf', 'oasis-csaf-2.0-examples');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ f, doc: JSON.parse(readFileSync(join(dir, f), 'utf8')) as { document?: unknown } }))
      // provider metadata, ROLIE feeds and aggregator files are not CSAF documents
      .filter((x) => x.doc.document !== undefined);
    const failing: string[] = [];
    for (const { f, doc } of files) {
      const r = await validateCsaf(doc);
      if (!r.isValid) {
        failing.push(`${f}: ${JSON.stringify(r.errors.slice(0, 3))}`);
      }
    }
    console.info(`OASIS examples: ${files.length} documents, ${failing.length} invalid`);
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(failing).toEqual([]);
  });

  it('validates a sample of CISA ICS-medical advisories (every 5th of 115) and reports what they break', async () => {
    const dir = corpus('csaf', 'cisa-icsma-medical');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .filter((_, i) => i % 5 === 0);
    const byTest = new Map<string, number>();
    let valid = 0;
    for (const f of files) {
      const r = await validateCsaf(JSON.parse(readFileSync(join(dir, f), 'utf8')));
      valid += r.isValid ? 1 : 0;
      for (const t of new Set(r.errors.map((e) => e.test))) {
        byTest.set(t, (byTest.get(t) ?? 0) + 1);
      }
    }
    console.info(`CISA ICSMA sample: ${files.length} documents, ${valid} valid`, Object.fromEntries(byTest));
    expect(files.length).toBe(23);
    expect(valid).toBeGreaterThan(0);
  });
});
