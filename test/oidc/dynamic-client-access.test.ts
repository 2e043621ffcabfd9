import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm } from '../support/token-endpoint.js';

const EMAIL = 'ada@example.com';
const PASSWORD = 'analytical engine 1843';
const REDIRECT = 'https://agent.example/callback';
const MCP = 'https://mcp.example/';
const CLOSED = 'https://closed.example/';

let server: TestServer;
let env: Record<string, string>;
let clientId: string;

async function authorizationUrl(params: Record<string, string>) {
  const verifier = oidc.randomPKCECodeVerifier();
  const url = new URL('/auth', server.url);
  const all = {
    client_id: clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'openid tools:read',
    resource: MCP,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: 'st',
    ...params,
  };
  for (const [key, value] of Object.entries(all)) url.searchParams.set(key, value);
  return { url, verifier };
}

beforeAll(async () => {
  server = await startTestServer({ CLIENT_REGISTRATION: 'open' });
  env = { DATABASE_URL: server.database.url, ISSUER: server.url };
  await gatehouseJson(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD, '--email-verified');
  await gatehouseJson(
    env,
    'resource',
    'add',
    '--identifier',
    MCP,
    '--scope',
    'tools:read tools:write admin',
    '--dynamic-clients',
    'allow',
    '--dynamic-scopes',
    'tools:read tools:write',
  );
  await gatehouseJson(env, 'resource', 'add', '--identifier', CLOSED, '--scope', 'read');
  const res = await fetch(`${server.url}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Totally Official Assistant',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
    }),
  });
  clientId = ((await res.json()) as { client_id: string }).client_id;
});

afterAll(async () => {
  await server.close();
});

describe('a self-registered client at the consent screen and the token endpoint', () => {
  it('is always asked for consent, told plainly the app is not verified, with the host it returns to', async () => {
    const agent = new UserAgent(server.url);
    for (let round = 1; round <= 2; round += 1) {
      const { url } = await authorizationUrl({});
      const stopped = await walkAuthorization(agent, url, { email: EMAIL, password: PASSWORD });
      const page = await stopped.page?.text();
      expect(page).toContain('not verified by the operator');
      expect(page).toContain('agent.example');
      expect(page).toContain('Totally Official Assistant');
      const allowed = await walkAuthorization(agent, url, { consent: 'allow' });
      expect(allowed.callback?.searchParams.get('code')).toBeTruthy();
    }
  });

  it('gets a token whose audience is the API opened to it, within the ceiling', async () => {
    const { url, verifier } = await authorizationUrl({ scope: 'openid tools:read tools:write' });
    const { callback } = await walkAuthorization(new UserAgent(server.url), url, {
      email: EMAIL,
      password: PASSWORD,
      consent: 'allow',
    });
    const code = callback?.searchParams.get('code') as string;
    const token = await postForm(
      server.url,
      '/token',
      { client_id: clientId },
      {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
        resource: MCP,
      },
    );
    expect(token.status).toBe(200);
    const claims = decodeJwt(token.body.access_token as string);
    expect(claims.aud).toBe(MCP);
    expect(claims.client_id).toBe(clientId);
    expect(String(claims.scope).split(' ').sort()).toEqual(['tools:read', 'tools:write']);
  });

  it('is refused a scope above the ceiling with invalid_scope', async () => {
    const { url } = await authorizationUrl({ scope: 'openid tools:read admin' });
    const { callback } = await walkAuthorization(new UserAgent(server.url), url, {
      email: EMAIL,
      password: PASSWORD,
      consent: 'allow',
    });
    expect(callback?.searchParams.get('error')).toBe('invalid_scope');
  });

  it.each([
    ['an API not opened to such clients', CLOSED],
    ['the management API', () => `${server.url}/admin/api`],
  ])('is refused %s with invalid_target', async (_case, resource) => {
    const { url } = await authorizationUrl({ resource: typeof resource === 'function' ? resource() : resource });
    const { callback } = await walkAuthorization(new UserAgent(server.url), url, {
      email: EMAIL,
      password: PASSWORD,
      consent: 'allow',
    });
    expect(callback?.searchParams.get('error')).toBe('invalid_target');
  });
});

describe('gatehouse resource add|update --dynamic-clients', () => {
  it('never opens the management API to self-registered clients', async () => {
    const res = await gatehouse(
      env,
      'resource',
      'update',
      '--identifier',
      `${server.url}/admin/api`,
      '--dynamic-clients',
      'allow',
    );
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/management API/);
  });

  it('refuses a ceiling naming a scope the API does not have', async () => {
    const res = await gatehouse(env, 'resource', 'update', '--identifier', MCP, '--dynamic-scopes', 'tools:delete');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/tools:delete/);
  });

  it('lists whether each API is open to them and up to which scopes, and closes one with deny', async () => {
    const listed = await gatehouseJson<{
      resources: { identifier: string; dynamicClients: boolean; dynamicScopes: string[] }[];
    }>(env, 'resource', 'list');
    expect(listed.resources.find((r) => r.identifier === MCP)).toMatchObject({
      dynamicClients: true,
      dynamicScopes: ['tools:read', 'tools:write'],
    });
    expect(listed.resources.find((r) => r.identifier === CLOSED)).toMatchObject({ dynamicClients: false });
    await gatehouseJson(env, 'resource', 'update', '--identifier', MCP, '--dynamic-clients', 'deny');
    const { url } = await authorizationUrl({});
    const { callback } = await walkAuthorization(new UserAgent(server.url), url, {
      email: EMAIL,
      password: PASSWORD,
      consent: 'allow',
    });
    expect(callback?.searchParams.get('error')).toBe('invalid_target');
  });
});
