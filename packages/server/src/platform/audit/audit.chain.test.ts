import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, GENESIS_HASH } from './audit.chain.ts';

describe('audit chain hashing', () => {
  it('canonicalises key order at every depth, so jsonb reordering cannot change a hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('links each hash to the previous one', () => {
    const fields = {
      seq: 1,
      id: '01a20000-0000-7000-8000-000000000001',
      occurredAt: '2026-01-01T00:00:00.000Z',
      organizationId: null,
      actorUserId: null,
      actorLabel: 'system',
      action: 'x',
      targetType: null,
      targetId: null,
      outcome: 'success',
      ip: null,
      requestId: null,
      details: { a: 1 },
    };
    const h1 = chainHash(GENESIS_HASH, fields);
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, { ...fields, details: { a: 2 } })).not.toBe(h1);
    expect(chainHash('f'.repeat(64), fields)).not.toBe(h1);
    expect(chainHash(GENESIS_HASH, { ...fields })).toBe(h1);
  });
});
