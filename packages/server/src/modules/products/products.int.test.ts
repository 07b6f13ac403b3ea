import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProductVia, INSULIN_PUMP } from '../../testing/fixtures.ts';
import {
  addMember,
  bootstrapAdmin,
  STRONG_PASSWORD,
  signIn,
  type TestClient,
} from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

interface Decision {
  ref: string;
  applicable: boolean;
  reasonEn: string;
  reasonKo: string;
  byRule: boolean;
  override: { justification: string; reference: string | null } | null;
}
interface Item {
  id: string;
  ref: string;
  status: string;
  method: string | null;
  version: number;
  applicable: boolean;
  inheritedFrom: string | null;
}

describe('products, applicability and assessments', () => {
  let t: TestApp;
  let officer: TestClient;
  let qa: TestClient;
  let developer: TestClient;
  let qaId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await bootstrapAdmin(t);
    officer = await signIn(t, (await addMember(t, admin.client, 'security_officer')).email, STRONG_PASSWORD);
    const q = await addMember(t, admin.client, 'qa');
    qaId = q.userId;
    qa = await signIn(t, q.email, STRONG_PASSWORD);
    developer = await signIn(t, (await addMember(t, admin.client, 'developer')).email, STRONG_PASSWORD);
  });
  afterAll(async () => {
    await t.close();
  });

  const decisions = async (productId: string) =>
    (await officer.get(`/api/v1/products/${productId}/applicability`)).json<{ items: Decision[] }>().items;
  const decision = async (productId: string, ref: string) =>
    (await decisions(productId)).find((d) => d.ref === ref);

  it('registers a product and decides applicability from its profile, each decision with a reason', async () => {
    const product = await createProductVia(officer);
    const all = await decisions(product.id);
    expect(all.length).toBeGreaterThan(200);
    for (const d of all) {
      expect(d.reasonEn.length, d.ref).toBeGreaterThan(5);
      expect(d.reasonKo.length, d.ref).toBeGreaterThan(2);
    }
    expect((await decision(product.id, 'mfds-2025:art-12'))?.applicable).toBe(false); // no AI
    expect((await decision(product.id, 'mfds-2025:art-18'))?.applicable).toBe(true);
    expect((await decision(product.id, 'mfds-2025:art-4'))?.applicable).toBe(true); // Bluetooth LE
    // KISA device requirements apply to the pump; web-service requirements do not (not hosted)
    expect(all.filter((d) => d.ref.startsWith('kisa-healthcare:dev-4')).every((d) => d.applicable)).toBe(
      true,
    );
    expect(all.filter((d) => d.ref.startsWith('kisa-healthcare:app-')).every((d) => !d.applicable)).toBe(
      true,
    );
    expect(all.filter((d) => d.ref.startsWith('kisa-healthcare:web-')).every((d) => !d.applicable)).toBe(
      true,
    );
    expect((await developer.post('/api/v1/products', INSULIN_PUMP)).status).toBe(403);
  });

  it('shows what a profile change would do before applying it, then applies it in one transaction', async () => {
    const product = await createProductVia(officer, { ...INSULIN_PUMP, model: 'GF-201' });
    const profile = { ...INSULIN_PUMP.profile, usesAi: true };
    const preview = await officer.post(`/api/v1/products/${product.id}/applicability/preview`, { profile });
    expect(preview.status).toBe(200);
    const changes = preview.json<{
      changes: { ref: string; from: boolean; to: boolean; reasonEn: string }[];
    }>().changes;
    const art12 = changes.find((c) => c.ref === 'mfds-2025:art-12');
    expect(art12).toMatchObject({ from: false, to: true });
    expect(art12?.reasonEn).toMatch(/AI/i);
    expect((await decision(product.id, 'mfds-2025:art-12'))?.applicable).toBe(false); // nothing saved yet
    const saved = await officer.patch(`/api/v1/products/${product.id}`, { profile });
    expect(saved.status).toBe(200);
    expect(
      saved.json<{ applicabilityChanges: { ref: string }[] }>().applicabilityChanges.map((c) => c.ref),
    ).toEqual(changes.map((c) => c.ref));
    expect((await decision(product.id, 'mfds-2025:art-12'))?.applicable).toBe(true);
    const [audit] = await t.deps.db.query<{ details: { applicabilityChanges: number } }>(
      `SELECT details FROM audit_events WHERE action = 'product.updated' AND target_id = $1`,
      [product.id],
    );
    expect(audit?.details.applicabilityChanges).toBe(changes.length);
  });

  it('requires a justification to override a decision, keeps it across re-evaluation, and audits it', async () => {
    const product = await createProductVia(officer, { ...INSULIN_PUMP, model: 'GF-202' });
    const ref = 'mfds-2025:art-5';
    const url = `/api/v1/products/${product.id}/applicability/${ref}`;
    expect((await officer.put(url, { applicable: false })).status).toBe(400);
    expect((await officer.put(url, { applicable: false, justification: 'short' })).status).toBe(400);
    expect(
      (await developer.put(url, { applicable: false, justification: 'Developers may not override' })).status,
    ).toBe(403);
    const ok = await officer.put(url, {
      applicable: false,
      justification: 'No user-reachable hardware in this variant; see risk file',
      reference: 'RMF-2026-014',
    });
    expect(ok.status).toBe(200);
    const d = await decision(product.id, ref);
    expect(d).toMatchObject({ applicable: false, byRule: false });
    expect(d?.override?.reference).toBe('RMF-2026-014');
    // a profile change re-evaluates the rules but keeps the person's decision
    await officer.patch(`/api/v1/products/${product.id}`, {
      profile: { ...INSULIN_PUMP.profile, remoteAccess: true },
    });
    expect((await decision(product.id, ref))?.applicable).toBe(false);
    const [audit] = await t.deps.db.query<{ details: { justification: string } }>(
      `SELECT details FROM audit_events WHERE action = 'applicability.overridden' AND target_id = $1`,
      [product.id],
    );
    expect(audit?.details.justification).toMatch(/risk file/);
    expect((await officer.delete(url)).status).toBe(200);
    expect((await decision(product.id, ref))?.byRule).toBe(true);
  });

  it('assesses a release item by item, in bulk, with history, progress, what is missing, and inheritance', async () => {
    const product = await createProductVia(officer, { ...INSULIN_PUMP, model: 'GF-203' });
    const rel = await officer.post(`/api/v1/products/${product.id}/releases`, { version: '1.0.0' });
    expect(rel.status).toBe(201);
    const releaseId = rel.json<{ id: string }>().id;
    const items = (await qa.get(`/api/v1/releases/${releaseId}/assessment`)).json<{ items: Item[] }>().items;
    expect(items.length).toBeGreaterThan(50);
    expect(items.every((i) => i.applicable && i.status === 'not-started')).toBe(true);
    expect(items.some((i) => i.ref === 'mfds-2025:art-12')).toBe(false);
    const first = items.find((i) => i.ref === 'mfds-2025:art-18:cl-1')!;
    const upd = await qa.patch(`/api/v1/assessment-items/${first.id}`, {
      status: 'verified',
      method: 'document-review',
      ownerId: qaId,
      notes: 'Procedure QP-SEC-003 reviewed',
      version: first.version,
    });
    expect(upd.status).toBe(200);
    // a stale editor is refused
    expect(
      (
        await qa.patch(`/api/v1/assessment-items/${first.id}`, {
          status: 'in-progress',
          version: first.version,
        })
      ).status,
    ).toBe(409);
    const history = (await qa.get(`/api/v1/assessment-items/${first.id}/history`)).json<{
      items: { changes: Record<string, unknown> }[];
    }>();
    expect(Object.keys(history.items[0]!.changes).sort()).toEqual(['method', 'notes', 'ownerId', 'status']);
    const bulkIds = items.filter((i) => i.ref.startsWith('mfds-2025:art-17')).map((i) => i.id);
    const bulk = await qa.post(`/api/v1/releases/${releaseId}/assessment/bulk`, {
      itemIds: bulkIds,
      set: { status: 'in-progress' },
    });
    expect(bulk.json<{ updated: number }>().updated).toBe(bulkIds.length);
    // all or nothing: one foreign id rolls the whole batch back
    const bad = await qa.post(`/api/v1/releases/${releaseId}/assessment/bulk`, {
      itemIds: [...bulkIds, '01a20000-0000-7000-8000-00000000dead'],
      set: { status: 'verified' },
    });
    expect(bad.status).toBe(400);
    const after = (await qa.get(`/api/v1/releases/${releaseId}/assessment?article=17`)).json<{
      items: Item[];
    }>().items;
    expect(after.every((i) => i.status === 'in-progress')).toBe(true);
    const progress = (await qa.get(`/api/v1/releases/${releaseId}/assessment/progress`)).json<{
      byArticle: { key: string; byStatus: Record<string, number>; total: number }[];
      overall: { total: number; byStatus: Record<string, number> };
    }>();
    expect(progress.overall.total).toBe(items.length);
    expect(progress.overall.byStatus.verified).toBe(1);
    expect(progress.byArticle.find((b) => b.key === '17')?.byStatus['in-progress']).toBe(bulkIds.length);
    const missing = (await qa.get(`/api/v1/releases/${releaseId}/assessment/missing`)).json<{
      items: { ref: string }[];
    }>();
    expect(missing.items.some((m) => m.ref === 'mfds-2025:art-18:cl-1')).toBe(false);
    expect(missing.items.some((m) => m.ref === 'mfds-2025:art-19:cl-1')).toBe(true);
    // recommended MFDS clauses do not block a submission
    expect(missing.items.some((m) => m.ref === 'mfds-2025:art-18:cl-2')).toBe(false);
    // the next release starts from this one
    const next = await officer.post(`/api/v1/products/${product.id}/releases`, {
      version: '1.1.0',
      basedOn: releaseId,
    });
    const nextId = next.json<{ id: string }>().id;
    const inherited = (await qa.get(`/api/v1/releases/${nextId}/assessment`)).json<{ items: Item[] }>().items;
    const again = inherited.find((i) => i.ref === 'mfds-2025:art-18:cl-1')!;
    expect(again).toMatchObject({ status: 'verified', method: 'document-review', inheritedFrom: first.id });
    await qa.patch(`/api/v1/assessment-items/${again.id}`, { status: 'in-progress' });
    const diff = (await qa.get(`/api/v1/releases/${nextId}/assessment/diff`)).json<{
      changed: { ref: string; fields: Record<string, { from: unknown; to: unknown }> }[];
    }>();
    expect(diff.changed).toEqual([
      { ref: 'mfds-2025:art-18:cl-1', fields: { status: { from: 'verified', to: 'in-progress' } } },
    ]);
    expect((await officer.post(`/api/v1/products/${product.id}/releases`, { version: '1.1.0' })).status).toBe(
      409,
    );
  });
});
