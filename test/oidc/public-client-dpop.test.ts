import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { walkAuthorization } from '../support/sign-in-flow.js';

// A public client (a single-page app) has no secret: a stolen refresh token would be enough to
// mint tokens. With DPoP (RFC 9449) the refresh token is bound to the key the app proved at the
// token endpoint (§5: "refresh tokens issued to public clients MUST be bound"), and every use
// rotates it (RFC 9700 §4.14.2). Exercised with openid-client's own DPoP support.

const EMAIL = 'ada@example.com';
const PASSWORD = 'analytical engine 1843';
const REDIRECT = 'https://spa.example/callback';

let server: TestServer;
let config: oidc.Configuration;

beforeAll(async () => {
  server = await startTestServer();
  const env = { DATABASE_URL: server.database.url };
  await gatehouseJson(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
  const spa = await gatehouseJson<{ client_id: string }>(
    env,
    'client',
    'add',
    '--name',
    'SPA',
    '--auth-method',
    'none',
    '--redirect-uri',
    REDIRECT,
    '--grant-type',
    'authorization_code',
    '--grant-type',
    'refresh_token',
  );
  config = await oidc.discovery(new URL(server.config.issuer), spa.client_id, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
});

afterAll(async () => {
  await server.close();
});

/** Signs in and redeems the code with a DPoP proof of `key`: the app's first tokens. */
async function signInWith(key: oidc.CryptoKeyPair) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'openid offline_access',
    prompt: 'consent',
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const { callback } = await walkAuthorization(new UserAgent(server.url), url, {
    email: EMAIL,
    password: PASSWORD,
    consent: 'allow',
  });
  return oidc.authorizationCodeGrant(
    config,
    callback as URL,
    { pkceCodeVerifier: verifier, expectedState: state },
    undefined,
    { DPoP: oidc.getDPoPHandle(config, key) },
  );
}

/** What the token endpoint answers to a refresh, as an error code when it refuses. */
async function refreshWith(refreshToken: string, key?: oidc.CryptoKeyPair) {
  try {
    return await oidc.refreshTokenGrant(
      config,
      refreshToken,
      undefined,
      key ? { DPoP: oidc.getDPoPHandle(config, key) } : undefined,
    );
  } catch (error) {
    return { refused: (error as { error?: string }).error ?? String(error) };
  }
}

describe('refresh tokens of public clients with DPoP (RFC 9449 §5)', () => {
  it('are bound to the app key: only a proof with that key refreshes, and each use rotates the token', async () => {
    const appKey = await oidc.randomDPoPKeyPair('ES256');
    const first = await signInWith(appKey);
    expect(first.token_type.toLowerCase()).toBe('dpop');
    expect(first.refresh_token).toEqual(expect.any(String));

    const thief = await oidc.randomDPoPKeyPair('ES256');
    expect(await refreshWith(first.refresh_token as string, thief)).toEqual({ refused: 'invalid_grant' });
    expect(await refreshWith(first.refresh_token as string)).toHaveProperty('refused');

    const second = await refreshWith(first.refresh_token as string, appKey);
    expect(second).toMatchObject({ token_type: expect.stringMatching(/^dpop$/i), refresh_token: expect.any(String) });
    const rotated = (second as oidc.TokenEndpointResponse).refresh_token as string;
    expect(rotated).not.toBe(first.refresh_token);

    // The rotated token is bound to the same key, and the spent one is refused (reuse).
    expect(await refreshWith(rotated, thief)).toEqual({ refused: 'invalid_grant' });
    expect(await refreshWith(first.refresh_token as string, appKey)).toEqual({ refused: 'invalid_grant' });
  });
});
