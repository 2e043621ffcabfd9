import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';

const EMAIL = 'frances@example.com';
const PASSWORD = 'fortran optimising compiler';
const SPA = 'https://spa.example';

let server: TestServer;
let env: Record<string, string>;
let spa: Credentials;
let confidential: Credentials;

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await gatehouseJson(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
  spa = await gatehouseJson(
    env,
    'client',
    'add',
    '--name',
    'SPA',
    '--auth-method',
    'none',
    '--redirect-uri',
    `${SPA}/cb`,
    '--grant-type',
    'authorization_code',
    '--grant-type',
    'refresh_token',
  );
  confidential = await gatehouseJson(
    env,
    'client',
    'add',
    '--name',
    'Server app',
    '--redirect-uri',
    `${SPA}/server-cb`,
  );
});

afterAll(async () => {
  await server.close();
});

const fromBrowser = (origin: string) => ({ origin });
const badCode = {
  grant_type: 'authorization_code',
  code: 'not-a-code',
  redirect_uri: `${SPA}/cb`,
  code_verifier: 'x'.repeat(43),
};

/** Signs in as the public client with openid-client and returns its tokens (with DPoP when given). */
async function signIn(
  client: Credentials,
  redirect: string,
  options: { dpopKey?: CryptoKeyPair; scope?: string } = {},
) {
  const rp = await relyingParty(server.config.issuer, client, redirect);
  const request = await rp.authorizationRequest({ scope: options.scope ?? 'openid email', prompt: 'consent' });
  const { callback } = await walkAuthorization(new UserAgent(server.url), request.url, {
    email: EMAIL,
    password: PASSWORD,
    consent: 'allow',
  });
  const tokens = await oidc.authorizationCodeGrant(
    rp.config,
    callback as URL,
    {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    },
    undefined,
    options.dpopKey ? { DPoP: oidc.getDPoPHandle(rp.config, options.dpopKey) } : undefined,
  );
  return { rp, tokens };
}

describe('CORS at the token, userinfo and revocation endpoints (public clients only, from their web origins)', () => {
  it("echoes a public client's redirect URI origin at the token endpoint, never *", async () => {
    const answer = await postForm(server.url, '/token', spa, badCode, fromBrowser(SPA));
    expect(answer.body.error).toBe('invalid_grant');
    expect(answer.headers.get('access-control-allow-origin')).toBe(SPA);
  });

  it("refuses a public client's calls from any other origin, without Access-Control-Allow-Origin", async () => {
    const answer = await postForm(server.url, '/token', spa, badCode, fromBrowser('https://evil.example'));
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toMatch(/origin https:\/\/evil\.example not allowed/);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never lets a browser use a confidential client, even from its own redirect origin (OAuth 2.1 §2.1)', async () => {
    const answer = await postForm(server.url, '/token', confidential, badCode, fromBrowser(SPA));
    expect(answer.status).toBe(400);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const revocation = await postForm(
      server.url,
      '/token/revocation',
      confidential,
      { token: 'whatever' },
      fromBrowser(SPA),
    );
    expect(revocation.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("uses the origins named with --allowed-origin in place of the redirect URIs' ones", async () => {
    const app = await gatehouseJson<Credentials>(
      env,
      'client',
      'add',
      '--name',
      'SPA elsewhere',
      '--auth-method',
      'none',
      '--redirect-uri',
      `${SPA}/cb`,
      '--allowed-origin',
      'https://app.example',
      '--allowed-origin',
      'http://localhost:5173',
    );
    for (const origin of ['https://app.example', 'http://localhost:5173']) {
      const answer = await postForm(server.url, '/token', app, badCode, fromBrowser(origin));
      expect(answer.headers.get('access-control-allow-origin')).toBe(origin);
    }
    const redirectOrigin = await postForm(server.url, '/token', app, badCode, fromBrowser(SPA));
    expect(redirectOrigin.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses an --allowed-origin that is not an origin, or plain http off loopback', async () => {
    for (const origin of ['https://app.example/path', 'http://app.example', '*']) {
      const result = await gatehouse(
        env,
        'client',
        'add',
        '--name',
        'Bad',
        '--auth-method',
        'none',
        '--redirect-uri',
        `${SPA}/cb`,
        '--allowed-origin',
        origin,
      );
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`allowed origin ${origin}`);
    }
  });

  it("answers userinfo and revocation to the public client's origin, and no other", async () => {
    const { tokens } = await signIn(spa, `${SPA}/cb`);
    const userinfo = (origin: string) =>
      fetch(`${server.url}/me`, { headers: { authorization: `Bearer ${tokens.access_token}`, origin } });
    const allowed = await userinfo(SPA);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SPA);
    const other = await userinfo('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const revocation = await postForm(
      server.url,
      '/token/revocation',
      spa,
      { token: tokens.access_token },
      fromBrowser(SPA),
    );
    expect(revocation.status).toBe(200);
    expect(revocation.headers.get('access-control-allow-origin')).toBe(SPA);
  });
});

describe("a public client's refresh tokens (RFC 9449 §5, RFC 9700 §4.14.2)", () => {
  it('are bound to the DPoP key they were issued to: without the proof, or with another key, they are refused', async () => {
    const key = await oidc.randomDPoPKeyPair('ES256');
    const { rp, tokens } = await signIn(spa, `${SPA}/cb`, { scope: 'openid offline_access', dpopKey: key });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    const refreshToken = tokens.refresh_token as string;

    const bare = await postForm(server.url, '/token', spa, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
    expect(bare.body.error).toBe('invalid_grant');
    const otherKey = oidc.getDPoPHandle(rp.config, await oidc.randomDPoPKeyPair('ES256'));
    await expect(oidc.refreshTokenGrant(rp.config, refreshToken, undefined, { DPoP: otherKey })).rejects.toMatchObject({
      error: 'invalid_grant',
    });

    const rotated = await oidc.refreshTokenGrant(rp.config, refreshToken, undefined, {
      DPoP: oidc.getDPoPHandle(rp.config, key),
    });
    expect(rotated.refresh_token).toEqual(expect.any(String));
    expect(rotated.refresh_token).not.toBe(refreshToken);
  });
});
