import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';

const EMAIL = 'edsger@example.com';
const PASSWORD = 'goto considered harmful';
const REDIRECT = 'https://app.example/cb';

let server: TestServer;
let env: Record<string, string>;
let codeOnly: Credentials;
let idTokenApp: Credentials;
let legacy: Credentials;

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await gatehouseJson(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
  codeOnly = await gatehouseJson(env, 'client', 'add', '--name', 'Code app', '--redirect-uri', REDIRECT);
  idTokenApp = await gatehouseJson(
    env,
    'client',
    'add',
    '--name',
    'Form post app',
    '--redirect-uri',
    REDIRECT,
    '--response-type',
    'id_token',
  );
  legacy = await gatehouseJson(
    env,
    'client',
    'add',
    '--name',
    'Apache',
    '--redirect-uri',
    REDIRECT,
    '--pkce',
    'optional',
  );
});

afterAll(async () => {
  await server.close();
});

const authorize = (params: Record<string, string>) => {
  const url = new URL('/auth', server.url);
  for (const [key, value] of Object.entries({ redirect_uri: REDIRECT, scope: 'openid', state: 'st', ...params }))
    url.searchParams.set(key, value);
  return url;
};

/** Where the authorization endpoint sends the browser straight away (an error, before any page). */
async function errorOf(params: Record<string, string>) {
  const res = await new UserAgent(server.url).get(authorize(params));
  const location = new URL(res.headers.get('location') as string);
  const fragment = new URLSearchParams(location.hash.slice(1));
  const get = (name: string) => location.searchParams.get(name) ?? fragment.get(name);
  return { error: get('error'), description: get('error_description') };
}

describe('response_type=id_token (OIDC Core §3.2) only for clients registered for it', () => {
  it('refuses it to a client registered with the default, code', async () => {
    const answer = await errorOf({ client_id: codeOnly.client_id, response_type: 'id_token', nonce: 'n' });
    expect(answer).toEqual({
      error: 'invalid_request',
      description: 'requested response_type is not allowed for this client',
    });
  });

  it('requires a nonce (OIDC Core §3.2.2.1)', async () => {
    const { error, description } = await errorOf({
      client_id: idTokenApp.client_id,
      response_type: 'id_token',
      response_mode: 'fragment',
    });
    expect(error).toBe('invalid_request');
    expect(description).toMatch(/nonce/);
  });

  it('posts an ID token with the nonce, and no access token or code, to a registered client', async () => {
    const url = authorize({
      client_id: idTokenApp.client_id,
      response_type: 'id_token',
      nonce: 'n-123',
      response_mode: 'form_post',
    });
    const { page } = await walkAuthorization(new UserAgent(server.url), url, {
      email: EMAIL,
      password: PASSWORD,
      consent: 'allow',
    });
    const html = (await page?.text()) ?? '';
    const idToken = /name="id_token" value="([^"]+)"/.exec(html)?.[1] as string;
    expect(html).toContain(`action="${REDIRECT}"`);
    expect(html).not.toMatch(/name="(code|access_token)"/);
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1] as string, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({ nonce: 'n-123', aud: idTokenApp.client_id, iss: server.config.issuer });
  });
});

describe('PKCE per client (RFC 7636; RFC 9700 §2.1.1)', () => {
  it('refuses a code request without PKCE with a message naming the setting', async () => {
    const { error, description } = await errorOf({ client_id: codeOnly.client_id, response_type: 'code' });
    expect(error).toBe('invalid_request');
    expect(description).toContain(`gatehouse client update --client-id ${codeOnly.client_id} --pkce optional`);
  });

  it('lets a confidential client registered with --pkce optional sign in and redeem its code without PKCE', async () => {
    const url = authorize({ client_id: legacy.client_id, response_type: 'code', nonce: 'n' });
    const { callback } = await walkAuthorization(new UserAgent(server.url), url, {
      email: EMAIL,
      password: PASSWORD,
      consent: 'allow',
    });
    const code = callback?.searchParams.get('code') as string;
    expect(code).toEqual(expect.any(String));
    const tokens = await postForm(server.url, '/token', legacy, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.body.id_token).toEqual(expect.any(String));
  });

  it('keeps PKCE required of public clients: --pkce optional is refused for them', async () => {
    const result = await gatehouse(
      env,
      'client',
      'add',
      '--name',
      'SPA',
      '--auth-method',
      'none',
      '--redirect-uri',
      REDIRECT,
      '--pkce',
      'optional',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PKCE stays required of public clients/);
  });

  it('is changed with client update, and a code request without PKCE then succeeds', async () => {
    const app = await gatehouseJson<Credentials>(env, 'client', 'add', '--name', 'Spring', '--redirect-uri', REDIRECT);
    expect((await errorOf({ client_id: app.client_id, response_type: 'code' })).error).toBe('invalid_request');
    await gatehouseJson(env, 'client', 'update', '--client-id', app.client_id, '--pkce', 'optional');
    const res = await new UserAgent(server.url).get(
      authorize({ client_id: app.client_id, response_type: 'code', nonce: 'n' }),
    );
    expect(res.headers.get('location')).toMatch(/\/interaction\//);
  });
});

describe('discovery tells the truth (OIDC Discovery §3, RFC 8414 §2)', () => {
  it('advertises S256 only, PAR as optional, and the response types and modes a browser completes', async () => {
    const config = await oidc.discovery(new URL(server.config.issuer), 'x', undefined, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    const metadata = config.serverMetadata();
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.require_pushed_authorization_requests).toBe(false);
    expect(metadata.response_types_supported).toEqual(['code', 'id_token']);
    expect(metadata.response_modes_supported).toEqual(expect.arrayContaining(['query', 'fragment', 'form_post']));
    expect(metadata.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'implicit', 'refresh_token', 'client_credentials']),
    );
  });
});
