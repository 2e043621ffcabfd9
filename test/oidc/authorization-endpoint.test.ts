import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm } from '../support/token-endpoint.js';

const REDIRECT = 'https://rp.example/cb';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'; // RFC 7636 Appendix B
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const PERSON = { email: 'grace@example.com', password: 'a ship in harbor is safe' };

let server: TestServer;
let client: { client_id: string; client_secret: string };

beforeAll(async () => {
  server = await startTestServer();
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', PERSON.email, '--password', PERSON.password);
  client = await gatehouseJson(env, 'client', 'add', '--name', 'Single', '--redirect-uri', REDIRECT, '--first-party');
});

afterAll(async () => {
  await server.close();
});

const authorizationParams = (extra: Record<string, string> = {}) => ({
  client_id: client.client_id,
  response_type: 'code',
  scope: 'openid',
  redirect_uri: REDIRECT,
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  state: 'af0ifjsldkj',
  ...extra,
});

describe('the authorization endpoint (OIDC Core §3.1.2.1)', () => {
  it('accepts a form POST as well as a GET (as a 303 to the same request as a GET), through sign-in to a code the client redeems', async () => {
    const agent = new UserAgent(server.url);
    // A relying party's auto-submitted form arrives cross-site.
    const posted = await agent.post('/auth', authorizationParams(), {
      origin: 'https://rp.example',
      'sec-fetch-site': 'cross-site',
    });
    expect(posted.status).toBe(303);
    const location = new URL(posted.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe(`${server.config.issuer}/auth`);
    expect(Object.fromEntries(location.searchParams)).toEqual(authorizationParams());

    const { callback } = await walkAuthorization(agent, location, PERSON);
    expect(callback && callback.origin + callback.pathname).toBe(REDIRECT);
    expect(callback?.searchParams.get('state')).toBe('af0ifjsldkj');
    const code = callback?.searchParams.get('code') as string;
    const tokens = await postForm(server.url, '/token', client, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.body.id_token).toEqual(expect.any(String));
  });

  it('accepts a form POST at the end-session endpoint too (RP-Initiated Logout §2)', async () => {
    const agent = new UserAgent(server.url);
    const posted = await agent.post(
      '/session/end',
      { client_id: client.client_id },
      { origin: 'https://rp.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(posted.status).toBe(303);
    const page = await agent.follow(posted);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<form[^>]+action="[^"]*\/session\/end\/confirm"/);
  });

  it('requires redirect_uri even of a client with a single registered one: invalid_request on a page, no redirect', async () => {
    const { redirect_uri: _omitted, ...params } = authorizationParams();
    for (const res of [
      await new UserAgent(server.url).get(`/auth?${new URLSearchParams(params)}`),
      await (async () => {
        const agent = new UserAgent(server.url);
        return agent.follow(await agent.post('/auth', params));
      })(),
    ]) {
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const page = await res.text();
      expect(page).toContain('invalid_request');
      expect(page).toContain('redirect_uri');
    }
  });
});

describe('token responses (RFC 6749 §5.1)', () => {
  it('carry Cache-Control: no-store and Pragma: no-cache, errors included (§5.2)', async () => {
    const refused = await postForm(server.url, '/token', client, {
      grant_type: 'authorization_code',
      code: 'nope',
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(refused.headers.get('pragma')).toBe('no-cache');

    const agent = new UserAgent(server.url);
    const { callback } = await walkAuthorization(agent, `/auth?${new URLSearchParams(authorizationParams())}`, PERSON);
    const tokens = await postForm(server.url, '/token', client, {
      grant_type: 'authorization_code',
      code: callback?.searchParams.get('code') as string,
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
    });
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('cache-control')).toBe('no-store');
    expect(tokens.headers.get('pragma')).toBe('no-cache');
  });
});
