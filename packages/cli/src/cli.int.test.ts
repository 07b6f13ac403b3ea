import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { corpus } from '../../core/src/testing/corpora.ts';
import { validateOpenVex } from '../../server/src/modules/findings/vex.ts';
import { validateSbomSchema } from '../../server/src/modules/sboms/sbom.validate.ts';

/**
 * The CLI contract (issue #2): commands, JSON output and exit codes, against real data directories.
 */
const BIN = fileURLToPath(new URL('../bin/medsec.js', import.meta.url));
const PASSWORD = 'Correct-Horse-9-Battery';
const root = mkdtempSync(join(tmpdir(), 'medsec-cli-'));
const env = { ...process.env, MEDSEC_LOG_LEVEL: 'silent', DATABASE_URL: '' };

const run = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env,
    input: input ?? '',
    encoding: 'utf8',
    timeout: 120_000,
  });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    json: () => JSON.parse(r.stdout) as Record<string, unknown>,
  };
};

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

// each step spawns the CLI (a fresh process opening the data directory): several per test on a 2-core machine
describe('medsec CLI', { timeout: 300_000 }, () => {
  const dir = join(root, 'one');

  it('prints help for every command group', () => {
    const help = run(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['start', 'db', 'admin', 'users', 'audit', 'backup', 'keys']) {
      expect(help.stdout).toContain(c);
    }
    expect(run(['audit', '--help']).stdout).toContain('verify');
    expect(run(['no-such-command']).code).toBe(2);
  });

  it('admin create: refuses a weak password from stdin with exit 3, then creates the first administrator once', () => {
    const weak = run(
      ['admin', 'create', '--email', 'admin@example.com', '--data-dir', dir, '--json'],
      'password\n',
    );
    expect(weak.code).toBe(3);
    expect(weak.json().code).toBe('VALIDATION_FAILED');
    const ok = run(
      ['admin', 'create', '--email', 'admin@example.com', '--data-dir', dir, '--json'],
      `${PASSWORD}\n`,
    );
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true });
    const again = run(
      ['admin', 'create', '--email', 'other@example.com', '--data-dir', dir, '--json'],
      `${PASSWORD}\n`,
    );
    expect(again.code).not.toBe(0);
    expect(again.json().code).toBe('PRECONDITION_FAILED');
  });

  it('db status, users list and audit verify', () => {
    const status = run(['db', 'status', '--data-dir', dir, '--json']);
    expect(status.code).toBe(0);
    expect((status.json().pending as unknown[]).length).toBe(0);
    const users = run(['users', 'list', '--data-dir', dir, '--json']);
    expect(users.code).toBe(0);
    expect(JSON.stringify(users.json())).toContain('admin@example.com');
    const verify = run(['audit', 'verify', '--data-dir', dir, '--json']);
    expect(verify.code).toBe(0);
    expect(verify.json()).toEqual({
      ok: true,
      events: 2,
      firstBrokenEventId: null,
      firstBrokenSeq: null,
      problem: null,
    });
  });

  it('backup create and restore into an empty data directory give the same data and a chain that verifies', () => {
    const file = join(root, 'backup.jsonl.gz');
    const created = run(['backup', 'create', '--out', file, '--data-dir', dir, '--json']);
    expect(created.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(created.stderr).toBe(''); // --json keeps progress off the terminal
    const plain = run(['backup', 'create', '--out', join(root, 'plain.jsonl.gz'), '--data-dir', dir]);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/^backup \d+\/\d+ users \(\d+ rows\)$/m); // one progress line per table
    const target = join(root, 'restored');
    const restored = run([
      'backup',
      'restore',
      '--in',
      file,
      '--data-dir',
      target,
      '--keyring',
      join(dir, 'keys', 'keyring.json'),
      '--json',
    ]);
    expect(restored.code).toBe(0);
    const verify = run(['audit', 'verify', '--data-dir', target, '--json']);
    expect(verify.json()).toMatchObject({ ok: true, events: 4 }); // 2 + backup.created + backup.restored
    expect(JSON.stringify(run(['users', 'list', '--data-dir', target, '--json']).json())).toContain(
      'admin@example.com',
    );
    const notEmpty = run(['backup', 'restore', '--in', file, '--data-dir', target, '--json']);
    expect(notEmpty.code).not.toBe(0);
  });

  it('audit verify reports a tampered event and exits non-zero', async () => {
    const { createPgliteDb } = await import('@medsec/server');
    const db = await createPgliteDb(join(dir, 'pgdata'));
    const [event] = await db.query<{ id: string }>('SELECT id FROM audit_events WHERE seq = 2');
    await db.transaction(async (tx) => {
      await tx.query("SET LOCAL session_replication_role = 'replica'");
      await tx.query("UPDATE audit_events SET actor_label = 'someone else' WHERE seq = 2");
    });
    await db.close();
    const verify = run(['audit', 'verify', '--data-dir', dir, '--json']);
    expect(verify.code).toBe(1);
    expect(verify.json()).toMatchObject({ ok: false, firstBrokenEventId: event!.id });
  });

  it('users disable, and a not-found account exits 4', () => {
    const missing = run([
      'users',
      'disable',
      '--email',
      'ghost@example.com',
      '--data-dir',
      join(root, 'restored'),
      '--json',
    ]);
    expect(missing.code).toBe(4);
  });

  it('catalog export --format json prints the catalog as a JSON array with the contract fields', () => {
    const res = spawnSync(
      process.execPath,
      [BIN, 'catalog', 'export', '--format', 'json', '--framework', 'mfds-2025', '--data-dir', dir],
      { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(res.status).toBe(0);
    const rows = JSON.parse(res.stdout) as Record<string, unknown>[];
    expect(rows.filter((r) => r.kind === 'article')).toHaveLength(22);
    for (const key of [
      'ref',
      'framework',
      'article',
      'kind',
      'textKo',
      'textEn',
      'obligation',
      'approvalIds',
      'parentRef',
    ]) {
      expect(rows[0], key).toHaveProperty(key);
    }
    expect(rows.find((r) => r.ref === 'mfds-2025:art-4')?.approvalIds).toEqual([
      'RA-04',
      'SI-01',
      'DC-01',
      'DC-03',
    ]);
  });

  it('catalog search prints matching entries best first; show and unknown refs', () => {
    const found = run(['catalog', 'search', '취약점을 해결하기 위한 패치', '--json', '--data-dir', dir]);
    expect(found.code).toBe(0);
    const items = JSON.parse(found.stdout) as { ref: string; obligation: string }[];
    expect(items[0]).toMatchObject({ ref: 'mfds-2025:art-22:cl-1', obligation: 'mandatory' });
    expect(run(['catalog', 'show', 'mfds-2025:art-22:cl-1', '--data-dir', dir]).stdout).toContain('패치');
    expect(run(['catalog', 'show', 'mfds-2025:art-99', '--json', '--data-dir', dir]).code).toBe(4);
  });

  it('catalog export --format xlsx writes a workbook', async () => {
    const file = join(root, 'catalog.xlsx');
    expect(run(['catalog', 'export', '--format', 'xlsx', '--data-dir', dir]).code).toBe(2);
    expect(run(['catalog', 'export', '--format', 'xlsx', '--out', file, '--data-dir', dir]).code).toBe(0);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Catalog · 카탈로그', 'Approval IDs · 요구사항 ID']);
    expect(wb.worksheets[0]!.rowCount).toBeGreaterThan(300);
  });

  it('catalog import adds an organization framework; a bad file exits 3', () => {
    const fixture = fileURLToPath(
      new URL('../../server/src/testing/fixtures/org-framework.yaml', import.meta.url),
    );
    const ok = run(['catalog', 'import', '--file', fixture, '--data-dir', dir, '--json']);
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true, framework: 'acme-sdl', created: 2 });
    const bad = join(root, 'bad-framework.yaml');
    writeFileSync(bad, 'framework: acme-bad\nentries: []\n');
    const refused = run(['catalog', 'import', '--file', bad, '--data-dir', dir, '--json']);
    expect(refused.code).toBe(3);
    expect(JSON.stringify(refused.json().errors)).toContain('entries');
  });

  it('products create reads a profile document from stdin; applicability and the 붙임2 export follow the contract', () => {
    const doc = {
      name: 'GlucoFlow insulin pump',
      model: 'GF-CLI',
      manufacturer: 'Acme Medical',
      // the profile fields may sit at the top level of the document
      kind: 'embedded-software',
      domains: ['home'],
      interfaces: [{ kind: 'bluetooth-le', version: '5.0', purpose: 'app pairing' }],
      personalData: true,
      usesAi: false,
      hasUpdateMechanism: true,
      hardwareWithExternalPorts: true,
    };
    const created = run(['products', 'create', '--data-dir', dir, '--json'], JSON.stringify(doc));
    expect(created.code, created.stderr).toBe(0);
    const product = created.json() as { id: string; profile: { kind: string } };
    expect(product.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(product.profile.kind).toBe('embedded-software');
    const bad = run(
      ['products', 'create', '--data-dir', dir, '--json'],
      JSON.stringify({ ...doc, kind: 'toaster' }),
    );
    expect(bad.code).toBe(3);
    expect(run(['products', 'create', '--data-dir', dir, '--json'], '{not json').code).toBe(3);

    const applicability = run(['products', 'applicability', product.id, '--data-dir', dir, '--json']);
    expect(applicability.code).toBe(0);
    const rows = JSON.parse(applicability.stdout) as { ref: string; applies: boolean; reason: string }[];
    expect(rows.length).toBeGreaterThan(200);
    expect(rows.every((r) => typeof r.applies === 'boolean' && r.reason.length > 0)).toBe(true);
    expect(rows.find((r) => r.ref === 'mfds-2025:art-12')?.applies).toBe(false);
    expect(rows.find((r) => r.ref === 'mfds-2025:art-18:cl-1')?.applies).toBe(true);

    expect(run(['products', 'release', product.id, '1.0', '--data-dir', dir, '--json']).code).toBe(0);
    const csv = run([
      'assessments',
      'export',
      '--product',
      product.id,
      '--release',
      '1.0',
      '--format',
      'csv',
      '--data-dir',
      dir,
    ]);
    expect(csv.code, csv.stderr).toBe(0);
    const [header, ...lines] = csv.stdout
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(header).toContain('요구사항');
    expect(header).toContain('적용 여부');
    expect(header).toContain('적합성 입증 방법');
    expect(header).toContain('문서번호');
    expect(header).toContain('미적용 사유');
    expect(lines.some((l) => l.includes('art-12') && l.includes(',N,'))).toBe(true);
    expect(lines.some((l) => l.includes('art-18:cl-1') && l.includes(',Y,'))).toBe(true);
    const xlsx = join(root, 'checklist.xlsx');
    const wrote = run([
      'assessments',
      'export',
      '--product',
      product.id,
      '--release',
      '1.0',
      '--format',
      'xlsx',
      '--out',
      xlsx,
      '--data-dir',
      dir,
    ]);
    expect(wrote.code).toBe(0);
    expect(existsSync(xlsx)).toBe(true);
    expect(
      run(['assessments', 'export', '--product', product.id, '--release', '9.9', '--data-dir', dir]).code,
    ).toBe(4);
  });

  it('evidence upload checks content (a renamed executable exits 3); documents from-template and list', () => {
    const pdf = join(root, 'report.pdf');
    writeFileSync(pdf, '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const ok = run(['evidence', 'upload', pdf, '--title', 'Pen test', '--data-dir', dir, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json()).toMatchObject({ title: 'Pen test', current: { mediaType: 'application/pdf' } });
    const fake = join(root, 'fake.pdf');
    writeFileSync(
      fake,
      Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64, 1)]),
    );
    const refused = run(['evidence', 'upload', fake, '--data-dir', dir, '--json']);
    expect(refused.code).toBe(3);
    expect(String(refused.json().detail)).toMatch(/not accepted/);
    expect(
      (JSON.parse(run(['evidence', 'list', '--data-dir', dir, '--json']).stdout) as unknown[]).length,
    ).toBe(1);
    const docs = run(['documents', 'from-template', 'procedure-outline', '--data-dir', dir, '--json']);
    expect(docs.code).toBe(0);
    expect((docs.json() as { created: unknown[] }).created).toHaveLength(8);
    expect(run(['documents', 'list', '--data-dir', dir]).stdout).toContain('QP-SEC-002');
  });

  it('sbom validate and cvss score work without a database and follow the contract', () => {
    const ok = run([
      'sbom',
      'validate',
      corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json'),
      '--json',
    ]);
    expect(ok.code).toBe(0);
    expect(ok.json()).toEqual({
      format: 'cyclonedx',
      specVersion: '1.4',
      valid: true,
      components: 55,
      errors: [],
    });
    const broken = run([
      'sbom',
      'validate',
      corpus(
        'sbom',
        'redhat',
        'container_image',
        'build',
        'mandrel-for-jdk-21-rhel8-container-23.1-16_amd64.cdx.json',
      ),
      '--json',
    ]);
    expect(broken.code).toBe(3);
    expect(broken.json()).toMatchObject({ valid: false, errors: [{ line: 99 }] });
    const spdx = run([
      'sbom',
      'validate',
      corpus('sbom', 'bom-shelter', 'in-the-wild', 'spdx', 'grype-sbom-modified.spdx.json'),
      '--json',
    ]);
    expect(spdx.json()).toMatchObject({ format: 'spdx' });
    const score = run(['cvss', 'score', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '--json']);
    expect(score.json()).toEqual({
      version: '3.1',
      baseScore: 9.8,
      temporalScore: null,
      environmentalScore: null,
      severity: 'critical',
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    });
    expect(
      run([
        'cvss',
        'score',
        'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
        '--json',
      ]).json(),
    ).toMatchObject({
      version: '4.0',
      baseScore: 9.3,
    });
    expect(run(['cvss', 'score', 'CVSS:3.1/AV:N', '--json']).code).toBe(3);
  });

  it('advisories import, sbom upload --fail-on, findings export (OpenVEX, CycloneDX VEX)', () => {
    const imported = run([
      'advisories',
      'import',
      corpus('osv', 'ghsa-targeted'),
      corpus('catalogs', 'kev', 'known_exploited_vulnerabilities.csv'),
      '--data-dir',
      dir,
      '--json',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json()).toMatchObject({ imported: 8, rejected: 0 });
    expect((imported.json() as { kev: number }).kev).toBeGreaterThan(1000);
    expect(
      run(['advisories', 'import', corpus('osv', 'ghsa-targeted'), '--data-dir', dir, '--json']).json(),
    ).toMatchObject({ imported: 0, unchanged: 8 });
    const product = JSON.parse(run(['products', 'list', '--data-dir', dir, '--json']).stdout)[0] as {
      id: string;
    };
    run(['products', 'release', product.id, '2.0', '--data-dir', dir, '--json']);
    const device = corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json');
    const up = run([
      'sbom',
      'upload',
      device,
      '--product',
      product.id,
      '--release',
      '2.0',
      '--fail-on',
      'medium',
      '--data-dir',
      dir,
      '--json',
    ]);
    expect(up.code, `${up.stdout} ${up.stderr}`).toBe(5);
    const summary = up.json() as { components: number; findings: number; bySeverity: Record<string, number> };
    expect(summary.components).toBe(55);
    expect(summary.findings).toBeGreaterThanOrEqual(2);
    // jQuery 3.1.1: CVSS 3.1 6.9 (medium); Newtonsoft.Json 9.0.1: no vector, GitHub's own severity (low)
    expect(summary.bySeverity.medium).toBeGreaterThanOrEqual(1);
    expect(summary.bySeverity.low).toBeGreaterThanOrEqual(1);
    const passes = run([
      'sbom',
      'upload',
      device,
      '--product',
      product.id,
      '--release',
      '2.0',
      '--fail-on',
      'critical',
      '--data-dir',
      dir,
      '--json',
    ]);
    expect(passes.code).toBe(0);
    const openvex = run([
      'findings',
      'export',
      '--product',
      product.id,
      '--release',
      '2.0',
      '--format',
      'openvex',
      '--data-dir',
      dir,
    ]);
    expect(openvex.code, openvex.stderr).toBe(0);
    const vex = JSON.parse(openvex.stdout) as {
      statements: { vulnerability: { name: string }; status: string }[];
    };
    expect(validateOpenVex(vex).valid).toBe(true);
    expect(vex.statements.length).toBe(summary.findings);
    const cdx = run([
      'findings',
      'export',
      '--product',
      product.id,
      '--release',
      '2.0',
      '--format',
      'cyclonedx-vex',
      '--data-dir',
      dir,
    ]);
    expect(validateSbomSchema(JSON.parse(cdx.stdout), 'cyclonedx', '1.6')).toMatchObject({ valid: true });
    const csv = run([
      'findings',
      'export',
      '--product',
      product.id,
      '--release',
      '2.0',
      '--format',
      'csv',
      '--data-dir',
      dir,
    ]);
    expect(csv.stdout).toContain('Newtonsoft.Json');
    // 취약점 조치 결과서 (DOCX): nothing decided yet, so no rows, every finding counted as undecided
    const remediation = [
      'findings',
      'export',
      '--product',
      product.id,
      '--release',
      '2.0',
      '--format',
      'remediation-docx',
      '--data-dir',
      dir,
    ];
    expect(run(remediation).code).toBe(2); // a Word file needs --out
    const report = join(root, 'remediation.docx');
    const docx = run([...remediation, '--out', report]);
    expect(docx.code, docx.stderr).toBe(0);
    const documentXml = strFromU8(unzipSync(new Uint8Array(readFileSync(report)))['word/document.xml']!);
    expect(documentXml).toContain('취약점 조치 결과서');
    expect(documentXml).toContain(`미결정 (undecided, not listed) ${summary.findings}`);
    // CSAF 2.0 advisory for one vulnerability of the product, validated by the BSI validator before it is written
    const csaf = run(['csaf', 'export', '--advisory', 'GHSA-5crp-9r3c-p9vr', '--data-dir', dir]);
    expect(csaf.code, csaf.stderr).toBe(0);
    expect(JSON.parse(csaf.stdout).document.category).toBe('csaf_security_advisory');
    expect(run(['csaf', 'export', '--advisory', 'CVE-1999-0001', '--data-dir', dir]).code).toBe(4);
    // CSAF VEX of the release (csaf_vex), validated before it is written
    const csafVex = run([
      'csaf',
      'export',
      '--profile',
      'vex',
      '--product',
      product.id,
      '--release',
      '2.0',
      '--data-dir',
      dir,
    ]);
    expect(csafVex.code, csafVex.stderr).toBe(0);
    expect(JSON.parse(csafVex.stdout).document.category).toBe('csaf_vex');
    expect(run(['csaf', 'export', '--profile', 'vex', '--data-dir', dir]).code).toBe(2);
    // issued advisories: export gives the latest issued revision, byte for byte
    const issued = run([
      'csaf',
      'issue',
      '--advisory',
      'GHSA-5crp-9r3c-p9vr',
      '--status',
      'interim',
      '--data-dir',
      dir,
      '--json',
    ]);
    expect(issued.code, issued.stderr).toBe(0);
    const rev = issued.json() as { trackingId: string; revision: number; sha256: string };
    expect(rev.revision).toBe(1);
    const stored = run(['csaf', 'export', '--advisory', 'GHSA-5crp-9r3c-p9vr', '--data-dir', dir]);
    expect(stored.code, stored.stderr).toBe(0);
    expect(createHash('sha256').update(stored.stdout).digest('hex')).toBe(rev.sha256);
    expect(JSON.parse(stored.stdout).document.tracking).toMatchObject({ status: 'interim', version: '1' });
    const byTracking = run(['csaf', 'export', '--advisory', rev.trackingId, '--data-dir', dir]);
    expect(byTracking.code, byTracking.stderr).toBe(0);
    expect(byTracking.stdout).toBe(stored.stdout);
    // nothing changed since revision 1: refused (CONFLICT)
    const unchanged = run([
      'csaf',
      'issue',
      '--advisory',
      rev.trackingId,
      '--status',
      'interim',
      '--data-dir',
      dir,
    ]);
    expect(unchanged.code).toBe(1);
    expect(unchanged.stderr).toMatch(/Nothing changed/);
  });

  it('keys init creates a keyring once', () => {
    const file = join(root, 'kr', 'keyring.json');
    expect(run(['keys', 'init', '--out', file, '--json']).json()).toMatchObject({ ok: true });
    expect(run(['keys', 'init', '--out', file, '--json']).code).not.toBe(0);
  });

  it('keys rotate re-wraps the data keys', () => {
    const r = run(['keys', 'rotate', '--data-dir', join(root, 'restored'), '--json']);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ ok: true });
  });

  it('start serves /healthz on the embedded database, then stops on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [BIN, 'start', '--port', String(port), '--data-dir', join(root, 'served')],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    try {
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 200));
        status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.status,
          () => 0,
        );
      }
      expect(status).toBe(200);
      expect(output).toContain(`http://localhost:${port}`);
      const setup = await fetch(`http://127.0.0.1:${port}/api/v1/setup`).then((r) => r.json());
      expect(setup).toEqual({ needsSetup: true });
      // the data directory is locked while the server runs
      const locked = run(['users', 'list', '--data-dir', join(root, 'served'), '--json']);
      expect(locked.code).not.toBe(0);
      expect(String(locked.json().detail)).toMatch(/in use/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
