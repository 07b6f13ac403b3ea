import { readFileSync } from 'node:fs';
import { hasPermission, isPermission, type Permission, ROLES, type Role } from '@medsec/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../../core/src/testing/corpora.ts';
import { withTx } from '../context.ts';
import { importOsv } from '../modules/advisories/advisories.service.ts';
import { importCsaf } from '../modules/advisories/csaf-import.service.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import { drainJobs, enqueueJob } from '../platform/jobs/jobs.service.ts';
import { insertMembership, insertUser } from '../platform/users/users.repository.ts';
import { createProductVia, INSULIN_PUMP, PDF_BYTES } from '../testing/fixtures.ts';
import {
  addMember,
  bootstrapAdmin,
  createClient,
  reauth,
  STRONG_PASSWORD,
  signIn,
  signInEnrolling,
  type TestClient,
  uniqueEmail,
} from '../testing/http-client.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

/**
 * The route table: every route declares its access; each role reaches exactly what its permissions allow;
 * nothing of one organization is visible or changeable from another, through every route.
 */
const SAMPLE_ID = '01a20000-0000-7000-8000-000000000000';

/** Notification settings whose webhook points at a closed local port (a test delivery fails at once, offline). */
const NOTIFY_PROBE_SETTINGS = {
  enabled: true,
  emailEnabled: false,
  emailRecipients: [],
  webhookEnabled: true,
  webhookUrl: 'http://127.0.0.1:1/closed-port',
  webhookSecret: 'probe-secret-0123456789',
  events: { dueSoon: true, dueSoonDays: 7, overdue: true, newCritical: true },
};

/** A request that exercises a route (path parameters filled in, a plausible body). */
const probeFor = (
  method: string,
  url: string,
  role: Role = 'admin',
): { method: string; url: string; body?: unknown } => {
  const path = url
    .replace(':id', SAMPLE_ID)
    .replace(':token', 'x'.repeat(43))
    .replace(':ref', 'mfds-2025:art-1')
    .replace(':key', 'procedure-outline');
  const bodies: Record<string, unknown> = {
    'POST /api/v1/invitations': { email: uniqueEmail('probe'), role: 'qa' },
    'POST /api/v1/tokens': { name: 'probe', role, expiresInDays: 1 },
    'POST /api/v1/organizations': { name: 'Probe org' },
    'PATCH /api/v1/organization': { name: 'Renamed' },
    'PATCH /api/v1/users/:id': { displayName: 'x' },
    'POST /api/v1/jobs': { type: 'audit.verify' },
    'POST /api/v1/vulnerabilities/:id/decision': { preview: true, set: { remediation: 'planned' } },
    'PUT /api/v1/deadline-policy': { high: { communicateDays: 30, fixDays: 45 } },
    'PUT /api/v1/notifications/settings': NOTIFY_PROBE_SETTINGS,
    'POST /api/v1/catalog/frameworks': {
      fileName: 'probe.yaml',
      content:
        'framework: probe-std\nentries:\n  - { ref: "probe-std:r-1", kind: requirement, textKo: 요구, obligation: none }\n',
    },
  };
  if (url === '/api/v1/catalog/search') {
    return { method, url: `${path}?q=test` };
  }
  const body = bodies[`${method} ${url}`];
  return { method, url: path, ...(body !== undefined ? { body } : {}) };
};

describe('route table and permissions', () => {
  let t: TestApp;
  const clients = new Map<Role, TestClient>();
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await bootstrapAdmin(t);
    clients.set('admin', admin.client);
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const m = await addMember(t, admin.client, role);
      clients.set(role, await signIn(t, m.email, STRONG_PASSWORD));
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('has an access declaration on every route, and every permission named is a real one', () => {
    expect(t.routes.length).toBeGreaterThan(20);
    const missing = t.routes.filter((r) => !r.access);
    expect(missing).toEqual([]);
    for (const r of t.routes) {
      expect(
        ['public', 'authenticated', 'partial'].includes(r.access!) || isPermission(r.access!),
        `${r.method} ${r.url}: ${r.access}`,
      ).toBe(true);
    }
  });

  it('refuses to build an app with a route that declares nothing', async () => {
    const { buildApp } = await import('../app.ts');
    await expect(
      buildApp(t.deps, {
        extraRoutes: [
          (app) => {
            app.get('/api/v1/undeclared', async () => ({}));
          },
        ],
      }),
    ).rejects.toThrow(/without a declared permission.*GET \/api\/v1\/undeclared/);
  });

  it('publishes OpenAPI 3.1 with every API route, and a browsable reference page', async () => {
    const anon = createClient(t);
    const doc = (await anon.get('/api/v1/openapi.json')).json<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      ),
    );
    const apiRoutes = t.routes.filter(
      (r) =>
        r.url.startsWith('/api/v1/') &&
        r.method !== 'HEAD' &&
        !r.url.startsWith('/api/v1/docs') &&
        r.url !== '/api/v1/openapi.json',
    );
    for (const r of apiRoutes) {
      expect(documented.has(`${r.method} ${r.url}`), `${r.method} ${r.url} in OpenAPI`).toBe(true);
    }
    const page = await anon.get('/api/v1/docs/');
    expect(page.status).toBe(200);
    expect(String(page.headers['content-type'])).toMatch(/text\/html/);
  });

  it('answers 401 on every non-public route without a session', async () => {
    const anon = createClient(t);
    for (const r of t.routes.filter((x) => x.access !== 'public' && x.url.startsWith('/api/'))) {
      const p = probeFor(r.method, r.url);
      const res = await anon.request(p.method, p.url, p.body);
      expect(res.status, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it('gives each role exactly the routes its permissions allow', async () => {
    const permissionRoutes = t.routes.filter((r) => isPermission(r.access ?? ''));
    for (const role of ROLES) {
      const client = clients.get(role)!;
      for (const r of permissionRoutes) {
        const p = probeFor(r.method, r.url, role);
        const res = await client.request(p.method, p.url, p.body);
        const problem = res.status === 403 ? res.json<{ reason?: string }>() : undefined;
        const deniedByRole = res.status === 403 && problem?.reason === undefined;
        const allowed = hasPermission(role, r.access as Permission);
        expect(deniedByRole, `${role} ${r.method} ${r.url} → ${res.status} ${res.body.slice(0, 120)}`).toBe(
          !allowed,
        );
      }
    }
  });

  it('lets the auditor read but never change', async () => {
    const auditor = clients.get('auditor')!;
    expect((await auditor.get('/api/v1/audit-events')).status).toBe(200);
    expect((await auditor.get('/api/v1/audit-events/export?format=csv')).status).toBe(200);
    expect((await auditor.get('/api/v1/users')).status).toBe(200);
    expect((await auditor.patch('/api/v1/organization', { name: 'x' })).status).toBe(403);
    expect((await auditor.post('/api/v1/invitations', { email: uniqueEmail(), role: 'admin' })).status).toBe(
      403,
    );
  });
});

describe('tenant isolation', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof bootstrapAdmin>>;
  let bAdmin: TestClient;
  let aAuditor: TestClient;
  let aOfficer: TestClient;
  const b: Record<string, string> = {};
  let bVulnerability = '';

  beforeAll(async () => {
    t = await createTestApp();
    a = await bootstrapAdmin(t, { organizationName: 'Org A' });
    aAuditor = await signIn(t, (await addMember(t, a.client, 'auditor')).email, STRONG_PASSWORD);
    // Organization B with its own administrator, created directly (setup runs only once).
    const ctx = t.systemCtx();
    const now = t.clock.now();
    const bEmail = uniqueEmail('b-admin');
    b.orgId = '01a20000-0000-7000-8000-00000000b0b0';
    b.adminId = '01a20000-0000-7000-8000-00000000b0b1';
    const hash = await hashPassword(STRONG_PASSWORD);
    await withTx(ctx, async (tx) => {
      await tx.query(
        'INSERT INTO organizations (id, name, mfa_policy, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)',
        [b.orgId, 'Org B', 'admins', now],
      );
      await insertUser(tx, {
        id: b.adminId!,
        email: bEmail,
        displayName: 'B admin',
        passwordHash: hash,
        now,
      });
      await insertMembership(tx, {
        organizationId: b.orgId!,
        userId: b.adminId!,
        role: 'admin',
        validUntil: null,
        now,
      });
    });
    bAdmin = (await signInEnrolling(t, bEmail, STRONG_PASSWORD)).client;
    const bMember = await addMember(t, bAdmin, 'developer');
    b.memberId = bMember.userId;
    b.memberEmail = bMember.email;
    const inv = await bAdmin.post('/api/v1/invitations', { email: uniqueEmail('b-invitee'), role: 'qa' });
    b.invitationId = inv.json<{ id: string }>().id;
    b.invitationEmail = inv.json<{ email: string }>().email;
    const tok = await bAdmin.post('/api/v1/tokens', { name: 'b-ci', role: 'developer', expiresInDays: 10 });
    b.tokenId = tok.json<{ id: string }>().id;
    b.jobId = await withTx(ctx, (tx) =>
      enqueueJob({ ...ctx, actor: { ...ctx.actor, organizationId: b.orgId! } }, tx, {
        type: 'audit.verify',
        organizationId: b.orgId!,
      }),
    );
    await t.deps.db.query("UPDATE jobs SET status = 'failed' WHERE id = $1", [b.jobId]);
    // B's product data: product, release, assessment item, architecture, evidence, document
    const bOfficer = await signIn(t, (await addMember(t, bAdmin, 'security_officer')).email, STRONG_PASSWORD);
    b.productId = (await createProductVia(bOfficer)).id;
    b.releaseId = (await bOfficer.post(`/api/v1/products/${b.productId}/releases`, { version: '1.0' })).json<{
      id: string;
    }>().id;
    b.itemId = (await bOfficer.get(`/api/v1/releases/${b.releaseId}/assessment`)).json<{
      items: { id: string }[];
    }>().items[0]!.id;
    const element = (kind: string, name: string) =>
      bOfficer.post(`/api/v1/releases/${b.releaseId}/architecture/elements`, { kind, name });
    b.elementId = (await element('software', 'pump firmware')).json<{ id: string }>().id;
    const app2 = (await element('external-entity', 'phone app')).json<{ id: string }>().id;
    b.flowId = (
      await bOfficer.post(`/api/v1/releases/${b.releaseId}/architecture/flows`, {
        fromId: b.elementId,
        toId: app2,
        name: 'dose commands',
      })
    ).json<{ id: string }>().id;
    b.evidenceId = (
      await bOfficer.upload(
        'POST',
        '/api/v1/evidence',
        { name: 'b-report.pdf', content: PDF_BYTES },
        { title: 'B report' },
      )
    ).json<{ id: string }>().id;
    b.documentId = (
      await bOfficer.post('/api/v1/documents', {
        number: 'B-QP-001',
        title: 'B procedure',
        type: 'procedure',
      })
    ).json<{ id: string }>().id;
    // B's SBOM (the medical-device SBOM) and a finding from the GitHub advisories that name its components
    const narrow = readFileSync(
      corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json'),
    );
    b.sbomId = (
      await bOfficer.upload('POST', `/api/v1/releases/${b.releaseId}/sboms`, {
        name: 'device.cdx.json',
        content: narrow,
      })
    ).json<{ id: string }>().id;
    await importOsv(t.deps, corpus('osv', 'ghsa-targeted'));
    await drainJobs(t.deps, t.jobs);
    const bFindings = (await bOfficer.get('/api/v1/findings')).json<{
      items: { id: string; vulnerabilityId: string }[];
    }>();
    b.findingId = bFindings.items[0]!.id;
    bVulnerability = bFindings.items[0]!.vulnerabilityId; // public data, not B's: kept out of `b`
    // B's notification settings and a (failed) test delivery in B's log
    b.notifyRecipient = uniqueEmail('b-psirt');
    expect(
      (
        await bAdmin.put('/api/v1/notifications/settings', {
          ...NOTIFY_PROBE_SETTINGS,
          emailRecipients: [b.notifyRecipient],
        })
      ).status,
    ).toBe(200);
    b.deliveryId = (await bAdmin.post('/api/v1/notifications/test')).json<{
      deliveries: { id: string }[];
    }>().deliveries[0]!.id;
    // B's issued CSAF advisory, and a vendor-CSAF name match waiting in B's review queue
    b.csafAdvisoryId = (
      await bOfficer.post('/api/v1/csaf-advisories', {
        profile: 'security_advisory',
        productId: b.productId,
        vulnerabilityId: bVulnerability,
      })
    ).json<{ id: string }>().id;
    expect(
      (await bOfficer.post(`/api/v1/csaf-advisories/${b.csafAdvisoryId}/issue`, { status: 'final' })).status,
    ).toBe(200);
    b.kitReleaseId = (
      await bOfficer.post(`/api/v1/products/${b.productId}/releases`, { version: '2.0' })
    ).json<{ id: string }>().id;
    await bOfficer.upload('POST', `/api/v1/releases/${b.kitReleaseId}/sboms`, {
      name: 'kit.cdx.json',
      content: readFileSync(new URL('../testing/fixtures/bpl-scale.cdx.json', import.meta.url)),
    });
    await importCsaf(t.deps, corpus('csaf', 'cisa-icsma-medical', 'icsma-24-254-01.json'));
    b.csafMatchId = (await bOfficer.get('/api/v1/csaf-matches')).json<{ items: { id: string }[] }>()
      .items[0]!.id;
    const officer = await addMember(t, a.client, 'security_officer');
    aOfficer = await signIn(t, officer.email, STRONG_PASSWORD);
  });
  afterAll(async () => {
    await t.close();
  });

  const snapshotB = async () => ({
    members: await t.deps.db.query(
      'SELECT user_id, role, status, valid_until FROM memberships WHERE organization_id = $1 ORDER BY user_id',
      [b.orgId],
    ),
    users: await t.deps.db.query(
      'SELECT id, display_name, locked_until FROM users WHERE id IN ($1, $2) ORDER BY id',
      [b.adminId, b.memberId],
    ),
    invitations: await t.deps.db.query('SELECT id, revoked_at FROM invitations WHERE organization_id = $1', [
      b.orgId,
    ]),
    tokens: await t.deps.db.query('SELECT id, revoked_at FROM api_tokens WHERE organization_id = $1', [
      b.orgId,
    ]),
    jobs: await t.deps.db.query('SELECT id, status, attempts FROM jobs WHERE organization_id = $1', [
      b.orgId,
    ]),
    org: await t.deps.db.query('SELECT name, mfa_policy FROM organizations WHERE id = $1', [b.orgId]),
    products: await t.deps.db.query(
      'SELECT name, profile, archived_at FROM products WHERE organization_id = $1',
      [b.orgId],
    ),
    releases: await t.deps.db.query(
      'SELECT version, status FROM product_releases WHERE organization_id = $1',
      [b.orgId],
    ),
    items: await t.deps.db.query(
      'SELECT id, status, version FROM assessment_items WHERE organization_id = $1 ORDER BY id',
      [b.orgId],
    ),
    decisions: await t.deps.db.query(
      'SELECT count(*)::int AS n, count(override_applicable)::int AS o FROM applicability_decisions WHERE organization_id = $1',
      [b.orgId],
    ),
    architecture: await t.deps.db.query(
      'SELECT (SELECT count(*)::int FROM architecture_elements WHERE organization_id = $1) AS e, (SELECT count(*)::int FROM data_flows WHERE organization_id = $1) AS f',
      [b.orgId],
    ),
    evidence: await t.deps.db.query(
      'SELECT e.id, e.current_version, (SELECT count(*)::int FROM evidence_links l WHERE l.evidence_id = e.id) AS links FROM evidence e WHERE organization_id = $1',
      [b.orgId],
    ),
    documents: await t.deps.db.query(
      'SELECT id, status, revision, retention_years FROM controlled_documents WHERE organization_id = $1',
      [b.orgId],
    ),
    sboms: await t.deps.db.query('SELECT id, superseded_at FROM sboms WHERE organization_id = $1', [b.orgId]),
    findings: await t.deps.db.query(
      'SELECT id, state, remediation, version FROM findings WHERE organization_id = $1 ORDER BY id',
      [b.orgId],
    ),
    findingHistory: await t.deps.db.query(
      'SELECT id, finding_id, seq FROM finding_state_changes WHERE organization_id = $1 ORDER BY id',
      [b.orgId],
    ),
    deadlines: await t.deps.db.query('SELECT * FROM deadline_policies WHERE organization_id = $1', [b.orgId]),
    notifications: await t.deps.db.query(
      'SELECT version, enabled, email_recipients, webhook_url, webhook_secret_enc FROM notification_settings WHERE organization_id = $1',
      [b.orgId],
    ),
    deliveries: await t.deps.db.query(
      'SELECT id, status, attempts FROM notification_deliveries WHERE organization_id = $1 ORDER BY id',
      [b.orgId],
    ),
    csaf: await t.deps.db.query(
      'SELECT id, status, current_revision, version, (SELECT count(*)::int FROM csaf_advisory_revisions r WHERE r.advisory_id = a.id) AS revisions FROM csaf_advisories a WHERE organization_id = $1',
      [b.orgId],
    ),
    csafMatches: await t.deps.db.query(
      'SELECT id, review_status, retracted_at FROM findings WHERE organization_id = $1 AND match_kind = $2 ORDER BY id',
      [b.orgId, 'csaf'],
    ),
  });

  /** Probes of the product, compliance, evidence and document routes: A's security officer against B's ids. */
  const productProbes = (
    expectNoneOf: (res: { status: number; body: string }) => void,
  ): Record<string, () => Promise<void>> => {
    const o = () => aOfficer;
    const is404 = async (res: Promise<{ status: number; body: string }>) => {
      const r = await res;
      expect(r.status, r.body.slice(0, 200)).toBe(404);
    };
    const pdf = { name: 'a.pdf', content: PDF_BYTES };
    return {
      'GET /api/v1/products': async () => expectNoneOf(await o().get('/api/v1/products?pageSize=100')),
      'POST /api/v1/products': async () =>
        expect((await o().post('/api/v1/products', { ...INSULIN_PUMP, model: 'A-1' })).status).toBe(201),
      'GET /api/v1/products/:id': () => is404(o().get(`/api/v1/products/${b.productId}`)),
      'PATCH /api/v1/products/:id': () =>
        is404(o().patch(`/api/v1/products/${b.productId}`, { name: 'pwned' })),
      'POST /api/v1/products/:id/archive': () =>
        is404(o().post(`/api/v1/products/${b.productId}/archive`, { archived: true })),
      'POST /api/v1/products/:id/applicability/preview': () =>
        is404(
          o().post(`/api/v1/products/${b.productId}/applicability/preview`, {
            profile: INSULIN_PUMP.profile,
          }),
        ),
      'GET /api/v1/products/:id/releases': () => is404(o().get(`/api/v1/products/${b.productId}/releases`)),
      'POST /api/v1/products/:id/releases': () =>
        is404(o().post(`/api/v1/products/${b.productId}/releases`, { version: '9.9' })),
      'PATCH /api/v1/releases/:id': () =>
        is404(o().patch(`/api/v1/releases/${b.releaseId}`, { status: 'released' })),
      'GET /api/v1/releases/:id/architecture': () =>
        is404(o().get(`/api/v1/releases/${b.releaseId}/architecture`)),
      'POST /api/v1/releases/:id/architecture/elements': () =>
        is404(
          o().post(`/api/v1/releases/${b.releaseId}/architecture/elements`, { kind: 'software', name: 'x' }),
        ),
      'DELETE /api/v1/architecture/elements/:id': () =>
        is404(o().delete(`/api/v1/architecture/elements/${b.elementId}`)),
      'POST /api/v1/releases/:id/architecture/flows': () =>
        is404(
          o().post(`/api/v1/releases/${b.releaseId}/architecture/flows`, {
            fromId: b.elementId,
            toId: b.elementId,
            name: 'x',
          }),
        ),
      'DELETE /api/v1/architecture/flows/:id': () =>
        is404(o().delete(`/api/v1/architecture/flows/${b.flowId}`)),
      'GET /api/v1/products/:id/applicability': () =>
        is404(o().get(`/api/v1/products/${b.productId}/applicability`)),
      'PUT /api/v1/products/:id/applicability/:ref': () =>
        is404(
          o().put(`/api/v1/products/${b.productId}/applicability/mfds-2025:art-5`, {
            applicable: false,
            justification: 'cross-tenant attempt',
          }),
        ),
      'DELETE /api/v1/products/:id/applicability/:ref': () =>
        is404(o().delete(`/api/v1/products/${b.productId}/applicability/mfds-2025:art-5`)),
      'GET /api/v1/releases/:id/assessment': () =>
        is404(o().get(`/api/v1/releases/${b.releaseId}/assessment`)),
      'GET /api/v1/releases/:id/assessment/progress': () =>
        is404(o().get(`/api/v1/releases/${b.releaseId}/assessment/progress`)),
      'GET /api/v1/releases/:id/assessment/missing': () =>
        is404(o().get(`/api/v1/releases/${b.releaseId}/assessment/missing`)),
      'GET /api/v1/releases/:id/assessment/export': () =>
        is404(o().get(`/api/v1/releases/${b.releaseId}/assessment/export?format=csv`)),
      'GET /api/v1/releases/:id/assessment/diff': () =>
        is404(o().get(`/api/v1/releases/${b.releaseId}/assessment/diff`)),
      'POST /api/v1/releases/:id/assessment/bulk': () =>
        is404(
          o().post(`/api/v1/releases/${b.releaseId}/assessment/bulk`, {
            itemIds: [b.itemId],
            set: { status: 'verified' },
          }),
        ),
      'PATCH /api/v1/assessment-items/:id': () =>
        is404(o().patch(`/api/v1/assessment-items/${b.itemId}`, { status: 'verified' })),
      'POST /api/v1/assessment-items/:id/propagate': () =>
        is404(o().post(`/api/v1/assessment-items/${b.itemId}/propagate`, { releaseIds: [b.releaseId] })),
      'GET /api/v1/assessment-items/:id/history': () =>
        is404(o().get(`/api/v1/assessment-items/${b.itemId}/history`)),
      'GET /api/v1/evidence': async () => expectNoneOf(await o().get('/api/v1/evidence')),
      'POST /api/v1/evidence': async () =>
        expect((await o().upload('POST', '/api/v1/evidence', pdf)).status).toBe(201),
      'POST /api/v1/evidence/links': async () =>
        expect(
          (await o().post('/api/v1/evidence/links', { title: 'CI run', url: 'https://ci.example/1' })).status,
        ).toBe(201),
      'GET /api/v1/evidence/:id': () => is404(o().get(`/api/v1/evidence/${b.evidenceId}`)),
      'POST /api/v1/evidence/:id/versions': () =>
        is404(o().upload('POST', `/api/v1/evidence/${b.evidenceId}/versions`, pdf)),
      'GET /api/v1/evidence/:id/versions/:version/download': () =>
        is404(o().get(`/api/v1/evidence/${b.evidenceId}/versions/1/download`)),
      'POST /api/v1/evidence/:id/attach': async () => {
        await is404(o().post(`/api/v1/evidence/${b.evidenceId}/attach`, { itemIds: [b.itemId] }));
        // A's own evidence onto B's item is refused too
        const own = (
          await o().post('/api/v1/evidence/links', { title: 'x', url: 'https://ci.example/2' })
        ).json<{ id: string }>();
        await is404(o().post(`/api/v1/evidence/${own.id}/attach`, { itemIds: [b.itemId] }));
      },
      'POST /api/v1/evidence/:id/detach': () =>
        is404(o().post(`/api/v1/evidence/${b.evidenceId}/detach`, { itemIds: [b.itemId] })),
      'POST /api/v1/releases/:id/sboms': () =>
        is404(
          o().upload('POST', `/api/v1/releases/${b.releaseId}/sboms`, { name: 'x.json', content: PDF_BYTES }),
        ),
      'GET /api/v1/releases/:id/sboms': () => is404(o().get(`/api/v1/releases/${b.releaseId}/sboms`)),
      'GET /api/v1/sboms/:id': () => is404(o().get(`/api/v1/sboms/${b.sbomId}`)),
      'GET /api/v1/sboms/:id/components': () => is404(o().get(`/api/v1/sboms/${b.sbomId}/components`)),
      'GET /api/v1/sboms/:id/diff': () => is404(o().get(`/api/v1/sboms/${b.sbomId}/diff?from=${b.sbomId}`)),
      'GET /api/v1/sboms/:id/export': () => is404(o().get(`/api/v1/sboms/${b.sbomId}/export`)),
      'GET /api/v1/sboms/:id/components/search': () =>
        is404(o().get(`/api/v1/sboms/${b.sbomId}/components/search?q=a`)),
      'GET /api/v1/sboms/:id/dependencies': () => is404(o().get(`/api/v1/sboms/${b.sbomId}/dependencies`)),
      'GET /api/v1/sboms/:id/dependencies/path': () =>
        is404(o().get(`/api/v1/sboms/${b.sbomId}/dependencies/path?key=x`)),
      'GET /api/v1/findings/series': async () => {
        // A has no findings: B's never count; B's product and release are unknown to A
        const res = await o().get('/api/v1/findings/series?days=7');
        expectNoneOf(res);
        expect(res.json<{ findings: number }>().findings).toBe(0);
        await is404(o().get(`/api/v1/findings/series?productId=${b.productId}`));
        await is404(o().get(`/api/v1/findings/series?releaseId=${b.releaseId}`));
      },
      'GET /api/v1/vulnerabilities/:id/detail': async () => {
        // the vulnerability is public data; B's affected releases are not A's to see
        const res = await o().get(`/api/v1/vulnerabilities/${encodeURIComponent(bVulnerability)}/detail`);
        expectNoneOf(res);
        expect(res.json<{ affected: unknown[] }>().affected).toEqual([]);
      },
      'GET /api/v1/findings': async () =>
        expectNoneOf(await o().get('/api/v1/findings?includeRetracted=true')),
      'GET /api/v1/findings/overdue': async () => {
        // B's findings are due within 60 days: a year's window would show them if the scope leaked
        const res = await o().get('/api/v1/findings/overdue?withinDays=365');
        expectNoneOf(res);
        expect(res.json<{ items: unknown[] }>().items).toEqual([]);
        await expect(
          o().get(`/api/v1/findings/overdue?productId=${b.productId}&withinDays=365`),
        ).resolves.toMatchObject({ status: 200 });
      },
      'GET /api/v1/releases/:id/findings/export': () =>
        is404(o().get(`/api/v1/releases/${b.releaseId}/findings/export?format=openvex`)),
      'GET /api/v1/products/:id/csaf': () =>
        is404(
          o().get(`/api/v1/products/${b.productId}/csaf?vulnerability=${encodeURIComponent(bVulnerability)}`),
        ),
      'PATCH /api/v1/findings/:id': () =>
        is404(o().patch(`/api/v1/findings/${b.findingId}`, { remediation: 'planned' })),
      'GET /api/v1/findings/:id/history': () => is404(o().get(`/api/v1/findings/${b.findingId}/history`)),
      'POST /api/v1/vulnerabilities/:id/decision': async () => {
        const res = await o().post(`/api/v1/vulnerabilities/${bVulnerability}/decision`, {
          preview: false,
          set: { remediation: 'wont-fix' },
        });
        expect(res.status).toBe(200);
        expect(res.json<{ touched: unknown[] }>().touched).toEqual([]);
      },
      'GET /api/v1/deadline-policy': async () =>
        expect((await o().get('/api/v1/deadline-policy')).status).toBe(200),
      'PUT /api/v1/deadline-policy': async () =>
        expect(
          (await o().put('/api/v1/deadline-policy', { high: { communicateDays: 10, fixDays: 20 } })).status,
        ).toBe(200),
      'GET /api/v1/documents': async () => expectNoneOf(await o().get('/api/v1/documents')),
      'POST /api/v1/documents': async () =>
        expect(
          (await o().post('/api/v1/documents', { number: 'A-QP-001', title: 'A', type: 'procedure' })).status,
        ).toBe(201),
      'POST /api/v1/documents/from-template': async () =>
        expect(
          (await o().post('/api/v1/documents/from-template', { templateKey: 'procedure-outline' })).status,
        ).toBe(200),
      'GET /api/v1/documents/:id': () => is404(o().get(`/api/v1/documents/${b.documentId}`)),
      'PUT /api/v1/documents/:id/file': () =>
        is404(o().upload('PUT', `/api/v1/documents/${b.documentId}/file`, pdf)),
      'POST /api/v1/documents/:id/sign': async () => {
        await reauth(t, aOfficer, STRONG_PASSWORD);
        await is404(o().post(`/api/v1/documents/${b.documentId}/sign`, { meaning: 'author' }));
      },
      'POST /api/v1/documents/:id/withdraw': () =>
        is404(o().post(`/api/v1/documents/${b.documentId}/withdraw`)),
      'PATCH /api/v1/documents/:id/retention': () =>
        is404(o().patch(`/api/v1/documents/${b.documentId}/retention`, { retentionYears: 6 })),
      'POST /api/v1/documents/:id/obsolete': () =>
        is404(o().post(`/api/v1/documents/${b.documentId}/obsolete`)),
      'DELETE /api/v1/documents/:id': async () => {
        await reauth(t, aOfficer, STRONG_PASSWORD);
        await is404(o().delete(`/api/v1/documents/${b.documentId}`));
      },
      'GET /api/v1/documents/:id/revisions/:revision/download': () =>
        is404(o().get(`/api/v1/documents/${b.documentId}/revisions/1/download`)),
      'POST /api/v1/documents/:id/attach': () =>
        is404(o().post(`/api/v1/documents/${b.documentId}/attach`, { itemIds: [b.itemId] })),
      'POST /api/v1/documents/:id/detach': () =>
        is404(o().post(`/api/v1/documents/${b.documentId}/detach`, { itemIds: [b.itemId] })),
      'GET /api/v1/releases/:id/csaf-vex': () => is404(o().get(`/api/v1/releases/${b.releaseId}/csaf-vex`)),
      'GET /api/v1/csaf-advisories': async () => expectNoneOf(await o().get('/api/v1/csaf-advisories')),
      'POST /api/v1/csaf-advisories': async () => {
        await is404(
          o().post('/api/v1/csaf-advisories', {
            profile: 'security_advisory',
            productId: b.productId,
            vulnerabilityId: bVulnerability,
          }),
        );
        await is404(o().post('/api/v1/csaf-advisories', { profile: 'vex', releaseId: b.releaseId }));
      },
      'GET /api/v1/csaf-advisories/:id': () => is404(o().get(`/api/v1/csaf-advisories/${b.csafAdvisoryId}`)),
      'GET /api/v1/csaf-advisories/:id/preview': () =>
        is404(o().get(`/api/v1/csaf-advisories/${b.csafAdvisoryId}/preview`)),
      'POST /api/v1/csaf-advisories/:id/issue': () =>
        is404(o().post(`/api/v1/csaf-advisories/${b.csafAdvisoryId}/issue`, { status: 'final' })),
      'GET /api/v1/csaf-advisories/:id/revisions/:revision': async () => {
        await is404(o().get(`/api/v1/csaf-advisories/${b.csafAdvisoryId}/revisions/1`));
        await is404(o().get(`/api/v1/csaf-advisories/${b.csafAdvisoryId}/revisions/latest`));
      },
      'GET /api/v1/csaf-matches': async () => {
        for (const status of ['pending', 'confirmed', 'dismissed']) {
          expectNoneOf(await o().get(`/api/v1/csaf-matches?status=${status}`));
        }
      },
      'POST /api/v1/csaf-matches/:id/confirm': () =>
        is404(o().post(`/api/v1/csaf-matches/${b.csafMatchId}/confirm`)),
      'POST /api/v1/csaf-matches/:id/dismiss': () =>
        is404(
          o().post(`/api/v1/csaf-matches/${b.csafMatchId}/dismiss`, {
            reason: 'cross-tenant dismissal attempt',
          }),
        ),
    };
  };

  it("covers every route: each is either probed with the other organization's ids or declared tenant-neutral", async () => {
    await reauth(t, a.client, a.password, a.totpSecret);
    const before = await snapshotB();
    const bIds = Object.values(b);
    const probes: Record<string, () => Promise<void>> = {
      'GET /api/v1/users': async () => expectNoneOf(await a.client.get('/api/v1/users?pageSize=100')),
      'GET /api/v1/users/:id': async () =>
        expect((await a.client.get(`/api/v1/users/${b.memberId}`)).status).toBe(404),
      'PATCH /api/v1/users/:id': async () =>
        expect(
          (await a.client.patch(`/api/v1/users/${b.memberId}`, { role: 'admin', displayName: 'pwned' }))
            .status,
        ).toBe(404),
      'POST /api/v1/users/:id/disable': async () =>
        expect((await a.client.post(`/api/v1/users/${b.memberId}/disable`)).status).toBe(404),
      'POST /api/v1/users/:id/enable': async () =>
        expect((await a.client.post(`/api/v1/users/${b.memberId}/enable`)).status).toBe(404),
      'POST /api/v1/users/:id/unlock': async () =>
        expect((await a.client.post(`/api/v1/users/${b.memberId}/unlock`)).status).toBe(404),
      'GET /api/v1/invitations': async () => expectNoneOf(await a.client.get('/api/v1/invitations')),
      'POST /api/v1/invitations': async () => {
        const res = await a.client.post('/api/v1/invitations', {
          email: uniqueEmail('a-invitee'),
          role: 'qa',
        });
        expect(res.status).toBe(201);
      },
      'DELETE /api/v1/invitations/:id': async () =>
        expect((await a.client.delete(`/api/v1/invitations/${b.invitationId}`)).status).toBe(404),
      'GET /api/v1/tokens': async () => expectNoneOf(await a.client.get('/api/v1/tokens')),
      'POST /api/v1/tokens': async () =>
        expect(
          (await a.client.post('/api/v1/tokens', { name: 'a', role: 'auditor', expiresInDays: 1 })).status,
        ).toBe(201),
      'DELETE /api/v1/tokens/:id': async () =>
        expect((await a.client.delete(`/api/v1/tokens/${b.tokenId}`)).status).toBe(404),
      'GET /api/v1/audit-events': async () =>
        expectNoneOf(await a.client.get('/api/v1/audit-events?pageSize=100')),
      'GET /api/v1/audit-events/export': async () => {
        expectNoneOf(await aAuditor.get('/api/v1/audit-events/export?format=jsonl'));
        expectNoneOf(await aAuditor.get('/api/v1/audit-events/export?format=csv'));
      },
      'GET /api/v1/audit-events/verify': async () =>
        expect((await a.client.get('/api/v1/audit-events/verify')).status).toBe(200),
      'GET /api/v1/jobs': async () => expectNoneOf(await a.client.get('/api/v1/jobs?pageSize=100')),
      'GET /api/v1/jobs/:id': async () =>
        expect((await a.client.get(`/api/v1/jobs/${b.jobId}`)).status).toBe(404),
      'POST /api/v1/jobs': async () =>
        expect((await a.client.post('/api/v1/jobs', { type: 'audit.verify' })).status).toBe(201),
      'POST /api/v1/jobs/:id/retry': async () =>
        expect([404, 409]).toContain((await a.client.post(`/api/v1/jobs/${b.jobId}/retry`)).status),
      'GET /api/v1/organization': async () => {
        const res = await a.client.get('/api/v1/organization');
        expect(res.json<{ id: string }>().id).toBe(a.organizationId);
      },
      'PATCH /api/v1/organization': async () =>
        expect((await a.client.patch('/api/v1/organization', { name: 'Org A renamed' })).status).toBe(200),
      'POST /api/v1/organizations': async () =>
        expect((await a.client.post('/api/v1/organizations', { name: 'Org A2' })).status).toBe(201),
      'POST /api/v1/auth/switch-organization': async () =>
        expect(
          (await a.client.post('/api/v1/auth/switch-organization', { organizationId: b.orgId })).status,
        ).toBe(404),
      'GET /api/v1/auth/session': async () => expectNoneOf(await a.client.get('/api/v1/auth/session')),
      'GET /api/v1/notifications/settings': async () => {
        const res = await a.client.get('/api/v1/notifications/settings');
        expectNoneOf(res);
        expect(res.body).not.toContain('probe-secret');
      },
      'PUT /api/v1/notifications/settings': async () =>
        expect((await a.client.put('/api/v1/notifications/settings', NOTIFY_PROBE_SETTINGS)).status).toBe(
          200,
        ),
      'GET /api/v1/notifications/deliveries': async () =>
        expectNoneOf(await a.client.get('/api/v1/notifications/deliveries?pageSize=100')),
      'POST /api/v1/notifications/test': async () => {
        // A's own settings: the delivery goes to A's webhook and lands in A's log only
        await a.client.put('/api/v1/notifications/settings', NOTIFY_PROBE_SETTINGS);
        expectNoneOf(await a.client.post('/api/v1/notifications/test'));
      },
      ...productProbes(expectNoneOf),
      'POST /api/v1/catalog/frameworks': async () => {
        const res = await aOfficer.post('/api/v1/catalog/frameworks', {
          content:
            'framework: org-a-std\nentries:\n  - { ref: "org-a-std:r-1", kind: requirement, textKo: 요구, obligation: none }\n',
        });
        expect(res.status).toBe(200);
      },
    };
    // Routes that hold no organization data of their own (health, setup, sign-in steps on one's own account, docs).
    const neutral = new Set([
      'GET /healthz',
      'GET /readyz',
      'GET /api/v1/setup',
      'POST /api/v1/setup',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/mfa/verify',
      'POST /api/v1/auth/session/refresh',
      'POST /api/v1/auth/logout',
      'POST /api/v1/auth/reauth',
      'POST /api/v1/auth/password',
      'POST /api/v1/auth/mfa/enroll',
      'POST /api/v1/auth/mfa/confirm',
      'POST /api/v1/auth/mfa/disable',
      'POST /api/v1/auth/mfa/recovery-codes',
      'PUT /api/v1/auth/locale',
      'GET /api/v1/invitations/by-token/:token',
      'POST /api/v1/invitations/accept',
      'GET /api/v1/openapi.json',
      // The built-in regulatory catalog is global reference data (organization_id NULL); an organization's own
      // frameworks are filtered by the same visibility rule, tested in catalog-org.int.test.ts.
      'GET /api/v1/catalog/frameworks',
      'GET /api/v1/catalog/requirements',
      'GET /api/v1/catalog/requirements/:ref',
      'GET /api/v1/catalog/search',
      'GET /api/v1/catalog/approval-requirements',
      'GET /api/v1/catalog/export',
      'GET /api/v1/catalog/imdrf-mapping',
      'GET /api/v1/catalog/templates',
      'GET /api/v1/catalog/templates/:key',
      'GET /api/v1/catalog/service-model',
      // public advisory data shared by every organization (like the built-in catalog)
      'GET /api/v1/vulnerabilities/:id',
      'POST /api/v1/advisories/import',
    ]);
    function expectNoneOf(res: { status: number; body: string }): void {
      expect(res.status).toBe(200);
      for (const id of bIds) {
        expect(res.body.includes(id), `leaked ${id}`).toBe(false);
      }
    }
    const uncovered: string[] = [];
    for (const r of t.routes) {
      const key = `${r.method} ${r.url}`;
      if (
        r.method === 'HEAD' ||
        r.url.startsWith('/api/v1/docs') ||
        (!r.url.startsWith('/api/') && !['/healthz', '/readyz'].includes(r.url))
      ) {
        continue; // HEAD twins of GET routes, the API reference page and the web app's static files
      }
      const probe = probes[key];
      if (probe) {
        await probe();
      } else if (!neutral.has(key)) {
        uncovered.push(key);
      }
    }
    expect(uncovered, 'routes without a tenancy probe').toEqual([]);
    expect(await snapshotB()).toEqual(before);
  });

  it('keeps an API token inside its organization', async () => {
    const tok = await a.client.post('/api/v1/tokens', { name: 'a-ci', role: 'auditor', expiresInDays: 1 });
    const bot = createClient(t, { bearer: tok.json<{ token: string }>().token });
    const events = await bot.get('/api/v1/audit-events?pageSize=100');
    expect(events.status).toBe(200);
    for (const id of Object.values(b)) {
      expect(events.body.includes(id)).toBe(false);
    }
    expect((await bot.get(`/api/v1/users/${b.memberId}`)).status).toBe(404);
  });
});
