import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../../../core/src/testing/corpora.ts';
import { createProductVia } from '../../testing/fixtures.ts';
import {
  addMember,
  bootstrapAdmin,
  STRONG_PASSWORD,
  signIn,
  type TestClient,
} from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

interface Problem {
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

/**
 * Bad input at the upload edge: the size and component limits (MEDSEC_SBOM_MAX_BYTES, MEDSEC_SBOM_MAX_COMPONENTS),
 * an upload that fails part-way through its transaction, and the three real-world malformed SBOMs of the corpora.
 */
describe('SBOM upload limits, atomicity and real-world malformed SBOMs', () => {
  let t: TestApp;
  let dev: TestClient;
  let release: string;
  const cern = readFileSync(
    corpus('sbom', 'cyclonedx', 'bom-examples', 'SBOM', 'cern-lhc-vdm-editor-e564943', 'bom.json'),
  ); // 40 KB, 43 components
  const narrow = readFileSync(
    corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json'),
  ); // 65 KB, 55 components
  const extended = readFileSync(
    corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'extended.sbom.json'),
  ); // 78 KB

  beforeAll(async () => {
    t = await createTestApp({ env: { MEDSEC_SBOM_MAX_BYTES: '70000', MEDSEC_SBOM_MAX_COMPONENTS: '50' } });
    const admin = await bootstrapAdmin(t);
    const officer = await signIn(
      t,
      (await addMember(t, admin.client, 'security_officer')).email,
      STRONG_PASSWORD,
    );
    dev = await signIn(t, (await addMember(t, admin.client, 'developer')).email, STRONG_PASSWORD);
    const productId = (await createProductVia(officer)).id;
    release = (await officer.post(`/api/v1/products/${productId}/releases`, { version: '1.0' })).json<{
      id: string;
    }>().id;
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (name: string, content: Buffer | string, lenient = false) =>
    dev.upload(
      'POST',
      `/api/v1/releases/${release}/sboms`,
      { name, content },
      lenient ? { lenient: 'true' } : {},
    );

  /** Everything an upload writes, counted. */
  const counts = async () => {
    const [row] = await t.deps.db.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM sboms)::int AS sboms,
              (SELECT count(*) FROM sboms WHERE superseded_at IS NULL)::int AS current,
              (SELECT count(*) FROM sbom_components)::int AS components,
              (SELECT count(*) FROM sbom_dependencies)::int AS dependencies,
              (SELECT count(*) FROM blobs)::int AS blobs,
              (SELECT count(*) FROM jobs WHERE type = 'sbom.match')::int AS jobs,
              (SELECT count(*) FROM audit_events WHERE action = 'sbom.uploaded')::int AS audits`,
    );
    return row!;
  };

  it('refuses an SBOM over MEDSEC_SBOM_MAX_BYTES with 413 before reading it, storing nothing', async () => {
    const before = await counts();
    const res = await upload('extended.cdx.json', extended);
    expect(res.status).toBe(413);
    expect(res.json<Problem>()).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      detail: expect.stringMatching(/70000/),
    });
    expect(await counts()).toEqual(before);
  });

  it('refuses an SBOM over MEDSEC_SBOM_MAX_COMPONENTS with 413 naming both numbers, storing nothing', async () => {
    const before = await counts();
    const res = await upload('narrow.cdx.json', narrow);
    expect(res.status).toBe(413);
    const problem = res.json<Problem>();
    expect(problem.code).toBe('PAYLOAD_TOO_LARGE');
    expect(problem.detail).toMatch(/55 components, over the limit of 50 \(MEDSEC_SBOM_MAX_COMPONENTS\)/);
    expect(problem.errors?.[0]?.path).toBe('/components');
    expect(await counts()).toEqual(before);
  });

  it('accepts an SBOM within both limits', async () => {
    const res = await upload('cern.cdx.json', cern);
    expect(res.status).toBe(201);
    expect(res.json<{ componentCount: number }>().componentCount).toBe(43);
  });

  it('leaves nothing behind when an upload fails part-way through its transaction', async () => {
    const before = await counts();
    expect(before).toMatchObject({ sboms: 1, current: 1, components: 43 });
    // a real failure inside the transaction, after the previous SBOM was superseded and the new SBOM row, its blob
    // and its components were written: the database refuses the matching job
    await t.deps.db.query(
      `CREATE FUNCTION medsec_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'disk full (test)'; END $$`,
    );
    await t.deps.db.query(
      `CREATE TRIGGER medsec_test_refuse BEFORE INSERT ON jobs FOR EACH ROW WHEN (NEW.type = 'sbom.match')
         EXECUTE FUNCTION medsec_test_refuse()`,
    );
    try {
      const other = cern.toString('utf8').replace('"version": 1', '"version": 2'); // new bytes, new blob
      const res = await upload('cern-2.cdx.json', other);
      expect(res.status).toBe(500);
      const [partial] = await t.deps.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM sbom_components c JOIN sboms s ON s.id = c.sbom_id WHERE s.file_name = 'cern-2.cdx.json'`,
      );
      expect(partial!.n).toBe(0);
      // the previous SBOM is still the current one: its supersession was rolled back with the rest
      expect(await counts()).toEqual(before);
    } finally {
      await t.deps.db.query('DROP TRIGGER medsec_test_refuse ON jobs');
      await t.deps.db.query('DROP FUNCTION medsec_test_refuse()');
    }
    expect(
      (await upload('cern-2.cdx.json', cern.toString('utf8').replace('"version": 1', '"version": 2'))).status,
    ).toBe(201);
  });
});

describe('the real-world malformed SBOMs of the corpora, strict and lenient (default limits)', () => {
  let t: TestApp;
  let dev: TestClient;
  let release: string;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await bootstrapAdmin(t);
    const officer = await signIn(
      t,
      (await addMember(t, admin.client, 'security_officer')).email,
      STRONG_PASSWORD,
    );
    dev = await signIn(t, (await addMember(t, admin.client, 'developer')).email, STRONG_PASSWORD);
    const productId = (await createProductVia(officer)).id;
    release = (await officer.post(`/api/v1/products/${productId}/releases`, { version: '1.0' })).json<{
      id: string;
    }>().id;
  });
  afterAll(async () => {
    await t.close();
  });
  const upload = (name: string, content: Buffer | string, lenient = false) =>
    dev.upload(
      'POST',
      `/api/v1/releases/${release}/sboms`,
      { name, content },
      lenient ? { lenient: 'true' } : {},
    );

  it('refuses the Red Hat mandrel SBOM (trailing comma) in strict mode at its line; imports it flagged when lenient', async () => {
    const mandrel = readFileSync(
      corpus(
        'sbom',
        'redhat',
        'container_image',
        'build',
        'mandrel-for-jdk-21-rhel8-container-23.1-16_amd64.cdx.json',
      ),
    );
    const strict = await upload('mandrel.cdx.json', mandrel);
    expect(strict.status).toBe(400);
    expect(strict.json<Problem>()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'line 99', message: expect.stringMatching(/Trailing comma at line 99/) }],
    });
    const lenient = await upload('mandrel.cdx.json', mandrel, true);
    expect(lenient.status).toBe(201);
    const body = lenient.json<{ lenient: boolean; issues: { line?: number; message: string }[] }>();
    expect(body.lenient).toBe(true);
    expect(body.issues).toContainEqual(
      expect.objectContaining({ line: 99, message: expect.stringMatching(/Trailing comma/) }),
    );
  });

  it('refuses the PowerShell SPDX SBOM (trailing junk) in strict mode; imports it flagged when lenient', async () => {
    const powershell = readFileSync(
      corpus('sbom', 'bom-shelter', 'in-the-wild', 'spdx', 'powershell-2.2.6.spdx.json'),
    );
    const strict = await upload('powershell.spdx.json', powershell);
    expect(strict.status).toBe(400);
    expect(strict.json<Problem>().errors?.[0]).toEqual({
      path: 'line 2765',
      message: expect.stringMatching(/Text after the end of the JSON document/),
    });
    const lenient = await upload('powershell.spdx.json', powershell, true);
    expect(lenient.status).toBe(201);
    expect(lenient.json<{ componentCount: number; issues: { line?: number }[] }>()).toMatchObject({
      componentCount: 108,
      issues: [expect.objectContaining({ line: 2765 })],
    });
  });

  it('reads tag-value under a .json name by its content and flags the misleading name', async () => {
    const grype = readFileSync(
      corpus('sbom', 'bom-shelter', 'in-the-wild', 'spdx', 'grype-sbom-modified.spdx.json'),
    );
    for (const lenient of [false, true]) {
      const res = await upload('grype-sbom-modified.spdx.json', grype, lenient);
      expect(res.status).toBe(201);
      const body = res.json<{ sourceFormat: string; issues: { severity: string; message: string }[] }>();
      expect(body.sourceFormat).toBe('spdx-tag-value');
      expect(body.issues).toContainEqual(
        expect.objectContaining({
          severity: 'warning',
          message: expect.stringMatching(/suggests JSON, but the content is spdx-tag-value/),
        }),
      );
    }
  });
});
