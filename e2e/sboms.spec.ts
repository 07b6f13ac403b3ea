import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../packages/core/src/testing/corpora.ts';
import { type Harness, SCREENSHOTS, setupAndSignIn, startHarness } from './harness.ts';

/**
 * SBOM → advisories → findings → VEX, in real Chromium with the real corpora: the security officer imports the
 * GitHub advisories (OSV) through the import dialog; a developer uploads the medical-device SBOM (CycloneDX 1.4,
 * 55 components, NuGet Newtonsoft.Json 9.0.1 and jQuery 3.1.1) to releases 1.0 and 1.1; the officer triages the
 * Newtonsoft finding as not affected across both releases (preview, then apply) and exports OpenVEX. An approver
 * reads without the write controls.
 */
const PASSWORD = 'Correct-Horse-9-Battery';
const PEOPLE = {
  officer: { email: 'officer@medsec.example', role: 'security_officer', name: '박보안' },
  developer: { email: 'developer@medsec.example', role: 'developer', name: '김개발' },
  approver: { email: 'approver@medsec.example', role: 'approver', name: '최승인' },
} as const;
const PRODUCT = 'CardioView patient monitor';
const NEWTONSOFT_ADVISORY = 'GHSA-5crp-9r3c-p9vr';
const JUSTIFICATION = 'vulnerable_code_not_in_execute_path';
const ENV_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H/CR:L/IR:L/AR:L';

const SBOM_PATH = corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json');
const SBOM = readFileSync(SBOM_PATH);
/** The same SBOM with a syntax error on line 99: strict import refuses it and says where. */
const BROKEN = Buffer.from(
  SBOM.toString('utf8')
    .split('\n')
    .map((line, i) => (i === 98 ? `${line} @@@` : line))
    .join('\n'),
);
/** The eight GitHub advisories that name the SBOM's packages, zipped as OSV publishes an ecosystem. */
const advisoriesZip = (): Buffer => {
  const dir = corpus('osv', 'ghsa-targeted');
  const files = readdirSync(dir).filter((n) => n.endsWith('.json'));
  expect(files).toHaveLength(8);
  return Buffer.from(zipSync(Object.fromEntries(files.map((n) => [n, readFileSync(join(dir, n))]))));
};

/** Calls the API from a signed-in page with its session's CSRF token. */
const api = async <T>(page: Page, method: string, path: string, body?: unknown): Promise<T> =>
  page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('/api/v1/auth/session')).json()) as {
        session: { csrfToken: string };
      };
      const res = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.session.csrfToken },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!res.ok) {
        throw new Error(`${method} ${path} failed: ${res.status} ${await res.text()}`);
      }
      return (await res.json()) as T;
    },
    { method, path, body },
  ) as Promise<T>;

describe('SBOMs, advisories, findings and VEX', () => {
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

  const row = (page: Page, component: string, release: string) =>
    page.locator(`[data-testid="finding-row"][data-component="${component}"][data-release="${release}"]`);

  /** Uploads an SBOM on the release's SBOM page and waits for the matching job to finish. */
  const uploadSbom = async (page: Page, name: string, buffer: Buffer) => {
    await page.getByTestId('sbom-file').setInputFiles({ name, mimeType: 'application/json', buffer });
    await page.getByTestId('sbom-upload-submit').click();
    await page.getByTestId('sbom-uploaded').waitFor();
    const done = page.getByTestId('sbom-job-done');
    await done.waitFor();
    expect(await done.getAttribute('data-status')).toBe('succeeded');
  };

  it('imports advisories, uploads the device SBOM to two releases, triages across both and exports OpenVEX', async () => {
    // the administrator invites the team; they accept
    const { page: admin } = await h.newPage();
    await setupAndSignIn(h, admin, { email: 'admin@medsec.example', password: PASSWORD });
    for (const person of Object.values(PEOPLE)) {
      const { token } = await api<{ token: string }>(admin, 'POST', '/api/v1/invitations', {
        email: person.email,
        role: person.role,
      });
      const res = await fetch(`${h.baseUrl}/api/v1/invitations/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': 'e2e' },
        body: JSON.stringify({ token, displayName: person.name, password: PASSWORD }),
      });
      expect(res.status).toBe(200);
    }
    // product data is not the administrator's: neither module is offered
    expect(await admin.getByTestId('nav-sboms').count()).toBe(0);
    expect(await admin.getByTestId('nav-vulnerabilities').count()).toBe(0);
    await admin.context().close();

    // 1. the officer registers the product (API) and its releases 1.0 and 1.1 (UI; 1.1 based on 1.0)
    const { page, consoleErrors } = await signIn(PEOPLE.officer.email);
    const product = await api<{ id: string }>(page, 'POST', '/api/v1/products', {
      name: PRODUCT,
      model: 'CV-7',
      manufacturer: 'E2E Medical',
      grade: 2,
      intendedUse: 'Bedside monitoring of vital signs',
      profile: {
        kind: 'standalone-software',
        domains: ['hospital'],
        operatingSystems: ['Windows 10 IoT'],
        interfaces: [{ kind: 'ethernet', purpose: 'HL7 to the hospital network' }],
        remoteAccess: false,
        personalData: true,
        usesAi: false,
        hasUpdateMechanism: true,
        hardwareWithExternalPorts: false,
        hasDatabase: true,
        deployment: 'customer-premises',
        endOfLife: null,
        endOfSupport: null,
      },
    });
    const productUrl = `/products/${product.id}`;
    for (const version of ['1.0', '1.1']) {
      await page.goto(`${productUrl}?tab=releases`);
      await page.getByTestId('release-add').click();
      await page.getByTestId('release-version').fill(version);
      await page.getByTestId('release-submit').click();
      await page.getByTestId('article-bars').waitFor();
    }

    // 2. the officer imports the GitHub advisories (OSV zip) and watches the job to the end
    await page.getByTestId('nav-vulnerabilities').click();
    await page.getByTestId('findings-table').waitFor();
    await page.getByTestId('advisories-import-open').click();
    await page.getByTestId('advisories-source').selectOption('osv');
    await page.getByTestId('advisories-file').setInputFiles({
      name: 'ghsa-targeted.zip',
      mimeType: 'application/zip',
      buffer: advisoriesZip(),
    });
    await page.getByTestId('advisories-import-submit').click();
    const imported = page.getByTestId('advisories-import-done');
    await imported.waitFor();
    expect(await imported.getAttribute('data-status')).toBe('succeeded');
    await page.screenshot({ path: join(SCREENSHOTS, '30-advisories-imported.png') });
    await page.keyboard.press('Escape');

    // 3. a developer opens release 1.0 from the releases tab and uploads the SBOM: a broken copy first
    const dev = await signIn(PEOPLE.developer.email);
    await dev.page.goto(`${productUrl}?tab=releases`);
    await dev.page.getByTestId('release-sboms-1.0').click();
    await dev.page.getByTestId('sbom-none').waitFor();
    await dev.page
      .getByTestId('sbom-file')
      .setInputFiles({ name: 'device.cdx.json', mimeType: 'application/json', buffer: BROKEN });
    await dev.page.getByTestId('sbom-upload-submit').click();
    const refusal = dev.page.getByTestId('sbom-upload').getByTestId('error-alert');
    await expect.poll(() => refusal.textContent()).toContain('line 99');
    await dev.page.screenshot({ path: join(SCREENSHOTS, '31-sbom-refused.png') });
    await uploadSbom(dev.page, 'device.cdx.json', SBOM);
    // the findings appear once the matching job has run
    const count = dev.page.getByTestId('sbom-findings-count');
    await expect.poll(async () => Number(await count.getAttribute('data-open'))).toBeGreaterThanOrEqual(2);
    const v1 = dev.page.getByTestId('sbom-version-1');
    expect(await v1.getAttribute('data-current')).toBe('true');
    expect(await v1.textContent()).toContain('CycloneDX 1.4');
    expect(await dev.page.getByTestId('sbom-current-components').textContent()).toBe('55');
    // completeness: NTIA elements counted over the 55 components
    const supplier = dev.page.getByTestId('completeness-supplier');
    expect(await supplier.getAttribute('data-total')).toBe('55');
    expect(await dev.page.getByTestId('completeness-name').getAttribute('data-present')).toBe('55');
    await dev.page.screenshot({ path: join(SCREENSHOTS, '32-sbom-completeness.png'), fullPage: true });
    // the components with findings
    await dev.page.getByTestId('sbom-tab-components').click();
    await dev.page.getByTestId('sbom-component-search').fill('newtonsoft');
    await expect
      .poll(() => dev.page.getByTestId('sbom-component-count').getAttribute('data-count'))
      .toBe('1');
    expect(
      Number(await dev.page.getByTestId('component-row-Newtonsoft.Json').getAttribute('data-findings')),
    ).toBeGreaterThanOrEqual(1);
    await dev.page.getByTestId('sbom-component-search').fill('jquery');
    await expect
      .poll(async () =>
        Number(await dev.page.getByTestId('component-row-jQuery').getAttribute('data-findings')),
      )
      .toBeGreaterThanOrEqual(1);
    // the export is a CycloneDX 1.6 document of the same 55 components, with its hash
    const exportHref = (await dev.page.getByTestId('sbom-export-cyclonedx-json').getAttribute('href')) ?? '';
    const exported = await dev.page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, sha: res.headers.get('x-content-sha256'), text: await res.text() };
    }, exportHref);
    expect(exported.status).toBe(200);
    expect(exported.sha).toMatch(/^[0-9a-f]{64}$/);
    const bom = JSON.parse(exported.text) as {
      bomFormat: string;
      specVersion: string;
      components: unknown[];
    };
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    expect(bom.components).toHaveLength(55);

    // 4. release 1.1 gets the same SBOM; compared with 1.0's, nothing was added or removed
    await dev.page.getByTestId('sbom-board-link').click();
    await dev.page.getByTestId('article-bars').waitFor();
    await dev.page.goto(`${productUrl}?tab=releases`);
    await dev.page.getByTestId('release-sboms-1.1').click();
    await dev.page.getByTestId('sbom-none').waitFor();
    await uploadSbom(dev.page, 'device.cdx.json', SBOM);
    await expect
      .poll(async () => Number(await dev.page.getByTestId('sbom-findings-count').getAttribute('data-open')))
      .toBeGreaterThanOrEqual(2);
    await dev.page.getByTestId('sbom-tab-diff').click();
    const summary = dev.page.getByTestId('sbom-diff-summary');
    await summary.waitFor();
    expect(await dev.page.getByTestId('sbom-diff-from').locator('option:checked').textContent()).toContain(
      '1.0',
    );
    expect(await summary.getAttribute('data-added')).toBe('0');
    expect(await summary.getAttribute('data-removed')).toBe('0');
    expect(await summary.getAttribute('data-unchanged')).toBe('55');
    await dev.page.screenshot({ path: join(SCREENSHOTS, '33-sbom-diff.png'), fullPage: true });
    expect(dev.consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    await dev.page.context().close();

    // 5. the officer sees the findings of both releases, filtered by product
    await page.goto('/vulnerabilities');
    await page.getByTestId('filter-product').selectOption({ label: `${PRODUCT} · CV-7` });
    await row(page, 'Newtonsoft.Json', '1.0').waitFor();
    await row(page, 'Newtonsoft.Json', '1.1').waitFor();
    await row(page, 'jQuery', '1.0').first().waitFor();
    await row(page, 'jQuery', '1.1').first().waitFor();
    expect(await row(page, 'Newtonsoft.Json', '1.0').getAttribute('data-state')).toBe('under_investigation');
    expect(
      Number(await page.getByTestId('state-chart-under_investigation').getAttribute('data-count')),
    ).toBeGreaterThanOrEqual(4);
    expect(Number(await page.getByTestId('state-chart-not_affected').getAttribute('data-count'))).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, '34-findings.png'), fullPage: true });

    // 6. the Newtonsoft finding of 1.0: why it matched; not affected needs a justification (the server says so)
    const newtonsoft = row(page, 'Newtonsoft.Json', '1.0');
    const vulnerabilityId = (await newtonsoft.getAttribute('data-vulnerability')) ?? '';
    await newtonsoft.getByTestId('finding-open').click();
    const drawer = page.getByTestId('finding-drawer');
    await drawer.waitFor();
    expect(await page.getByTestId('match-advisory').textContent()).toBe(NEWTONSOFT_ADVISORY);
    expect(await page.getByTestId('match-fixed').textContent()).toBe('13.0.1');
    expect(await page.getByTestId('match-confidence').getAttribute('data-confidence')).toBe('high');
    await page.getByTestId('triage-state').selectOption('not_affected');
    await page.getByTestId('triage-problem').waitFor();
    await page.getByTestId('triage-save').click();
    await expect.poll(() => drawer.getByTestId('error-alert').textContent()).toContain('justification');
    expect(await drawer.getAttribute('data-state')).toBe('under_investigation');

    // …so with a justification, the patient-safety impact and an environmental vector, for both releases
    await page.getByTestId('triage-justification').selectOption(JUSTIFICATION);
    await page.getByTestId('triage-safety').selectOption('none');
    await page.getByTestId('triage-cvss-env').fill(ENV_VECTOR);
    await page.getByTestId('triage-problem').waitFor({ state: 'detached' });
    await page.getByTestId('decision-preview').click();
    const preview = page.getByTestId('decision-preview-list');
    await preview.waitFor();
    expect(await preview.getAttribute('data-count')).toBe('2');
    await page.getByTestId('decision-preview-row-1.0').waitFor();
    await page.getByTestId('decision-preview-row-1.1').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '35-decision-preview.png') });
    await page.getByTestId('decision-apply').click();
    expect(await page.getByTestId('decision-applied').getAttribute('data-count')).toBe('2');
    await expect.poll(() => drawer.getAttribute('data-state')).toBe('not_affected');
    await expect.poll(() => page.getByTestId('finding-env-score').textContent()).toMatch(/^\d+(\.\d)?$/);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    await expect
      .poll(() => row(page, 'Newtonsoft.Json', '1.0').getAttribute('data-state'))
      .toBe('not_affected');
    expect(await row(page, 'Newtonsoft.Json', '1.1').getAttribute('data-state')).toBe('not_affected');
    expect(Number(await page.getByTestId('state-chart-not_affected').getAttribute('data-count'))).toBe(2);
    await page.getByTestId('filter-state').selectOption('not_affected');
    await expect.poll(() => page.getByTestId('findings-count').getAttribute('data-count')).toBe('2');
    await page.screenshot({ path: join(SCREENSHOTS, '36-findings-decided.png'), fullPage: true });

    // 7. OpenVEX of release 1.0: the vulnerability is not_affected with its justification
    await page.getByTestId('filter-state').selectOption('');
    await page.getByTestId('filter-release').selectOption({ label: '1.0' });
    const vexHref = (await page.getByTestId('findings-export-openvex').getAttribute('href')) ?? '';
    expect(vexHref).toMatch(/^\/api\/v1\/releases\/[0-9a-f-]+\/findings\/export\?format=openvex$/);
    const vex = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, text: await res.text() };
    }, vexHref);
    expect(vex.status).toBe(200);
    const doc = JSON.parse(vex.text) as {
      '@context': string;
      statements: { vulnerability: { name: string }; status: string; justification?: string }[];
    };
    expect(doc['@context']).toBe('https://openvex.dev/ns/v0.2.0');
    const statement = doc.statements.find((s) => s.vulnerability.name === vulnerabilityId);
    expect(statement).toMatchObject({ status: 'not_affected', justification: JUSTIFICATION });
    expect(doc.statements.some((s) => s.status === 'under_investigation')).toBe(true);
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    await page.context().close();

    // 8. the approver (in English) reads the findings and SBOMs but gets none of the write controls
    const approver = await signIn(PEOPLE.approver.email);
    await approver.page.getByTestId('language-switch').getByText('English').click();
    await approver.page.getByTestId('nav-vulnerabilities').click();
    await approver.page.getByTestId('findings-table').waitFor();
    await approver.page.getByRole('heading', { name: 'Vulnerabilities' }).waitFor();
    expect(await approver.page.getByTestId('advisories-import-open').count()).toBe(0);
    await approver.page.getByTestId('nav-sboms').click();
    await approver.page.getByTestId(`sboms-open-${PRODUCT}-1.0`).click();
    await approver.page.getByTestId('sbom-version-1').waitFor();
    expect(await approver.page.getByTestId('sbom-upload').count()).toBe(0);
    await expect
      .poll(() => approver.page.getByTestId('sbom-findings-count').textContent())
      .toBe('1 open of 2');
    await approver.page.screenshot({ path: join(SCREENSHOTS, '37-sbom-en.png'), fullPage: true });
    await approver.page.getByTestId('sbom-findings-link').click();
    await row(approver.page, 'Newtonsoft.Json', '1.0').waitFor();
    await approver.page.screenshot({ path: join(SCREENSHOTS, '38-findings-en.png'), fullPage: true });
    await row(approver.page, 'Newtonsoft.Json', '1.0').getByTestId('finding-open').click();
    const readOnly = approver.page.getByTestId('finding-drawer');
    await readOnly.waitFor();
    expect(await approver.page.getByTestId('triage-save').count()).toBe(0);
    expect(await approver.page.getByTestId('triage-state').isDisabled()).toBe(true);
    expect(await approver.page.getByTestId('match-range').textContent()).toContain('< 13.0.1');
    // an element screenshot waits until the drawer has stopped moving
    await readOnly.screenshot({ path: join(SCREENSHOTS, '39-finding-en.png') });
    await approver.page.context().close();
  });
});
