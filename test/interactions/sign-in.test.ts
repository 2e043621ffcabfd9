import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { interactionUid, walkAuthorization } from '../support/sign-in-flow.js';

let server: TestServer;
let env: Record<string, string>;
let rp: Awaited<ReturnType<typeof relyingParty>>;
const REDIRECT = 'https://shop.example/callback';

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await gatehouse(
    env,
    'user',
    'add',
    '--email',
    'ada@example.com',
    '--password',
    'analytical engine 1843',
    '--name',
    'Ada Lovelace',
    '--email-verified',
  );
  const client = (
    await gatehouse(env, 'client', 'add', '--name', 'Babbage & Co <Shop>', '--redirect-uri', REDIRECT, '--json')
  ).json<{ client_id: string; client_secret: string }>();
  rp = await relyingParty(server.config.issuer, client, REDIRECT);
});

afterAll(async () => {
  await server.close();
});

describe('the sign-in screen', () => {
  it('shows which app is asking, with labelled Email and Password fields and a Sign in button', async () => {
    const agent = new UserAgent(server.url);
    const { url } = await rp.authorizationRequest();
    const res = await agent.follow(await agent.get(url));
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Babbage &amp; Co &lt;Shop&gt;');
    expect(page).toMatch(/<label for="email">Email<\/label>/);
    expect(page).toMatch(/<label for="password">Password<\/label>/);
    expect(page).toMatch(/<button type="submit">Sign in<\/button>/);
    // No script but our own passkey script, named by its hash (no inline script at all).
    const scripts = page.match(/<script[^>]*>/gi) ?? [];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatch(/^<script src="\/assets\/passkey-sign-in\.js\?v=[0-9a-f]+" integrity="sha384-/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });

  it('signs a person in, asks consent in plain words, and hands the app a verifiable ID token', async () => {
    const agent = new UserAgent(server.url);
    const request = await rp.authorizationRequest();
    const consentPage = await walkAuthorization(agent, request.url, {
      email: 'Ada@Example.com',
      password: 'analytical engine 1843',
    });
    const page = (await consentPage.page?.text()) ?? '';
    expect(page).toMatch(/wants access to your account/);
    expect(page).toMatch(/See your email address/);
    expect(page).toMatch(/See your name/);
    expect(page).toMatch(/>Allow</);
    expect(page).toMatch(/>Deny</);

    const uid = /action="\/interaction\/([^/]+)\/confirm"/.exec(page)?.[1] as string;
    const done = await agent.follow(await agent.post(`/interaction/${uid}/confirm`, {}));
    const callback = new URL(done.headers.get('location') as string);
    expect(callback.origin + callback.pathname).toBe(REDIRECT);
    expect(callback.searchParams.get('iss')).toBe(server.config.issuer);

    const tokens = await rp.redeem(callback, request);
    const claims = tokens.claims();
    expect(claims).toMatchObject({
      email: 'ada@example.com',
      email_verified: true,
      name: 'Ada Lovelace',
      amr: ['pwd'],
      acr: 'urn:gatehouse:acr:password',
    });
    expect(typeof claims?.sid).toBe('string');
    expect(typeof claims?.auth_time).toBe('number');
  });

  it('answers an unknown email exactly as it answers a wrong password', async () => {
    const attempt = async (email: string) => {
      const agent = new UserAgent(server.url);
      const { url } = await rp.authorizationRequest();
      const page = await agent.follow(await agent.get(url));
      const uid = interactionUid(page.url) || /action="\/interaction\/([^/]+)\/login"/.exec(await page.text())?.[1];
      const res = await agent.post(`/interaction/${uid}/login`, { email, password: 'not the password' });
      return {
        status: res.status,
        body: (await res.text()).replaceAll(uid as string, 'UID').replace(/value="[^"]*@[^"]*"/, 'value="EMAIL"'),
      };
    };
    const unknown = await attempt('nobody@example.com');
    const wrong = await attempt('ada@example.com');
    expect(unknown.status).toBe(401);
    expect(wrong).toEqual(unknown);
    expect(unknown.body).toContain('Incorrect email or password.');
  });

  it('denies the app when the person presses Deny', async () => {
    const other = (
      await gatehouse(env, 'client', 'add', '--name', 'Other', '--redirect-uri', REDIRECT, '--json')
    ).json<{ client_id: string; client_secret: string }>();
    const otherRp = await relyingParty(server.config.issuer, other, REDIRECT);
    const agent = new UserAgent(server.url);
    const request = await otherRp.authorizationRequest({ scope: 'openid email' });
    const { page } = await walkAuthorization(agent, request.url, {
      email: 'ada@example.com',
      password: 'analytical engine 1843',
    });
    const uid = /action="\/interaction\/([^/]+)\/abort"/.exec((await page?.text()) ?? '')?.[1] as string;
    const done = await agent.follow(await agent.post(`/interaction/${uid}/abort`, {}));
    const callback = new URL(done.headers.get('location') as string);
    expect(callback.searchParams.get('error')).toBe('access_denied');
  });
});
