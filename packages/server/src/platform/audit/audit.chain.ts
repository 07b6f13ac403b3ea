import { createHash } from 'node:crypto';

/** The fields an audit event's hash covers, in one canonical form. */
export interface ChainedFields {
  seq: number;
  id: string;
  occurredAt: string;
  organizationId: string | null;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  ip: string | null;
  requestId: string | null;
  details: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so jsonb's key reordering cannot change a hash. */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
};

/** hash_n = SHA-256(hash_{n-1} ‖ "\n" ‖ canonical(event_n)) */
export const chainHash = (prevHash: string, fields: ChainedFields): string =>
  createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
