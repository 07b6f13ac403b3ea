import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, SCREENSHOTS, setupAndSignIn, startHarness } from './harness.ts';

/**
 * A product from registration to submission evidence, in real Chromium, with the people the work needs: a security
 * officer (products, assessment, evidence, document author), a QA (document reviewer) and an approver (document
 * approver). The administrator only invites them: its role has no product permissions.
 */
const PASSWORD = 'Correct-Horse-9-Battery';
const PEOPLE = {
  officer: { email: 'officer@medsec.example', role: 'security_officer', name: '박보안' },
  qa: { email: 'qa@medsec.example', role: 'qa', name: '이품질' },
  approver: { email: 'approver@medsec.example', role: 'approver', name: '최승인' },
} as const;
const PRODUCT = 'GlucoFlow insulin pump';
const EVIDENCE_TITLE = 'BLE penetration test report';
// A minimal PDF (content sniffing sees %PDF; no JavaScript or launch actions).
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
// A Windows executable renamed to .pdf: the server must refuse it by content.
const RENAMED_EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0)]);
const ITEM_A = 'mfds-2025:art-4:item-1';
const ITEM_B = 'mfds-2025:art-4:item-3';

const invite = async (admin: Page, email: string, role: string): Promise<string> =>
  admin.evaluate(
    async ({ email, role }) => {
      const session = (await (await fetch('/api/v1/auth/session')).json()) as {
        session: { csrfToken: string };
      };
      const res = await fetch('/api/v1/invitations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.session.csrfToken },
        body: JSON.stringify({ email, role }),
      });
      if (res.status !== 201) {
        throw new Error(`invitation failed: ${res.status} ${await res.text()}`);
      }
      return ((await res.json()) as { token: string }).token;
    },
    { email, role },
  );

describe('products, applicability, assessment, evidence and signed documents', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const signIn = async (email: string): Promise<{ page: Page; consoleErrors: string[] }> => {
    const opened = await h.newPage();
    await opened.page.goto('/login');
    await opened.page.getByTestId('login-email').fill(email);
    await opened.page.getByTestId('login-password').fill(PASSWORD);
    await opened.page.getByTestId('login-submit').click();
    await opened.page.getByTestId('app-nav').waitFor();
    return opened;
  };

  /** Clicks a sign button, confirms, and answers the re-authentication the server asks for. */
  const sign = async (page: Page, meaning: 'author' | 'reviewer' | 'approver') => {
    await page.getByTestId(`sign-${meaning}`).click();
    await page.getByTestId('sign-submit').click();
    await page.getByTestId('reauth-password').fill(PASSWORD);
    await page.getByTestId('reauth-submit').click();
    await page.getByTestId(`signature-1-${meaning}`).waitFor();
  };

  it('registers GlucoFlow, reviews applicability, assesses release 1.0, proves it and signs QP-SEC-002', async () => {
    // the administrator invites the team through the API with its browser session; they accept and sign in
    const { page: admin } = await h.newPage();
    await setupAndSignIn(h, admin, { email: 'admin@medsec.example', password: PASSWORD });
    for (const person of Object.values(PEOPLE)) {
      const token = await invite(admin, person.email, person.role);
      const res = await fetch(`${h.baseUrl}/api/v1/invitations/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': 'e2e' },
        body: JSON.stringify({ token, displayName: person.name, password: PASSWORD }),
      });
      expect(res.status).toBe(200);
    }
    // the administrator's role has no product data: the modules are not offered and the page says so
    expect(await admin.getByTestId('nav-products').count()).toBe(0);
    expect(await admin.getByTestId('nav-documents').count()).toBe(0);
    await admin.goto('/products');
    await admin.getByTestId('no-access').waitFor();
    expect(await admin.getByTestId('product-new').count()).toBe(0);
    await admin.context().close();

    const { page, consoleErrors } = await signIn(PEOPLE.officer.email);

    // 1. new product wizard: identity → profile → review → create
    await page.getByTestId('nav-products').click();
    await page.getByTestId('product-new').click();
    await page.getByTestId('product-name').fill(PRODUCT);
    await page.getByTestId('product-model').fill('GF-200');
    await page.getByTestId('product-manufacturer').fill('E2E Medical');
    await page.getByTestId('product-grade').selectOption('3');
    await page.getByTestId('product-intended-use').fill('Continuous subcutaneous insulin infusion at home');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('profile-kind').selectOption('embedded-software');
    await page.getByTestId('profile-domain-home').check();
    await page.getByTestId('profile-add-interface').click();
    await page.getByTestId('profile-interface-kind-0').selectOption('bluetooth-le');
    await page.getByTestId('profile-interface-version-0').fill('5.0');
    await page.getByTestId('profile-interface-purpose-0').fill('Companion app: dosing history and alarms');
    await page.getByTestId('profile-flag-personalData').check();
    await page.getByTestId('profile-flag-hasUpdateMechanism').check();
    await page.getByTestId('profile-flag-hardwareWithExternalPorts').check();
    await page.getByTestId('wizard-next').click();
    await expect.poll(() => page.getByTestId('wizard-review').textContent()).toContain(PRODUCT);
    expect(await page.getByTestId('profile-summary').textContent()).toContain('블루투스 LE 5.0');
    await page.screenshot({ path: join(SCREENSHOTS, '20-product-wizard-review.png') });
    await page.getByTestId('wizard-create').click();

    // 2. applicability: art. 12 (AI) does not apply, art. 4 applies with its reason
    await page.getByTestId('applicability-table').waitFor();
    const productUrl = page.url().split('?')[0] ?? '';
    const art12 = page.getByTestId('applicability-row-mfds-2025:art-12');
    const art4 = page.getByTestId('applicability-row-mfds-2025:art-4');
    await art4.waitFor();
    expect(await art12.getAttribute('data-applicable')).toBe('N');
    expect(await art4.getAttribute('data-applicable')).toBe('Y');
    expect(await page.getByTestId('reason-mfds-2025:art-12').textContent()).toContain('인공지능 미사용');
    const reason4 = (await page.getByTestId('reason-mfds-2025:art-4').textContent()) ?? '';
    expect(reason4).toContain('bluetooth-le');
    expect(reason4).toContain('제4조 적용');
    // override art. 3 ③ (restricted areas): the pump is also used on hospital wards
    const cl3 = 'mfds-2025:art-3:cl-3';
    expect(await page.getByTestId(`applicability-row-${cl3}`).getAttribute('data-applicable')).toBe('N');
    await page.getByTestId(`override-${cl3}`).click();
    await page
      .getByTestId('override-justification')
      .fill('병원 병동에서도 사용되는 것으로 위험관리 파일에 기재됨');
    await page.getByTestId('override-reference').fill('RMF-GF-001');
    await page.getByTestId('override-submit').click();
    await page.getByTestId(`overridden-${cl3}`).waitFor();
    expect(await page.getByTestId(`applicability-row-${cl3}`).getAttribute('data-applicable')).toBe('Y');
    await page.getByTestId('applicability-filter').getByText('재정의됨').click();
    await expect.poll(() => page.locator('[data-testid^="applicability-row-"]').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, '21-applicability.png') });

    // the profile editor previews what a change would do before saving: AI would bring art. 12 in
    await page.getByTestId('product-tab-profile').click();
    await page.getByTestId('profile-edit').click();
    await page.getByTestId('profile-flag-usesAi').check();
    await page.getByTestId('profile-save').click();
    await page.getByTestId('preview-change-mfds-2025:art-12').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '22-profile-preview.png') });
    await page.keyboard.press('Escape');
    await page.getByTestId('preview-change-mfds-2025:art-12').waitFor({ state: 'detached' });

    // 3. release 1.0 → its assessment board
    await page.goto(`${productUrl}?tab=releases`);
    await page.getByTestId('release-add').click();
    await page.getByTestId('release-version').fill('1.0');
    await page.getByTestId('release-submit').click();
    await page.getByTestId('article-bars').waitFor();
    const boardUrl = page.url().split('?')[0] ?? '';
    const releaseId = boardUrl.split('/').pop() ?? '';
    await page.screenshot({ path: join(SCREENSHOTS, '23-board-progress.png'), fullPage: true });

    // two items verified with a method: one inline (method, then status), one by bulk set
    await page.getByTestId('board-tab-items').click();
    await page.getByTestId('filter-article').selectOption('4');
    const rowA = page.getByTestId(`item-row-${ITEM_A}`);
    const rowB = page.getByTestId(`item-row-${ITEM_B}`);
    await rowB.waitFor();
    await page.getByTestId(`item-method-${ITEM_A}`).selectOption('test');
    await expect.poll(() => rowA.getAttribute('data-version')).toBe('2');
    await page.getByTestId(`item-status-${ITEM_A}`).selectOption('verified');
    await expect.poll(() => rowA.getAttribute('data-status')).toBe('verified');
    await page.getByTestId(`item-select-${ITEM_B}`).check();
    await page.getByTestId('bulk-status').selectOption('verified');
    await page.getByTestId('bulk-method').selectOption('inspection');
    await page.getByTestId('bulk-apply').click();
    await expect.poll(() => rowB.getAttribute('data-status')).toBe('verified');
    await page.screenshot({ path: join(SCREENSHOTS, '24-board-items.png') });
    await page.getByTestId('board-tab-progress').click();
    await expect.poll(() => page.getByTestId('article-bar-4').getAttribute('data-verified')).toBe('2');
    await page.getByTestId('board-tab-missing').click();
    await page.getByTestId('missing-table').waitFor();
    expect(await page.getByTestId(`missing-row-${ITEM_A}`).count()).toBe(0);
    expect(await page.getByTestId('missing-row-mfds-2025:art-4:item-2').count()).toBe(1);

    // the release's architecture: two elements and a data flow, drawn
    await page.goto(`${productUrl}?tab=architecture`);
    await page.getByTestId('element-kind').selectOption('software');
    await page.getByTestId('element-name').fill('Pump firmware');
    await page.getByTestId('element-add').click();
    await page.getByTestId('element-Pump firmware').waitFor();
    await page.getByTestId('element-kind').selectOption('external-entity');
    await page.getByTestId('element-name').fill('Companion app');
    await page.getByTestId('element-add').click();
    await page.getByTestId('diagram-element-Companion app').waitFor();
    await page.getByTestId('flow-from').selectOption({ label: 'Companion app' });
    await page.getByTestId('flow-to').selectOption({ label: 'Pump firmware' });
    await page.getByTestId('flow-name').fill('Dose commands');
    await page.getByTestId('flow-add').click();
    await page.getByTestId('diagram-flow-Dose commands').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '25-architecture.png') });

    // 4. evidence: a renamed executable is refused with the server's reason; the PDF is accepted
    await page.getByTestId('nav-evidence').click();
    await page.getByTestId('evidence-upload-open').click();
    await page
      .getByTestId('evidence-file')
      .setInputFiles({ name: 'pen-test-report.pdf', mimeType: 'application/pdf', buffer: RENAMED_EXE });
    await page.getByTestId('evidence-title').fill(EVIDENCE_TITLE);
    await page.getByTestId('evidence-upload-submit').click();
    const refusal = page.getByRole('dialog').getByTestId('error-alert');
    await expect.poll(() => refusal.textContent()).toContain('pen-test-report.pdf');
    expect(await refusal.textContent()).toContain('허용되지 않는');
    await page.screenshot({ path: join(SCREENSHOTS, '26-evidence-refused.png') });
    await page
      .getByTestId('evidence-file')
      .setInputFiles({ name: 'pen-test-report.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByTestId('evidence-review-date').fill('2027-01-31');
    await page.getByTestId('evidence-upload-submit').click();
    const evidenceRow = page.getByTestId(`evidence-row-${EVIDENCE_TITLE}`);
    await evidenceRow.waitFor();
    expect(await evidenceRow.textContent()).toContain('pen-test-report.pdf');

    // …attached to item A from the board's item drawer
    await page.goto(`${boardUrl}?tab=items`);
    await page.getByTestId('filter-article').selectOption('4');
    await page.getByTestId(`item-open-${ITEM_A}`).click();
    await page.getByTestId('item-drawer').waitFor();
    await page.getByTestId('evidence-attach-select').selectOption({ label: EVIDENCE_TITLE });
    await page.getByTestId('evidence-attach').click();
    await page.getByTestId(`linked-evidence-${EVIDENCE_TITLE}`).waitFor();
    await expect.poll(() => page.getByTestId('item-history').textContent()).toContain('검증 완료');
    await page.screenshot({ path: join(SCREENSHOTS, '27-item-drawer.png') });
    await page.keyboard.press('Escape');

    // 5. the 붙임1 document set; QP-SEC-002 gets a file and the officer signs as author
    await page.getByTestId('nav-documents').click();
    await page.getByTestId('documents-from-template').click();
    await page.getByTestId('documents-template-result').waitFor();
    await page.getByTestId('document-row-QP-SEC-002').waitFor();
    expect(await page.getByTestId('documents-table').textContent()).toContain('QP-006');
    await page.getByTestId('document-open-QP-SEC-002').click();
    await page
      .getByTestId('document-file')
      .setInputFiles({ name: 'QP-SEC-002.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByTestId('document-change-summary').fill('첫 제정');
    await page.getByTestId('document-upload-submit').click();
    await expect.poll(() => page.getByTestId('revision-1').textContent()).toContain('QP-SEC-002.pdf');
    const documentUrl = page.url();
    await sign(page, 'author');
    await expect
      .poll(() => page.getByTestId('document-status').getAttribute('data-status'))
      .toBe('in-review');

    // 6. QA reviews, the approver approves: each re-authenticates
    const qa = await signIn(PEOPLE.qa.email);
    await qa.page.goto(documentUrl);
    expect(await qa.page.getByTestId('sign-author').count()).toBe(0);
    expect(await qa.page.getByTestId('sign-approver').count()).toBe(0);
    await sign(qa.page, 'reviewer');
    await qa.page.context().close();
    const approver = await signIn(PEOPLE.approver.email);
    await approver.page.goto(documentUrl);
    await sign(approver.page, 'approver');
    await expect
      .poll(() => approver.page.getByTestId('document-status').getAttribute('data-status'))
      .toBe('approved');
    for (const meaning of ['author', 'reviewer', 'approver']) {
      expect(await approver.page.getByTestId(`signature-1-${meaning}`).getAttribute('data-valid')).toBe(
        'true',
      );
    }
    await approver.page.screenshot({ path: join(SCREENSHOTS, '28-document-approved.png'), fullPage: true });
    expect(approver.consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    await approver.page.context().close();

    // 7. the 붙임2 checklist export: its columns, Y rows, method and evidence of item A, why art. 12 ① is not applied
    await page.goto(boardUrl);
    const href = (await page.getByTestId('export-csv').getAttribute('href')) ?? '';
    expect(href).toBe(`/api/v1/releases/${releaseId}/assessment/export?format=csv`);
    const csv = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    }, href);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    const lines = csv.text.replace(/^\ufeff/, '').split('\r\n');
    for (const column of [
      '요구사항 (Requirement)',
      '적용 여부 (Applied Y/N)',
      '적합성 입증 방법 (Conformity method)',
      '이를 검증한 자료명 또는 문서번호',
      '미적용 사유 (Reason not applied)',
    ]) {
      expect(lines[0]).toContain(column);
    }
    expect(lines.filter((l) => l.includes(',Y,')).length).toBeGreaterThan(50);
    const lineA = lines.find((l) => l.endsWith(`,${ITEM_A}`)) ?? '';
    expect(lineA).toContain(',Y,');
    expect(lineA).toContain('시험 (test)');
    expect(lineA).toContain(EVIDENCE_TITLE);
    const line12 = lines.find((l) => l.endsWith(',mfds-2025:art-12:item-1')) ?? '';
    expect(line12).toContain(',N,');
    expect(line12).toContain('인공지능 미사용');

    // 8. the dashboard tile shows the verified share and links to the board
    await page.getByTestId('nav-dashboard').click();
    const tilePercent = page.getByTestId(`dashboard-percent-${PRODUCT}`);
    await expect.poll(() => tilePercent.textContent()).toMatch(/^[1-9][0-9.]*%$/);
    await page.screenshot({ path: join(SCREENSHOTS, '29-dashboard.png') });
    await page.getByTestId(`dashboard-product-${PRODUCT}`).getByText(PRODUCT).click();
    await page.waitForURL(`**/releases/${releaseId}`);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    await page.context().close();
  });
});
