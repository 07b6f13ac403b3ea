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
 * reads without the write controls. Along the way: the component explorer (facets, filters, the dependency tree of a
 * Go SBOM with cycles in release 2.0, "show in tree"), the findings charts over time, and the vulnerability page from
 * which the officer downloads the product's CSAF 2.0 advisory, validated here with the BSI csaf-validator-lib.
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

/** The medical SBOM's component explorer: facets from the server, filters, and the tree of a graph without edges. */
const exploreComponents = async (page: Page) => {
  const count = () => page.getByTestId('sbom-component-count').getAttribute('data-count');
  await page.getByTestId('sbom-component-search').fill('');
  await expect.poll(count).toBe('55');
  // the type facet: "Firmware (n)"; filtering by it lists n firmware components
  const firmware = page.getByTestId('explorer-type').locator('option[value="firmware"]');
  const n = /\((\d+)\)$/.exec((await firmware.textContent()) ?? '')?.[1];
  expect(Number(n)).toBeGreaterThan(0);
  await page.getByTestId('explorer-type').selectOption('firmware');
  await expect.poll(count).toBe(n);
  const types = await page
    .locator('[data-testid^="component-row-"]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')));
  expect(new Set(types)).toEqual(new Set(['firmware']));
  // licences are counted under the type filter: they add up to n
  const licences = await page
    .getByTestId('explorer-license')
    .locator('option')
    .evaluateAll((options) => options.map((o) => /\((\d+)\)$/.exec(o.textContent ?? '')?.[1] ?? '0'));
  expect(licences.reduce((sum, x) => sum + Number(x), 0)).toBe(Number(n));
  await page.getByTestId('explorer-reset').click();
  await expect.poll(count).toBe('55');
  // only components with open findings: Newtonsoft.Json and jQuery
  await page.getByTestId('explorer-with-findings').check();
  await expect.poll(count).toBe('2');
  await page.getByTestId('component-row-Newtonsoft.Json').waitFor();
  await page.getByTestId('component-row-jQuery').waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, '32b-component-explorer.png'), fullPage: true });
  await page.getByTestId('explorer-reset').click();
  // the tree: this SBOM records no dependencies, so all 55 components are roots, the vulnerable ones marked
  await page
    .getByTestId('explorer-view')
    .getByText(/의존성 트리|Dependency tree/)
    .click();
  const graph = page.getByTestId('dep-graph');
  await graph.waitFor();
  expect(await graph.getAttribute('data-edges')).toBe('0');
  expect(await graph.getAttribute('data-roots')).toBe('55');
  const newtonsoft = page.getByTestId('dep-node-Newtonsoft.Json');
  expect(Number(await newtonsoft.getAttribute('data-open-findings'))).toBeGreaterThanOrEqual(1);
  expect(await page.getByTestId('dep-node-jQuery').getByTestId('dep-findings').count()).toBe(1);
  await page
    .getByTestId('explorer-view')
    .getByText(/구성요소 목록|Component list/)
    .click();
  await page.getByTestId('sbom-component-search').waitFor();
};

/** Shortest path of bom-refs from the SBOM's subject to a component whose dependencies lead back to it. */
const cyclePath = (bom: {
  metadata: { component: { 'bom-ref': string } };
  dependencies: { ref: string; dependsOn?: string[] }[];
}): string[] => {
  const graph = new Map(bom.dependencies.map((d) => [d.ref, d.dependsOn ?? []]));
  const root = bom.metadata.component['bom-ref'];
  const previous = new Map<string, string | null>([[root, null]]);
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    const key = queue[i]!;
    for (const child of graph.get(key) ?? []) {
      if (graph.get(child)?.includes(key)) {
        // key → child → key: the path to key, then child, then key again
        const path = [child, key];
        for (let p = previous.get(key) ?? null; p !== null; p = previous.get(p) ?? null) {
          path.push(p);
        }
        return path.reverse().concat(key);
      }
      if (!previous.has(child)) {
        previous.set(child, key);
        queue.push(child);
      }
    }
  }
  throw new Error('no cycle');
};

/**
 * A real graph with cycles (kawipiko, Go modules): the developer uploads it to release 2.0 and opens the tree down
 * a path that comes back to a module already above it; the tree marks the cycle and does not open it again.
 */
const exploreDependencyTree = async (page: Page, releasesUrl: string) => {
  const file = corpus('sbom', 'bom-shelter', 'in-the-wild', 'cyclonedx', 'kawipiko-sbom-cdx.json');
  const text = readFileSync(file, 'utf8');
  const path = cyclePath(JSON.parse(text));
  await page.goto(releasesUrl);
  await page.getByTestId('release-sboms-2.0').click();
  await page.getByTestId('sbom-none').waitFor();
  await page.getByTestId('sbom-file').setInputFiles({
    name: 'kawipiko.cdx.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await page.getByTestId('sbom-upload-submit').click();
  await page.getByTestId('sbom-uploaded').waitFor();
  await page.getByTestId('sbom-job-done').waitFor();
  await page.getByTestId('sbom-tab-components').click();
  await page
    .getByTestId('explorer-view')
    .getByText(/의존성 트리|Dependency tree/)
    .click();
  const graph = page.getByTestId('dep-graph');
  await graph.waitFor();
  expect(await graph.getAttribute('data-roots')).toBe('1');
  expect(Number(await graph.getAttribute('data-edges'))).toBeGreaterThan(27);
  const nodeAt = (key: string, depth: number) =>
    page.locator(`[data-key="${key}"][data-depth="${depth}"]`).first();
  // open every node of the path but the last; the last repeats a key above it
  for (const [depth, key] of path.slice(0, -1).entries()) {
    const node = nodeAt(key, depth);
    await node.waitFor();
    expect(await node.getAttribute('data-cycle')).toBe('false');
    await node.getByTestId('dep-toggle').first().click();
    await expect.poll(() => node.getAttribute('data-expanded')).toBe('true');
  }
  const repeated = nodeAt(path.at(-1)!, path.length - 1);
  await repeated.waitFor();
  expect(await repeated.getAttribute('data-cycle')).toBe('true');
  expect(await repeated.getByTestId('dep-toggle').count()).toBe(0);
  await repeated.getByTestId('dep-cycle').waitFor();
  await page.screenshot({ path: join(SCREENSHOTS, '33b-dependency-tree.png'), fullPage: true });
  // collapsing the root closes the whole branch
  const root = nodeAt(path[0]!, 0);
  await root.getByTestId('dep-toggle').first().click();
  await expect.poll(() => page.locator('[data-depth="1"]').count()).toBe(0);
  // "show in tree" from the list: the tree opens down to golang.org/x/text and marks it
  await page
    .getByTestId('explorer-view')
    .getByText(/구성요소 목록|Component list/)
    .click();
  await page.getByTestId('sbom-component-search').fill('golang.org/x/text');
  await expect.poll(() => page.getByTestId('sbom-component-count').getAttribute('data-count')).toBe('1');
  await page.getByTestId('component-row-golang.org/x/text').getByTestId('component-show-in-tree').click();
  const revealed = page.locator('[data-revealed="true"]');
  await revealed.waitFor();
  expect(await revealed.getAttribute('data-key')).toMatch(/^pkg:golang\/golang\.org\/x\/text@/);
  expect(Number(await revealed.getAttribute('data-depth'))).toBeGreaterThanOrEqual(2);
};

/**
 * From the findings table to the vulnerability page: the GitHub advisory with its references, both releases affected
 * and decided not affected; then the CSAF 2.0 advisory of the product, downloaded from that page's button, passes
 * the BSI validator (strict schema and mandatory tests) in the test too, and says both releases are not affected.
 */
const vulnerabilityPageAndCsaf = async (page: Page, vulnerabilityId: string) => {
  await page.getByTestId('filter-release').selectOption('');
  const link = page
    .locator(`[data-testid="finding-row"][data-vulnerability="${vulnerabilityId}"][data-release="1.0"]`)
    .getByTestId('finding-vulnerability-link');
  await link.click();
  const detail = page.getByTestId('vulnerability-page');
  await detail.waitFor();
  expect(await detail.getAttribute('data-id')).toBe(vulnerabilityId);
  const advisory = page.getByTestId(`advisory-${NEWTONSOFT_ADVISORY}`);
  await advisory.waitFor();
  expect(await advisory.getAttribute('data-source')).toBe('osv');
  expect(await advisory.getByTestId('advisory-references').locator('a').count()).toBeGreaterThan(0);
  const affected = page.getByTestId('vulnerability-affected');
  expect(await affected.getAttribute('data-count')).toBe('2');
  for (const release of ['1.0', '1.1']) {
    const r = page.locator(`[data-testid="affected-row"][data-release="${release}"]`);
    expect(await r.getAttribute('data-component')).toBe('Newtonsoft.Json');
    expect(await r.getAttribute('data-state')).toBe('not_affected');
  }
  await page.screenshot({ path: join(SCREENSHOTS, '36b-vulnerability.png'), fullPage: true });
  const href = (await page.getByTestId(`vulnerability-csaf-${PRODUCT}`).getAttribute('href')) ?? '';
  expect(href).toMatch(/^\/api\/v1\/products\/[0-9a-f-]+\/csaf\?vulnerability=/);
  const exported = await page.evaluate(async (url) => {
    const res = await fetch(url);
    return {
      status: res.status,
      disposition: res.headers.get('content-disposition'),
      text: await res.text(),
    };
  }, href);
  expect(exported.status, exported.text.slice(0, 300)).toBe(200);
  expect(exported.disposition).toMatch(/attachment/);
  const csaf = JSON.parse(exported.text) as {
    document: { category: string; csaf_version: string };
    vulnerabilities: { product_status?: Record<string, string[]> }[];
  };
  expect(csaf.document).toMatchObject({ category: 'csaf_security_advisory', csaf_version: '2.0' });
  // @ts-expect-error the BSI validator ships JavaScript without type declarations
  const { default: validate } = await import('@secvisogram/csaf-validator-lib/validate.js');
  // @ts-expect-error the BSI validator ships JavaScript without type declarations
  const basic = await import('@secvisogram/csaf-validator-lib/basic.js');
  const result = (await validate(Object.values(basic), csaf)) as {
    isValid: boolean;
    tests: { name: string; errors: unknown[] }[];
  };
  expect(
    result.tests.filter((x) => x.errors.length > 0),
    'CSAF validation errors',
  ).toEqual([]);
  expect(result.isValid).toBe(true);
  expect(csaf.vulnerabilities[0]?.product_status?.known_not_affected).toHaveLength(2);
  await page.goBack();
  await page.getByTestId('findings-table').waitFor();
};

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
    for (const version of ['1.0', '1.1', '2.0']) {
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
    await exploreComponents(dev.page);

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
    await exploreDependencyTree(dev.page, `${productUrl}?tab=releases`);
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
    // over time: today's open findings of the product, all still before their due date (60 days)
    const listed = (await page.getByTestId('findings-count').getAttribute('data-count')) ?? '';
    const timeline = page.getByTestId('timeline-chart');
    await expect.poll(() => timeline.getAttribute('data-last-total')).toBe(listed);
    expect(await timeline.getAttribute('data-points')).toBe('91');
    const burndown = page.getByTestId('burndown-chart');
    expect(await burndown.getAttribute('data-last-open')).toBe(listed);
    expect(await burndown.getAttribute('data-last-due')).toBe(listed);
    expect(await burndown.getAttribute('data-last-overdue')).toBe('0');
    expect(await timeline.locator('title').textContent()).toBe('심각도별 미조치 취약점');
    await page.getByTestId('timeline-bucket').getByText('주별').click();
    await expect.poll(() => timeline.getAttribute('data-points')).toBe('13');
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
    // the drawer's history: first seen, then the decision (one history row)
    const history = drawer.getByTestId('finding-history');
    await expect.poll(() => history.getAttribute('data-count')).toBe('1');
    expect(
      await history
        .getByTestId('finding-history-row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind'))),
    ).toEqual(['seen', 'triage']);
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
    await vulnerabilityPageAndCsaf(page, vulnerabilityId);
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
    // the history, read-only, in English
    const readOnlyHistory = readOnly.getByTestId('finding-history');
    await expect.poll(() => readOnlyHistory.getAttribute('data-count')).toBe('1');
    await readOnlyHistory.getByRole('heading', { name: 'History' }).waitFor();
    await readOnlyHistory.scrollIntoViewIfNeeded();
    await readOnlyHistory.screenshot({ path: join(SCREENSHOTS, '39a-finding-history-en.png') });
    // an element screenshot waits until the drawer has stopped moving
    await readOnly.screenshot({ path: join(SCREENSHOTS, '39-finding-en.png') });
    // the vulnerability page from the drawer, in English
    await approver.page.getByTestId('finding-vulnerability-page').click();
    await approver.page.getByTestId('vulnerability-page').waitFor();
    await approver.page.getByRole('heading', { name: 'Affected releases (2)' }).waitFor();
    expect(await approver.page.getByTestId(`vulnerability-csaf-${PRODUCT}`).textContent()).toBe(
      `CSAF advisory: ${PRODUCT}`,
    );
    await approver.page.screenshot({ path: join(SCREENSHOTS, '39b-vulnerability-en.png'), fullPage: true });
    await approver.page.context().close();
  });
});
