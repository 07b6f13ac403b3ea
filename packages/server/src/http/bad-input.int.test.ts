import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin, createClient, reauth } from '../testing/http-client.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

/** Bad input gets a 4xx problem document naming the offending path; nothing is half-written or echoed unescaped. */
describe('bad input', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof bootstrapAdmin>>;
  const count = async (table: string) =>
    (await t.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n;
  beforeAll(async () => {
    t = await createTestApp({ env: { MEDSEC_BODY_LIMIT_BYTES: '4096' } });
    admin = await bootstrapAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const expectProblem = (
    res: { status: number; headers: Record<string, unknown>; json: <T>() => T },
    status: number,
    path?: string,
  ) => {
    expect(res.status).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
    const problem = res.json<{
      code: string;
      requestId: string;
      errors?: { path: string }[];
      status: number;
    }>();
    expect(problem.status).toBe(status);
    expect(problem.requestId).toMatch(/^[0-9a-f-]{36}$/);
    if (path) {
      expect(problem.errors?.map((e) => e.path)).toContain(path);
    }
    return problem;
  };

  it('malformed JSON', async () => {
    const res = await admin.client.request('POST', '/api/v1/invitations', '{"email": "a@b.c", "role": ', {
      'content-type': 'application/json',
    });
    expectProblem(res, 400, 'body');
  });

  it('wrong types and unknown fields, with the offending path', async () => {
    expectProblem(
      await admin.client.post('/api/v1/invitations', { email: 42, role: 'qa' }),
      400,
      'body.email',
    );
    expectProblem(
      await admin.client.post('/api/v1/invitations', { email: 'x@example.com', role: 'superuser' }),
      400,
      'body.role',
    );
    const unknown = expectProblem(
      await admin.client.post('/api/v1/invitations', { email: 'y@example.com', role: 'qa', isAdmin: true }),
      400,
    );
    expect(JSON.stringify(unknown)).toContain('isAdmin');
    expectProblem(await admin.client.get('/api/v1/users?pageSize=1000'), 400, 'querystring.pageSize');
    expectProblem(await admin.client.get('/api/v1/users/not-a-uuid'), 400, 'params.id');
    expect(await count('invitations')).toBe(0);
  });

  it('oversized bodies', async () => {
    const res = await admin.client.post('/api/v1/invitations', {
      email: 'z@example.com',
      role: 'qa',
      pad: 'x'.repeat(10_000),
    });
    expectProblem(res, 413);
    expect(await count('invitations')).toBe(0);
  });

  it('invalid UTF-8', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json', 'x-csrf-token': 'x' },
      payload: Buffer.concat([
        Buffer.from('{"email":"'),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from('","password":"x"}'),
      ]),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('body');
  });

  it('non-JSON content types', async () => {
    const res = await admin.client.request('POST', '/api/v1/invitations', 'email=a@b.c', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expectProblem(res, 415);
  });

  it('SQL and HTML metacharacters are stored verbatim and returned as JSON, never interpreted', async () => {
    await reauth(t, admin.client, admin.password, admin.totpSecret);
    const nasty = `<script>alert(1)</script>'; DROP TABLE users; -- "quoted" \\ 한글`;
    const res = await admin.client.patch('/api/v1/organization', { name: nasty });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json<{ name: string }>().name).toBe(nasty);
    expect(res.body).not.toContain('<script>alert(1)</script>"'); // only inside a JSON string
    expect(await count('users')).toBe(1);
    const search = await admin.client.get(`/api/v1/users?q=${encodeURIComponent("%' OR '1'='1")}`);
    expect(search.status).toBe(200);
    expect(search.json<{ total: number }>().total).toBe(0);
    const ctrl = await admin.client.patch('/api/v1/organization', { name: 'bad\u0000name' });
    expectProblem(ctrl, 400, 'body.name');
  });

  it('unknown routes and methods get a problem document, never a stack trace or a banner', async () => {
    const res = await createClient(t).get('/api/v1/nope');
    expectProblem(res, 404);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.server).toBeUndefined();
  });

  it('a failed multi-row write leaves nothing behind', async () => {
    const before = {
      orgs: await count('organizations'),
      members: await count('memberships'),
      events: await count('audit_events'),
    };
    // The name passes the schema but breaks the database check: the org, its membership and the audit event roll back together.
    const { createOrganization } = await import('../platform/organizations/organizations.service.ts');
    const ctx = {
      ...t.systemCtx(admin.organizationId),
      actor: { ...t.systemCtx().actor, userId: admin.userId, organizationId: admin.organizationId },
    };
    await expect(createOrganization(ctx, 'x'.repeat(201))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect({
      orgs: await count('organizations'),
      members: await count('memberships'),
      events: await count('audit_events'),
    }).toEqual(before);
  });
});
