import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * Starts `medsec start` on a fresh embedded data directory and a headless Debian Chromium driven by
 * playwright-core (never a downloaded browser).
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SCREENSHOTS = join(ROOT, 'e2e', 'screenshots');
export const CHROMIUM = process.env.MEDSEC_CHROMIUM ?? '/usr/bin/chromium';

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

export interface Harness {
  baseUrl: string;
  browser: Browser;
  newPage(): Promise<{ page: Page; consoleErrors: string[] }>;
  stop(): Promise<void>;
}

/**
 * `seed` runs on the fresh data directory before the server opens it (the embedded database has one writer): data a
 * browser cannot make, such as findings seen weeks ago, is written through the services with a clock set back.
 */
export const startHarness = async (
  options: { seed?: (dataDir: string) => Promise<void> } = {},
): Promise<Harness> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'medsec-e2e-'));
  try {
    await options.seed?.(dataDir);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const port = await freePort();
  const server: ChildProcess = spawn(
    process.execPath,
    [join(ROOT, 'packages/cli/bin/medsec.js'), 'start', '--port', String(port), '--data-dir', dataDir],
    {
      env: { ...process.env, MEDSEC_LOG_LEVEL: 'warn', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let serverOutput = '';
  server.stdout?.on('data', (d: Buffer) => {
    serverOutput += d.toString();
  });
  server.stderr?.on('data', (d: Buffer) => {
    serverOutput += d.toString();
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  let up = false;
  // first start migrates and imports the catalog: ~30 s on a loaded machine, so allow 90 s
  for (let i = 0; i < 450 && !up; i++) {
    await new Promise((r) => setTimeout(r, 200));
    up = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  }
  if (!up) {
    server.kill('SIGKILL');
    throw new Error(`server did not start:\n${serverOutput}`);
  }
  const browser = await chromium
    .launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    .catch((error: unknown) => {
      // no browser (e.g. Debian `chromium` not installed): stop the server rather than leave it running
      server.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    baseUrl,
    browser,
    newPage: async () => {
      const context = await browser.newContext({
        baseURL: baseUrl,
        viewport: { width: 1280, height: 860 },
        locale: 'ko-KR',
      });
      const page = await context.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') {
          consoleErrors.push(m.text());
        }
      });
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      return { page, consoleErrors };
    },
    stop: async () => {
      await browser.close();
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** First-run setup through the API, then sign-in and MFA enrolment in the browser; returns the TOTP secret. */
export const setupAndSignIn = async (
  h: Harness,
  page: Page,
  admin: { email: string; password: string },
): Promise<string> => {
  const res = await fetch(`${h.baseUrl}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': 'e2e' },
    body: JSON.stringify({
      organizationName: 'E2E Medical',
      email: admin.email,
      displayName: 'E2E Admin',
      password: admin.password,
    }),
  });
  if (res.status !== 201) {
    throw new Error(`setup failed: ${res.status} ${await res.text()}`);
  }
  return signInAndEnrolMfa(page, admin);
};

/** The administrator's first sign-in in the browser: password, then MFA enrolment; returns the TOTP secret. */
export const signInAndEnrolMfa = async (
  page: Page,
  admin: { email: string; password: string },
): Promise<string> => {
  const { generate } = await import('otplib');
  await page.goto('/login');
  await page.getByTestId('login-email').fill(admin.email);
  await page.getByTestId('login-password').fill(admin.password);
  await page.getByTestId('login-submit').click();
  const secret = ((await page.getByTestId('mfa-secret').textContent()) ?? '').trim();
  await page
    .getByTestId('mfa-confirm-code')
    .fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) }));
  await page.getByTestId('mfa-confirm-submit').click();
  await page.getByTestId('recovery-done').click();
  await page.getByTestId('app-nav').waitFor();
  return secret;
};
