import * as oidc from 'openid-client';
import {
  calculateJwkThumbprint,
  createRemoteJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { postForm } from '../support/token-endpoint.js';
import { freezeDate } from '../support/fake-date.js';
import { createPrisma, type Db } from '../../src/db/create-prisma.js';

interface Credentials {
  client_id: string;
  client_secret: string;
}
interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

const JWT_API = 'https://api.example.com/';
const OPAQUE_API = 'https://ledger.example.com';
const SHORT_API = 'https://short.example.com';

let server: TestServer;
let db: Db;
let env: Record<string, string>;
let jwtApi: Credentials;
let opaqueApi: Credentials;
let worker: Credentials;
let other: Credentials;
let web: Credentials;

const cli = <T>(...argv: string[]) => gatehouseJson<T>(env, ...argv);

/** One form POST to an endpoint with the client's credentials in the Authorization header. */
const post = (path: string, client: Credentials, form: Record<string, string>, headers: Record<string, string> = {}) =>
  postForm(server.url, path, client, form, headers);

async function clientCredentials(client: Credentials, form: Record<string, string>): Promise<TokenResponse> {
  const res = await post('/token', client, { grant_type: 'client_credentials', ...form });
  if (res.status !== 200) throw new Error(`token request failed: ${res.text}`);
  return res.body as unknown as TokenResponse;
}

const introspect = (client: Credentials, token: string) => post('/token/introspection', client, { token });

/** An openid-client relying party for this server (its discovery names http://localhost as issuer). */
async function relyingParty(client: Credentials): Promise<oidc.Configuration> {
  const metadata = (await (
    await fetch(`${server.url}/.well-known/openid-configuration`)
  ).json()) as oidc.ServerMetadata;
  const config = new oidc.Configuration(
    metadata,
    client.client_id,
    undefined,
    oidc.ClientSecretBasic(client.client_secret),
  );
  oidc.allowInsecureRequests(config);
  return config;
}

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  db = createPrisma(server.database.url);
  jwtApi = await cli('resource', 'add', '--identifier', JWT_API, '--scope', 'read write');
  opaqueApi = await cli(
    'resource',
    'add',
    '--identifier',
    OPAQUE_API,
    '--scope',
    'ledger:read ledger:write',
    '--token-format',
    'opaque',
    '--ttl',
    '600',
  );
  worker = await cli(
    'client',
    'add',
    '--name',
    'Worker',
    '--grant-type',
    'client_credentials',
    '--resource',
    JWT_API,
    '--resource',
    OPAQUE_API,
  );
  other = await cli('client', 'add', '--name', 'Other', '--grant-type', 'client_credentials');
  web = await cli('client', 'add', '--name', 'Web', '--redirect-uri', 'https://web.example/cb');
});

afterAll(async () => {
  await db.$disconnect();
  await server.close();
});

describe('tokens for apps and APIs (client credentials, RFC 8707, RFC 9068)', () => {
  it('advertises exactly the grant types, client authentication methods and endpoints it serves', async () => {
    const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(discovery.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'client_credentials', 'refresh_token']),
    );
    expect(discovery.grant_types_supported).not.toContain('password');
    expect([...(discovery.token_endpoint_auth_methods_supported as string[])].sort()).toEqual([
      'client_secret_basic',
      'client_secret_post',
      'none',
      'private_key_jwt',
    ]);
    expect(discovery).toMatchObject({
      introspection_endpoint: expect.any(String),
      revocation_endpoint: expect.any(String),
      pushed_authorization_request_endpoint: expect.any(String),
      dpop_signing_alg_values_supported: expect.arrayContaining(['ES256']),
    });
  });

  it('issues a JWT access token for a JWT resource, signed ES256 by default (RFC 9068), that the API verifies with the published keys', async () => {
    const rp = await relyingParty(worker);
    const tokens = await oidc.clientCredentialsGrant(rp, { resource: JWT_API, scope: 'read' });
    expect(tokens.token_type).toBe('bearer'); // openid-client lowercases it
    expect(tokens.expires_in).toBe(3600);

    const jwks = createRemoteJWKSet(new URL(`${server.url}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: server.config.issuer,
      audience: JWT_API,
      typ: 'at+jwt',
      algorithms: ['ES256'],
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    expect(payload).toEqual({
      iss: server.config.issuer,
      aud: JWT_API,
      sub: worker.client_id,
      client_id: worker.client_id,
      scope: 'read',
      iat: expect.any(Number),
      exp: (payload.iat as number) + 3600,
      jti: expect.any(String),
    });
  });

  it('keeps only the scopes the API defines', async () => {
    const tokens = await clientCredentials(worker, { resource: JWT_API, scope: 'read write delete' });
    expect(tokens.scope).toBe('read write');
  });

  it("issues an opaque token, with the API's own lifetime, for an opaque resource", async () => {
    const tokens = await clientCredentials(worker, { resource: OPAQUE_API, scope: 'ledger:read' });
    expect(() => decodeProtectedHeader(tokens.access_token)).toThrow();
    expect(tokens.expires_in).toBe(600);
  });

  it('refuses a resource nobody registered with invalid_target', async () => {
    const res = await post('/token', worker, {
      grant_type: 'client_credentials',
      resource: 'https://unknown.example.com',
      scope: 'read',
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_target');
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const res = await post(
      '/token',
      { ...worker, client_secret: 'wrong' },
      { grant_type: 'client_credentials', resource: JWT_API },
    );
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it.each(['password', 'urn:example:grant-type:magic'])(
    'refuses the %s grant type as unsupported',
    async (grantType) => {
      const res = await post('/token', worker, {
        grant_type: grantType,
        username: 'ada@example.com',
        password: 'analytical engine',
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('unsupported_grant_type');
    },
  );

  it('binds a token to a DPoP key (RFC 9449): token type DPoP and cnf.jkt in the JWT', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    const htu = `${server.url}/token`;
    const proof = await new SignJWT({ htm: 'POST', htu, jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
      .setIssuedAt()
      .sign(privateKey);
    const res = await post(
      '/token',
      worker,
      { grant_type: 'client_credentials', resource: JWT_API, scope: 'read' },
      { dpop: proof },
    );
    expect(res.status).toBe(200);
    expect(res.body.token_type).toBe('DPoP');
    const { payload } = await jwtVerify(
      res.body.access_token as string,
      createRemoteJWKSet(new URL(`${server.url}/jwks`)),
      {
        issuer: server.config.issuer,
        audience: JWT_API,
        typ: 'at+jwt',
      },
    );
    expect(payload.cnf).toEqual({ jkt: await calculateJwkThumbprint(jwk) });
  });
});

describe('introspection (RFC 7662, RFC 9701)', () => {
  let ledgerToken: string;

  beforeAll(async () => {
    ledgerToken = (await clientCredentials(worker, { resource: OPAQUE_API, scope: 'ledger:read' })).access_token;
  });

  it('tells the API everything about a token meant for it', async () => {
    const res = await introspect(opaqueApi, ledgerToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      active: true,
      sub: worker.client_id,
      client_id: worker.client_id,
      scope: 'ledger:read',
      aud: OPAQUE_API,
      iss: server.config.issuer,
      iat: expect.any(Number),
      exp: (res.body.iat as number) + 600,
      token_type: 'Bearer',
    });
  });

  it('lets a client introspect its own token', async () => {
    const answer = await oidc.tokenIntrospection(await relyingParty(worker), ledgerToken);
    expect(answer).toMatchObject({ active: true, client_id: worker.client_id, aud: OPAQUE_API });
  });

  it('answers exactly {"active": false} to an API asking about another API\'s token', async () => {
    const res = await introspect(jwtApi, ledgerToken);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ active: false });
  });

  it('answers exactly {"active": false} to an unrelated client, so nobody probes tokens that are not theirs', async () => {
    expect((await introspect(other, ledgerToken)).body).toEqual({ active: false });
  });

  it('answers exactly {"active": false} to garbage', async () => {
    expect((await introspect(opaqueApi, 'not-a-token-at-all')).body).toEqual({ active: false });
  });

  it('answers exactly {"active": false} once the token has expired', async () => {
    await cli(
      'resource',
      'add',
      '--identifier',
      SHORT_API,
      '--scope',
      'ping',
      '--token-format',
      'opaque',
      '--ttl',
      '60',
    );
    // The CLI refuses lifetimes under a minute; the test shortens this one in place to watch it lapse.
    await db.resource.update({ where: { identifier: SHORT_API }, data: { accessTokenTtl: 1 } });
    await cli('client', 'grant', '--client-id', worker.client_id, '--resource', SHORT_API);
    // The wall clock is frozen (the server runs in this process): a busy machine cannot let the
    // second pass before the first introspection.
    const clock = freezeDate();
    try {
      const { access_token, expires_in } = await clientCredentials(worker, { resource: SHORT_API, scope: 'ping' });
      expect(expires_in).toBe(1);
      expect((await introspect(worker, access_token)).body).toMatchObject({ active: true });
      clock.advance(2100);
      expect((await introspect(worker, access_token)).body).toEqual({ active: false });
    } finally {
      clock.restore();
    }
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const res = await introspect({ ...opaqueApi, client_secret: 'wrong' }, ledgerToken);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('answers as a signed JWT for Accept: application/token-introspection+jwt', async () => {
    const res = await post(
      '/token/introspection',
      opaqueApi,
      { token: ledgerToken },
      { accept: 'application/token-introspection+jwt' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/token-introspection\+jwt/);
    const { payload } = await jwtVerify(res.text, createRemoteJWKSet(new URL(`${server.url}/jwks`)), {
      issuer: server.config.issuer,
      audience: opaqueApi.client_id,
      typ: 'token-introspection+jwt',
    });
    expect(payload.token_introspection).toMatchObject({
      active: true,
      client_id: worker.client_id,
      aud: OPAQUE_API,
      scope: 'ledger:read',
    });
  });

  it('introspects JWT access tokens as well (structured-token-endpoints.ts has the details)', async () => {
    const { access_token } = await clientCredentials(worker, { resource: JWT_API, scope: 'read' });
    const res = await introspect(jwtApi, access_token);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active: true, aud: JWT_API, client_id: worker.client_id, scope: 'read' });
  });
});

describe('revocation (RFC 7009)', () => {
  it('lets a client revoke its own token, which then introspects as inactive', async () => {
    const { access_token } = await clientCredentials(worker, { resource: OPAQUE_API, scope: 'ledger:read' });
    expect((await introspect(opaqueApi, access_token)).body).toMatchObject({ active: true });
    await oidc.tokenRevocation(await relyingParty(worker), access_token);
    expect((await introspect(opaqueApi, access_token)).body).toEqual({ active: false });
  });

  it("changes nothing when a client revokes another client's token, and says no more than 200", async () => {
    const { access_token } = await clientCredentials(worker, { resource: OPAQUE_API, scope: 'ledger:read' });
    const res = await post('/token/revocation', other, { token: access_token });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await introspect(opaqueApi, access_token)).body).toMatchObject({ active: true });
  });

  it('answers 200 to garbage', async () => {
    const res = await post('/token/revocation', worker, { token: 'not-a-token-at-all' });
    expect(res.status).toBe(200);
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const res = await post('/token/revocation', { ...worker, client_secret: 'wrong' }, { token: 'whatever' });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });
});

describe('pushed authorization requests (RFC 9126)', () => {
  it('accepts a pushed request from a confidential client and returns a request_uri', async () => {
    const res = await post('/request', web, {
      client_id: web.client_id,
      response_type: 'code',
      redirect_uri: 'https://web.example/cb',
      scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      request_uri: expect.stringMatching(/^urn:ietf:params:oauth:request_uri:/),
      expires_in: expect.any(Number),
    });
  });
});
