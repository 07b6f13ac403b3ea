import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProductVia, uploadMedicalSbomWithFindings } from '../../testing/fixtures.ts';
import { addMember, bootstrapAdmin, STRONG_PASSWORD, signIn } from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

interface Row {
  id: string;
  release_id: string;
  organization_id: string;
  component_id: string;
  vulnerability_id: string;
  sbom_id: string;
}

/**
 * The ownership keys of migration 0015 (ADR 0018): a component's release and organization are its SBOM's, a
 * finding's are its component's, and a component has one finding per vulnerability. The database refuses rows that
 * break them, whatever code wrote them.
 */
describe('ownership keys of components and findings', () => {
  let t: TestApp;
  let releases: string[];
  let finding: Row;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await bootstrapAdmin(t);
    const officer = await addMember(t, admin.client, 'security_officer');
    const client = await signIn(t, officer.email, STRONG_PASSWORD);
    const product = await createProductVia(client);
    releases = [];
    for (const version of ['1.0', '1.1']) {
      releases.push(
        (await client.post(`/api/v1/products/${product.id}/releases`, { version })).json<{ id: string }>().id,
      );
    }
    const findings = await uploadMedicalSbomWithFindings<{ id: string }>(t, client, releases[0] ?? '');
    expect(findings.length).toBeGreaterThan(0);
    [finding] = (await t.deps.db.query<Row>(
      `SELECT f.id, f.release_id, f.organization_id, f.component_id, f.vulnerability_id, c.sbom_id
         FROM findings f JOIN sbom_components c ON c.id = f.component_id
        WHERE f.id = $1`,
      [findings[0]?.id],
    )) as [Row];
  });
  afterAll(() => t?.close());

  it('refuses a finding moved to a release other than its component’s, and keeps the row as it was', async () => {
    await expect(
      t.deps.db.query('UPDATE findings SET release_id = $2 WHERE id = $1', [finding.id, releases[1]]),
    ).rejects.toThrow(/findings_component_fkey/);
    const [after] = await t.deps.db.query<{ release_id: string }>(
      'SELECT release_id FROM findings WHERE id = $1',
      [finding.id],
    );
    expect(after?.release_id).toBe(finding.release_id);
  });

  it('refuses a component whose release is not its SBOM’s', async () => {
    await expect(
      t.deps.db.query(
        `INSERT INTO sbom_components (id, organization_id, sbom_id, release_id, key, type, name)
         VALUES (gen_random_uuid(), $1, $2, $3, 'stray', 'library', 'stray')`,
        [finding.organization_id, finding.sbom_id, releases[1]],
      ),
    ).rejects.toThrow(/sbom_components_sbom_fkey/);
    const [count] = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sbom_components WHERE key = 'stray'`,
    );
    expect(count?.n).toBe(0);
  });

  it('refuses a second finding of the same vulnerability on the same component', async () => {
    await expect(
      t.deps.db.query(
        `INSERT INTO findings (id, organization_id, release_id, component_id, vulnerability_id, advisory_id,
                               match_kind, match_reason, confidence, first_seen_at, last_seen_at)
         SELECT gen_random_uuid(), organization_id, release_id, component_id, vulnerability_id, advisory_id,
                match_kind, match_reason, confidence, first_seen_at, last_seen_at
           FROM findings WHERE id = $1`,
        [finding.id],
      ),
    ).rejects.toThrow(/findings_component_vulnerability_key/);
  });
});
