import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Opaque random secrets (session cookies, API tokens, invitations, recovery codes) and their stored hashes. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export const safeEqual = (a: string, b: string): boolean => {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
};

const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A recovery code: 16 characters (80 bits) in four groups, e.g. `K7QM-2XPA-9DNB-R4TW`. */
export const newRecoveryCode = (): string => {
  const bytes = randomBytes(16);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out += RECOVERY_ALPHABET[(bytes[i] ?? 0) % 32];
    if (i % 4 === 3 && i < 15) {
      out += '-';
    }
  }
  return out;
};

export const normaliseRecoveryCode = (code: string): string => code.toUpperCase().replace(/[^A-Z0-9]/g, '');
