import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  addMember,
  bootstrapAdmin,
  createClient,
  reauth,
  relogin,
  STRONG_PASSWORD,
  signIn,
  signInEnrolling,
  totpFor,
  uniqueEmail,
} from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { LOGIN_FAILED_DETAIL } from './auth.service.ts';

describe('first run and accounts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('has no account of any kind after install, and common default credentials do not work', async () => {
    const [count] = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    expect(count?.n).toBe(0);
    const anon = createClient(t);
    expect((await anon.get('/api/v1/setup')).json()).toEqual({ needsSetup: true });
    for (const [email, password] of [
      ['admin', 'admin'],
      ['admin@localhost', 'admin'],
      ['root', 'root'],
      ['admin@example.com', 'password'],
    ]) {
      const res = await anon.post('/api/v1/auth/login', { email, password });
      expect(res.status).toBe(401);
    }
  });

  it('refuses a weak first-run password, then completes setup exactly once', async () => {
    const anon = createClient(t);
    const weak = await anon.post('/api/v1/setup', {
      organizationName: 'Acme',
      email: 'first@example.com',
      displayName: 'First',
      password: 'password',
    });
    expect(weak.status).toBe(400);
    expect(weak.json<{ code: string }>().code).toBe('VALIDATION_FAILED');
    expect((await anon.get('/api/v1/setup')).json()).toEqual({ needsSetup: true });
    const ok = await anon.post('/api/v1/setup', {
      organizationName: 'Acme',
      email: 'first@example.com',
      displayName: 'First',
      password: STRONG_PASSWORD,
    });
    expect(ok.status).toBe(201);
    const again = await anon.post('/api/v1/setup', {
      organizationName: 'Evil',
      email: 'evil@example.com',
      displayName: 'Evil',
      password: STRONG_PASSWORD,
    });
    expect(again.status).toBe(412);
    expect(again.json<{ reason: string }>().reason).toBe('SETUP_DONE');
    expect((await anon.get('/api/v1/setup')).json()).toEqual({ needsSetup: false });
    const [row] = await t.deps.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE email = $1',
      ['first@example.com'],
    );
    expect(row?.password_hash.startsWith('$argon2id$')).toBe(true);
  });
});

describe('sign-in failures, lockout and rate limits', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof bootstrapAdmin>>;
  beforeAll(async () => {
    t = await createTestApp({ env: { MEDSEC_RATE_LIMIT_AUTH_PER_ACCOUNT: '8' } });
    admin = await bootstrapAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers a wrong password, an unknown account and a locked account with the same generic message', async () => {
    const member = await addMember(t, admin.client, 'developer');
    const anon = createClient(t);
    const wrongPassword = await anon.post('/api/v1/auth/login', {
      email: member.email,
      password: 'Wrong-Password-1',
    });
    const unknown = await anon.post('/api/v1/auth/login', {
      email: uniqueEmail('nobody'),
      password: STRONG_PASSWORD,
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = wrongPassword.json<{ detail: string; code: string }>();
    const b = unknown.json<{ detail: string; code: string }>();
    expect(a.detail).toBe(LOGIN_FAILED_DETAIL);
    expect(b.detail).toBe(a.detail);
    expect(b.code).toBe(a.code);
  });

  it('locks an account for 5 minutes after 5 consecutive failures, even with the right password', async () => {
    const member = await addMember(t, admin.client, 'qa');
    const anon = createClient(t);
    for (let i = 0; i < 5; i++) {
      expect(
        (await anon.post('/api/v1/auth/login', { email: member.email, password: `Wrong-${i}-Password` }))
          .status,
      ).toBe(401);
    }
    const locked = await anon.post('/api/v1/auth/login', { email: member.email, password: STRONG_PASSWORD });
    expect(locked.status).toBe(401);
    expect(locked.json<{ detail: string }>().detail).toBe(LOGIN_FAILED_DETAIL);
    const [u] = await t.deps.db.query<{ locked_until: Date | null }>(
      'SELECT locked_until FROM users WHERE email = $1',
      [member.email],
    );
    expect(u?.locked_until?.getTime()).toBe(t.clock.now().getTime() + 5 * 60_000);
    t.clock.advance(4 * 60_000);
    expect(
      (await anon.post('/api/v1/auth/login', { email: member.email, password: STRONG_PASSWORD })).status,
    ).toBe(401);
    t.clock.advance(61_000);
    expect(
      (await anon.post('/api/v1/auth/login', { email: member.email, password: STRONG_PASSWORD })).status,
    ).toBe(200);
    const events = await t.deps.db.query<{ action: string; outcome: string }>(
      "SELECT action, outcome FROM audit_events WHERE target_id = $1 AND action LIKE 'auth.%' ORDER BY seq",
      [member.userId],
    );
    expect(events.filter((e) => e.action === 'auth.login' && e.outcome === 'failure').length).toBe(7);
    expect(events.some((e) => e.action === 'auth.account_locked')).toBe(true);
    expect(events.at(-1)).toEqual({ action: 'auth.login', outcome: 'success' });
  });

  it('rate-limits attempts per account', async () => {
    const email = uniqueEmail('target');
    const anon = createClient(t);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await anon.post('/api/v1/auth/login', { email, password: 'x' })).status);
    }
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
  });
});

describe('rate limit per address', () => {
  it('answers 429 with Retry-After once an address exceeds the authentication limit', async () => {
    const t = await createTestApp({ env: { MEDSEC_RATE_LIMIT_AUTH_PER_IP: '5' } });
    try {
      const anon = createClient(t, { ip: '10.9.8.7' });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        statuses.push(
          (await anon.post('/api/v1/auth/login', { email: uniqueEmail(), password: 'x' })).status,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      const other = createClient(t, { ip: '10.9.8.8' });
      expect((await other.post('/api/v1/auth/login', { email: uniqueEmail(), password: 'x' })).status).toBe(
        401,
      );
      const limited = await anon.post('/api/v1/auth/login', { email: uniqueEmail(), password: 'x' });
      expect(limited.headers['retry-after']).toBeDefined();
    } finally {
      await t.close();
    }
  });
});

describe('sessions', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof bootstrapAdmin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await bootstrapAdmin(t);
  });
  beforeEach(async () => {
    await relogin(t, admin);
  });
  afterAll(async () => {
    await t.close();
  });

  it('sets an HttpOnly, SameSite cookie that carries only an opaque id', async () => {
    const member = await addMember(t, admin.client, 'developer');
    const client = createClient(t);
    const res = await client.post('/api/v1/auth/login', { email: member.email, password: STRONG_PASSWORD });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toContain(member.email);
    const value = /medsec_session=([^;]+)/.exec(cookie)?.[1] ?? '';
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [stored] = await t.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sessions WHERE token_hash = $1',
      [value],
    );
    expect(stored?.n).toBe(0); // only the hash is stored
  });

  it('ends a session after 10 minutes idle, and activity keeps it alive', async () => {
    const member = await addMember(t, admin.client, 'qa');
    const client = await signIn(t, member.email, STRONG_PASSWORD);
    t.clock.advance(9 * 60_000);
    expect((await client.get('/api/v1/organization')).status).toBe(200);
    t.clock.advance(9 * 60_000);
    expect((await client.get('/api/v1/organization')).status).toBe(200);
    // A passive status read does not extend the idle window.
    t.clock.advance(9 * 60_000);
    expect((await client.get('/api/v1/auth/session')).status).toBe(200);
    t.clock.advance(61_000);
    const expired = await client.get('/api/v1/organization');
    expect(expired.status).toBe(401);
    expect(expired.json<{ reason: string }>().reason).toBe('SESSION_EXPIRED');
    t.clock.advance(1000);
    expect((await client.get('/api/v1/organization')).status).toBe(401);
  });

  it('ends a session at the absolute timeout even when active', async () => {
    const member = await addMember(t, admin.client, 'auditor');
    const client = await signIn(t, member.email, STRONG_PASSWORD);
    for (let i = 0; i < 80; i++) {
      t.clock.advance(9 * 60_000 + 59_000);
      const res = await client.get('/api/v1/organization');
      if (res.status !== 200) {
        expect(res.status).toBe(401);
        expect(i).toBeGreaterThanOrEqual(71);
        return;
      }
    }
    expect.unreachable('absolute timeout never applied');
  });

  it('lets an administrator hold only one session: a new login ends the old one', async () => {
    const first = admin.client;
    expect((await first.get('/api/v1/users')).status).toBe(200);
    t.clock.advance(30_000);
    const second = createClient(t);
    await second.post('/api/v1/auth/login', { email: admin.email, password: admin.password });
    const mfa = await second.post('/api/v1/auth/mfa/verify', {
      code: await totpFor(admin.totpSecret, t.clock.now()),
    });
    expect(mfa.status).toBe(200);
    expect((await second.get('/api/v1/users')).status).toBe(200);
    const old = await first.get('/api/v1/users');
    expect(old.status).toBe(401);
    admin.client = second;
  });

  it('allows several sessions for a non-administrator', async () => {
    const member = await addMember(t, admin.client, 'developer');
    const a = await signIn(t, member.email, STRONG_PASSWORD);
    const b = await signIn(t, member.email, STRONG_PASSWORD);
    expect((await a.get('/api/v1/organization')).status).toBe(200);
    expect((await b.get('/api/v1/organization')).status).toBe(200);
  });

  it('invalidates the session on the server at logout: the old cookie no longer works', async () => {
    const member = await addMember(t, admin.client, 'developer');
    const client = await signIn(t, member.email, STRONG_PASSWORD);
    const cookie = client.cookie;
    expect((await client.post('/api/v1/auth/logout')).status).toBe(200);
    client.cookie = cookie;
    expect((await client.get('/api/v1/organization')).status).toBe(401);
  });

  it("rejects state-changing requests without the CSRF token, or with another session's token", async () => {
    const member = await addMember(t, admin.client, 'developer');
    const client = await signIn(t, member.email, STRONG_PASSWORD);
    const noHeader = await client.request(
      'POST',
      '/api/v1/tokens',
      { name: 'ci', role: 'developer', expiresInDays: 30 },
      { 'x-csrf-token': '' },
    );
    expect(noHeader.status).toBe(403);
    expect(noHeader.json<{ reason: string }>().reason).toBe('CSRF_FAILED');
    const wrong = await client.request(
      'POST',
      '/api/v1/tokens',
      { name: 'ci', role: 'developer', expiresInDays: 30 },
      { 'x-csrf-token': admin.client.csrf ?? 'x' },
    );
    expect(wrong.status).toBe(403);
    const crossOrigin = await client.request(
      'POST',
      '/api/v1/tokens',
      { name: 'ci', role: 'developer', expiresInDays: 30 },
      { origin: 'https://evil.example', 'x-csrf-token': client.csrf ?? '' },
    );
    expect(crossOrigin.status).toBe(403);
    const anonymous = await createClient(t).request(
      'POST',
      '/api/v1/auth/login',
      { email: member.email, password: STRONG_PASSWORD },
      { 'x-csrf-token': '' },
    );
    expect(anonymous.status).toBe(403);
    const [tokens] = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM api_tokens');
    expect(tokens?.n).toBe(0);
    expect(
      (await client.post('/api/v1/tokens', { name: 'ci', role: 'developer', expiresInDays: 30 })).status,
    ).toBe(201);
  });
});

describe('MFA', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof bootstrapAdmin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await bootstrapAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('requires the second factor before anything else, refuses a replayed code and accepts a recovery code once', async () => {
    t.clock.advance(30_000);
    const client = createClient(t);
    const login = await client.post('/api/v1/auth/login', { email: admin.email, password: admin.password });
    expect(login.json<{ session: { state: string } }>().session.state).toBe('mfa_pending');
    const blocked = await client.get('/api/v1/users');
    expect(blocked.status).toBe(403);
    expect(blocked.json<{ reason: string }>().reason).toBe('MFA_REQUIRED');
    const code = await totpFor(admin.totpSecret, t.clock.now());
    expect(
      (await client.post('/api/v1/auth/mfa/verify', { code: '000000' === code ? '111111' : '000000' }))
        .status,
    ).toBe(401);
    expect((await client.post('/api/v1/auth/mfa/verify', { code })).status).toBe(200);
    expect((await client.get('/api/v1/users')).status).toBe(200);

    // the same code again (same time step) is a replay
    const replay = createClient(t);
    await replay.post('/api/v1/auth/login', { email: admin.email, password: admin.password });
    expect((await replay.post('/api/v1/auth/mfa/verify', { code })).status).toBe(401);

    // recovery codes: regenerate (needs re-authentication), then use one once
    expect((await client.post('/api/v1/auth/mfa/recovery-codes')).status).toBe(403);
    await reauth(t, client, admin.password, admin.totpSecret);
    const codes = (await client.post('/api/v1/auth/mfa/recovery-codes')).json<{ recoveryCodes: string[] }>()
      .recoveryCodes;
    expect(codes).toHaveLength(10);
    const viaRecovery = createClient(t);
    await viaRecovery.post('/api/v1/auth/login', { email: admin.email, password: admin.password });
    expect(
      (await viaRecovery.post('/api/v1/auth/mfa/verify', { code: codes[0]!.toLowerCase() })).status,
    ).toBe(200);
    const reused = createClient(t);
    await reused.post('/api/v1/auth/login', { email: admin.email, password: admin.password });
    expect((await reused.post('/api/v1/auth/mfa/verify', { code: codes[0] })).status).toBe(401);
    admin.client = viaRecovery;
  });

  it('stores the TOTP secret encrypted, never in plain text', async () => {
    const [row] = await t.deps.db.query<{ mfa_secret_enc: string }>(
      'SELECT mfa_secret_enc FROM users WHERE email = $1',
      [admin.email],
    );
    expect(row?.mfa_secret_enc.startsWith('v1.')).toBe(true);
    expect(row?.mfa_secret_enc).not.toContain(admin.totpSecret);
  });

  it('enforces the organization policy "all": a member without MFA must enrol before working', async () => {
    await reauth(t, admin.client, admin.password, admin.totpSecret);
    expect((await admin.client.patch('/api/v1/organization', { mfaPolicy: 'all' })).status).toBe(200);
    const member = await addMember(t, admin.client, 'developer');
    const enrolled = await signInEnrolling(t, member.email, STRONG_PASSWORD);
    expect((await enrolled.client.get('/api/v1/organization')).status).toBe(200);
    // and cannot turn MFA off while the policy requires it
    await reauth(t, enrolled.client, STRONG_PASSWORD, enrolled.totpSecret);
    expect((await enrolled.client.post('/api/v1/auth/mfa/disable')).status).toBe(409);
  });
});

describe('passwords and account lifecycle', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof bootstrapAdmin>>;
  beforeAll(async () => {
    t = await createTestApp({ env: { MEDSEC_PASSWORD_MAX_AGE_DAYS: '90', MEDSEC_PASSWORD_HISTORY: '3' } });
    admin = await bootstrapAdmin(t);
  });
  beforeEach(async () => {
    await relogin(t, admin);
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses reuse of the last N passwords and ends other sessions on change', async () => {
    const member = await addMember(t, admin.client, 'developer');
    const client = await signIn(t, member.email, STRONG_PASSWORD);
    const other = await signIn(t, member.email, STRONG_PASSWORD);
    const same = await client.post('/api/v1/auth/password', {
      currentPassword: STRONG_PASSWORD,
      newPassword: STRONG_PASSWORD,
    });
    expect(same.status).toBe(400);
    const weak = await client.post('/api/v1/auth/password', {
      currentPassword: STRONG_PASSWORD,
      newPassword: 'abcdefgh',
    });
    expect(weak.status).toBe(400);
    const passwords = ['Second-Pass-22', 'Third-Pass-333', 'Fourth-Pass-4444'];
    let current = STRONG_PASSWORD;
    for (const next of passwords) {
      t.clock.advance(1000);
      const res = await client.post('/api/v1/auth/password', { currentPassword: current, newPassword: next });
      expect(res.status, res.body).toBe(200);
      current = next;
    }
    expect((await other.get('/api/v1/organization')).status).toBe(401);
    // The original is now 4 changes back: outside a history of 3.
    t.clock.advance(1000);
    expect(
      (
        await client.post('/api/v1/auth/password', {
          currentPassword: current,
          newPassword: 'Second-Pass-22',
        })
      ).status,
    ).toBe(400);
    expect(
      (await client.post('/api/v1/auth/password', { currentPassword: current, newPassword: STRONG_PASSWORD }))
        .status,
    ).toBe(200);
  });

  it('requires a password change once the password is older than the maximum age', async () => {
    const member = await addMember(t, admin.client, 'qa');
    t.clock.advance(91 * 86_400_000);
    const client = createClient(t);
    const login = await client.post('/api/v1/auth/login', { email: member.email, password: STRONG_PASSWORD });
    expect(login.json<{ session: { state: string } }>().session.state).toBe('password_change_required');
    expect((await client.get('/api/v1/organization')).json<{ reason: string }>().reason).toBe(
      'PASSWORD_CHANGE_REQUIRED',
    );
    const changed = await client.post('/api/v1/auth/password', {
      currentPassword: STRONG_PASSWORD,
      newPassword: 'Brand-New-Pass-5',
    });
    expect(changed.json<{ session: { state: string } }>().session.state).toBe('active');
    expect((await client.get('/api/v1/organization')).status).toBe(200);
    // the admin's own password is as old: log the admin in again
    const again = createClient(t);
    await again.post('/api/v1/auth/login', { email: admin.email, password: admin.password });
    await again.post('/api/v1/auth/mfa/verify', { code: await totpFor(admin.totpSecret, t.clock.now()) });
    await again.post('/api/v1/auth/password', {
      currentPassword: admin.password,
      newPassword: 'Admin-Renewed-77',
    });
    admin.password = 'Admin-Renewed-77';
    admin.client = again;
  });

  it('disables, expires and re-enables accounts; every change is audited', async () => {
    const member = await addMember(t, admin.client, 'developer');
    const client = await signIn(t, member.email, STRONG_PASSWORD);
    expect((await admin.client.post(`/api/v1/users/${member.userId}/disable`)).status).toBe(200);
    expect((await client.get('/api/v1/organization')).status).toBe(401);
    expect(
      (await createClient(t).post('/api/v1/auth/login', { email: member.email, password: STRONG_PASSWORD }))
        .status,
    ).toBe(401);
    expect((await admin.client.post(`/api/v1/users/${member.userId}/enable`)).status).toBe(200);
    expect(
      (await createClient(t).post('/api/v1/auth/login', { email: member.email, password: STRONG_PASSWORD }))
        .status,
    ).toBe(200);

    await reauth(t, admin.client, admin.password, admin.totpSecret);
    const past = new Date(t.clock.now().getTime() + 60_000).toISOString();
    expect((await admin.client.patch(`/api/v1/users/${member.userId}`, { validUntil: past })).status).toBe(
      200,
    );
    t.clock.advance(2 * 60_000);
    expect(
      (await createClient(t).post('/api/v1/auth/login', { email: member.email, password: STRONG_PASSWORD }))
        .status,
    ).toBe(401);
    const list = await admin.client.get(`/api/v1/users/${member.userId}`);
    expect(list.json<{ expired: boolean }>().expired).toBe(true);

    const actions = (
      await t.deps.db.query<{ action: string }>(
        'SELECT action FROM audit_events WHERE target_id = $1 ORDER BY seq',
        [member.userId],
      )
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(['user.created', 'user.disabled', 'user.enabled', 'user.validity_changed']),
    );
  });

  it('requires re-authentication for a role change and keeps one administrator', async () => {
    const member = await addMember(t, admin.client, 'developer');
    t.clock.advance(6 * 60_000); // past the re-authentication window of earlier tests
    const refused = await admin.client.patch(`/api/v1/users/${member.userId}`, { role: 'security_officer' });
    expect(refused.status).toBe(403);
    expect(refused.json<{ reason: string }>().reason).toBe('REAUTH_REQUIRED');
    await reauth(t, admin.client, admin.password, admin.totpSecret);
    const changed = await admin.client.patch(`/api/v1/users/${member.userId}`, { role: 'security_officer' });
    expect(changed.status).toBe(200);
    expect(changed.json<{ role: string }>().role).toBe('security_officer');
    const [event] = await t.deps.db.query<{ details: { from: string; to: string } }>(
      "SELECT details FROM audit_events WHERE action = 'user.role_changed' AND target_id = $1",
      [member.userId],
    );
    expect(event?.details).toEqual({ from: 'developer', to: 'security_officer' });
    const self = await admin.client.patch(`/api/v1/users/${admin.userId}`, { role: 'auditor' });
    expect(self.status).toBe(409);
  });
});

describe('API tokens', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof bootstrapAdmin>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await bootstrapAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('are shown once, stored hashed, carry their role, expire and can be revoked', async () => {
    const created = await admin.client.post('/api/v1/tokens', {
      name: 'ci-auditor',
      role: 'auditor',
      expiresInDays: 1,
    });
    expect(created.status).toBe(201);
    const { token, id } = created.json<{ token: string; id: string }>();
    expect(token.startsWith('msk_')).toBe(true);
    const listed = await admin.client.get('/api/v1/tokens');
    expect(listed.body).not.toContain(token);
    const [row] = await t.deps.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM api_tokens WHERE id = $1',
      [id],
    );
    expect(row?.token_hash).not.toContain(token);

    const bot = createClient(t, { bearer: token });
    expect((await bot.get('/api/v1/audit-events')).status).toBe(200);
    expect((await bot.get('/api/v1/users')).status).toBe(200);
    // the auditor role cannot change anything, and a token cannot mint tokens or use a session-only route
    expect((await bot.post(`/api/v1/users/${admin.userId}/disable`)).status).toBe(403);
    expect((await bot.post('/api/v1/tokens', { name: 'x', role: 'auditor', expiresInDays: 1 })).status).toBe(
      403,
    );

    t.clock.advance(86_400_000 + 1000);
    expect((await bot.get('/api/v1/audit-events')).status).toBe(401);

    // a non-admin may only mint tokens of their own role
    await relogin(t, admin);
    const member = await addMember(t, admin.client, 'developer');
    const dev = await signIn(t, member.email, STRONG_PASSWORD);
    expect(
      (await dev.post('/api/v1/tokens', { name: 'escalate', role: 'admin', expiresInDays: 5 })).status,
    ).toBe(403);
    const own = await dev.post('/api/v1/tokens', { name: 'mine', role: 'developer', expiresInDays: 5 });
    expect(own.status).toBe(201);
    const ownToken = own.json<{ token: string; id: string }>();
    const devBot = createClient(t, { bearer: ownToken.token });
    expect((await devBot.get('/api/v1/organization')).status).toBe(200);
    expect((await dev.delete(`/api/v1/tokens/${ownToken.id}`)).status).toBe(200);
    expect((await devBot.get('/api/v1/organization')).status).toBe(401);
  });
});
