import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signBody } from './notifications.channels.ts';
import { type DigestItem, renderDigest, renderTestMessage, webhookBody } from './notifications.messages.ts';

const item = (event: DigestItem['event'], daysOverdue: number): DigestItem => ({
  event,
  findingId: '01a20000-0000-7000-8000-000000000001',
  vulnerabilityId: 'CVE-2024-0001',
  summary: 'Buffer overflow',
  severity: 'high',
  kev: event === 'new_critical',
  product: 'Pump',
  release: '1.0',
  component: 'openssl',
  componentVersion: '3.0.1',
  dueDate: '2026-05-01',
  daysOverdue,
});

describe('notification messages', () => {
  const organization = { id: '01a20000-0000-7000-8000-0000000000aa', name: 'Acme' };

  it('renders the digest in Korean, then English, section by event', () => {
    const m = renderDigest({
      organization,
      generatedAt: new Date('2026-05-03T00:00:00Z'),
      items: [item('overdue', 2), item('due_soon', -1), item('new_critical', 0)],
      dueSoonDays: 7,
      publicUrl: 'https://medsec.example.org/',
    });
    expect(m.subject).toBe(
      '[MedSec] 취약점 기한 알림 / Vulnerability deadlines: 기한 초과 1건, 기한 임박 1건, 신규 긴급·높음 1건 / 1 overdue, 1 due soon, 1 new critical/high',
    );
    expect(m.text.indexOf('■ 한국어')).toBeLessThan(m.text.indexOf('■ English'));
    expect(m.text).toContain(
      ' - CVE-2024-0001 [높음] Pump 1.0 / openssl 3.0.1 — 조치 기한 2026-05-01 (2일 초과)',
    );
    expect(m.text).toContain(
      ' - CVE-2024-0001 [high] Pump 1.0 / openssl 3.0.1 — due 2026-05-01 (2 days overdue)',
    );
    expect(m.text).toContain('(1일 남음)');
    expect(m.text).toContain('(1 day left)');
    expect(m.text).toContain('[높음 KEV]');
    expect(m.text).toContain('(오늘까지)');
    expect(m.text).toContain('https://medsec.example.org/overdue');
    expect(m.counts).toEqual({ overdue: 1, due_soon: 1, new_critical: 1 });
  });

  it('renders a test message and a signed webhook body whose timestamp matches the send time', () => {
    const sentAt = new Date('2026-05-03T10:00:00.000Z');
    const body = webhookBody('d-1', renderTestMessage({ organization, generatedAt: sentAt }), sentAt);
    const parsed = JSON.parse(body) as {
      type: string;
      timestamp: number;
      summary: { ko: string; en: string };
    };
    expect(parsed.type).toBe('medsec.notification.test');
    expect(parsed.timestamp).toBe(sentAt.getTime() / 1000);
    expect(parsed.summary.ko).toContain('테스트');
    expect(signBody('s3cret', body)).toBe(
      `sha256=${createHmac('sha256', 's3cret').update(Buffer.from(body, 'utf8')).digest('hex')}`,
    );
  });
});
