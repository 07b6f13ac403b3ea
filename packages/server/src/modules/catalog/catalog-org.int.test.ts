import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../../context.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { insertMembership, insertUser } from '../../platform/users/users.repository.ts';
import { bootstrapAdmin, STRONG_PASSWORD, signInEnrolling, uniqueEmail } from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { importOrganizationFramework, MAX_CATALOG_FILE_BYTES } from './catalog.import.ts';

const FIXTURE = fileURLToPath(new URL('../../testing/fixtures/org-framework.yaml', import.meta.url));

/** An organization's own framework is visible to that organization only. */
describe('organization frameworks', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof bootstrapAdmin>>;
  let bClient: Awaited<ReturnType<typeof signInEnrolling>>['client'];
  const dir = mkdtempSync(join(tmpdir(), 'medsec-orgfw-'));
  beforeAll(async () => {
    t = await createTestApp();
    a = await bootstrapAdmin(t, { organizationName: 'Org A' });
    const ctx = t.systemCtx();
    const now = t.clock.now();
    const email = uniqueEmail('b');
    const hash = await hashPassword(STRONG_PASSWORD);
    await withTx(ctx, async (tx) => {
      await tx.query(
        'INSERT INTO organizations (id, name, mfa_policy, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)',
        ['01a20000-0000-7000-8000-00000000c0c0', 'Org B', 'admins', now],
      );
      await insertUser(tx, {
        id: '01a20000-0000-7000-8000-00000000c0c1',
        email,
        displayName: 'B',
        passwordHash: hash,
        now,
      });
      await insertMembership(tx, {
        organizationId: '01a20000-0000-7000-8000-00000000c0c0',
        userId: '01a20000-0000-7000-8000-00000000c0c1',
        role: 'admin',
        validUntil: null,
        now,
      });
    });
    bClient = (await signInEnrolling(t, email, STRONG_PASSWORD)).client;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports into one organization; its users see it, another organization does not', async () => {
    const summary = await importOrganizationFramework(t.deps.db, t.clock, a.organizationId, FIXTURE);
    expect(summary).toMatchObject({ framework: 'acme-sdl', created: 2 });
    expect((await importOrganizationFramework(t.deps.db, t.clock, a.organizationId, FIXTURE)).skipped).toBe(
      true,
    );
    const mine = (await a.client.get('/api/v1/catalog/frameworks')).json<{
      items: { id: string; builtIn: boolean }[];
    }>();
    expect(mine.items).toContainEqual(expect.objectContaining({ id: 'acme-sdl', builtIn: false }));
    expect((await a.client.get('/api/v1/catalog/requirements/acme-sdl:req-1')).status).toBe(200);
    const theirs = (await bClient.get('/api/v1/catalog/frameworks')).json<{ items: { id: string }[] }>();
    expect(theirs.items.map((f) => f.id)).not.toContain('acme-sdl');
    expect((await bClient.get('/api/v1/catalog/requirements/acme-sdl:req-1')).status).toBe(404);
    const search = await bClient.get(`/api/v1/catalog/search?q=${encodeURIComponent('위협 모델을 갱신')}`);
    expect(search.json<{ items: unknown[] }>().items).toEqual([]);
    const exported = await bClient.get('/api/v1/catalog/export?format=json');
    expect(exported.body).not.toContain('acme-sdl');
    // the other organization cannot take the id
    await expect(
      importOrganizationFramework(t.deps.db, t.clock, '01a20000-0000-7000-8000-00000000c0c0', FIXTURE),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses a built-in id and a malformed file with the offending paths, writing nothing', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'framework: mfds-2025\nentries:\n  - ref: mfds-2025:x\n    kind: requirement\n    textKo: 가\n    obligation: mandatory\n',
    );
    await expect(
      importOrganizationFramework(t.deps.db, t.clock, a.organizationId, bad),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    writeFileSync(
      bad,
      'framework: acme-x\nentries:\n  - ref: other:1\n    kind: requirement\n    textKo: 가\n    obligation: always\n',
    );
    await expect(
      importOrganizationFramework(t.deps.db, t.clock, a.organizationId, bad),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: expect.arrayContaining([
        expect.objectContaining({ path: expect.stringContaining('entries.0.obligation') }),
      ]),
    });
    writeFileSync(
      bad,
      'framework: acme-x\nentries:\n  - ref: other:1\n    kind: requirement\n    textKo: 가\n    obligation: mandatory\n    parentRef: acme-x:missing\n',
    );
    const error = await importOrganizationFramework(t.deps.db, t.clock, a.organizationId, bad).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify((error as { errors: unknown }).errors)).toMatch(
      /must start with acme-x:.*no entry acme-x:missing/s,
    );
    const [row] = await t.deps.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM catalog_frameworks WHERE id = 'acme-x'",
    );
    expect(row?.n).toBe(0);
  });

  it('refuses a missing file and one over the size limit before reading it', async () => {
    await expect(
      importOrganizationFramework(t.deps.db, t.clock, a.organizationId, join(dir, 'none.yaml')),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const huge = join(dir, 'huge.yaml');
    writeFileSync(huge, '');
    truncateSync(huge, MAX_CATALOG_FILE_BYTES + 1); // sparse: no bytes are written
    await expect(
      importOrganizationFramework(t.deps.db, t.clock, a.organizationId, huge),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
});
