import { generate } from 'otplib';
import type { TestApp } from './test-app.ts';

/**
 * A cookie-keeping client over `app.inject`, as a browser would be: it sends the session cookie and the
 * CSRF header (from the last session document it saw) on state-changing requests.
 */
export interface TestResponse {
  status: number;
  headers: Record<string, string | number | string[] | undefined>;
  body: string;
  json: <T = Record<string, unknown>>() => T;
}

export interface TestClient {
  cookie: string | undefined;
  csrf: string | undefined;
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<TestResponse>;
  get(url: string): Promise<TestResponse>;
  post(url: string, body?: unknown): Promise<TestResponse>;
  patch(url: string, body?: unknown): Promise<TestResponse>;
  put(url: string, body?: unknown): Promise<TestResponse>;
  delete(url: string): Promise<TestResponse>;
  /** multipart/form-data: the fields, then one file. */
  upload(
    method: string,
    url: string,
    file: { name: string; content: Buffer | string },
    fields?: Record<string, string>,
  ): Promise<TestResponse>;
}

export const createClient = (t: TestApp, init: { bearer?: string; ip?: string } = {}): TestClient => {
  const client: TestClient = {
    cookie: undefined,
    csrf: undefined,
    async request(method, url, body, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (client.cookie) {
        h.cookie = client.cookie;
      }
      if (init.bearer) {
        h.authorization = `Bearer ${init.bearer}`;
      }
      if (method !== 'GET' && !('x-csrf-token' in h)) {
        h['x-csrf-token'] = client.csrf ?? 'anonymous';
      }
      if (body !== undefined && !('content-type' in h)) {
        h['content-type'] = 'application/json';
      }
      const res = await t.app.inject({
        method: method as 'GET',
        url,
        headers: h,
        ...(body !== undefined
          ? { payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }
          : {}),
        ...(init.ip ? { remoteAddress: init.ip } : {}),
      });
      const setCookie = res.headers['set-cookie'];
      for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
        const [pair] = c.split(';');
        if (pair?.startsWith('medsec_session=')) {
          client.cookie = pair.endsWith('=') ? undefined : pair;
          if (/Expires=Thu, 01 Jan 1970/i.test(c) || /Max-Age=0/i.test(c)) {
            client.cookie = undefined;
          }
        }
      }
      const text = res.body;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const session = (parsed as { session?: { csrfToken?: string } } | undefined)?.session;
      if (session?.csrfToken) {
        client.csrf = session.csrfToken;
      }
      return { status: res.statusCode, headers: res.headers, body: text, json: <T>() => parsed as T };
    },
    get: (url) => client.request('GET', url),
    post: (url, body) => client.request('POST', url, body),
    patch: (url, body) => client.request('PATCH', url, body),
    put: (url, body) => client.request('PUT', url, body),
    delete: (url) => client.request('DELETE', url),
    upload: (method, url, file, fields = {}) => {
      const boundary = `----medsec${Math.random().toString(16).slice(2)}`;
      const parts: Buffer[] = [];
      for (const [k, v] of Object.entries(fields)) {
        parts.push(
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
        );
      }
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      );
      return client.request(method, url, Buffer.concat(parts), {
        'content-type': `multipart/form-data; boundary=${boundary}`,
      });
    },
  };
  return client;
};

export const STRONG_PASSWORD = 'Correct-Horse-9-Battery';

let counter = 0;
export const uniqueEmail = (prefix = 'user'): string =>
  `${prefix}-${Date.now().toString(36)}-${counter++}@example.com`;

export const totpFor = (secret: string, at: Date): Promise<string> =>
  generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

/**
 * Creates the first organization and administrator, enrols the admin's MFA (the default policy requires it for
 * admins) and returns a signed-in client.
 */
export const bootstrapAdmin = async (
  t: TestApp,
  options: { email?: string; organizationName?: string } = {},
): Promise<{
  client: TestClient;
  email: string;
  password: string;
  totpSecret: string;
  organizationId: string;
  userId: string;
}> => {
  const email = options.email ?? uniqueEmail('admin');
  const anon = createClient(t);
  const setup = await anon.post('/api/v1/setup', {
    organizationName: options.organizationName ?? 'Acme Medical',
    email,
    displayName: 'Admin',
    password: STRONG_PASSWORD,
  });
  if (setup.status !== 201) {
    throw new Error(`setup failed: ${setup.status} ${setup.body}`);
  }
  const signedIn = await signInEnrolling(t, email, STRONG_PASSWORD);
  return { ...signedIn, email, password: STRONG_PASSWORD };
};

/** Signs in a user who must enrol MFA, enrols, and returns the client. */
export const signInEnrolling = async (t: TestApp, email: string, password: string) => {
  const client = createClient(t);
  const login = await client.post('/api/v1/auth/login', { email, password });
  const session = login.json<{
    session: { state: string; organization: { id: string }; user: { id: string } };
  }>().session;
  if (session.state !== 'mfa_enrollment_required') {
    throw new Error(`expected enrolment, got ${session.state}`);
  }
  const enroll = await client.post('/api/v1/auth/mfa/enroll');
  const { secret } = enroll.json<{ secret: string }>();
  const confirm = await client.post('/api/v1/auth/mfa/confirm', {
    code: await totpFor(secret, t.clock.now()),
  });
  if (confirm.status !== 200) {
    throw new Error(`confirm failed: ${confirm.status} ${confirm.body}`);
  }
  return { client, totpSecret: secret, organizationId: session.organization.id, userId: session.user.id };
};

/** Signs in a user without MFA requirements (state must become active). */
export const signIn = async (
  t: TestApp,
  email: string,
  password: string,
  ip?: string,
): Promise<TestClient> => {
  const client = createClient(t, ip ? { ip } : {});
  const res = await client.post('/api/v1/auth/login', { email, password });
  if (res.status !== 200) {
    throw new Error(`login failed: ${res.status} ${res.body}`);
  }
  return client;
};

/** Invites a user with a role and accepts the invitation; returns the e-mail. */
export const addMember = async (
  t: TestApp,
  admin: TestClient,
  role: string,
): Promise<{ email: string; userId: string }> => {
  const email = uniqueEmail(role);
  const inv = await admin.post('/api/v1/invitations', { email, role });
  if (inv.status !== 201) {
    throw new Error(`invite failed: ${inv.status} ${inv.body}`);
  }
  const { token } = inv.json<{ token: string }>();
  const accept = await createClient(t).post('/api/v1/invitations/accept', {
    token,
    displayName: role,
    password: STRONG_PASSWORD,
  });
  if (accept.status !== 200) {
    throw new Error(`accept failed: ${accept.status} ${accept.body}`);
  }
  const [row] = await t.deps.db.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email]);
  return { email, userId: row!.id };
};

/** Re-authenticates a signed-in client (password + TOTP when enrolled). */
export const reauth = async (
  t: TestApp,
  client: TestClient,
  password: string,
  totpSecret?: string,
): Promise<void> => {
  t.clock.advance(30_000); // a fresh TOTP step: a used step is never accepted twice
  const body = totpSecret ? { password, code: await totpFor(totpSecret, t.clock.now()) } : { password };
  const res = await client.post('/api/v1/auth/reauth', body);
  if (res.status !== 200) {
    throw new Error(`reauth failed: ${res.status} ${res.body}`);
  }
};

/** Signs the administrator in again (after the test clock moved past the idle timeout); ends the old session. */
export const relogin = async (
  t: TestApp,
  admin: { client: TestClient; email: string; password: string; totpSecret: string },
): Promise<TestClient> => {
  t.clock.advance(30_000);
  const client = createClient(t);
  const login = await client.post('/api/v1/auth/login', { email: admin.email, password: admin.password });
  if (login.status !== 200) {
    throw new Error(`relogin failed: ${login.status} ${login.body}`);
  }
  const mfa = await client.post('/api/v1/auth/mfa/verify', {
    code: await totpFor(admin.totpSecret, t.clock.now()),
  });
  if (mfa.status !== 200) {
    throw new Error(`relogin MFA failed: ${mfa.status} ${mfa.body}`);
  }
  admin.client = client;
  return client;
};
