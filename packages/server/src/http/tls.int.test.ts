import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { createManualClock } from '@medsec/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createPgliteDb, type Db } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { startServerOn } from '../main.ts';
import { createMemoryKeyring } from '../platform/keys/keyring.ts';

/** Optional TLS: HTTPS with TLS 1.2+ only, HSTS, and the Secure __Host- session cookie. */
describe('TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medsec-tls-'));
  let db: Db;
  let server: { url: string; close(): Promise<void> };
  let port = 0;
  beforeAll(async () => {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    db = await createPgliteDb();
    await migrate(db);
    const config = loadConfig({
      MEDSEC_LOG_LEVEL: 'silent',
      MEDSEC_TLS_CERT: cert,
      MEDSEC_TLS_KEY: key,
      MEDSEC_PORT: '0',
    });
    server = await startServerOn({
      db,
      clock: createManualClock(new Date()),
      config,
      keyring: createMemoryKeyring(),
    });
    port = Number(new URL(server.url).port);
  });
  afterAll(async () => {
    await server.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (
    path: string,
    method = 'GET',
    body?: string,
  ): Promise<{ status: number; headers: Record<string, unknown> }> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          method,
          rejectUnauthorized: false,
          headers: body ? { 'content-type': 'application/json', 'x-csrf-token': 'x' } : {},
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it('serves HTTPS with HSTS', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(String(res.headers['strict-transport-security'])).toMatch(/max-age=31536000/);
  });

  it('sets the session cookie as __Host-, Secure, HttpOnly', async () => {
    await get(
      '/api/v1/setup',
      'POST',
      JSON.stringify({
        organizationName: 'T',
        email: 'tls@example.com',
        displayName: 'T',
        password: 'Correct-Horse-9-Battery',
      }),
    );
    const res = await get(
      '/api/v1/auth/login',
      'POST',
      JSON.stringify({ email: 'tls@example.com', password: 'Correct-Horse-9-Battery' }),
    );
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-medsec_session=/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/HttpOnly/);
  });

  it('refuses TLS 1.1', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({
        host: '127.0.0.1',
        port,
        rejectUnauthorized: false,
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
      });
      socket.on('secureConnect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
  });
});
