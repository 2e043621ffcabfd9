import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';

const EMAIL = 'john@example.com';
const PASSWORD = 'lisp garbage collector';
const REDIRECT = 'https://app.example/cb';
const API = 'https://api.example.com';

let server: TestServer;
let app: { client_id: string; client_secret: string };

beforeAll(async () => {
  server = await startTestServer();
  const env = { DATABASE_URL: server.database.url };
  await gatehouseJson(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
  await gatehouseJson(env, 'resource', 'add', '--identifier', API, '--scope', 'read');
  app = await gatehouseJson(
    env,
    'client',
    'add',
    '--name',
    'App with an API',
    '--redirect-uri',
    REDIRECT,
    '--grant-type',
    'authorization_code',
    '--grant-type',
    'refresh_token',
    '--resource',
    API,
  );
});

afterAll(async () => {
  await server.close();
});

/** Signs in asking for the person (openid email) and the API (read, resource=API) at once. */
async function signIn() {
  const rp = await relyingParty(server.config.issuer, app, REDIRECT);
  const request = await rp.authorizationRequest({
    scope: 'openid email offline_access read',
    resource: API,
    prompt: 'consent',
  });
  const { callback } = await walkAuthorization(new UserAgent(server.url), request.url, {
    email: EMAIL,
    password: PASSWORD,
    consent: 'allow',
  });
  return { rp, request, callback: callback as URL };
}

describe('one access token per audience: userinfo, then the API (RFC 8707 §2.2, OIDC Core §5.3)', () => {
  it('redeems a sign-in without resource for a token that works at userinfo, and gets the API token by naming it on refresh', async () => {
    const { rp, request, callback } = await signIn();
    const tokens = await rp.redeem(callback, request);
    const sub = tokens.claims()?.sub as string;
    expect((await oidc.fetchUserInfo(rp.config, tokens.access_token, sub)).email).toBe(EMAIL);

    const forApi = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token as string, { resource: API });
    const { payload } = await jwtVerify(forApi.access_token, createRemoteJWKSet(new URL(`${server.url}/jwks`)), {
      issuer: server.config.issuer,
      audience: API,
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({ sub, scope: 'read' });
  });

  it('gives the API token at once when the code is redeemed with resource, and userinfo refuses it (its audience is the API)', async () => {
    const { rp, request, callback } = await signIn();
    const tokens = await rp.redeem(callback, request, { resource: API });
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${server.url}/jwks`)), {
      audience: API,
    });
    expect(payload.scope).toBe('read');
    await expect(oidc.fetchUserInfo(rp.config, tokens.access_token, payload.sub as string)).rejects.toMatchObject({
      status: 401,
    });
  });
});
