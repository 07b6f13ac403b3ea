import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import {
  CreateProductSchema,
  CreateReleaseSchema,
  createManualClock,
  DAY,
  type OverdueList,
} from '@medsec/core';
import {
  type Ctx,
  completeSetup,
  createProduct,
  createRelease,
  importOsv,
  loadConfig,
  matchSbom,
  openRuntime,
  systemActor,
  uploadSbom,
} from '@medsec/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../packages/core/src/testing/corpora.ts';
import { INSULIN_PUMP } from '../packages/server/src/testing/fixtures.ts';
import { type Harness, SCREENSHOTS, signInAndEnrolMfa, startHarness } from './harness.ts';

/**
 * Deadlines and notifications in real Chromium (issue #5). Before the server starts, the data directory is seeded
 * through the services with the clock set 75 days back: the insulin pump's release 1.0 with the medical-device SBOM,
 * matched against the GitHub advisories, so its two findings (Newtonsoft.Json, jQuery) fell due 15 days ago under the
 * default 60-day deadline. The administrator invites a security officer (the administrator sees no product data), who
 * sees them on the Overdue page with their due date and days overdue, then points the webhook channel at an HTTP server started here, sends the test message from the Notifications page, and
 * the receiver checks the HMAC-SHA256 signature over the exact body.
 */
const ADMIN = { email: 'admin@medsec.example', password: 'Correct-Horse-9-Battery' };
const OFFICER = { email: 'officer@medsec.example', password: 'Correct-Horse-9-Battery' };
const SECRET = 'whsec-e2e-0123456789-abcdef';
const SEEN_DAYS_AGO = 75;
const FIX_DAYS = 60; // the default deadline policy (MFDS 2025 art. 20 guidance reference)
const DAYS_OVERDUE = SEEN_DAYS_AGO - FIX_DAYS;

interface Hook {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The organization, product, release and findings, written while no server holds the data directory. */
const seed = async (dataDir: string): Promise<void> => {
  const clock = createManualClock(new Date());
  const runtime = await openRuntime(loadConfig({ MEDSEC_DATA_DIR: dataDir, MEDSEC_LOG_LEVEL: 'silent' }), {
    clock,
  });
  try {
    const base: Ctx = { ...runtime.deps, actor: systemActor('e2e-seed'), requestId: null, ip: null };
    const { organizationId } = await completeSetup(base, {
      email: ADMIN.email,
      displayName: 'E2E Admin',
      organizationName: 'E2E Medical',
      password: ADMIN.password,
    });
    const ctx: Ctx = { ...base, actor: { ...base.actor, organizationId } };
    clock.set(new Date(Date.now() - SEEN_DAYS_AGO * DAY));
    const product = await createProduct(ctx, CreateProductSchema.parse(structuredClone(INSULIN_PUMP)));
    const release = await createRelease(ctx, product.id, CreateReleaseSchema.parse({ version: '1.0' }));
    const sbom = await uploadSbom(
      ctx,
      release.id,
      readFileSync(corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json')),
      { lenient: false, fileName: 'device.cdx.json' },
    );
    await importOsv(ctx, corpus('osv', 'ghsa-targeted'));
    await matchSbom(ctx, sbom.id); // the queued matching job re-runs it when the server starts: due dates stay
  } finally {
    await runtime.close();
  }
};

/** A webhook receiver that records every request and answers 204. */
const startReceiver = async (hooks: Hook[]): Promise<{ server: Server; url: string }> => {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hooks.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks/medsec` };
};

/** Calls the API from a signed-in page, with its session's CSRF token. */
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

const isoDay = (offsetDays: number): string =>
  new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

describe('Overdue findings and webhook notifications', () => {
  let h: Harness;
  let receiver: { server: Server; url: string };
  const hooks: Hook[] = [];

  beforeAll(async () => {
    receiver = await startReceiver(hooks);
    h = await startHarness({ seed });
  });
  afterAll(async () => {
    await h?.stop();
    receiver?.server.close();
  });

  it('shows the overdue findings with due date and days overdue; the webhook test message arrives signed', async () => {
    // the administrator (no product data of its own) invites the security officer, who accepts
    const { page: admin } = await h.newPage();
    await signInAndEnrolMfa(admin, ADMIN);
    const { token } = await api<{ token: string }>(admin, 'POST', '/api/v1/invitations', {
      email: OFFICER.email,
      role: 'security_officer',
    });
    const accepted = await fetch(`${h.baseUrl}/api/v1/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': 'e2e' },
      body: JSON.stringify({ token, displayName: '박보안', password: OFFICER.password }),
    });
    expect(accepted.status).toBe(200);
    await admin.context().close();
    const { page, consoleErrors } = await h.newPage();
    await page.goto('/login');
    await page.getByTestId('login-email').fill(OFFICER.email);
    await page.getByTestId('login-password').fill(OFFICER.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('app-nav').waitFor();

    // 1. Overdue: both findings of release 1.0, 15 days past the due date set when they were first seen
    await page.getByTestId('nav-overdue').click();
    const table = page.getByTestId('overdue-table');
    await table.waitFor();
    const rows = table.locator('tbody tr[data-status="overdue"]');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.getByTestId('overdue-count').textContent()).toContain('2');
    expect(await page.getByTestId('due-soon-count').textContent()).toContain('0');
    const due = isoDay(-DAYS_OVERDUE);
    const list = await api<OverdueList>(page, 'GET', '/api/v1/findings/overdue');
    expect(list.items.map((i) => [i.component, i.dueDate, i.daysOverdue]).sort()).toEqual([
      ['Newtonsoft.Json', due, DAYS_OVERDUE],
      ['jQuery', due, DAYS_OVERDUE],
    ]);
    // the browser and this process share the machine's time zone: the page's date format, computed here
    const shownDue = new Date(due).toLocaleDateString('ko-KR', { dateStyle: 'medium' });
    for (const component of ['Newtonsoft.Json', 'jQuery']) {
      const row = rows.filter({ hasText: component });
      expect(await row.count()).toBe(1);
      const cells = await row.locator('td').allTextContents();
      expect(cells[0]).toBe(`${DAYS_OVERDUE}일 초과`);
      expect(cells[1]).toBe(shownDue);
      expect(cells[4]).toBe(`${INSULIN_PUMP.name} 1.0`);
      expect(cells[5]).toMatch(new RegExp(`^${component.replace('.', '\\.')} `));
    }
    await page.screenshot({ path: join(SCREENSHOTS, '50-overdue.png'), fullPage: true });

    // 2. Notifications: the webhook channel to the receiver above, with a signing secret
    await page.getByTestId('nav-notifications').click();
    await page.getByTestId('notification-settings').waitFor();
    await page.getByLabel('요약을 웹훅으로 보내기').check({ force: true });
    await page.getByTestId('notify-webhook-url').fill(receiver.url);
    await page.getByTestId('notify-webhook-secret').fill(SECRET);
    await page.getByTestId('notify-save').click();
    await page.getByTestId('notify-saved').waitFor();
    const settings = await api<{ webhookEnabled: boolean; webhookUrl: string; webhookSecretSet: boolean }>(
      page,
      'GET',
      '/api/v1/notifications/settings',
    );
    expect(settings).toMatchObject({
      webhookEnabled: true,
      webhookUrl: receiver.url,
      webhookSecretSet: true,
    });
    expect(JSON.stringify(settings)).not.toContain(SECRET); // sealed, never returned

    // 3. the test message: sent at once, recorded in the delivery log
    await page.getByTestId('notify-test').click();
    await expect.poll(() => page.getByTestId('notify-tested').textContent()).toBe('웹훅: 발송됨');
    await page.getByTestId('deliveries-table').getByTestId('delivery-sent').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '51-notifications.png'), fullPage: true });

    // 4. what the receiver got: a JSON POST signed with HMAC-SHA256 of the exact body under the secret
    const tests = hooks.filter((hook) => hook.headers['x-medsec-event'] === 'test');
    expect(tests).toHaveLength(1);
    const hook = tests[0]!;
    expect(hook.url).toBe('/hooks/medsec');
    expect(hook.headers['content-type']).toMatch(/^application\/json/);
    const expected = `sha256=${createHmac('sha256', SECRET).update(hook.body).digest('hex')}`;
    expect(hook.headers['x-medsec-signature']).toBe(expected);
    const wrong = `sha256=${createHmac('sha256', `${SECRET}x`).update(hook.body).digest('hex')}`;
    expect(hook.headers['x-medsec-signature']).not.toBe(wrong);
    const body = JSON.parse(hook.body) as { type: string; deliveryId: string; timestamp: number };
    expect(body.type).toBe('medsec.notification.test');
    expect(body.deliveryId).toBe(hook.headers['x-medsec-delivery']);
    expect(String(body.timestamp)).toBe(hook.headers['x-medsec-timestamp']);
    expect(Math.abs(body.timestamp - Date.now() / 1000)).toBeLessThan(300);
    expect(hook.body).toContain('E2E Medical');
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    await page.context().close();
  });
});
