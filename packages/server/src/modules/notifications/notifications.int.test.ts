import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { DAY } from '@medsec/core';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../../../../core/src/testing/corpora.ts';
import { drainJobs } from '../../platform/jobs/jobs.service.ts';
import { createProductVia } from '../../testing/fixtures.ts';
import {
  addMember,
  bootstrapAdmin,
  STRONG_PASSWORD,
  signIn,
  type TestClient,
  uniqueEmail,
} from '../../testing/http-client.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { importOsv } from '../advisories/advisories.service.ts';
import { buildDigests, scheduleNotificationScan } from './notifications.digest.ts';

/**
 * Deadlines and notifications against a real SMTP server (smtp-server, started here) and a real HTTP server for the
 * webhook: the overdue view, settings (secret sealed, never returned, audited, RBAC), the daily digest per channel
 * (bilingual, signed, retried after a 500, never repeated), the delivery log and the test message.
 */
interface Mail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  headers: Map<string, unknown>;
}
interface Hook {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
}

const SECRET = 'whsec-0123456789-abcdefghij';

const startSmtp = async (mails: Mail[]): Promise<{ server: SMTPServer; port: number }> => {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            from: typeof session.envelope.mailFrom === 'object' ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            headers: parsed.headers as Map<string, unknown>,
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.server.address() as { port: number }).port };
};

const startHookServer = async (
  hooks: Hook[],
  statuses: number[],
): Promise<{ server: Server; url: string }> => {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statuses.shift() ?? 204;
      hooks.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hooks/medsec` };
};

/** The receiver's check: HMAC-SHA256 of the exact body under the shared secret, and the timestamp in the body. */
const verify = (hook: Hook, secret = SECRET): boolean => {
  const expected = `sha256=${createHmac('sha256', secret).update(hook.body).digest('hex')}`;
  const body = JSON.parse(hook.body) as { timestamp: number };
  return (
    hook.headers['x-medsec-signature'] === expected &&
    String(body.timestamp) === hook.headers['x-medsec-timestamp']
  );
};

const SETTINGS = (recipients: string[], url: string) => ({
  enabled: true,
  emailEnabled: true,
  emailRecipients: recipients,
  webhookEnabled: true,
  webhookUrl: url,
  webhookSecret: SECRET,
  events: { dueSoon: true, dueSoonDays: 7, overdue: true, newCritical: true },
});

describe('deadlines and notifications', () => {
  let t: TestApp;
  let smtp: SMTPServer;
  let hookServer: Server;
  let hookUrl = '';
  const mails: Mail[] = [];
  const hooks: Hook[] = [];
  const statuses: number[] = [];
  let officerEmail = '';
  let developerEmail = '';
  let officer: TestClient;
  let developer: TestClient;
  let auditor: TestClient;
  let organizationId = '';
  let productId = '';
  const recipients = ['psirt@example.org', 'qa-lead@example.org'];
  let findings: { id: string; severity: string; kev: boolean; dueDate: string; vulnerabilityId: string }[] =
    [];
  const T0 = new Date('2026-03-02T09:00:00Z');

  const drain = () => drainJobs(t.deps, t.jobs);
  const fresh = async () => {
    officer = await signIn(t, officerEmail, STRONG_PASSWORD);
    return officer;
  };

  beforeAll(async () => {
    const s = await startSmtp(mails);
    smtp = s.server;
    const h = await startHookServer(hooks, statuses);
    hookServer = h.server;
    hookUrl = h.url;
    t = await createTestApp({
      env: {
        MEDSEC_SMTP_URL: `smtp://127.0.0.1:${s.port}`,
        MEDSEC_MAIL_FROM: 'MedSec <medsec@example.org>',
        MEDSEC_PUBLIC_URL: 'https://medsec.example.org',
      },
    });
    t.clock.set(T0);
    const admin = await bootstrapAdmin(t, { organizationName: '메디 디바이스 Co.' });
    organizationId = admin.organizationId;
    officerEmail = (await addMember(t, admin.client, 'security_officer')).email;
    officer = await signIn(t, officerEmail, STRONG_PASSWORD);
    developerEmail = (await addMember(t, admin.client, 'developer')).email;
    developer = await signIn(t, developerEmail, STRONG_PASSWORD);
    auditor = await signIn(t, (await addMember(t, admin.client, 'auditor')).email, STRONG_PASSWORD);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
    hookServer?.close();
  });

  it('saves settings with the webhook secret sealed, never returned, audited; only admin and security officer', async () => {
    const empty = await auditor.get('/api/v1/notifications/settings');
    expect(empty.status).toBe(200);
    expect(empty.json()).toMatchObject({ enabled: false, version: 0, emailAvailable: true });
    expect(
      (await developer.put('/api/v1/notifications/settings', SETTINGS(recipients, hookUrl))).status,
    ).toBe(403);
    expect((await auditor.put('/api/v1/notifications/settings', SETTINGS(recipients, hookUrl))).status).toBe(
      403,
    );
    // a webhook needs a secret; e-mail needs a recipient; the URL is http(s) without credentials
    const { webhookSecret: _s, ...noSecret } = SETTINGS(recipients, hookUrl);
    const refused = await officer.put('/api/v1/notifications/settings', noSecret);
    expect(refused.status).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await officer.put('/api/v1/notifications/settings', { ...SETTINGS([], hookUrl) })).status).toBe(
      400,
    );
    expect(
      (
        await officer.put('/api/v1/notifications/settings', {
          ...SETTINGS(recipients, 'http://user:pw@127.0.0.1/x'),
        })
      ).status,
    ).toBe(400);

    const saved = await officer.put('/api/v1/notifications/settings', SETTINGS(recipients, hookUrl));
    expect(saved.status, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      enabled: true,
      emailRecipients: recipients,
      webhookUrl: hookUrl,
      webhookSecretSet: true,
      version: 1,
    });
    expect(saved.body).not.toContain(SECRET);
    expect((await auditor.get('/api/v1/notifications/settings')).body).not.toContain(SECRET);
    const [row] = await t.deps.db.query<{ webhook_secret_enc: string }>(
      'SELECT webhook_secret_enc FROM notification_settings WHERE organization_id = $1',
      [organizationId],
    );
    expect(row!.webhook_secret_enc).toMatch(/^v1\./);
    expect(row!.webhook_secret_enc).not.toContain(SECRET);
    const audit = await t.deps.db.query<{ details: Record<string, unknown>; actor_label: string }>(
      `SELECT details, actor_label FROM audit_events WHERE action = 'notifications.settings_updated'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_label).toBe(officerEmail);
    expect(audit[0]!.details.webhookSecret).toBe('set');
    expect(JSON.stringify(audit[0]!.details)).not.toContain(SECRET);
    // a stale version is refused; leaving the secret out keeps it
    const stale = await officer.put('/api/v1/notifications/settings', {
      ...noSecret,
      version: 0,
    });
    expect(stale.status).toBe(409);
    const kept = await officer.put('/api/v1/notifications/settings', { ...noSecret, version: 1 });
    expect(kept.status, kept.body).toBe(200);
    expect(kept.json()).toMatchObject({ webhookSecretSet: true, version: 2 });
  });

  it('lists overdue and due-soon findings across products with days overdue', async () => {
    productId = (await createProductVia(officer)).id;
    const release = (await officer.post(`/api/v1/products/${productId}/releases`, { version: '1.0' })).json<{
      id: string;
    }>();
    const sbom = readFileSync(
      corpus('sbom', 'medical', 'sbom-completeness', 'sboms', 'case-study', 'narrow.sbom.json'),
    );
    const up = await officer.upload('POST', `/api/v1/releases/${release.id}/sboms`, {
      name: 'device.cdx.json',
      content: sbom,
    });
    expect(up.status, up.body).toBe(201);
    await importOsv(t.deps, corpus('osv', 'ghsa-targeted'));
    await drain();
    findings = (await officer.get('/api/v1/findings')).json<{ items: typeof findings }>().items;
    expect(findings.length).toBeGreaterThan(1);
    const due = findings[0]!.dueDate;
    expect(due).toBe(new Date(T0.getTime() + 60 * DAY).toISOString().slice(0, 10));

    const none = await officer.get('/api/v1/findings/overdue');
    expect(none.status).toBe(200);
    expect(none.json()).toMatchObject({ counts: { overdue: 0, dueSoon: 0 }, items: [] });
    const soon = (await officer.get('/api/v1/findings/overdue?withinDays=60')).json<{
      counts: { dueSoon: number };
      items: { daysOverdue: number; status: string }[];
    }>();
    expect(soon.counts.dueSoon).toBe(findings.length);
    expect(soon.items.every((i) => i.daysOverdue === -60 && i.status === 'due_soon')).toBe(true);

    t.clock.set(new Date(T0.getTime() + 63 * DAY));
    const o = await fresh();
    const late = (await o.get('/api/v1/findings/overdue')).json<{
      today: string;
      counts: { overdue: number };
      items: { findingId: string; daysOverdue: number; status: string; severity: string; product: string }[];
    }>();
    expect(late.counts.overdue).toBe(findings.length);
    expect(late.items[0]).toMatchObject({
      daysOverdue: 3,
      status: 'overdue',
      product: 'GlucoFlow insulin pump',
    });
    const severity = findings[0]!.severity;
    const bySeverity = (await o.get(`/api/v1/findings/overdue?severity=${severity}`)).json<{
      items: { severity: string }[];
    }>();
    expect(bySeverity.items.length).toBe(findings.filter((f) => f.severity === severity).length);
    expect(bySeverity.items.every((i) => i.severity === severity)).toBe(true);
    expect(
      (await o.get(`/api/v1/findings/overdue?productId=01a20000-0000-7000-8000-000000000000`)).json<{
        items: unknown[];
      }>().items,
    ).toEqual([]);
    // a decided finding is no longer overdue
    const first = late.items[0]!.findingId;
    expect(
      (
        await o.patch(`/api/v1/findings/${first}`, {
          state: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
        })
      ).status,
    ).toBe(200);
    const after = (await o.get('/api/v1/findings/overdue')).json<{ items: { findingId: string }[] }>();
    expect(after.items.map((i) => i.findingId)).not.toContain(first);
    expect((await o.get('/api/v1/findings/overdue?withinDays=400')).status).toBe(400);
    // back to the day the findings were seen, and the decision undone
    t.clock.set(new Date(T0.getTime() + 10 * 60_000));
    const back = await fresh();
    expect(
      (
        await back.patch(`/api/v1/findings/${first}`, {
          state: 'under_investigation',
        })
      ).status,
    ).toBe(200);
  });

  it('sends one digest per channel: new critical/high/KEV now, due soon, then overdue; retried after a 500; never twice', async () => {
    // the corpus findings are medium and low: an environmental score for this device makes one critical
    const scored = await officer.patch(`/api/v1/findings/${findings[0]!.id}`, {
      cvssEnvironmentalVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    });
    expect(scored.json<{ severity: string }>().severity).toBe('critical');
    const important = [findings[0]!];
    statuses.push(500); // the receiver fails once
    await scheduleNotificationScan(t.deps);
    await drain();
    // e-mail went out at once, bilingual, to both recipients
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.to.sort()).toEqual([...recipients].sort());
    expect(mail.from).toBe('medsec@example.org');
    expect(mail.subject).toContain('[MedSec] 취약점 기한 알림 / Vulnerability deadlines');
    expect(mail.subject).toContain(`신규 긴급·높음 ${important.length}건`);
    expect(mail.subject).toContain(`${important.length} new critical/high`);
    expect(mail.text).toContain('메디 디바이스 Co.');
    expect(mail.text).toContain('■ 한국어');
    expect(mail.text).toContain(`새로 발견된 긴급·높음·KEV 취약점 (${important.length}건)`);
    expect(mail.text).toContain('■ English');
    expect(mail.text).toContain(`New critical, high or KEV findings (${important.length})`);
    expect(mail.text).toContain(important[0]!.vulnerabilityId);
    expect(mail.text).toContain('https://medsec.example.org/overdue');
    // the webhook answered 500: a retry is due after the backoff
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.status).toBe(500);
    expect(verify(hooks[0]!)).toBe(true);
    const officerNow = await fresh();
    let log = (await officerNow.get('/api/v1/notifications/deliveries')).json<{
      items: {
        channel: string;
        status: string;
        attempts: number;
        lastError: string | null;
        itemCount: number;
      }[];
    }>();
    expect(log.items.find((d) => d.channel === 'webhook')).toMatchObject({
      status: 'retrying',
      attempts: 1,
      lastError: 'webhook answered HTTP 500',
      itemCount: important.length,
    });
    expect(log.items.find((d) => d.channel === 'email')).toMatchObject({ status: 'sent', attempts: 1 });
    t.clock.advance(11_000);
    await drain();
    expect(hooks).toHaveLength(2);
    expect(hooks[1]!.status).toBe(204);
    expect(verify(hooks[1]!)).toBe(true);
    expect(verify(hooks[1]!, 'another-secret-0123456789')).toBe(false);
    const body = JSON.parse(hooks[1]!.body) as {
      type: string;
      deliveryId: string;
      organization: { id: string };
      summary: { ko: string; en: string };
      items: { event: string; findingId: string }[];
    };
    expect(body.type).toBe('medsec.notification.digest');
    expect(body.deliveryId).toBe(hooks[0]!.headers['x-medsec-delivery']);
    expect(body.organization.id).toBe(organizationId);
    expect(body.summary.ko).toContain('신규 긴급·높음');
    expect(body.summary.en).toContain('new critical/high');
    expect(body.items.map((i) => i.event)).toEqual(important.map(() => 'new_critical'));
    log = (await officerNow.get('/api/v1/notifications/deliveries?channel=webhook')).json();
    expect(log.items[0]).toMatchObject({ status: 'sent', attempts: 2, lastError: null });

    // a re-run the same day sends nothing
    expect(await buildDigests(t.deps, organizationId)).toEqual([]);
    await scheduleNotificationScan(t.deps);
    t.clock.advance(DAY);
    await drain();
    expect(mails).toHaveLength(1);
    expect(hooks).toHaveLength(2);

    // 55 days after first seen: every open finding is due within 7 days
    t.clock.set(new Date(T0.getTime() + 55 * DAY));
    await drain();
    expect(mails).toHaveLength(2);
    expect(hooks).toHaveLength(3);
    expect(mails[1]!.subject).toContain(`기한 임박 ${findings.length}건`);
    expect(mails[1]!.text).toContain(`기한 임박 (${findings.length}건, 7일 이내)`);
    expect(mails[1]!.text).toContain('5일 남음');
    expect(mails[1]!.text).toContain(`Due soon (${findings.length}, within 7 days)`);
    expect(mails[1]!.text).toContain('5 days left');
    expect(verify(hooks[2]!)).toBe(true);

    // 61 days: overdue
    t.clock.set(new Date(T0.getTime() + 61 * DAY));
    await drain();
    expect(mails).toHaveLength(3);
    expect(mails[2]!.subject).toContain(`기한 초과 ${findings.length}건`);
    expect(mails[2]!.text).toContain('1일 초과');
    expect(mails[2]!.text).toContain('1 day overdue');
    expect(mails[2]!.text).toContain(`Overdue (${findings.length})`);
    expect(hooks).toHaveLength(4);
    const overdueBody = JSON.parse(hooks[3]!.body) as { counts: Record<string, number> };
    expect(overdueBody.counts).toEqual({ overdue: findings.length, due_soon: 0, new_critical: 0 });

    // and again: nothing repeats
    t.clock.advance(DAY);
    await drain();
    expect(await buildDigests(t.deps, organizationId)).toEqual([]);
    expect(mails).toHaveLength(3);
    expect(hooks).toHaveLength(4);
    const [counts] = await t.deps.db.query<{ n: number; d: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT (channel, finding_id, event))::int AS d
         FROM notification_delivery_items WHERE organization_id = $1`,
      [organizationId],
    );
    expect(counts!.n).toBe(counts!.d);
    expect(counts!.n).toBe(2 * (important.length + 2 * findings.length));
    // the scan keeps itself scheduled
    const [next] = await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jobs WHERE type = 'notifications.scan' AND status = 'queued'`,
    );
    expect(next!.n).toBe(1);
  });

  it('sends a test message on each channel now, and releases findings after a delivery failed for good', async () => {
    const o = await fresh();
    developer = await signIn(t, developerEmail, STRONG_PASSWORD);
    expect((await developer.post('/api/v1/notifications/test')).status).toBe(403);
    const res = await o.post('/api/v1/notifications/test');
    expect(res.status, res.body).toBe(200);
    const { deliveries } = res.json<{ deliveries: { channel: string; status: string; kind: string }[] }>();
    expect(deliveries.map((d) => [d.channel, d.kind, d.status]).sort()).toEqual([
      ['email', 'test', 'sent'],
      ['webhook', 'test', 'sent'],
    ]);
    const mail = mails.at(-1)!;
    expect(mail.subject).toBe('[MedSec] 테스트 알림 / Test notification');
    expect(mail.text).toContain('알림 설정이 올바르게 동작합니다');
    expect(mail.text).toContain('Your notification settings work');
    const hook = hooks.at(-1)!;
    expect(verify(hook)).toBe(true);
    expect(JSON.parse(hook.body)).toMatchObject({ type: 'medsec.notification.test', items: [] });
    expect(hook.headers['x-medsec-event']).toBe('test');
    const audited = await t.deps.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'notifications.test_requested' AND organization_id = $1`,
      [organizationId],
    );
    expect(audited).toHaveLength(2);

    // a receiver that always fails: five attempts, then `failed`, and the findings are free for the next digest
    await t.deps.db.query(
      `DELETE FROM notification_delivery_items WHERE organization_id = $1 AND channel = 'webhook' AND event = 'overdue'`,
      [organizationId],
    );
    statuses.push(500, 500, 500, 500, 500);
    const before = hooks.length;
    const [id] = await buildDigests(t.deps, organizationId);
    for (let i = 0; i < 6; i++) {
      await drain();
      t.clock.advance(2 * 3_600_000);
    }
    expect(hooks.length - before).toBe(5);
    const [d] = await t.deps.db.query<{ status: string; attempts: number; last_error: string }>(
      'SELECT status, attempts, last_error FROM notification_deliveries WHERE id = $1',
      [id],
    );
    expect(d).toMatchObject({ status: 'failed', attempts: 5, last_error: 'webhook answered HTTP 500' });
    const [released] = await t.deps.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM notification_delivery_items WHERE delivery_id = $1',
      [id],
    );
    expect(released!.n).toBe(0);
    const again = await buildDigests(t.deps, organizationId);
    expect(again).toHaveLength(1);
    await drain();
    expect(hooks.at(-1)!.status).toBe(204);
  });
});

describe('notifications without SMTP on the server', () => {
  let t: TestApp;
  afterAll(async () => {
    await t?.close();
  });

  it('says e-mail is off, and a test with only e-mail switched on is refused', async () => {
    t = await createTestApp();
    const admin = await bootstrapAdmin(t);
    const settings = await admin.client.put('/api/v1/notifications/settings', {
      enabled: true,
      emailEnabled: true,
      emailRecipients: [uniqueEmail('psirt')],
      webhookEnabled: false,
      webhookUrl: null,
      events: { dueSoon: true, dueSoonDays: 3, overdue: true, newCritical: false },
    });
    expect(settings.status, settings.body).toBe(200);
    expect(settings.json()).toMatchObject({ emailAvailable: false, emailEnabled: true });
    const test = await admin.client.post('/api/v1/notifications/test');
    expect(test.status).toBe(412);
    expect(test.json<{ detail: string }>().detail).toContain('MEDSEC_SMTP_URL');
    expect(await buildDigests(t.deps, admin.organizationId)).toEqual([]);
  });
});
