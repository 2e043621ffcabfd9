import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { freezeDate } from '../support/fake-date.js';

const API = 'https://rotation.example/';
let server: TestServer;
let env: Record<string, string>;
let worker: oidc.Configuration;

const publishedKids = async () =>
  ((await (await fetch(`${server.url}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid).sort();
const accessToken = async () =>
  (await oidc.clientCredentialsGrant(worker, { resource: API, scope: 'read' })).access_token;
/** What a resource server does: verify against the JWKS as published right now. */
const verify = (token: string) =>
  jwtVerify(token, createRemoteJWKSet(new URL(`${server.url}/jwks`), { cacheMaxAge: 0 }), {
    issuer: server.config.issuer,
    audience: API,
  });

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'resource', 'add', '--identifier', API, '--scope', 'read');
  const client = (
    await gatehouse(
      env,
      'client',
      'add',
      '--name',
      'Worker',
      '--grant-type',
      'client_credentials',
      '--resource',
      API,
      '--json',
    )
  ).json<{ client_id: string; client_secret: string }>();
  worker = await oidc.discovery(
    new URL(server.config.issuer),
    client.client_id,
    undefined,
    oidc.ClientSecretBasic(client.client_secret),
    { execute: [oidc.allowInsecureRequests] },
  );
});

afterAll(async () => {
  await server.close();
});

describe('key rotation on a running server', () => {
  it('signs with the new keys once it notices a rotation made by the CLI, and keeps the old ones published', async () => {
    const before = await publishedKids();
    const oldToken = await accessToken();
    const oldKid = decodeProtectedHeader(oldToken).kid as string;
    expect(before).toContain(oldKid);

    const rotated = await gatehouse(env, 'keys', 'rotate', '--json');
    const created = rotated.json<{ created: string[] }>().created;
    expect(await server.running.refreshKeys()).toBe(true);
    expect(await server.running.refreshKeys()).toBe(false);

    expect(await publishedKids()).toEqual([...before, ...created].sort());
    const newToken = await accessToken();
    expect(created).toContain(decodeProtectedHeader(newToken).kid);
    // Tokens signed before the rotation still verify, and so do the new ones.
    await expect(verify(oldToken)).resolves.toBeDefined();
    await expect(verify(newToken)).resolves.toBeDefined();
  });

  it('stops publishing retired keys once every token they signed has expired', async () => {
    const clock = freezeDate();
    try {
      const active = (await gatehouse(env, 'keys', 'list', '--json'))
        .json<{ keys: { kid: string; use: string; status: string }[] }>()
        .keys.filter((k) => k.use === 'sig' && k.status === 'active')
        .map((k) => k.kid)
        .sort();
      clock.advance((24 * 3600 + 5 * 60 + 1) * 1000);
      expect(await server.running.refreshKeys()).toBe(true);
      expect(await publishedKids()).toEqual(active);
    } finally {
      clock.restore();
    }
  });
});
