import { exportJWK, generateKeyPair } from 'jose';
import { freezeDate } from '../support/fake-date.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

const REDIRECT = 'https://agent.example/callback';

let addresses = 0;
/**
 * Each call from an address of its own (the server trusts one proxy hop), so the per-address budget
 * of open registration is not what these tests meet, except the one that floods from one address.
 */
const freshAddress = () => ({ 'x-forwarded-for': `198.51.100.${(addresses += 1) % 250}` });

async function call(
  url: string,
  method: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = freshAddress(),
): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers: {
      ...headers,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const clientIds = async (server: TestServer) =>
  (
    await gatehouseJson<{ clients: { client_id: string }[] }>({ DATABASE_URL: server.database.url }, 'client', 'list')
  ).clients
    .map((c) => c.client_id)
    .sort();

describe('RFC 7591 registration with CLIENT_REGISTRATION=open', () => {
  let server: TestServer;
  const register = (metadata: unknown) => call(`${server.url}/reg`, 'POST', metadata);

  beforeAll(async () => {
    server = await startTestServer({ CLIENT_REGISTRATION: 'open', TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('registers an agent as a public client with a registration access token, and no secret', async () => {
    const res = await register({
      client_name: 'Research agent',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
    });
    expect(res.status).toBe(201);
    expect(res.body.token_endpoint_auth_method).toBe('none');
    expect(res.body).not.toHaveProperty('client_secret');
    expect(res.body.redirect_uris).toEqual([REDIRECT]);
    expect(res.body.registration_access_token).toEqual(expect.any(String));
    expect(res.body.registration_client_uri).toBe(`${server.url}/reg/${res.body.client_id as string}`);
    expect(await clientIds(server)).toContain(res.body.client_id);
  });

  it.each([
    ['a javascript: redirect URI', { redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri', /javascript:/],
    ['a data: redirect URI', { redirect_uris: ['data:text/html,hi'] }, 'invalid_redirect_uri', /data:/],
    [
      'a plain http redirect URI to another machine',
      { redirect_uris: ['http://agent.example/cb'] },
      'invalid_redirect_uri',
      /must use https/,
    ],
    ['no redirect URI', { client_name: 'Nowhere' }, 'invalid_redirect_uri', /redirect URI/],
    [
      'first_party',
      { redirect_uris: [REDIRECT], first_party: true },
      'invalid_client_metadata',
      /first_party is set by the operator/,
    ],
    [
      'API grants of its own',
      { redirect_uris: [REDIRECT], resource_scopes: { 'https://api.example': ['read'] } },
      'invalid_client_metadata',
      /resource_scopes/,
    ],
    [
      'the client_credentials grant',
      { redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'client_credentials'] },
      'invalid_client_metadata',
      /never client_credentials/,
    ],
    [
      'a client secret',
      { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_basic' },
      'invalid_client_metadata',
      /no secrets/,
    ],
    [
      'an http logo',
      { redirect_uris: [REDIRECT], logo_uri: 'http://agent.example/logo.png' },
      'invalid_client_metadata',
      /logo_uri must be an https URL/,
    ],
    [
      'an http policy page',
      { redirect_uris: [REDIRECT], policy_uri: 'http://agent.example/privacy' },
      'invalid_client_metadata',
      /policy_uri/,
    ],
    [
      'a name of 101 characters',
      { redirect_uris: [REDIRECT], client_name: 'x'.repeat(101) },
      'invalid_client_metadata',
      /client_name/,
    ],
    [
      'an unknown application type',
      { redirect_uris: [REDIRECT], application_type: 'tv' },
      'invalid_client_metadata',
      /application_type/,
    ],
    [
      'the implicit flow',
      { redirect_uris: [REDIRECT], response_types: ['id_token'], grant_types: ['implicit'] },
      'invalid_client_metadata',
      /./,
    ],
  ])('refuses %s with a described error, storing nothing', async (_case, metadata, error, description) => {
    const before = await clientIds(server);
    const res = await register(metadata);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(error);
    expect(res.body.error_description).toMatch(description);
    expect(await clientIds(server)).toEqual(before);
  });

  it('refuses metadata over 8 KiB before reading it, storing nothing', async () => {
    const before = await clientIds(server);
    const res = await register({
      redirect_uris: [REDIRECT],
      client_name: 'Big',
      contacts: Array(400).fill('someone@agent.example'),
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: 'invalid_client_metadata',
      error_description: expect.stringMatching(/8192 bytes/),
    });
    expect(await clientIds(server)).toEqual(before);
  });

  it("registers a client that names an API's scope in its metadata, keeping no scope list (APIs' ceilings decide)", async () => {
    const res = await register({ redirect_uris: [REDIRECT], scope: 'tools:read' });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('scope');
  });

  it('registers a private_key_jwt client with its public keys, and gives it no secret', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'agent-1', alg: 'ES256', use: 'sig' };
    const res = await register({
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [jwk] },
    });
    expect(res.status).toBe(201);
    expect(res.body.token_endpoint_auth_method).toBe('private_key_jwt');
    expect(res.body).not.toHaveProperty('client_secret');
  });

  it('answers a body that is not JSON with invalid_request, not a 500', async () => {
    const res = await register('{not json');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('lets a native app use a loopback redirect URI or a reverse-domain private-use scheme (RFC 8252 §7)', async () => {
    const res = await register({
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/callback', 'com.example.agent:/callback'],
    });
    expect(res.status).toBe(201);
    const bare = await register({ application_type: 'native', redirect_uris: ['agent:/callback'] });
    expect(bare.status).toBe(400);
    expect(bare.body.error).toBe('invalid_redirect_uri');
  });

  describe('RFC 7592 management with the registration access token', () => {
    it('reads, refuses a bad update, updates with a rotated token, and deletes', async () => {
      const created = await register({ client_name: 'Agent', redirect_uris: [REDIRECT] });
      const uri = created.body.registration_client_uri as string;
      const token = created.body.registration_access_token as string;
      const clientId = created.body.client_id as string;

      const read = await call(uri, 'GET', undefined, token);
      expect(read.status).toBe(200);
      expect(read.body.client_name).toBe('Agent');

      const bad = await call(uri, 'PUT', { client_id: clientId, redirect_uris: ['javascript:alert(1)'] }, token);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('invalid_redirect_uri');
      expect((await call(uri, 'GET', undefined, token)).body.redirect_uris).toEqual([REDIRECT]);

      const promoted = await call(
        uri,
        'PUT',
        { client_id: clientId, redirect_uris: [REDIRECT], first_party: true },
        token,
      );
      expect(promoted.status).toBe(400);
      expect(promoted.body.error).toBe('invalid_client_metadata');

      const updated = await call(
        uri,
        'PUT',
        { client_id: clientId, client_name: 'Agent 2', redirect_uris: [REDIRECT] },
        token,
      );
      expect(updated.status).toBe(200);
      expect(updated.body.client_name).toBe('Agent 2');
      expect(updated.body.token_endpoint_auth_method).toBe('none');
      const rotated = updated.body.registration_access_token as string;
      expect(rotated).not.toBe(token);
      expect((await call(uri, 'GET', undefined, token)).status).toBe(401);

      expect((await call(uri, 'DELETE', undefined, rotated)).status).toBe(204);
      expect(await clientIds(server)).not.toContain(clientId);
    });

    it('takes back, unchanged, the metadata it answered (RFC 7592 §2.2): our own mark of the kind is in no answer', async () => {
      const created = await register({ client_name: 'Echo', redirect_uris: [REDIRECT] });
      expect(created.body).not.toHaveProperty('gatehouse_dynamic');
      const uri = created.body.registration_client_uri as string;
      const read = await call(uri, 'GET', undefined, created.body.registration_access_token as string);
      expect(read.status).toBe(200);
      expect(read.body).not.toHaveProperty('gatehouse_dynamic');
      // What the client must leave out of its update (§2.2); everything else goes back as it came.
      const {
        registration_access_token: token,
        registration_client_uri: _uri,
        client_id_issued_at: _issued,
        client_secret_expires_at: _expires,
        ...metadata
      } = read.body;
      const echoed = await call(uri, 'PUT', metadata, token as string);
      expect(echoed.status).toBe(200);
      expect(echoed.body).not.toHaveProperty('gatehouse_dynamic');
      expect(echoed.body.client_name).toBe('Echo');
      // The mark is still ours: a client that names it itself is refused.
      const named = await call(
        uri,
        'PUT',
        { ...metadata, gatehouse_dynamic: 'registration' },
        echoed.body.registration_access_token as string,
      );
      expect(named.status).toBe(400);
      expect(named.body.error).toBe('invalid_client_metadata');
    });
  });
});

describe('the open registration throttle', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ CLIENT_REGISTRATION: 'open' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('lets exactly 20 registrations from one address through a parallel burst of 30, the rest 429 with Retry-After', async () => {
    const before = (await clientIds(server)).length;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(`${server.url}/reg`, 'POST', { client_name: `Flood ${i}`, redirect_uris: [REDIRECT] }, undefined, {}),
      ),
    );
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 429);
    expect(created).toHaveLength(20);
    expect(refused).toHaveLength(10);
    expect(Number(refused[0]?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused[0]?.body.error_description).toMatch(/too many client registrations/);
    expect(await clientIds(server)).toHaveLength(before + 20);
    const audit = JSON.stringify(await gatehouseJson({ DATABASE_URL: server.database.url }, 'audit', '--limit', '50'));
    expect(audit).toContain('client.registration_throttled');
  });
});

describe('RFC 7591 registration with CLIENT_REGISTRATION=token', () => {
  let server: TestServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startTestServer({ CLIENT_REGISTRATION: 'token' });
    env = { DATABASE_URL: server.database.url, CLIENT_REGISTRATION: 'token' };
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses a registration without an initial access token, storing nothing', async () => {
    const before = await clientIds(server);
    const res = await call(`${server.url}/reg`, 'POST', { redirect_uris: [REDIRECT] });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
    const forged = await call(`${server.url}/reg`, 'POST', { redirect_uris: [REDIRECT] }, 'not-a-token');
    expect(forged.status).toBe(401);
    expect(await clientIds(server)).toEqual(before);
  });

  it('registers exactly --max-uses clients with one token, however many try at once, and audits the token without it', async () => {
    const created = await gatehouseJson<{ token: string; expiresAt: string; maxUses: number }>(
      env,
      'registration',
      'token',
      'create',
      '--expires-in',
      '2h',
      '--max-uses',
      '2',
    );
    expect(created.maxUses).toBe(2);
    expect(Date.parse(created.expiresAt) - Date.now()).toBeGreaterThan(7100_000);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call(`${server.url}/reg`, 'POST', { client_name: `Agent ${i}`, redirect_uris: [REDIRECT] }, created.token),
      ),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(2);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.every((a) => a.status === 401 && a.body.error === 'invalid_token')).toBe(true);

    const audit = JSON.stringify(await gatehouseJson(env, 'audit', '--limit', '20'));
    expect(audit).toContain('admin.registration_token.created');
    expect(audit).not.toContain(created.token);
  });

  it('takes an initial access token until it expires, then refuses it as invalid_token', async () => {
    const created = await gatehouseJson<{ token: string; expiresAt: string }>(
      env,
      'registration',
      'token',
      'create',
      '--expires-in',
      '1m',
    );
    const register = (name: string) =>
      call(`${server.url}/reg`, 'POST', { client_name: name, redirect_uris: [REDIRECT] }, created.token);
    const clock = freezeDate();
    try {
      expect((await register('Before expiry')).status).toBe(201);
      clock.advance(Date.parse(created.expiresAt) - Date.now() + 1000);
      const late = await register('After expiry');
      expect(late.status).toBe(401);
      expect(late.body.error).toBe('invalid_token');
    } finally {
      clock.restore();
    }
  });

  it('refuses to make a token where registration is not token-based, saying what to set', async () => {
    const res = await gatehouse({ DATABASE_URL: server.database.url }, 'registration', 'token', 'create');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/CLIENT_REGISTRATION=token/);
  });
});
