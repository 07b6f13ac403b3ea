import { join } from 'node:path';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, SCREENSHOTS, startHarness } from './harness.ts';

/** First-run setup → sign-in → MFA enrolment → sign-out → sign-in with TOTP; language switch. In real Chromium. */
const ADMIN = {
  org: '메드시큐 주식회사',
  name: '김보안',
  email: 'security@medsec.example',
  password: 'Correct-Horse-9-Battery',
};

const totp = (secret: string, offsetSeconds = 0): Promise<string> =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

describe('sign-in journey', () => {
  let h: Harness;
  let secret = '';
  let recoveryCodes: string[] = [];
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('first-run setup, sign-in, MFA enrolment, sign-out, sign-in with TOTP', async () => {
    const { page, consoleErrors } = await h.newPage();
    await page.goto('/');
    await page.waitForURL('**/setup');
    await page.getByTestId('setup-org').fill(ADMIN.org);
    await page.getByTestId('setup-name').fill(ADMIN.name);
    await page.getByTestId('setup-email').fill(ADMIN.email);
    await page.getByTestId('setup-password').fill(ADMIN.password);
    await page.getByTestId('setup-confirm').fill(ADMIN.password);
    expect(await page.getByTestId('setup-password').getAttribute('type')).toBe('password');
    await page.screenshot({ path: join(SCREENSHOTS, '01-setup.png') });
    await page.getByTestId('setup-submit').click();
    await page.waitForURL('**/login?setup=done');

    // a wrong password gets the generic message
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill('Wrong-Password-1');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('error-alert').textContent()).toContain('로그인에 실패했습니다');

    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    // the organization requires MFA for administrators: enrolment comes first
    const secretBox = page.getByTestId('mfa-secret');
    await secretBox.waitFor();
    secret = (await secretBox.textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.screenshot({ path: join(SCREENSHOTS, '02-mfa-enrol.png') });
    await page.getByTestId('mfa-confirm-code').fill(await totp(secret));
    await page.getByTestId('mfa-confirm-submit').click();
    await page.getByTestId('recovery-codes').waitFor();
    expect(await page.getByTestId('recovery-codes').locator('code').count()).toBe(10);
    recoveryCodes = (await page.getByTestId('recovery-codes').locator('code').allTextContents()).map((c) =>
      c.trim(),
    );
    for (const code of recoveryCodes) {
      expect(code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
    }
    await page.screenshot({ path: join(SCREENSHOTS, '03-recovery-codes.png') });
    await page.getByTestId('recovery-done').click();

    await page.getByTestId('app-nav').waitFor();
    expect(await page.getByTestId('org-name').textContent()).toBe(ADMIN.org);
    await page.getByTestId('card-mfa').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '04-shell.png') });

    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-email').waitFor();
    // the old session is gone on the server too
    const status = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).status);
    expect(status).toBe(401);

    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('mfa-code').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '05-mfa-code.png') });
    // the enrolment used the current time step; the next step's code is accepted (±1 step) and is not a replay
    await page.getByTestId('mfa-code').fill(await totp(secret, 30));
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('app-nav').waitFor();

    // the administration pages work in the browser
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-table').getByText(ADMIN.email).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '06-users.png') });
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-table').getByText('auth.login').first().waitFor();
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('audit-verify-result').textContent()).toContain('무결성 확인');
    await page.screenshot({ path: join(SCREENSHOTS, '07-audit.png') });

    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    await page.context().close();
  });

  it('switches language on the sign-in page and in the shell', async () => {
    const { page, consoleErrors } = await h.newPage();
    await page.goto('/login');
    await page.getByTestId('login-submit').waitFor();
    expect(await page.getByTestId('login-submit').textContent()).toBe('로그인');
    await page.getByTestId('language-switch').getByText('English').click();
    await expect.poll(() => page.getByTestId('login-submit').textContent()).toBe('Sign in');

    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    // a recovery code also completes the second step (the TOTP steps of this minute were used above)
    await page.getByTestId('mfa-code').fill(recoveryCodes[0] ?? '');
    await page.getByTestId('mfa-submit').click();
    await page.getByTestId('app-nav').waitFor();
    // the language picked on the sign-in page carries into the shell and becomes the account's preference
    await expect.poll(() => page.getByTestId('nav-users').textContent()).toBe('Users & roles');
    const storedLocale = () =>
      page.evaluate(async () => {
        const res = await fetch('/api/v1/auth/session');
        return ((await res.json()) as { session: { user: { locale: string } } }).session.user.locale;
      });
    await expect.poll(storedLocale).toBe('en');
    await page.screenshot({ path: join(SCREENSHOTS, '08-shell-en.png') });
    await page.getByTestId('language-switch').getByText('한국어').click();
    await expect.poll(() => page.getByTestId('nav-users').textContent()).toBe('사용자 및 역할');
    await expect.poll(storedLocale).toBe('ko');
    await page.getByTestId('language-switch').getByText('English').click();
    await expect.poll(() => page.getByTestId('nav-users').textContent()).toBe('Users & roles');
    await page.getByTestId('language-switch').getByText('한국어').click();
    await expect.poll(() => page.getByTestId('nav-users').textContent()).toBe('사용자 및 역할');
    // placeholder modules say what they will cover
    await page.getByTestId('nav-incidents').click();
    await expect.poll(() => page.getByTestId('placeholder').textContent()).toContain('제17~19조');
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    await page.context().close();
  });

  it('asks for the password again before a sensitive change, and ends a lost session with a notice', async () => {
    const { page, consoleErrors } = await h.newPage();
    await page.goto('/organization');
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('mfa-code').fill(recoveryCodes[1] ?? '');
    await page.getByTestId('mfa-submit').click();
    // back on the page asked for before sign-in
    await page.waitForURL('**/organization');

    // changing the MFA policy needs a recent re-authentication: the modal opens, then the request is retried
    await page.getByTestId('org-policy-all').check();
    await page.getByTestId('org-save').click();
    await page.getByTestId('reauth-password').fill(ADMIN.password);
    await page.getByTestId('reauth-code').fill(recoveryCodes[2] ?? '');
    await page.getByTestId('reauth-submit').click();
    await page.getByTestId('org-saved').waitFor();
    const org = await page.evaluate(async () => (await fetch('/api/v1/organization')).json());
    expect((org as { mfaPolicy: string }).mfaPolicy).toBe('all');

    // the session cookie disappears (ended elsewhere): the next request sends the user to sign in, with a notice
    await page.context().clearCookies();
    await page.getByTestId('nav-users').click();
    await page.getByTestId('session-ended').waitFor();
    expect(page.url()).toContain('/login');
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    await page.context().close();
  });
});
