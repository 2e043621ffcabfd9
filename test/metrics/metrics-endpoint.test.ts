import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm } from '../support/token-endpoint.js';
import { freePort } from '../support/free-port.js';

let server: TestServer;
let metricsPort: number;
let env: Record<string, string>;
const REDIRECT = 'https://shop.example/callback';
const EMAIL = 'grace@example.com';
const PASSWORD = 'cobol compiler 1959';
const API = 'https://api.example.com';

beforeAll(async () => {
  metricsPort = await freePort();
  // The public listener on every interface, as in a container: the metrics one must not follow it.
  server = await startTestServer({ METRICS_PORT: String(metricsPort), HOST: '0.0.0.0' });
  env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
});

afterAll(async () => {
  await server.close();
});

const scrape = async () => {
  const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
};

/** The value of one series (name plus exact label set), or undefined. */
const valueOf = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('Prometheus metrics on METRICS_PORT', () => {
  it('are not served on the public listener', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/`)).status).toBe(404);
  });

  it('listen on loopback only, even with HOST=0.0.0.0, unless METRICS_HOST says otherwise: another address of this machine is refused', async () => {
    // 127.0.0.2 reaches this machine as any other interface would; a listener on 0.0.0.0 answers it.
    await expect(fetch(`http://127.0.0.2:${metricsPort}/metrics`)).rejects.toMatchObject({
      cause: { code: 'ECONNREFUSED' },
    });
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(200);
  });

  it('after sign-ins, token requests, introspection and revocation, count them by route template, grant type, format and outcome; no label carries a user, email, secret or token', async () => {
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

    // A wrong password, an unknown account, then a full code flow.
    const failing = new UserAgent(server.url);
    await walkAuthorization(failing, (await rp.authorizationRequest()).url, {
      email: EMAIL,
      password: 'not the password at all',
    });
    await walkAuthorization(new UserAgent(server.url), (await rp.authorizationRequest()).url, {
      email: 'nobody@example.com',
      password: 'whatever it may be',
    });
    const agent = new UserAgent(server.url);
    const request = await rp.authorizationRequest();
    const { callback } = await walkAuthorization(agent, request.url, {
      email: EMAIL,
      password: PASSWORD,
      consent: 'allow',
    });
    const tokens = await rp.redeem(callback as URL, request);

    // client_credentials for the API (opaque), introspected by the API, then revoked.
    const cc = await postForm(server.url, '/token', client, {
      grant_type: 'client_credentials',
      resource: API,
      scope: 'read',
    });
    expect(cc.status).toBe(200);
    const accessToken = cc.body.access_token as string;
    expect((await postForm(server.url, '/token/introspection', api, { token: accessToken })).body.active).toBe(true);
    expect((await postForm(server.url, '/token/revocation', client, { token: accessToken })).status).toBe(200);
    expect((await postForm(server.url, '/token/introspection', api, { token: accessToken })).body.active).toBe(false);
    expect(
      (
        await postForm(
          server.url,
          '/token/introspection',
          { client_id: api.client_id, client_secret: 'wrong' },
          { token: accessToken },
        )
      ).status,
    ).toBe(401);

    const text = await scrape();
    // Route templates, not raw paths.
    expect(
      valueOf(
        text,
        'gatehouse_http_request_duration_seconds_count{method="POST",route="/interaction/:uid/login",status="303"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      valueOf(text, 'gatehouse_http_request_duration_seconds_count{method="POST",route="oidc:token",status="200"}'),
    ).toBe(2);
    expect(
      valueOf(
        text,
        'gatehouse_http_request_duration_seconds_count{method="GET",route="oidc:authorization",status="303"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toMatch(/route="\/interaction\/[A-Za-z0-9_-]{10,}/);
    // Tokens by grant type, kind and format.
    expect(
      valueOf(
        text,
        'gatehouse_tokens_issued_total{grant_type="authorization_code",token="access_token",format="opaque"}',
      ),
    ).toBe(1);
    expect(
      valueOf(text, 'gatehouse_tokens_issued_total{grant_type="authorization_code",token="id_token",format="jwt"}'),
    ).toBe(1);
    expect(
      valueOf(
        text,
        'gatehouse_tokens_issued_total{grant_type="client_credentials",token="access_token",format="opaque"}',
      ),
    ).toBe(1);
    // Introspection and revocation results.
    expect(valueOf(text, 'gatehouse_introspections_total{result="active"}')).toBe(1);
    expect(valueOf(text, 'gatehouse_introspections_total{result="inactive"}')).toBe(1);
    expect(valueOf(text, 'gatehouse_introspections_total{result="refused"}')).toBe(1);
    expect(valueOf(text, 'gatehouse_revocations_total{kind="token",result="revoked"}')).toBe(1);
    // Sign-ins by outcome, second-step decisions by reason.
    expect(valueOf(text, 'gatehouse_sign_ins_total{kind="signin",outcome="success"}')).toBe(1);
    expect(valueOf(text, 'gatehouse_sign_ins_total{kind="signin",outcome="wrong_password"}')).toBe(1);
    expect(valueOf(text, 'gatehouse_sign_ins_total{kind="signin",outcome="unknown_account"}')).toBe(1);
    expect(valueOf(text, 'gatehouse_second_step_total{stage="decision",reason="none",outcome="skipped"}')).toBe(1);
    // Password hashing, database, background, keys, process.
    expect(valueOf(text, 'gatehouse_password_hash_wait_seconds_count')).toBeGreaterThanOrEqual(3);
    expect(valueOf(text, 'gatehouse_password_hash_queue_length')).toBe(0);
    expect(text).toMatch(/^gatehouse_db_query_duration_seconds_count\{operation="OidcRecord\.\w+"\} [1-9]/m);
    expect(text).toMatch(/^gatehouse_db_query_duration_seconds_count\{operation="Account\.\w+"\} [1-9]/m);
    expect(text).toContain('# TYPE gatehouse_db_query_errors_total counter'); // counted in test/db/database-outage.test.ts
    expect(valueOf(text, 'gatehouse_background_leader')).toBe(1);
    expect(text).toContain('# TYPE gatehouse_background_job_runs_total counter');
    expect(text).toContain('# TYPE gatehouse_background_job_rows_deleted_total counter');
    expect(valueOf(text, 'gatehouse_signing_key_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
    expect(text).toMatch(/^nodejs_gc_duration_seconds_bucket/m);

    // Nothing identifying or secret in any label.
    for (const secret of [
      EMAIL,
      'nobody@example.com',
      client.client_id,
      client.client_secret,
      api.client_secret,
      accessToken,
      tokens.access_token,
      PASSWORD,
    ]) {
      expect(text).not.toContain(secret);
    }
    // Bounded: every label value is one of a small vocabulary.
    const labelValues = [...text.matchAll(/(\w+)="([^"]*)"/g)].map(([, name, value]) => `${name}=${value}`);
    expect(new Set(labelValues).size).toBeLessThan(400);
  });
});
