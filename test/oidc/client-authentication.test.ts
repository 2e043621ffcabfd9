import { createServer, type Server } from 'node:http';
import * as oidc from 'openid-client';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { rawRequest } from '../support/raw-request.js';

const API = 'https://api.example.com/';
let server: TestServer;
let jwksServer: Server;
let jwksUri: string;
let privateKey: CryptoKey;
let env: Record<string, string>;

const cli = <T>(...argv: string[]) => gatehouseJson<T>(env, ...argv);

const discover = (clientId: string, auth: oidc.ClientAuth) =>
  oidc.discovery(new URL(server.config.issuer), clientId, undefined, auth, { execute: [oidc.allowInsecureRequests] });

beforeAll(async () => {
  // The private_key_jwt client publishes its public key at a jwks_uri of its own, on loopback.
  const pair = await generateKeyPair('ES256', { extractable: true });
  privateKey = pair.privateKey as CryptoKey;
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(pair.publicKey)), alg: 'ES256', use: 'sig', kid: 'worker-key' }],
  });
  jwksServer = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(jwks));
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(jwksServer.address() as { port: number }).port}/jwks.json`;

  server = await startTestServer({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  env = { DATABASE_URL: server.database.url };
  await cli('resource', 'add', '--identifier', API, '--scope', 'read write');
  await gatehouse(env, 'user', 'add', '--email', 'edsger@example.com', '--password', 'goto considered harmful');
});

afterAll(async () => {
  await server.close();
  jwksServer.close();
});

describe('client authentication at the token endpoint', () => {
  it('accepts client_secret_post', async () => {
    const client = await cli<{ client_id: string; client_secret: string }>(
      'client',
      'add',
      '--name',
      'Post',
      '--grant-type',
      'client_credentials',
      '--auth-method',
      'client_secret_post',
      '--resource',
      API,
    );
    const config = await discover(client.client_id, oidc.ClientSecretPost(client.client_secret));
    const tokens = await oidc.clientCredentialsGrant(config, { resource: API, scope: 'read' });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.scope).toBe('read');
  });

  it('refuses client_secret_post from a client registered for client_secret_basic, and takes its secret in the Authorization header (RFC 7591 §2)', async () => {
    const client = await cli<{ client_id: string; client_secret: string }>(
      'client',
      'add',
      '--name',
      'Basic',
      '--grant-type',
      'client_credentials',
      '--resource',
      API,
    );
    const posted = await discover(client.client_id, oidc.ClientSecretPost(client.client_secret));
    await expect(oidc.clientCredentialsGrant(posted, { resource: API, scope: 'read' })).rejects.toMatchObject({
      error: 'invalid_client',
      error_description: 'client authentication failed',
    });
    const config = await discover(client.client_id, oidc.ClientSecretBasic(client.client_secret));
    expect((await oidc.clientCredentialsGrant(config, { resource: API, scope: 'read' })).scope).toBe('read');
  });

  it('refuses client_secret_basic from a client registered for client_secret_post, and takes its secret in the form body', async () => {
    const client = await cli<{ client_id: string; client_secret: string }>(
      'client',
      'add',
      '--name',
      'Post only',
      '--grant-type',
      'client_credentials',
      '--auth-method',
      'client_secret_post',
      '--resource',
      API,
    );
    const header = await discover(client.client_id, oidc.ClientSecretBasic(client.client_secret));
    // A refused Basic header comes back as a challenge (WWW-Authenticate: Basic error="invalid_client").
    await expect(oidc.clientCredentialsGrant(header, { resource: API, scope: 'read' })).rejects.toMatchObject({
      status: 401,
      cause: [
        expect.objectContaining({ scheme: 'basic', parameters: expect.objectContaining({ error: 'invalid_client' }) }),
      ],
    });
    const config = await discover(client.client_id, oidc.ClientSecretPost(client.client_secret));
    expect((await oidc.clientCredentialsGrant(config, { resource: API, scope: 'read' })).scope).toBe('read');
  });

  it("accepts private_key_jwt signed with the key behind the client's jwks_uri, and refuses another key", async () => {
    const client = await cli<{ client_id: string; client_secret?: string }>(
      'client',
      'add',
      '--name',
      'Signed',
      '--grant-type',
      'client_credentials',
      '--auth-method',
      'private_key_jwt',
      '--jwks-uri',
      jwksUri,
      '--resource',
      API,
    );
    expect(client.client_secret).toBeUndefined();
    const config = await discover(client.client_id, oidc.PrivateKeyJwt({ key: privateKey, kid: 'worker-key' }));
    const tokens = await oidc.clientCredentialsGrant(config, { resource: API, scope: 'write' });
    expect(tokens.scope).toBe('write');

    const stranger = (await generateKeyPair('ES256')).privateKey as CryptoKey;
    const forged = await discover(client.client_id, oidc.PrivateKeyJwt({ key: stranger, kid: 'worker-key' }));
    await expect(oidc.clientCredentialsGrant(forged, { resource: API, scope: 'write' })).rejects.toMatchObject({
      error: 'invalid_client',
    });
  });

  it('lets a public client (none) redeem a code with PKCE alone, and gives it no secret', async () => {
    const client = await cli<{ client_id: string; client_secret?: string }>(
      'client',
      'add',
      '--name',
      'Mobile',
      '--auth-method',
      'none',
      '--application-type',
      'native',
      '--redirect-uri',
      'http://127.0.0.1/callback',
    );
    expect(client.client_secret).toBeUndefined();
    const config = await discover(client.client_id, oidc.None());
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:49152/callback',
      scope: 'openid',
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const { page, callback } = await walkAuthorization(new UserAgent(server.url), url, {
      email: 'edsger@example.com',
      password: 'goto considered harmful',
      consent: 'allow',
    });
    expect(page).toBeUndefined();
    const tokens = await oidc.authorizationCodeGrant(config, callback as URL, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.claims()?.sub).toBeTruthy();
  });
});

describe('client assertions (private_key_jwt): audience and lifetime (RFC 7523 §3, draft-ietf-oauth-rfc7523bis, RFC 9700 §2.7)', () => {
  let clientId: string;

  beforeAll(async () => {
    ({ client_id: clientId } = await cli<{ client_id: string }>(
      'client',
      'add',
      '--name',
      'Asserting',
      '--grant-type',
      'client_credentials',
      '--auth-method',
      'private_key_jwt',
      '--jwks-uri',
      jwksUri,
      '--resource',
      API,
    ));
  });

  /** A client assertion signed with the client's real key; `claims` override the usual ones. */
  const assertion = (claims: JWTPayload) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: clientId,
      sub: clientId,
      aud: server.config.issuer,
      jti: randomUUID(),
      iat: now,
      exp: now + 60,
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'worker-key' })
      .sign(privateKey);
  };

  /** A client_credentials request authenticated by the assertion, optionally under another Host. */
  const tokenRequest = async (claims: JWTPayload, { path = '/token', host }: { path?: string; host?: string } = {}) => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      resource: API,
      scope: 'read',
      token: 'not-a-token',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await assertion(claims),
    }).toString();
    return rawRequest(`${server.url}${path}`, {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(host ? { host } : {}) },
    });
  };

  it('accepts the issuer as aud, and the token endpoint URL built from it', async () => {
    expect((await tokenRequest({})).status).toBe(200);
    expect((await tokenRequest({ aud: `${server.config.issuer}/token` })).status).toBe(200);
  });

  it("refuses an aud on an attacker's host even when the request names that host (421, never a token)", async () => {
    const res = await tokenRequest({ aud: 'http://attacker.example/token' }, { host: 'attacker.example' });
    expect(res.status).toBe(421);
    expect(res.body.access_token).toBeUndefined();
    expect((await tokenRequest({ aud: 'http://attacker.example/token' })).body).toMatchObject({
      error: 'invalid_client',
    });
  });

  it('refuses the URL of the endpoint that received it when that is not the token endpoint (only the issuer names us)', async () => {
    const introspection = `${server.config.issuer}/token/introspection`;
    expect((await tokenRequest({}, { path: '/token/introspection' })).status).toBe(200);
    const res = await tokenRequest({ aud: introspection }, { path: '/token/introspection' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses an aud array that merely contains the issuer, and accepts one holding the issuer alone', async () => {
    const injected = await tokenRequest({ aud: [server.config.issuer, 'https://attacker.example/token'] });
    expect(injected.status).toBe(401);
    expect(injected.body).toMatchObject({ error: 'invalid_client' });
    expect((await tokenRequest({ aud: ['https://attacker.example/token', server.config.issuer] })).status).toBe(401);
    expect((await tokenRequest({ aud: [server.config.issuer] })).status).toBe(200);
  });

  it('refuses an assertion that expires more than CLIENT_ASSERTION_MAX_LIFETIME_SECONDS (300) ahead', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await tokenRequest({ exp: now + 290 })).status).toBe(200);
    const res = await tokenRequest({ exp: now + 3600 });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'invalid_client' });
  });
});
