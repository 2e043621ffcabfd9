import { selfSignedCertificate } from '../support/self-signed-certificate.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { freezeDate } from '../support/fake-date.js';

const PASSWORD = 'sessions are state';
const REDIRECT = 'https://app.example/cb';
let database: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  env = { DATABASE_URL: database.url };
  await gatehouse(env, 'user', 'add', '--email', 'barbara@example.com', '--password', PASSWORD);
});

afterAll(async () => {
  await database.drop();
});

async function firstPartyRp(server: TestServer) {
  const client = (
    await gatehouse(
      env,
      'client',
      'add',
      '--name',
      'Console-like',
      '--redirect-uri',
      REDIRECT,
      '--first-party',
      '--json',
    )
  ).json<{ client_id: string; client_secret: string }>();
  return relyingParty(server.config.issuer, client, REDIRECT);
}

const cookieAttributes = (line: string | undefined) =>
  (line ?? '')
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());

describe('session cookies over plain HTTP (development)', () => {
  it('are signed, HttpOnly and SameSite=Lax', async () => {
    const server = await startTestServer({}, database);
    try {
      const agent = new UserAgent(server.url);
      await walkAuthorization(agent, (await (await firstPartyRp(server)).authorizationRequest()).url, {
        email: 'barbara@example.com',
        password: PASSWORD,
      });
      const session = agent.setCookies.get('gatehouse.session');
      expect(cookieAttributes(session)).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'path=/']));
      expect(agent.setCookies.get('gatehouse.session.sig')).toBeDefined();
    } finally {
      await server.stop();
    }
  });
});

describe('session cookies behind a TLS-terminating proxy', () => {
  it('are Secure and carry the __Host- prefix when TRUST_PROXY is set and the issuer is https', async () => {
    const server = await startTestServer({ TRUST_PROXY: 'true', ISSUER: 'https://id.example.test' }, database);
    try {
      const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'id.example.test' };
      const agent = new UserAgent(server.url);
      // Requests arrive as the proxy forwards them; the authorization request is built by hand.
      const client = (
        await gatehouse(
          env,
          'client',
          'add',
          '--name',
          'Proxied',
          '--redirect-uri',
          REDIRECT,
          '--first-party',
          '--json',
        )
      ).json<{ client_id: string }>();
      const auth = new URL('/auth', server.url);
      auth.search = new URLSearchParams({
        client_id: client.client_id,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: REDIRECT,
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      }).toString();
      let res = await agent.get(auth, forwarded);
      expect(res.status).toBe(303);
      const interaction = agent.setCookies.get('__Secure-gatehouse.interaction');
      expect(cookieAttributes(interaction)).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax']));
      res = await agent.get(new URL(res.headers.get('location') as string, server.url).pathname, forwarded);
      const uid = /action="\/interaction\/([^/]+)\/login"/.exec(await res.text())?.[1] as string;
      res = await agent.post(
        `/interaction/${uid}/login`,
        { email: 'barbara@example.com', password: PASSWORD },
        { ...forwarded, origin: 'https://id.example.test' },
      );
      expect(res.status).toBe(303);
      // The device cookie (OWASP device cookies) is Secure and host-bound too.
      expect(cookieAttributes(agent.setCookies.get('__Host-gatehouse.device'))).toEqual(
        expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/']),
      );
      res = await agent.get(new URL(res.headers.get('location') as string, server.url).pathname, forwarded);
      expect(res.status).toBe(303);
      const session = agent.setCookies.get('__Host-gatehouse.session');
      expect(cookieAttributes(session)).toEqual(
        expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/']),
      );
      expect(cookieAttributes(session).some((a) => a.startsWith('domain='))).toBe(false);
    } finally {
      await server.stop();
    }
  });
});

describe('session cookies when Gatehouse serves HTTPS itself', () => {
  it('are Secure with the __Host- prefix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-tls-'));
    try {
      const { keyFile, certFile } = selfSignedCertificate(dir, '127.0.0.1', 'IP:127.0.0.1');
      const server = await startTestServer({ TLS_CERT: certFile, TLS_KEY: keyFile, ISSUER: '' }, database);
      try {
        expect(server.config.issuer).toMatch(/^https:\/\/localhost:\d+$/);
        const port = new URL(server.config.issuer).port;
        const client = (
          await gatehouse(env, 'client', 'add', '--name', 'Tls', '--redirect-uri', REDIRECT, '--first-party', '--json')
        ).json<{ client_id: string }>();
        const path = `/auth?${new URLSearchParams({ client_id: client.client_id, response_type: 'code', scope: 'openid', redirect_uri: REDIRECT, code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}`;
        const setCookie = await new Promise<string[]>((resolve, reject) => {
          request(
            { host: '127.0.0.1', port, path, rejectUnauthorized: false, headers: { host: `localhost:${port}` } },
            (res) => {
              res.resume();
              resolve(res.headers['set-cookie'] ?? []);
            },
          )
            .on('error', reject)
            .end();
        });
        const interaction = setCookie.find((c) => c.startsWith('__Secure-gatehouse.interaction='));
        expect(cookieAttributes(interaction)).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax']));
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('session timeouts (frozen clock)', () => {
  /**
   * Signs in on a server with these timeouts under a frozen clock, then hands `scenario` a way to
   * move the clock and to ask silently (prompt=none) whether the session is still there.
   */
  async function withSignedInSession(
    timeouts: { idle: number; absolute: number },
    scenario: (t: { advance(ms: number): void; stillSignedIn(): Promise<boolean> }) => Promise<void>,
  ) {
    const server = await startTestServer(
      { SESSION_IDLE_SECONDS: String(timeouts.idle), SESSION_ABSOLUTE_SECONDS: String(timeouts.absolute) },
      database,
    );
    const clock = freezeDate();
    try {
      const rp = await firstPartyRp(server);
      const agent = new UserAgent(server.url);
      await walkAuthorization(agent, (await rp.authorizationRequest()).url, {
        email: 'barbara@example.com',
        password: PASSWORD,
      });
      await scenario({
        advance: clock.advance,
        async stillSignedIn() {
          const { callback } = await walkAuthorization(agent, (await rp.authorizationRequest({ prompt: 'none' })).url);
          if (callback?.searchParams.get('error') === 'login_required') return false;
          expect(callback?.searchParams.get('code')).toBeTruthy();
          return true;
        },
      });
    } finally {
      clock.restore();
      await server.stop();
    }
  }

  it('ends a session after the idle timeout, but not while it is in use', async () => {
    await withSignedInSession({ idle: 600, absolute: 3600 }, async ({ advance, stillSignedIn }) => {
      for (let i = 0; i < 3; i += 1) {
        advance(540_000); // 9 minutes of quiet, then activity: still signed in
        expect(await stillSignedIn()).toBe(true);
      }
      advance(601_000);
      expect(await stillSignedIn()).toBe(false);
    });
  });

  it('ends a session at the absolute timeout however active it is', async () => {
    await withSignedInSession({ idle: 600, absolute: 1800 }, async ({ advance, stillSignedIn }) => {
      for (let elapsed = 0; elapsed < 1500_000; elapsed += 300_000) {
        advance(300_000);
        expect(await stillSignedIn()).toBe(true);
      }
      advance(301_000); // 30 min + 1 s after sign-in
      expect(await stillSignedIn()).toBe(false);
    });
  });
});
