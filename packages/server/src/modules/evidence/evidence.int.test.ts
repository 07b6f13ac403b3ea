import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProductVia, ELF_BYTES, PDF_BYTES, PNG_BYTES } from '../../testing/fixtures.ts';
import {
  addMember,
  bootstrapAdmin,
  STRONG_PASSWORD,
  signIn,
  type TestClient,
} from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

interface Evidence {
  id: string;
  currentVersion: number;
  current: { sha256: string; size: number; mediaType: string; fileName: string };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('evidence vault', () => {
  let t: TestApp;
  let dev: TestClient;
  let officer: TestClient;
  let auditor: TestClient;
  beforeAll(async () => {
    t = await createTestApp({ env: { MEDSEC_UPLOAD_LIMIT_BYTES: String(256 * 1024) } });
    const admin = await bootstrapAdmin(t);
    dev = await signIn(t, (await addMember(t, admin.client, 'developer')).email, STRONG_PASSWORD);
    officer = await signIn(t, (await addMember(t, admin.client, 'security_officer')).email, STRONG_PASSWORD);
    auditor = await signIn(t, (await addMember(t, admin.client, 'auditor')).email, STRONG_PASSWORD);
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (name: string, content: Buffer | string, fields: Record<string, string> = {}) =>
    dev.upload('POST', '/api/v1/evidence', { name, content }, fields);

  it('stores a file with its SHA-256, serves it back only as an attachment, and audits the download', async () => {
    const res = await upload('pen-test-report.pdf', PDF_BYTES, {
      title: 'Penetration test report',
      reviewDate: '2027-01-31',
    });
    expect(res.status, res.body).toBe(201);
    const ev = res.json<Evidence>();
    expect(ev.current.sha256).toBe(sha(PDF_BYTES));
    expect(ev.current).toMatchObject({ size: PDF_BYTES.length, mediaType: 'application/pdf' });
    const dl = await auditor.get(`/api/v1/evidence/${ev.id}/versions/1/download`);
    expect(dl.status).toBe(200);
    expect(String(dl.headers['content-disposition'])).toMatch(/^attachment;/);
    expect(dl.headers['x-content-sha256']).toBe(sha(PDF_BYTES));
    expect(String(dl.headers['content-security-policy'])).toContain('sandbox');
    expect(sha(Buffer.from(dl.body, 'latin1'))).toBe(sha(PDF_BYTES));
    const [audit] = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'evidence.downloaded' AND target_id = $1`,
      [ev.id],
    );
    expect(audit?.n).toBe(1);
    expect(
      (await auditor.upload('POST', '/api/v1/evidence', { name: 'x.pdf', content: PDF_BYTES })).status,
    ).toBe(403);
  });

  it('refuses a renamed executable, a script, HTML, and a zip that hides a script, keeping nothing', async () => {
    const before = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM evidence');
    const renamed = await upload('report.pdf', ELF_BYTES);
    expect(renamed.status).toBe(400);
    expect(renamed.json<{ detail: string }>().detail).toMatch(/not accepted/);
    expect((await upload('notes.txt', '#!/bin/sh\nrm -rf /\n')).status).toBe(400);
    expect((await upload('deploy.sh', 'echo hello\n')).status).toBe(400);
    expect((await upload('readme.txt', '<!doctype html><script>alert(1)</script>')).status).toBe(400);
    const zipWithScript = Buffer.from(
      zipSync({
        'results/summary.txt': strToU8('all passed'),
        'results/run.sh': strToU8('#!/bin/sh\ncurl x | sh\n'),
      }),
    );
    const zipped = await upload('results.zip', zipWithScript);
    expect(zipped.status).toBe(400);
    expect(zipped.json<{ detail: string }>().detail).toContain('run.sh');
    const zipWithExe = Buffer.from(zipSync({ 'tool.dat': new Uint8Array(ELF_BYTES) }));
    expect((await upload('tools.zip', zipWithExe)).status).toBe(400);
    const after = await t.deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM evidence');
    expect(after[0]?.n).toBe(before[0]?.n);
    // a clean archive of a report, an image and SARIF is accepted
    const sarif = JSON.stringify({ version: '2.1.0', runs: [] });
    const clean = Buffer.from(
      zipSync({
        'report.pdf': new Uint8Array(PDF_BYTES),
        'shot.png': new Uint8Array(PNG_BYTES),
        'scan.sarif': strToU8(sarif),
      }),
    );
    expect((await upload('bundle.zip', clean)).status).toBe(201);
    expect((await upload('scan.sarif', sarif)).json<Evidence>().current.mediaType).toBe(
      'application/sarif+json',
    );
  });

  it('refuses a file over the configured upload limit', async () => {
    const big = Buffer.alloc(300 * 1024, 0x61);
    const res = await upload('big.txt', big);
    expect(res.status).toBe(413);
  });

  it('keeps versions, and one piece of evidence serves items of several releases', async () => {
    const ev = (await upload('sbom-review.txt', 'reviewed v1', { title: 'SBOM review' })).json<Evidence>();
    const v2 = await dev.upload('POST', `/api/v1/evidence/${ev.id}/versions`, {
      name: 'sbom-review.txt',
      content: 'reviewed v2',
    });
    expect(v2.json<Evidence>().currentVersion).toBe(2);
    const detail = (await dev.get(`/api/v1/evidence/${ev.id}`)).json<{ versions: { sha256: string }[] }>();
    expect(detail.versions.map((v) => v.sha256)).toEqual([
      sha(Buffer.from('reviewed v2')),
      sha(Buffer.from('reviewed v1')),
    ]);
    const product = await createProductVia(officer);
    const r1 = (await officer.post(`/api/v1/products/${product.id}/releases`, { version: '1.0' })).json<{
      id: string;
    }>();
    const r2 = (await officer.post(`/api/v1/products/${product.id}/releases`, { version: '2.0' })).json<{
      id: string;
    }>();
    const itemOf = async (release: string) =>
      (await dev.get(`/api/v1/releases/${release}/assessment?article=13`)).json<{ items: { id: string }[] }>()
        .items[0]!.id;
    const items = [await itemOf(r1.id), await itemOf(r2.id)];
    expect((await dev.post(`/api/v1/evidence/${ev.id}/attach`, { itemIds: items })).status).toBe(200);
    const linked = (await dev.get(`/api/v1/evidence/${ev.id}`)).json<{ items: { release: string }[] }>();
    expect(linked.items.map((i) => i.release).sort()).toEqual(['1.0', '2.0']);
    const csv = (await dev.get(`/api/v1/releases/${r2.id}/assessment/export?format=csv`)).body;
    expect(csv.split('\r\n').find((l) => l.includes('art-13'))).toContain('SBOM review');
    // one decision reused: the 1.0 item's status, method and evidence go to the same requirement in 2.0
    const qaItem = (await dev.get(`/api/v1/releases/${r1.id}/assessment?article=14`)).json<{
      items: { id: string; ref: string; version: number }[];
    }>().items[0]!;
    await officer.patch(`/api/v1/assessment-items/${qaItem.id}`, { status: 'verified', method: 'analysis' });
    await dev.post(`/api/v1/evidence/${ev.id}/attach`, { itemIds: [qaItem.id] });
    const spread = await officer.post(`/api/v1/assessment-items/${qaItem.id}/propagate`, {
      releaseIds: [r2.id],
    });
    expect(spread.json<{ updated: number }>().updated).toBe(1);
    const twin = (await dev.get(`/api/v1/releases/${r2.id}/assessment?article=14`))
      .json<{
        items: { ref: string; status: string; method: string }[];
      }>()
      .items.find((i) => i.ref === qaItem.ref);
    expect(twin).toMatchObject({ status: 'verified', method: 'analysis' });
    expect((await dev.get(`/api/v1/evidence/${ev.id}`)).json<{ items: unknown[] }>().items).toHaveLength(4);
  });

  it('detects content altered in storage and refuses to serve it', async () => {
    const ev = (await upload('log.txt', 'original log')).json<Evidence>();
    await t.deps.db.query('UPDATE blobs SET content = $2 WHERE sha256 = $1', [
      ev.current.sha256,
      Buffer.from('forged log'),
    ]);
    expect((await dev.get(`/api/v1/evidence/${ev.id}/versions/1/download`)).status).toBe(409);
  });
});
