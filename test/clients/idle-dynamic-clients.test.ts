import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { freePort } from '../support/free-port.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm } from '../support/token-endpoint.js';
import { prepareDatabase } from '../../src/boot/prepare-database.js';
import { createContainer, type Container } from '../../src/boot/container.js';

const EMAIL = 'ada@example.com';
const PASSWORD = 'analytical engine 1843';
const REDIRECT = 'https://agent.example/callback';
const DAY = 24 * 3600 * 1000;

interface Listed {
  clients: { client_id: string; client_name: string; last_token_at: string | null; registered_at?: string }[];
}

let server: TestServer;
let metricsPort: number;
let env: Record<string, string>;

const register = async (name: string) => {
  const res = await fetch(`${server.url}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: name, redirect_uris: [REDIRECT] }),
  });
  const body = await res.text();
  if (res.status !== 201) throw new Error(`registering ${name} answered ${res.status}: ${body}`);
  return (JSON.parse(body) as { client_id: string }).client_id;
};

/** Signs in, consents and redeems the code: a token issued to the client. */
async function issueToken(clientId: string) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = new URL('/auth', server.url);
  for (const [key, value] of Object.entries({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }))
    url.searchParams.set(key, value);
  const { callback } = await walkAuthorization(new UserAgent(server.url), url, {
    email: EMAIL,
    password: PASSWORD,
    consent: 'allow',
  });
  const token = await postForm(
    server.url,
    '/token',
    { client_id: clientId },
    {
      grant_type: 'authorization_code',
      code: callback?.searchParams.get('code') as string,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
    },
  );
  expect(token.status).toBe(200);
}

/** A container on the same database whose clock is `daysLater` days ahead, as the sweep would see it. */
async function later(daysLater: number): Promise<Container> {
  const clock = () => Date.now() + daysLater * DAY;
  const { kek } = await prepareDatabase(server.config, clock);
  return createContainer(server.config, kek.key, clock);
}

const metric = async (event: string) => {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`gatehouse_dynamic_clients_total{event="${event}"}`));
  return Number(line?.split(' ')[1] ?? 0);
};

beforeAll(async () => {
  metricsPort = await freePort();
  server = await startTestServer({
    CLIENT_REGISTRATION: 'open',
    DYNAMIC_CLIENT_IDLE_DAYS: '30',
    METRICS_PORT: String(metricsPort),
  });
  env = { DATABASE_URL: server.database.url };
  await gatehouseJson(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD, '--email-verified');
});

afterAll(async () => {
  await server.close();
});

describe('self-registered clients that fall idle', () => {
  it("are listed with --dynamic with their last token, apart from the operator's clients", async () => {
    const used = await register('Used agent');
    const unused = await register('Unused agent');
    const operators = await gatehouseJson<{ client_id: string }>(
      env,
      'client',
      'add',
      '--name',
      'Operator app',
      '--redirect-uri',
      REDIRECT,
    );
    await issueToken(used);

    const listed = await gatehouseJson<Listed>(env, 'client', 'list', '--dynamic');
    const ids = listed.clients.map((c) => c.client_id);
    expect(ids).toEqual(expect.arrayContaining([used, unused]));
    expect(ids).not.toContain(operators.client_id);
    expect(listed.clients.find((c) => c.client_id === used)?.last_token_at).toEqual(expect.any(String));
    expect(listed.clients.find((c) => c.client_id === unused)).toMatchObject({
      last_token_at: null,
      registered_at: expect.any(String),
    });
    expect(await metric('registered')).toBeGreaterThanOrEqual(2);
  });

  it('are removed by the sweep after DYNAMIC_CLIENT_IDLE_DAYS without a token, and not before; audited', async () => {
    const fresh = await register('Fresh agent');
    const early = await later(29);
    try {
      expect(await early.idleDynamicClients.sweep()).toBe(0);
    } finally {
      await early.close();
    }
    await issueToken(fresh);

    const sweep = await later(31);
    let removed: number;
    try {
      removed = await sweep.idleDynamicClients.sweep();
    } finally {
      await sweep.close();
    }
    expect(removed).toBe(3);
    const left = await gatehouseJson<Listed>(env, 'client', 'list', '--dynamic');
    expect(left.clients).toEqual([]);
    const operators = await gatehouseJson<Listed>(env, 'client', 'list');
    expect(operators.clients.map((c) => c.client_name)).toContain('Operator app');
    const audit = JSON.stringify(await gatehouseJson(env, 'audit', '--limit', '50'));
    expect(audit).toContain('client.idle_removed');
    expect(audit).toContain('client.registered');
  });

  it('can be removed by the operator at once with client remove', async () => {
    const agent = await register('Removable agent');
    const res = await gatehouse(env, 'client', 'remove', '--client-id', agent);
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
    const listed = await gatehouseJson<Listed>(env, 'client', 'list', '--dynamic');
    expect(listed.clients.map((c) => c.client_id)).not.toContain(agent);
    // The sweep finds only its leftover row: nothing more to remove.
    const sweep = await later(31);
    try {
      expect(await sweep.idleDynamicClients.sweep()).toBe(0);
    } finally {
      await sweep.close();
    }
  });
});
