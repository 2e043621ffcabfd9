import { createServer, type Server } from 'node:http';
import * as oidc from 'openid-client';
import { exportJWK, generateKeyPair } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { walkAuthorization } from '../support/sign-in-flow.js';

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
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), alg: 'ES256', use: 'sig', kid: 'worker-key' }] });
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
    const client = await cli<{ client_id: string; client_secret: string }>('client', 'add', '--name', 'Post', '--grant-type', 'client_credentials', '--auth-method', 'client_secret_post', '--resource', API);
    const config = await discover(client.client_id, oidc.ClientSecretPost(client.client_secret));
    const tokens = await oidc.clientCredentialsGrant(config, { resource: API, scope: 'read' });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.scope).toBe('read');
  });

  it('accepts private_key_jwt signed with the key behind the client\'s jwks_uri, and refuses another key', async () => {
    const client = await cli<{ client_id: string; client_secret?: string }>('client', 'add', '--name', 'Signed', '--grant-type', 'client_credentials', '--auth-method', 'private_key_jwt', '--jwks-uri', jwksUri, '--resource', API);
    expect(client.client_secret).toBeUndefined();
    const config = await discover(client.client_id, oidc.PrivateKeyJwt({ key: privateKey, kid: 'worker-key' }));
    const tokens = await oidc.clientCredentialsGrant(config, { resource: API, scope: 'write' });
    expect(tokens.scope).toBe('write');

    const stranger = (await generateKeyPair('ES256')).privateKey as CryptoKey;
    const forged = await discover(client.client_id, oidc.PrivateKeyJwt({ key: stranger, kid: 'worker-key' }));
    await expect(oidc.clientCredentialsGrant(forged, { resource: API, scope: 'write' })).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('lets a public client (none) redeem a code with PKCE alone, and gives it no secret', async () => {
    const client = await cli<{ client_id: string; client_secret?: string }>('client', 'add', '--name', 'Mobile', '--auth-method', 'none', '--application-type', 'native', '--redirect-uri', 'http://127.0.0.1/callback');
    expect(client.client_secret).toBeUndefined();
    const config = await discover(client.client_id, oidc.None());
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:49152/callback', scope: 'openid', state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const { page, callback } = await walkAuthorization(new UserAgent(server.url), url, { email: 'edsger@example.com', password: 'goto considered harmful', consent: 'allow' });
    expect(page).toBeUndefined();
    const tokens = await oidc.authorizationCodeGrant(config, callback as URL, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.claims()?.sub).toBeTruthy();
  });
});
