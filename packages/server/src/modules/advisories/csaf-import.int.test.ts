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
import { importCsaf } from './csaf-import.service.ts';

/** A real CISA ICS-medical CSAF advisory linked to SBOM components by vendor, product name and version range. */
describe('vendor CSAF import', () => {
  let t: TestApp;
  let officer: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await bootstrapAdmin(t);
    officer = await signIn(t, (await addMember(t, admin.client, 'security_officer')).email, STRONG_PASSWORD);
  });
  afterAll(async () => {
    await t.close();
  });

  it('links ICSMA-24-254-01 (BPL Medical Technologies) to the matching components only', async () => {
    const product = await createProductVia(officer);
    const release = (await officer.post(`/api/v1/products/${product.id}/releases`, { version: '1.0' })).json<{
      id: string;
    }>().id;
    const sbom = readFileSync(new URL('../../testing/fixtures/bpl-scale.cdx.json', import.meta.url));
    expect(
      (
        await officer.upload('POST', `/api/v1/releases/${release}/sboms`, {
          name: 'kit.cdx.json',
          content: sbom,
        })
      ).status,
    ).toBe(201);
    const counts = await importCsaf(t.deps, corpus('csaf', 'cisa-icsma-medical', 'icsma-24-254-01.json'));
    expect(counts).toMatchObject({ read: 1, created: 1, refused: 0 });
    const findings = (await officer.get(`/api/v1/findings?releaseId=${release}`)).json<{
      items: {
        vulnerabilityId: string;
        component: string;
        componentVersion: string;
        matchKind: string;
        confidence: number;
      }[];
    }>().items;
    // PWS-01-BT (all versions) and the app 3.60 (<= 3.64) from BPL; not the 3.70 app of another vendor
    expect(findings.map((f) => `${f.vulnerabilityId} ${f.component} ${f.componentVersion}`).sort()).toEqual([
      'CVE-2024-34463 Be Well Android Application 3.60',
      'CVE-2024-34463 PWS-01-BT 2.1',
    ]);
    expect(findings.every((f) => f.matchKind === 'csaf' && f.confidence < 0.5)).toBe(true);
    expect(
      (await importCsaf(t.deps, corpus('csaf', 'cisa-icsma-medical', 'icsma-24-254-01.json'))).unchanged,
    ).toBe(1);
  });
});
