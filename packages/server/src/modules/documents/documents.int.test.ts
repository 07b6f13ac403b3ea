import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDF_BYTES } from '../../testing/fixtures.ts';
import {
  addMember,
  bootstrapAdmin,
  reauth,
  STRONG_PASSWORD,
  signIn,
  type TestClient,
} from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { retentionEndOf } from './documents.service.ts';

interface Doc {
  id: string;
  number: string;
  status: string;
  revision: number;
  retentionEnd: string | null;
}
interface Detail extends Doc {
  revisions: {
    revision: number;
    status: string;
    sha256: string | null;
    signatures: {
      meaning: string;
      valid: boolean;
      problem: string | null;
      signerName: string;
      documentSha256: string;
    }[];
  }[];
}

describe('controlled documents', () => {
  let t: TestApp;
  let officer: TestClient;
  let qa: TestClient;
  let approver: TestClient;
  let developer: TestClient;
  beforeAll(async () => {
    t = await createTestApp();
    const admin = await bootstrapAdmin(t);
    const member = async (role: string) =>
      signIn(t, (await addMember(t, admin.client, role)).email, STRONG_PASSWORD);
    officer = await member('security_officer');
    qa = await member('qa');
    approver = await member('approver');
    developer = await member('developer');
  });
  afterAll(async () => {
    await t.close();
  });

  const sign = async (client: TestClient, id: string, meaning: string) => {
    await reauth(t, client, STRONG_PASSWORD);
    return client.post(`/api/v1/documents/${id}/sign`, { meaning, comment: `${meaning} ok` });
  };
  const detail = async (id: string) => (await officer.get(`/api/v1/documents/${id}`)).json<Detail>();

  it('creates the 붙임1 document set from the catalog template in one step, once', async () => {
    const res = await officer.post('/api/v1/documents/from-template', { templateKey: 'procedure-outline' });
    expect(res.status).toBe(200);
    const numbers = res.json<{ created: Doc[] }>().created.map((d) => d.number);
    expect(numbers).toEqual(
      expect.arrayContaining([
        'QP-006',
        'QP-001',
        'GL-SEC-001',
        'QP-SEC-002',
        'QP-SEC-003',
        'REC-SEC-001',
        'REC-SEC-002',
        'REC-SEC-003',
      ]),
    );
    const again = (
      await officer.post('/api/v1/documents/from-template', { templateKey: 'procedure-outline' })
    ).json<{
      created: Doc[];
      skipped: string[];
    }>();
    expect(again.created).toEqual([]);
    expect(again.skipped.length).toBe(numbers.length);
  });

  it('approves with author, reviewer and approver signatures, each after re-authentication, bound to the file hash', async () => {
    const doc = (await officer.get('/api/v1/documents'))
      .json<{ items: Doc[] }>()
      .items.find((d) => d.number === 'QP-SEC-002')!;
    // no file yet: nothing to sign
    expect((await sign(officer, doc.id, 'author')).status).toBe(409);
    const up = await officer.upload(
      'PUT',
      `/api/v1/documents/${doc.id}/file`,
      { name: 'QP-SEC-002.pdf', content: PDF_BYTES },
      { changeSummary: 'first issue' },
    );
    expect(up.status, up.body).toBe(200);
    expect((await sign(officer, doc.id, 'author')).json<Doc>().status).toBe('in-review');
    // without a fresh re-authentication a signature is refused (the reviewer has not re-authenticated yet)
    const noReauth = await qa.post(`/api/v1/documents/${doc.id}/sign`, { meaning: 'reviewer' });
    expect(noReauth.status).toBe(403);
    expect(noReauth.json<{ reason: string }>().reason).toBe('REAUTH_REQUIRED');
    // order and roles: the approver cannot approve before review; a developer cannot review
    expect((await sign(approver, doc.id, 'approver')).status).toBe(409);
    expect((await sign(developer, doc.id, 'reviewer')).status).toBe(403);
    expect((await sign(qa, doc.id, 'reviewer')).status).toBe(200);
    const approved = await sign(approver, doc.id, 'approver');
    expect(approved.json<Doc>().status).toBe('approved');
    const d = await detail(doc.id);
    const sigs = d.revisions[0]!.signatures;
    expect(sigs.map((s) => s.meaning)).toEqual(['author', 'reviewer', 'approver']);
    expect(sigs.every((s) => s.valid && s.documentSha256 === d.revisions[0]!.sha256)).toBe(true);
    const [audit] = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'document.signed' AND target_id = $1`,
      [doc.id],
    );
    expect(audit?.n).toBe(3);
  });

  it('keeps the author from approving their own document', async () => {
    const doc = (
      await officer.post('/api/v1/documents', { number: 'GL-SEC-900', title: 'Own', type: 'guideline' })
    ).json<Doc>();
    await officer.upload('PUT', `/api/v1/documents/${doc.id}/file`, {
      name: 'g.txt',
      content: 'guideline text',
    });
    expect((await sign(officer, doc.id, 'author')).status).toBe(200);
    expect((await sign(officer, doc.id, 'reviewer')).status).toBe(403);
  });

  it('detects a document changed after signing, and makes a new revision for a change after approval', async () => {
    const doc = (await officer.get('/api/v1/documents'))
      .json<{ items: Doc[] }>()
      .items.find((d) => d.number === 'QP-SEC-002')!;
    const before = await detail(doc.id);
    const hash = before.revisions[0]!.sha256!;
    // tamper with the stored content behind the application's back
    await t.deps.db.query('UPDATE blobs SET content = $2 WHERE sha256 = $1', [
      hash,
      Buffer.from('%PDF-1.4 forged'),
    ]);
    const tampered = await detail(doc.id);
    expect(tampered.revisions[0]!.signatures.every((s) => !s.valid)).toBe(true);
    expect(tampered.revisions[0]!.signatures[0]!.problem).toMatch(/changed after signing/);
    // a changed document after approval is a new revision, back to draft; the old one keeps its signatures
    const up = await officer.upload('PUT', `/api/v1/documents/${doc.id}/file`, {
      name: 'QP-SEC-002.pdf',
      content: Buffer.concat([PDF_BYTES, Buffer.from('% rev 2\n')]),
    });
    expect(up.json<Doc>()).toMatchObject({ revision: 2, status: 'draft' });
    const after = await detail(doc.id);
    expect(after.revisions.map((r) => [r.revision, r.status])).toEqual([
      [2, 'draft'],
      [1, 'approved'],
    ]);
    expect(after.revisions[1]!.signatures).toHaveLength(3);
    // signature rows cannot be rewritten
    await expect(
      t.deps.db.query(`UPDATE document_signatures SET signer_name = 'someone else'`),
    ).rejects.toThrow(/append-only/);
  });

  it('computes retention (5 years from manufacture, 2 after marketing) and blocks destruction before it ends', async () => {
    expect(
      retentionEndOf({
        manufacturedOn: '2026-01-10',
        marketingEndedOn: '2030-06-30',
        retentionYears: 5,
        retentionAfterMarketYears: 2,
      }),
    ).toBe('2032-06-30');
    expect(
      retentionEndOf({
        manufacturedOn: '2026-01-10',
        marketingEndedOn: '2026-03-01',
        retentionYears: 5,
        retentionAfterMarketYears: 2,
      }),
    ).toBe('2031-01-10');
    const doc = (
      await officer.post('/api/v1/documents', { number: 'REC-SEC-900', title: 'Record', type: 'record' })
    ).json<Doc>();
    expect((await officer.patch(`/api/v1/documents/${doc.id}/retention`, { retentionYears: 3 })).status).toBe(
      400,
    );
    await officer.post(`/api/v1/documents/${doc.id}/obsolete`);
    await reauth(t, officer, STRONG_PASSWORD);
    const unknown = await officer.delete(`/api/v1/documents/${doc.id}`);
    expect(unknown.status).toBe(409);
    expect(unknown.json<{ detail: string }>().detail).toMatch(/unknown/);
    const today = t.clock.now().toISOString().slice(0, 10);
    const set = await officer.patch(`/api/v1/documents/${doc.id}/retention`, {
      manufacturedOn: today,
      marketingEndedOn: today,
    });
    expect(set.json<Doc>().retentionEnd).toBe(`${Number(today.slice(0, 4)) + 5}${today.slice(4)}`);
    await reauth(t, officer, STRONG_PASSWORD);
    const blocked = await officer.delete(`/api/v1/documents/${doc.id}`);
    expect(blocked.status).toBe(409);
    expect(blocked.json<{ detail: string }>().detail).toMatch(/Retention runs until/);
    await officer.patch(`/api/v1/documents/${doc.id}/retention`, {
      manufacturedOn: '2015-01-01',
      marketingEndedOn: '2018-01-01',
    });
    await reauth(t, officer, STRONG_PASSWORD);
    expect((await officer.delete(`/api/v1/documents/${doc.id}`)).status).toBe(200);
    expect((await detail(doc.id)).status).toBe('destroyed');
  });
});
