import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProductVia, uploadMedicalSbomWithFindings } from '../../testing/fixtures.ts';
import {
  addMember,
  bootstrapAdmin,
  STRONG_PASSWORD,
  signIn,
  type TestClient,
} from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

interface Finding {
  id: string;
  vulnerabilityId: string;
  aliases: string[];
  component: string;
  state: string;
  dueDate: string;
  severity: string;
  cvss3: { vector: string; score: number } | null;
}

const DAY = 86_400_000;

/**
 * 취약점 조치 결과서 (remediation report, DOCX) from a real scenario: the medical-device SBOM of the CCNY case study
 * (CycloneDX 1.4: Newtonsoft.Json 9.0.1, jQuery 3.1.1 …) matched against the GitHub advisories that name them, some
 * findings decided by the security officer, the report exported and read back from its document.xml.
 */
describe('취약점 조치 결과서 (vulnerability remediation report, DOCX)', () => {
  let t: TestApp;
  let officer: TestClient;
  let officerEmail: string;
  let release: string;
  let findings: Finding[];
  let fixedOn: string;
  let missedOn: string;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await bootstrapAdmin(t);
    const member = await addMember(t, admin.client, 'security_officer');
    officerEmail = member.email;
    officer = await signIn(t, member.email, STRONG_PASSWORD);
    const dev = await signIn(t, (await addMember(t, admin.client, 'developer')).email, STRONG_PASSWORD);
    const productId = (await createProductVia(officer)).id;
    release = (await officer.post(`/api/v1/products/${productId}/releases`, { version: '2.1.0' })).json<{
      id: string;
    }>().id;
    findings = await uploadMedicalSbomWithFindings<Finding>(t, dev, release);
  });
  afterAll(async () => {
    await t.close();
  });

  const exportDocx = async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/releases/${release}/findings/export?format=remediation-docx`,
      headers: { cookie: officer.cookie! },
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(res.headers['content-disposition']).toMatch(/-remediation\.docx"$/);
    const files = unzipSync(new Uint8Array(res.rawPayload));
    return {
      document: strFromU8(files['word/document.xml']!),
      styles: strFromU8(files['word/styles.xml']!),
    };
  };
  /** The visible text of each table row of document.xml. */
  const rowsOf = (xml: string): string[] =>
    [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map((m) =>
      [...m[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((x) => x[1]).join(' '),
    );

  it('finds the known vulnerable components of the device SBOM', () => {
    const components = new Set(findings.map((f) => f.component));
    expect(components).toContain('Newtonsoft.Json');
    expect(components).toContain('jQuery');
    expect(findings.length).toBeGreaterThanOrEqual(2);
  });

  it('lists the decided findings with decision, action, fixed version, dates, due date met or missed and who decided', async () => {
    const newtonsoft = findings.find((f) => f.component === 'Newtonsoft.Json')!;
    const jqueryLate = findings.find((f) => f.component === 'jQuery');
    fixedOn = t.clock.now().toISOString().slice(0, 10);
    const fix = await officer.patch(`/api/v1/findings/${newtonsoft.id}`, {
      state: 'fixed',
      remediation: 'done',
      actionStatement:
        'Newtonsoft.Json를 13.0.1로 업데이트 (updated to 13.0.1), verified by regression test TR-118',
    });
    expect(fix.status, fix.body).toBe(200);
    // first export: the fixed finding listed, jQuery still under investigation (counted, not listed)
    const before = rowsOf((await exportDocx()).document);
    expect(before.filter((r) => r.includes('발견 (found)'))).toHaveLength(1);
    expect(before.some((r) => r.includes('발견 (found)') && r.includes('jQuery'))).toBe(false);
    expect(before.find((r) => r.includes('조치 결과 요약'))).toContain(
      `미결정 (undecided, not listed) ${findings.length - 1}`,
    );
    // past the due date (60 days to fix by default): the not-affected decision comes late
    t.clock.advance(70 * DAY);
    officer = await signIn(t, officerEmail, STRONG_PASSWORD); // the session ended meanwhile
    missedOn = t.clock.now().toISOString().slice(0, 10);
    const late = await officer.patch(`/api/v1/findings/${jqueryLate!.id}`, {
      state: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
      impactStatement: 'The device UI never passes untrusted HTML to jQuery.htmlPrefilter',
    });
    expect(late.status, late.body).toBe(200);

    const { document, styles } = await exportDocx();
    expect(document).toContain('취약점 조치 결과서');
    expect(document).toContain('Vulnerability remediation report');
    for (const heading of [
      '취약점',
      '구성요소',
      '심각도 / CVSS',
      '결정 (VEX 상태, 근거)',
      '조치 내용',
      '수정 버전 / 릴리스',
      '조치 기한 / 준수 여부',
      '결정자',
    ]) {
      expect(document).toContain(heading);
    }
    const rows = rowsOf(document);
    const listed = rows.filter((r) => r.includes('발견 (found)'));
    expect(listed).toHaveLength(2); // the decided findings only
    const fixedRow = listed.find((r) => r.includes('Newtonsoft.Json 9.0.1'))!;
    expect(fixedRow).toContain(newtonsoft.vulnerabilityId);
    expect(fixedRow).toContain('조치 완료 (fixed)');
    expect(fixedRow).toContain('updated to 13.0.1');
    expect(fixedRow).toContain('수정 버전 (fixed version): 13.0.1');
    expect(fixedRow).toContain('릴리스 (release): 2.1.0');
    expect(fixedRow).toContain(`결정 (decided): ${fixedOn}`);
    expect(fixedRow).toContain(`조치 (fixed): ${fixedOn}`);
    expect(fixedRow).toContain(newtonsoft.dueDate);
    expect(fixedRow).toContain('준수 (met)');
    expect(fixedRow).toContain(`(${newtonsoft.severity})`);
    expect(fixedRow).toContain(officerEmail);
    const lateRow = listed.find((r) => r.includes('jQuery'))!;
    expect(lateRow).toContain(jqueryLate!.vulnerabilityId);
    expect(lateRow).toContain('영향 없음 (not_affected)');
    expect(lateRow).toContain('vulnerable_code_not_in_execute_path');
    expect(lateRow).toContain(`결정 (decided): ${missedOn}`);
    expect(lateRow).toContain('미준수 (missed)');
    expect(lateRow).toContain(`(${jqueryLate!.severity})`);
    expect(jqueryLate!.cvss3?.vector).toMatch(/^CVSS:3\.\d\//);
    expect(lateRow).toContain(`${jqueryLate!.cvss3!.score} ${jqueryLate!.cvss3!.vector}`);
    // the overview counts the undecided findings it does not list
    expect(rows.find((r) => r.includes('조치 결과 요약'))).toContain(
      `미결정 (undecided, not listed) ${findings.length - 2}`,
    );
    expect(rows.find((r) => r.includes('기한 준수'))).toContain('1 / 2');
    // approval block: prepared by the exporting officer, reviewer and approver left for signature
    expect(rows.find((r) => r.startsWith('작성자 (Prepared by)'))).toContain(officerEmail);
    expect(rows.some((r) => r.startsWith('승인자 (Approved by)'))).toBe(true);
    expect(rows.some((r) => r.startsWith('검토자 (Reviewed by)'))).toBe(true);
    // a Korean-capable font for every script
    expect(styles).toMatch(/w:eastAsia="Malgun Gothic"/);
  });

  it('is an audited export', async () => {
    const [row] = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'findings.exported' AND target_id = $1
          AND details->>'format' = 'remediation-docx'`,
      [release],
    );
    expect(row!.n).toBeGreaterThanOrEqual(1);
  });

  it('needs a signed-in reader', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/releases/${release}/findings/export?format=remediation-docx`,
    });
    expect(res.statusCode).toBe(401);
  });
});
