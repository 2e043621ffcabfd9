import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';

const EMAIL = 'grace@example.com';
const PASSWORD = 'cobol compiler 1959';
const REDIRECT = 'https://app.example/cb';
const LOOPBACK = 'http://127.0.0.1/cb';

let server: TestServer;
let env: Record<string, string>;
let web: Credentials;
let es256: Credentials;
let native: Credentials;
let loopbackWeb: Credentials;

const cli = <T = Credentials>(...argv: string[]) => gatehouseJson<T>(env, ...argv);

/** A raw authorization request URL, for requests a well-behaved RP library would never build. */
function authorizeUrl(params: Record<string, string>): URL {
  const url = new URL('/auth', server.url);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url;
}

const pkce = async () => {
  const verifier = oidc.randomPKCECodeVerifier();
  return { verifier, challenge: await oidc.calculatePKCECodeChallenge(verifier) };
};

/** Signs in and consents in a fresh browser; returns where Gatehouse sent it back to. */
async function authorize(url: URL): Promise<URL> {
  const { callback, page } = await walkAuthorization(new UserAgent(server.url), url, {
    email: EMAIL,
    password: PASSWORD,
    consent: 'allow',
  });
  if (!callback) throw new Error(`the flow stopped at a page: ${page?.status} ${await page?.text()}`);
  return callback;
}

/** A code for `client` obtained with a known PKCE verifier. */
async function codeFor(client: Credentials, redirectUri = REDIRECT, scope = 'openid') {
  const { verifier, challenge } = await pkce();
  const callback = await authorize(
    authorizeUrl({
      client_id: client.client_id,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'st',
      nonce: 'n',
    }),
  );
  return { code: callback.searchParams.get('code') as string, verifier, callback };
}

const redeem = (client: Credentials, form: Record<string, string>) =>
  postForm(server.url, '/token', client, { grant_type: 'authorization_code', redirect_uri: REDIRECT, ...form });

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await cli('user', 'add', '--email', EMAIL, '--password', PASSWORD, '--name', 'Grace Hopper', '--email-verified');
  web = await cli('client', 'add', '--name', 'Web', '--redirect-uri', REDIRECT);
  es256 = await cli('client', 'add', '--name', 'Elliptic', '--redirect-uri', REDIRECT, '--id-token-alg', 'ES256');
  native = await cli(
    'client',
    'add',
    '--name',
    'Desktop',
    '--auth-method',
    'none',
    '--application-type',
    'native',
    '--redirect-uri',
    LOOPBACK,
  );
  loopbackWeb = await cli('client', 'add', '--name', 'Local web', '--auth-method', 'none', '--redirect-uri', LOOPBACK);
});

afterAll(async () => {
  await server.close();
});

describe('the authorization code flow (OAuth 2.1 §4.1, RFC 9700 §2.1)', () => {
  it('refuses an authorization request without a PKCE challenge, whatever the client', async () => {
    for (const client of [web, native]) {
      const redirectUri = client === web ? REDIRECT : LOOPBACK;
      const res = await new UserAgent(server.url).get(
        authorizeUrl({
          client_id: client.client_id,
          response_type: 'code',
          redirect_uri: redirectUri,
          scope: 'openid',
          state: 'st',
        }),
      );
      const location = new URL(res.headers.get('location') as string);
      expect(location.origin + location.pathname).toBe(redirectUri);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('code')).toBeNull();
    }
  });

  it('refuses the plain PKCE method', async () => {
    const { verifier } = await pkce();
    const res = await new UserAgent(server.url).get(
      authorizeUrl({
        client_id: web.client_id,
        response_type: 'code',
        redirect_uri: REDIRECT,
        scope: 'openid',
        code_challenge: verifier,
        code_challenge_method: 'plain',
      }),
    );
    const location = new URL(res.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/code_challenge_method/);
  });

  it('refuses a code redeemed without its verifier, or with the wrong one, with invalid_grant', async () => {
    const { code } = await codeFor(web);
    const missing = await redeem(web, { code });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_grant');

    const other = await codeFor(web);
    const wrong = await redeem(web, { code: other.code, code_verifier: oidc.randomPKCECodeVerifier() });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
  });

  it('refuses a code used twice and revokes the access token its first use issued', async () => {
    const { code, verifier } = await codeFor(web);
    const first = await redeem(web, { code, code_verifier: verifier });
    expect(first.status).toBe(200);
    const accessToken = first.body.access_token as string;
    expect((await postForm(server.url, '/token/introspection', web, { token: accessToken })).body).toMatchObject({
      active: true,
    });

    const second = await redeem(web, { code, code_verifier: verifier });
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');
    expect((await postForm(server.url, '/token/introspection', web, { token: accessToken })).body).toEqual({
      active: false,
    });
  });

  it.each([
    ['a different case', 'https://APP.example/CB'],
    ['a trailing slash', 'https://app.example/cb/'],
    ['an added query', 'https://app.example/cb?next=/admin'],
    ['another host', 'https://attacker.example/cb'],
    ['another port', 'https://app.example:8443/cb'],
  ])('never redirects to a redirect URI with %s: an error page, no Location', async (_variant, redirectUri) => {
    const { challenge } = await pkce();
    const res = await new UserAgent(server.url).get(
      authorizeUrl({
        client_id: web.client_id,
        response_type: 'code',
        redirect_uri: redirectUri,
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'st',
      }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const page = await res.text();
    expect(page).toContain('invalid_redirect_uri');
    expect(page).not.toContain(redirectUri);
  });

  it('lets a native app on the loopback interface use any port (RFC 8252 §7.3), and a web client none', async () => {
    const port = 'http://127.0.0.1:51789/cb';
    const { code, callback } = await codeFor(native, port);
    expect(callback.origin + callback.pathname).toBe(port);
    expect(code).toBeTruthy();

    const { challenge } = await pkce();
    const refused = await new UserAgent(server.url).get(
      authorizeUrl({
        client_id: loopbackWeb.client_id,
        response_type: 'code',
        redirect_uri: port,
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();
  });

  it('refuses a wrong client secret at the token endpoint with 401 invalid_client', async () => {
    const { code, verifier } = await codeFor(web);
    const res = await redeem({ ...web, client_secret: 'not-the-secret' }, { code, code_verifier: verifier });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it.each(['password', 'implicit', 'urn:example:grant-type:magic'])(
    'refuses the %s grant type as unsupported',
    async (grantType) => {
      const res = await postForm(server.url, '/token', web, {
        grant_type: grantType,
        username: EMAIL,
        password: PASSWORD,
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('unsupported_grant_type');
    },
  );

  // response_type=id_token alone exists only for clients registered for it (client-flow-policies.test.ts).
  it.each(['token', 'id_token token', 'code id_token token'])(
    'never returns access tokens in the front channel: response_type=%s is refused',
    async (responseType) => {
      const { challenge } = await pkce();
      const res = await new UserAgent(server.url).get(
        authorizeUrl({
          client_id: web.client_id,
          response_type: responseType,
          redirect_uri: REDIRECT,
          scope: 'openid',
          code_challenge: challenge,
          code_challenge_method: 'S256',
          nonce: 'n',
          state: 'st',
        }),
      );
      const location = new URL(res.headers.get('location') as string);
      expect(location.origin + location.pathname).toBe(REDIRECT);
      expect(location.href).not.toMatch(/access_token|id_token=|code=/);
      // Errors for these response types travel in the fragment, as their responses would have.
      const answer = new URLSearchParams(location.hash.slice(1) || location.search);
      expect(answer.get('error')).toBe('unsupported_response_type');
      expect(JSON.stringify(await (await fetch(`${server.url}/.well-known/openid-configuration`)).json())).toContain(
        '"response_types_supported":["code","id_token"]',
      );
    },
  );

  it('names itself with iss in every authorization response, success or error (RFC 9207)', async () => {
    const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(discovery.authorization_response_iss_parameter_supported).toBe(true);
    const { callback } = await codeFor(web);
    expect(callback.searchParams.get('iss')).toBe(server.config.issuer);
    const error = await new UserAgent(server.url).get(
      authorizeUrl({ client_id: web.client_id, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid' }),
    );
    expect(new URL(error.headers.get('location') as string).searchParams.get('iss')).toBe(server.config.issuer);
  });
});

describe('ID tokens (OIDC Core §2, §3.1.3.7)', () => {
  const jwks = () => createRemoteJWKSet(new URL(`${server.url}/jwks`));

  async function idTokenFor(client: Credentials, scope: string) {
    const rp = await relyingParty(
      server.config.issuer,
      client as { client_id: string; client_secret: string },
      REDIRECT,
    );
    const request = await rp.authorizationRequest({ scope });
    const tokens = await rp.redeem(await authorize(request.url), request);
    return { idToken: tokens.id_token as string, claims: tokens.claims(), nonce: request.nonce };
  }

  it('signs with RS256 by default, with the claims of the granted scopes and the authentication', async () => {
    const { idToken, claims, nonce } = await idTokenFor(web, 'openid email');
    expect(decodeProtectedHeader(idToken)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    const { payload } = await jwtVerify(idToken, jwks(), {
      issuer: server.config.issuer,
      audience: web.client_id,
      algorithms: ['RS256'],
    });
    expect(payload).toMatchObject({
      sub: expect.any(String),
      nonce,
      email: EMAIL,
      email_verified: true,
      auth_time: expect.any(Number),
      sid: expect.any(String),
      acr: 'urn:gatehouse:acr:password',
      amr: ['pwd'],
    });
    expect(payload).not.toHaveProperty('name');
    expect(claims?.nonce).toBe(nonce);
    expect(Math.abs((payload.auth_time as number) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('carries no email without the email scope, and the name with profile', async () => {
    const { claims } = await idTokenFor(web, 'openid profile');
    expect(claims).toMatchObject({ name: 'Grace Hopper', updated_at: expect.any(Number) });
    expect(claims).not.toHaveProperty('email');
    expect(claims).not.toHaveProperty('email_verified');
  });

  it('signs with ES256 for a client registered with --id-token-alg ES256', async () => {
    const { idToken } = await idTokenFor(es256, 'openid');
    expect(decodeProtectedHeader(idToken).alg).toBe('ES256');
    await expect(
      jwtVerify(idToken, jwks(), { issuer: server.config.issuer, audience: es256.client_id, algorithms: ['ES256'] }),
    ).resolves.toBeTruthy();
  });

  it('refuses an ID token algorithm it holds no keys for', async () => {
    const result = await gatehouse(
      env,
      'client',
      'add',
      '--name',
      'X',
      '--redirect-uri',
      REDIRECT,
      '--id-token-alg',
      'HS256',
      '--json',
    );
    expect(result.code).toBe(2);
    expect(result.json<{ error: { message: string } }>().error.message).toMatch(
      /--id-token-alg must be one of RS256, ES256/,
    );
  });
});
