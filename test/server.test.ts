import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startTestServer, type TestServer } from './support/test-server.js';
import { freePort } from './support/free-port.js';
import { gatehouseJson } from './support/run-gatehouse.js';
import { loadConfig } from '../src/config/load-config.js';
import { startServer } from '../src/boot/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers, redirect: 'manual' });

describe('a freshly started Gatehouse', () => {
  it('serves OpenID discovery for its issuer', async () => {
    const res = await get('/.well-known/openid-configuration');
    expect(res.status).toBe(200);
    const discovery = (await res.json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(server.config.issuer);
    // id_token alone only for clients registered for it (test/oidc/client-flow-policies.test.ts).
    expect(discovery.response_types_supported).toEqual(['code', 'id_token']);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
  });

  it('publishes a non-empty JWKS with public keys only', async () => {
    const { keys } = (await (await get('/jwks')).json()) as { keys: Record<string, unknown>[] };
    expect(keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    expect(keys.some((k) => 'd' in k)).toBe(false);
  });

  it('answers /healthz and /readyz', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('tags every response with a request id', async () => {
    expect((await get('/healthz')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('renders HTML pages with CSP frame-ancestors none, a referrer policy, nosniff and no-store', async () => {
    const res = await get('/interaction/unknown-uid', { accept: 'text/html' });
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    // Only the provider's form_post page may run a script (by hash); every other page runs none.
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(res.headers.get('content-security-policy')).not.toContain('script-src');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers a protocol error as OAuth JSON, never a stack trace', async () => {
    const res = await fetch(`${server.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=nope',
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = (await res.json()) as Record<string, string>;
    expect(body.error).toMatch(/^invalid_/);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('shows a browser a readable error page for a broken authorization request', async () => {
    const res = await get('/auth?client_id=nobody&response_type=code&scope=openid', { accept: 'text/html' });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toMatch(/<h1>/);
    expect(page).toMatch(/invalid_client|invalid_request/);
    expect(page).not.toMatch(/<script/);
  });

  it('refuses an oversized request body instead of buffering it', async () => {
    const res = await fetch(`${server.url}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&pad=${'a'.repeat(2_000_000)}`,
    });
    expect(res.status).toBe(413);
  });
});

describe('a restarted Gatehouse', () => {
  it('publishes the same keys after a restart on the same database', async () => {
    const before = await (await get('/jwks')).json();
    const again = await startTestServer({}, server.database);
    try {
      const after = await (await fetch(`${again.url}/jwks`)).json();
      expect(after).toEqual(before);
    } finally {
      await again.stop();
    }
  });
});

describe('an address nothing serves', () => {
  it('answers 404 with the readable page for browsers and an error object for API callers', async () => {
    const page = await get('/no/such/page', { accept: 'text/html' });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('There is nothing at this address.');
    const api = await get('/no/such/endpoint', { accept: 'application/json' });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: 'not_found', error_description: 'There is nothing at this address.' });
  });

  it('answers a method a form address does not take with 405, Allow, and the same page or error object (RFC 9110 §15.5.6)', async () => {
    const page = await get('/account/password', { accept: 'text/html' });
    expect(page.status).toBe(405);
    expect(page.headers.get('allow')).toContain('POST');
    expect(await page.text()).toContain('This address does not take GET requests.');
    const api = await get('/account/mfa/totp', { accept: 'application/json' });
    expect(api.status).toBe(405);
    expect(await api.json()).toEqual({
      error: 'invalid_request',
      error_description: 'This address does not take GET requests.',
    });
  });
});

describe('Gatehouse on SQLite, started under umask 000 (ASVS 4.0 §6.4.1: secrets at rest)', () => {
  it('keeps its data directory 0700, the database, -wal, -shm and KEK file 0600, and seals its keys', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gatehouse-modes-'));
    const dir = join(root, 'data');
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      {
        write: (line: string) => {
          lines.push(line);
        },
      },
    );
    const port = await freePort();
    const config = loadConfig({
      DATABASE_URL: `file:${join(dir, 'gatehouse.db')}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      ISSUER: `http://127.0.0.1:${port}`,
    });
    const previous = process.umask(0);
    let running: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      running = await startServer(config, logger);
      expect((await fetch(`http://127.0.0.1:${port}/jwks`)).status).toBe(200);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const file of ['gatehouse.db', 'gatehouse.db-wal', 'gatehouse.db-shm', 'gatehouse.kek']) {
        expect([file, statSync(join(dir, file)).mode & 0o777]).toEqual([file, 0o600]);
      }
      expect(lines.join('')).toContain(
        `sealed with the key-encryption key in ${join(dir, 'gatehouse.kek')} (generated now)`,
      );
      const keys = await gatehouseJson<{ keys: { encrypted: boolean }[] }>(
        { DATABASE_URL: config.databaseUrl },
        'keys',
        'list',
      );
      expect(keys.keys.length).toBe(3);
      expect(keys.keys.every((k) => k.encrypted)).toBe(true);
    } finally {
      process.umask(previous);
      await running?.close();
    }

    // An older install left them world-readable: the next start tightens them and logs it.
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'gatehouse.db'), 0o644);
    lines.length = 0;
    running = await startServer(config, logger);
    try {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'gatehouse.db')).mode & 0o777).toBe(0o600);
      expect(lines.join('')).toMatch(/tightened .*data from 0755 to 0700/);
      expect(lines.join('')).not.toContain('generated now');
    } finally {
      await running.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
