import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';
import { type NotificationMessage, webhookBody } from './notifications.messages.ts';

/**
 * The two delivery channels. E-mail goes over SMTP with nodemailer (MEDSEC_SMTP_URL, MEDSEC_MAIL_FROM). A webhook is a
 * JSON POST whose body is signed with HMAC-SHA256 under the organization's secret:
 * `X-MedSec-Signature: sha256=<hex>` over the exact body bytes, `X-MedSec-Timestamp` (Unix seconds, also in the body
 * as `timestamp`, so it is covered by the signature and a receiver can refuse stale replays).
 */
export const SIGNATURE_HEADER = 'x-medsec-signature';
export const TIMESTAMP_HEADER = 'x-medsec-timestamp';

/** `sha256=<hex>` of the body under the secret. */
export const signBody = (secret: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

export const sendEmail = async (
  config: Config,
  input: { to: string[]; message: NotificationMessage; deliveryId: string },
): Promise<void> => {
  const smtp = config.notifications.smtp;
  if (!smtp) {
    throw new Error('e-mail is not configured on this server (MEDSEC_SMTP_URL)');
  }
  const transport = nodemailer.createTransport({
    url: smtp.url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  try {
    await transport.sendMail({
      from: smtp.from,
      to: input.to,
      subject: input.message.subject,
      text: input.message.text,
      headers: { 'X-MedSec-Delivery': input.deliveryId },
    });
  } finally {
    transport.close();
  }
};

export const sendWebhook = async (
  config: Config,
  input: { url: string; secret: string; message: NotificationMessage; deliveryId: string; now: Date },
): Promise<void> => {
  const body = webhookBody(input.deliveryId, input.message, input.now);
  const res = await fetch(input.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'MedSec-Workbench-Webhook/1',
      'x-medsec-event': input.message.kind,
      'x-medsec-delivery': input.deliveryId,
      [TIMESTAMP_HEADER]: String(Math.floor(input.now.getTime() / 1000)),
      [SIGNATURE_HEADER]: signBody(input.secret, body),
    },
    body,
    // a redirect could carry the signed body elsewhere: it counts as a failure
    redirect: 'manual',
    signal: AbortSignal.timeout(config.notifications.webhookTimeoutMs),
  });
  // drain the answer so the connection is released
  await res.arrayBuffer().catch(() => undefined);
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`webhook answered HTTP ${res.status}`);
  }
};
