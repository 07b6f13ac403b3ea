import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('configuration', () => {
  it("defaults to the embedded database in ./data with the seeds' security values", () => {
    const c = loadConfig({});
    expect(c.storage.kind).toBe('pglite');
    expect(c.storage.dataDir.endsWith('/data')).toBe(true);
    expect(c.session.idleMs).toBe(10 * 60_000);
    expect(c.lockout).toEqual({ threshold: 5, durationMs: 5 * 60_000 });
    expect(c.passwordPolicy.minLength).toBe(8);
    expect(c.tls).toBeUndefined();
  });

  it('uses PostgreSQL when DATABASE_URL is set, and flags override the environment', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@h/db', MEDSEC_PORT: '9000' }, { MEDSEC_PORT: '9100' });
    expect(c.storage).toMatchObject({ kind: 'postgres', url: 'postgres://u@h/db' });
    expect(c.port).toBe(9100);
  });

  it('stops on a bad value with a message naming it', () => {
    expect(() => loadConfig({ MEDSEC_PORT: 'eighty' })).toThrow(/MEDSEC_PORT/);
    expect(() => loadConfig({ MEDSEC_PASSWORD_MIN_LENGTH: '4' })).toThrow(/MEDSEC_PASSWORD_MIN_LENGTH/);
    expect(() => loadConfig({ MEDSEC_TLS_CERT: '/x.pem' })).toThrow(/together/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});
