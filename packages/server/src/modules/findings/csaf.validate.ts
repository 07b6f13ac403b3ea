/**
 * CSAF 2.0 validation: the BSI csaf-validator-lib (strict schema, mandatory tests 6.1.x; optionally the optional 6.2.x
 * and informative 6.3.x tests), with two corrections where the library disagrees with the OASIS conformance suite
 * (`csaf.conformance.test.ts` runs every OASIS test file through this function):
 * - 6.1.21 (missing item in revision history): the library sorts by date only, so revisions with the same date keep
 *   their order in the file and `2, 1` is read as "starts with 2". The OASIS valid files 6.1.14-12, 6.1.16-16/17 have
 *   exactly that; we sort by date, then by version number, before the library's test.
 * - 6.1.26 (prohibited document category name): the library compares only the profile names without `csaf_`; the
 *   specification also forbids the profile values with `-`, `_` and white space removed (`csafsecurityadvisory`,
 *   OASIS failure 6.1.26-04).
 * Not run: 6.3.6 and 6.3.7 fetch every URL of the document (no network here, and an export must not call out), and
 * 6.3.8 (spell check) needs the `hunspell` program.
 */
export interface CsafIssue {
  test: string;
  instancePath: string;
  message: string;
}
export interface CsafValidation {
  isValid: boolean;
  errors: CsafIssue[];
  warnings: CsafIssue[];
  infos: CsafIssue[];
}

type DocumentTest = (doc: unknown) => unknown;
type TestModule = Record<string, DocumentTest>;

interface Lib {
  basic: TestModule;
  mandatory: TestModule;
  optional: TestModule;
  informative: TestModule;
  validate: (tests: DocumentTest[], doc: unknown) => Promise<unknown>;
}

/**
 * The BSI library compiles its JSON schemas when its modules are imported (about 5 s of one core): it is loaded on
 * first use, so the server and every CLI command that never validates a CSAF document start without that cost.
 */
let lib: Promise<Lib> | undefined;
const loadLib = (): Promise<Lib> => {
  lib ??= (async () => {
    const [basic, mandatory, optional, informative, validate] = await Promise.all([
      // @ts-expect-error the BSI validator ships JavaScript without type declarations
      import('@secvisogram/csaf-validator-lib/basic.js'),
      // @ts-expect-error the BSI validator ships JavaScript without type declarations
      import('@secvisogram/csaf-validator-lib/mandatoryTests.js'),
      // @ts-expect-error the BSI validator ships JavaScript without type declarations
      import('@secvisogram/csaf-validator-lib/optionalTests.js'),
      // @ts-expect-error the BSI validator ships JavaScript without type declarations
      import('@secvisogram/csaf-validator-lib/informativeTests.js'),
      // @ts-expect-error the BSI validator ships JavaScript without type declarations
      import('@secvisogram/csaf-validator-lib/validate.js'),
    ]);
    return {
      basic: basic as TestModule,
      mandatory: mandatory as TestModule,
      optional: optional as TestModule,
      informative: informative as TestModule,
      validate: (validate as { default: Lib['validate'] }).default,
    };
  })();
  return lib;
};
interface LibResult {
  isValid: boolean;
  tests: {
    name: string;
    errors: { instancePath: string; message: string }[];
    warnings: { instancePath: string; message: string }[];
    infos: { instancePath: string; message: string }[];
  }[];
}

const semverMajor = (n: string) => Number.parseInt(n, 10);
const compareNumbers = (a: string, b: string) => {
  const pa = a.split(/[.+-]/).map((x) => Number.parseInt(x, 10));
  const pb = b.split(/[.+-]/).map((x) => Number.parseInt(x, 10));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0 && !Number.isNaN(d)) {
      return d;
    }
  }
  return semverMajor(a) - semverMajor(b);
};

/** 6.1.21 with a deterministic order for revisions of the same date (by version number). */
const mandatoryTest_6_1_21 =
  (basic: TestModule): DocumentTest =>
  (doc) => {
    const d = doc as { document?: { tracking?: { revision_history?: unknown } } };
    const history = d?.document?.tracking?.revision_history;
    if (
      !Array.isArray(history) ||
      !history.every((r) => typeof r?.date === 'string' && typeof r?.number === 'string')
    ) {
      return basic.mandatoryTest_6_1_21?.(doc);
    }
    const sorted = [...(history as { date: string; number: string }[])].sort(
      (a, b) => Date.parse(a.date) - Date.parse(b.date) || compareNumbers(a.number, b.number),
    );
    return basic.mandatoryTest_6_1_21?.({
      ...(doc as object),
      document: { ...d.document, tracking: { ...d.document?.tracking, revision_history: sorted } },
    });
  };

const PROFILE_VALUES = [
  'csaf_base',
  'csaf_security_incident_response',
  'csaf_informational_advisory',
  'csaf_security_advisory',
  'csaf_vex',
];
const compact = (s: string) => s.replace(/[-_\s]+/g, '').toLowerCase();
const PROHIBITED = new Set(
  PROFILE_VALUES.filter((v) => v !== 'csaf_base').flatMap((v) => [compact(v), compact(v.slice(5))]),
);

/** 6.1.26 as the specification words it: neither the name nor the value of another profile, whatever the spacing. */
const mandatoryTest_6_1_26: DocumentTest = (doc) => {
  const category = (doc as { document?: { category?: unknown } })?.document?.category;
  if (typeof category !== 'string' || PROFILE_VALUES.includes(category)) {
    return { errors: [], isValid: true };
  }
  if (category.toLowerCase().startsWith('csaf_')) {
    return {
      errors: [{ instancePath: '/document/category', message: 'reserved prefix used' }],
      isValid: false,
    };
  }
  if (PROHIBITED.has(compact(category))) {
    return { errors: [{ instancePath: '/document/category', message: 'value prohibited' }], isValid: false };
  }
  return { errors: [], isValid: true };
};
Object.defineProperty(mandatoryTest_6_1_26, 'name', { value: 'mandatoryTest_6_1_26' });

const overridesFor = (basic: TestModule): Record<string, DocumentTest> => {
  const fixed = mandatoryTest_6_1_21(basic);
  Object.defineProperty(fixed, 'name', { value: 'mandatoryTest_6_1_21' });
  return { mandatoryTest_6_1_21: fixed, mandatoryTest_6_1_26 };
};
/** Tests that reach the network or an external program; never run by the server. */
export const CSAF_TESTS_NOT_RUN = ['informativeTest_6_3_6', 'informativeTest_6_3_7', 'informativeTest_6_3_8'];

const withOverrides = (tests: TestModule, overrides: Record<string, DocumentTest>): TestModule =>
  Object.fromEntries(
    Object.entries(tests)
      .filter(([name]) => !CSAF_TESTS_NOT_RUN.includes(name))
      .map(([name, fn]) => [name, overrides[name] ?? fn]),
  );

interface TestSets {
  all: Readonly<TestModule>;
  basic: DocumentTest[];
}
let sets: Promise<TestSets> | undefined;
const testSets = (): Promise<TestSets> => {
  sets ??= loadLib().then((l) => {
    const overrides = overridesFor(l.basic);
    return {
      all: withOverrides({ ...l.mandatory, ...l.basic, ...l.optional, ...l.informative }, overrides),
      basic: Object.values(withOverrides(l.basic, overrides)),
    };
  });
  return sets;
};

/**
 * The tests by name: `csaf_2_0_strict`, `mandatoryTest_6_1_1` …, `optionalTest_6_2_1` …, `informativeTest_6_3_1` ….
 * 6.1.8 (invalid CVSS) is here for single-test runs; the export gate covers it with the strict schema, as the library's
 * `basic` set does.
 */
export const csafTests = async (): Promise<Readonly<TestModule>> => (await testSets()).all;

const issues = (r: LibResult, key: 'errors' | 'warnings' | 'infos'): CsafIssue[] =>
  r.tests.flatMap((t) =>
    (t[key] ?? []).map((e) => ({ test: t.name, instancePath: e.instancePath, message: e.message })),
  );

/**
 * Validates a CSAF 2.0 document: strict schema and every mandatory test (`level: 'mandatory'`, what gates an export),
 * or also the optional and informative tests (their findings are warnings and infos, not errors), or only the named
 * tests (`tests`).
 */
export const validateCsaf = async (
  doc: unknown,
  options: { level?: 'mandatory' | 'full'; tests?: string[] } = {},
): Promise<CsafValidation> => {
  const { all, basic } = await testSets();
  const tests = options.tests
    ? options.tests.map((name) => {
        const fn = all[name];
        if (!fn) {
          throw new Error(`Unknown or unavailable CSAF test ${name}`);
        }
        return fn;
      })
    : options.level === 'full'
      ? Object.values(all)
      : basic;
  const result = (await (await loadLib()).validate(tests, doc)) as LibResult;
  return {
    isValid: result.isValid,
    errors: issues(result, 'errors'),
    warnings: issues(result, 'warnings'),
    infos: issues(result, 'infos'),
  };
};
