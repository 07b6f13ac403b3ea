import type { NotificationEvent } from '@medsec/core';

/**
 * The bilingual (Korean first, then English) messages of a notification: one digest per organization and channel,
 * listing overdue, due-soon and new critical/high/KEV findings; or a test message. Rendered once when the digest is
 * built and stored with the delivery, so a retry sends exactly the same content.
 */
export interface DigestItem {
  event: NotificationEvent;
  findingId: string;
  vulnerabilityId: string;
  summary: string | null;
  severity: string;
  kev: boolean;
  product: string;
  release: string;
  component: string;
  componentVersion: string | null;
  dueDate: string | null;
  /** Positive when overdue, 0 on the due date, negative while due. */
  daysOverdue: number | null;
}

export interface NotificationMessage {
  kind: 'digest' | 'test';
  organization: { id: string; name: string };
  generatedAt: string;
  subject: string;
  text: string;
  summary: { ko: string; en: string };
  counts: Record<NotificationEvent, number>;
  dueSoonDays: number | null;
  items: DigestItem[];
  link: string | null;
}

const SEVERITY_KO: Record<string, string> = {
  critical: '긴급',
  high: '높음',
  medium: '중간',
  low: '낮음',
  none: '없음',
};

const line = (i: DigestItem, lang: 'ko' | 'en'): string => {
  const sev = lang === 'ko' ? (SEVERITY_KO[i.severity] ?? i.severity) : i.severity;
  const kev = i.kev ? ' KEV' : '';
  const where = `${i.product} ${i.release} / ${i.component}${i.componentVersion ? ` ${i.componentVersion}` : ''}`;
  let due = '';
  if (i.dueDate !== null && i.daysOverdue !== null) {
    const d = i.daysOverdue;
    due =
      lang === 'ko'
        ? ` — 조치 기한 ${i.dueDate} (${d > 0 ? `${d}일 초과` : d === 0 ? '오늘까지' : `${-d}일 남음`})`
        : ` — due ${i.dueDate} (${d > 0 ? `${d} day${d === 1 ? '' : 's'} overdue` : d === 0 ? 'due today' : `${-d} day${d === -1 ? '' : 's'} left`})`;
  }
  return ` - ${i.vulnerabilityId} [${sev}${kev}] ${where}${due}`;
};

const SECTIONS: {
  event: NotificationEvent;
  ko: (n: number, days: number | null) => string;
  en: (n: number, days: number | null) => string;
}[] = [
  { event: 'overdue', ko: (n) => `기한 초과 (${n}건)`, en: (n) => `Overdue (${n})` },
  {
    event: 'due_soon',
    ko: (n, days) => `기한 임박 (${n}건, ${days ?? ''}일 이내)`,
    en: (n, days) => `Due soon (${n}, within ${days ?? ''} days)`,
  },
  {
    event: 'new_critical',
    ko: (n) => `새로 발견된 긴급·높음·KEV 취약점 (${n}건)`,
    en: (n) => `New critical, high or KEV findings (${n})`,
  },
];

const countsOf = (items: DigestItem[]): Record<NotificationEvent, number> => ({
  overdue: items.filter((i) => i.event === 'overdue').length,
  due_soon: items.filter((i) => i.event === 'due_soon').length,
  new_critical: items.filter((i) => i.event === 'new_critical').length,
});

/** The digest of one organization for one channel. */
export const renderDigest = (input: {
  organization: { id: string; name: string };
  generatedAt: Date;
  items: DigestItem[];
  dueSoonDays: number | null;
  publicUrl: string | undefined;
}): NotificationMessage => {
  const counts = countsOf(input.items);
  const ko = `기한 초과 ${counts.overdue}건, 기한 임박 ${counts.due_soon}건, 신규 긴급·높음 ${counts.new_critical}건`;
  const en = `${counts.overdue} overdue, ${counts.due_soon} due soon, ${counts.new_critical} new critical/high`;
  const link = input.publicUrl ? `${input.publicUrl.replace(/\/$/, '')}/overdue` : null;
  const day = input.generatedAt.toISOString().slice(0, 10);
  const body = (lang: 'ko' | 'en'): string[] => {
    const out: string[] = [];
    for (const s of SECTIONS) {
      const items = input.items.filter((i) => i.event === s.event);
      if (items.length > 0) {
        out.push('', s[lang](items.length, input.dueSoonDays), ...items.map((i) => line(i, lang)));
      }
    }
    out.push(
      '',
      lang === 'ko'
        ? `MedSec Workbench의 '기한 초과' 화면에서 확인하고 조치하십시오${link ? `: ${link}` : '.'}`
        : `Review and act on them in MedSec Workbench, page "Overdue"${link ? `: ${link}` : '.'}`,
    );
    return out;
  };
  const text = [
    `${input.organization.name} — ${day}`,
    '',
    '■ 한국어',
    `취약점 조치 기한 알림: ${ko}`,
    ...body('ko'),
    '',
    '■ English',
    `Vulnerability deadline digest: ${en}`,
    ...body('en'),
    '',
    '-- MedSec Workbench (MFDS 2025 art. 20: 취약점 대응 기한 / vulnerability handling deadlines)',
  ].join('\n');
  return {
    kind: 'digest',
    organization: input.organization,
    generatedAt: input.generatedAt.toISOString(),
    subject: `[MedSec] 취약점 기한 알림 / Vulnerability deadlines: ${ko} / ${en}`,
    text,
    summary: { ko, en },
    counts,
    dueSoonDays: input.dueSoonDays,
    items: input.items,
    link,
  };
};

/** A test message: proves the channel works, carries no finding. */
export const renderTestMessage = (input: {
  organization: { id: string; name: string };
  generatedAt: Date;
}): NotificationMessage => {
  const ko = '알림 설정이 올바르게 동작합니다. 이 메시지는 테스트입니다.';
  const en = 'Your notification settings work. This message is a test.';
  return {
    kind: 'test',
    organization: input.organization,
    generatedAt: input.generatedAt.toISOString(),
    subject: '[MedSec] 테스트 알림 / Test notification',
    text: [
      `${input.organization.name} — ${input.generatedAt.toISOString()}`,
      '',
      '■ 한국어',
      ko,
      '',
      '■ English',
      en,
    ].join('\n'),
    summary: { ko, en },
    counts: { overdue: 0, due_soon: 0, new_critical: 0 },
    dueSoonDays: null,
    items: [],
    link: null,
  };
};

/** The JSON body a webhook receives (signed as sent). `sentAt` equals the X-MedSec-Timestamp header. */
export const webhookBody = (deliveryId: string, message: NotificationMessage, sentAt: Date): string =>
  JSON.stringify({
    type: `medsec.notification.${message.kind}`,
    deliveryId,
    sentAt: sentAt.toISOString(),
    timestamp: Math.floor(sentAt.getTime() / 1000),
    organization: message.organization,
    subject: message.subject,
    summary: message.summary,
    counts: message.counts,
    dueSoonDays: message.dueSoonDays,
    link: message.link,
    items: message.items,
  });
