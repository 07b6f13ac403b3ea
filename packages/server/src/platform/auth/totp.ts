import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30 s), compatible with common authenticator apps.
 * One step of clock drift is accepted either way; a code's time step is remembered so it cannot be replayed.
 */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

export const totpUri = (secret: string, account: string): string =>
  generateURI({ issuer: 'MedSec Workbench', label: account, secret });

export const totpQrSvg = (uri: string): Promise<string> =>
  QRCode.toString(uri, { type: 'svg', margin: 1, width: 200 });

/** Returns the accepted time step, or null. Rejects steps at or before `lastStep` (replay). */
export const checkTotp = async (
  secret: string,
  code: string,
  now: Date,
  lastStep: number | null,
): Promise<number | null> => {
  if (!/^\d{6}$/.test(code)) {
    return null;
  }
  const epoch = Math.floor(now.getTime() / 1000);
  const result = await verify({
    secret,
    token: code,
    epoch,
    epochTolerance: 30,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  }).catch(() => ({ valid: false }) as const);
  if (!result.valid) {
    return null;
  }
  const step = (result as { timeStep?: number }).timeStep;
  return typeof step === 'number' ? step : Math.floor(epoch / 30);
};
