import { createPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { createTestDatabase } from '../support/test-database.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm } from '../support/token-endpoint.js';
import { freePort } from '../support/free-port.js';

const REDIRECT = 'https://shop.example/callback';
const EMAIL = 'edsger@example.com';
const PASSWORD = 'goto considered harmful';
const API = 'https://api.example.com';
/** "Within a bounded time": every answer during the outage comes within this. */
const BOUND_MS = 5000;

let pg: PrivatePostgres;
let server: TestServer;
let metricsPort: number;

beforeAll(async () => {
  pg = await createPrivatePostgres();
  metricsPort = await freePort();
  server = await startTestServer({ METRICS_PORT: String(metricsPort) }, await createTestDatabase(pg.url));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await pg?.destroy();
});

const timed = async <T>(work: () => Promise<T>): Promise<T> => {
  const started = Date.now();
  const result = await work();
  expect(Date.now() - started).toBeLessThan(BOUND_MS);
  return result;
};

// This test runs a PostgreSQL of its own (test/support/private-postgres.ts) whichever store the
// suite is on, so it can crash the server under Gatehouse without touching the shared one.
describe('PostgreSQL going away and coming back', () => {
  it('costs 503s with Retry-After for a while, within a bounded time, and nothing else: /readyz fails, the pool reconnects, nothing committed is lost', async () => {
    const env = { DATABASE_URL: server.database.url };
    await gatehouse(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
    const client = (
      await gatehouse(
        env,
        'client',
        'add',
        '--name',
        'Shop',
        '--redirect-uri',
        REDIRECT,
        '--grant-type',
        'authorization_code',
        '--grant-type',
        'client_credentials',
        '--json',
      )
    ).json<{ client_id: string; client_secret: string }>();
    const api = (
      await gatehouse(
        env,
        'resource',
        'add',
        '--identifier',
        API,
        '--scope',
        'read',
        '--token-format',
        'opaque',
        '--json',
      )
    ).json<{ client_id: string; client_secret: string }>();
    await gatehouse(env, 'client', 'grant', '--client-id', client.client_id, '--resource', API);
    const rp = await relyingParty(server.config.issuer, client, REDIRECT);

    // Committed before the fault: a token, and a sign-in half done (the login form is showing).
    const before = await postForm(server.url, '/token', client, {
      grant_type: 'client_credentials',
      resource: API,
      scope: 'read',
    });
    expect(before.status).toBe(200);
    const agent = new UserAgent(server.url);
    const { page } = await walkAuthorization(agent, (await rp.authorizationRequest()).url);
    const uid = /action="\/interaction\/([^/]+)\/login"/.exec(await (page as Response).text())?.[1] as string;
    expect(uid).toBeTruthy();

    // Token requests in flight when the server crashes: each is answered, 200 or 503, in time.
    const inFlight = Array.from({ length: 8 }, () =>
      timed(() =>
        postForm(server.url, '/token', client, { grant_type: 'client_credentials', resource: API, scope: 'read' }),
      ),
    );
    await pg.stop('immediate');
    for (const answer of await Promise.all(inFlight)) {
      expect([200, 503]).toContain(answer.status);
      if (answer.status === 503) expect(answer.body.error).toBe('temporarily_unavailable');
    }

    const ready = await timed(() => fetch(`${server.url}/readyz`));
    expect(ready.status).toBe(503);
    expect((await timed(() => fetch(`${server.url}/healthz`))).status).toBe(200);

    // A sign-in in flight: the readable error page, 503, Retry-After.
    const login = await timed(() => agent.post(`/interaction/${uid}/login`, { email: EMAIL, password: PASSWORD }));
    expect(login.status).toBe(503);
    expect(login.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(login.headers.get('content-type')).toMatch(/text\/html/);
    expect(await login.text()).toMatch(/temporarily unavailable/i);

    // A new authorization request: the page too.
    const fresh = await timed(async () => new UserAgent(server.url).get((await rp.authorizationRequest()).url));
    expect(fresh.status).toBe(503);
    expect(fresh.headers.get('retry-after')).toMatch(/^\d+$/);

    // Token and introspection requests: OAuth JSON.
    for (const [path, creds, form] of [
      ['/token', client, { grant_type: 'client_credentials', resource: API, scope: 'read' }],
      ['/token/introspection', api, { token: before.body.access_token as string }],
    ] as const) {
      const answer = await timed(() => postForm(server.url, path, creds, form));
      expect({ path, status: answer.status, error: answer.body.error }).toEqual({
        path,
        status: 503,
        error: 'temporarily_unavailable',
      });
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    }

    await pg.start();
    // The pool reconnects by itself: no restart of Gatehouse.
    const deadline = Date.now() + 15_000;
    while ((await fetch(`${server.url}/readyz`)).status !== 200) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Nothing committed before the fault is lost, and service resumes.
    expect(
      (await postForm(server.url, '/token/introspection', api, { token: before.body.access_token as string })).body
        .active,
    ).toBe(true);
    const request = await rp.authorizationRequest();
    const { callback } = await walkAuthorization(new UserAgent(server.url), request.url, {
      email: EMAIL,
      password: PASSWORD,
      consent: 'allow',
    });
    expect((await rp.redeem(callback as URL, request)).access_token).toBeTruthy();

    // The failures were counted.
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^gatehouse_db_query_errors_total\{operation="[\w.$]+"\} [1-9]/m);
  }, 90_000);
});
