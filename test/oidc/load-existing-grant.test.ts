import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';

const EMAIL = 'barbara@example.com';
const PASSWORD = 'clu programming 1974';
const REDIRECT = 'https://mail.example/cb';

let server: TestServer;
let env: Record<string, string>;
let mail: Credentials;

const cli = <T = Credentials>(...argv: string[]) => gatehouseJson<T>(env, ...argv);
const introspect = async (token: string) => (await postForm(server.url, '/token/introspection', mail, { token })).body;
const active = { active: true };
const inactive = { active: false };

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await cli('user', 'add', '--email', EMAIL, '--password', PASSWORD);
  mail = await cli(
    'client',
    'add',
    '--name',
    'Mail',
    '--redirect-uri',
    REDIRECT,
    '--grant-type',
    'authorization_code',
    '--grant-type',
    'refresh_token',
  );
});

afterAll(async () => {
  await server.close();
});

/** Barbara signs `browser` in to Mail (answering consent when asked); returns the RP and its tokens. */
async function signIn(browser: UserAgent, params: Record<string, string> = {}) {
  const rp = await relyingParty(server.config.issuer, mail, REDIRECT);
  const request = await rp.authorizationRequest({ scope: 'openid email', ...params });
  const { callback, page } = await walkAuthorization(browser, request.url, {
    email: EMAIL,
    password: PASSWORD,
    consent: 'allow',
  });
  if (!callback) throw new Error(`sign-in stopped at a page: ${page?.status}`);
  return { rp, tokens: await rp.redeem(callback, request) };
}

/** RP-initiated logout in `browser`, confirmed on the "Sign out?" page. */
async function logOut(browser: UserAgent, rp: Awaited<ReturnType<typeof relyingParty>>, idToken: string) {
  const page = await browser.get(oidc.buildEndSessionUrl(rp.config, { id_token_hint: idToken }));
  const html = await page.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] as string;
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] as string;
  await browser.follow(await browser.post(new URL(action, server.url), { xsrf, logout: 'yes' }));
}

describe("each session has its own grant: logging out in one browser ends only that browser's tokens", () => {
  it("keeps the phone's access and refresh tokens when the laptop signs out of the same app", async () => {
    const phone = new UserAgent(server.url);
    const laptop = new UserAgent(server.url);
    const onPhone = await signIn(phone, { scope: 'openid email offline_access', prompt: 'consent' });
    const onLaptop = await signIn(laptop);
    expect(await introspect(onLaptop.tokens.access_token)).toMatchObject(active);

    await logOut(laptop, onLaptop.rp, onLaptop.tokens.id_token as string);

    expect(await introspect(onLaptop.tokens.access_token)).toEqual(inactive);
    expect(await introspect(onPhone.tokens.access_token)).toMatchObject(active);
    expect(await introspect(onPhone.tokens.refresh_token as string)).toMatchObject(active);
    const refreshed = await oidc.refreshTokenGrant(onPhone.rp.config, onPhone.tokens.refresh_token as string);
    expect(await introspect(refreshed.access_token)).toMatchObject(active);
  });

  it("keeps the other browser's session-bound token too (no offline_access on either side)", async () => {
    const first = new UserAgent(server.url);
    const second = new UserAgent(server.url);
    const one = await signIn(first);
    const two = await signIn(second);
    await logOut(first, one.rp, one.tokens.id_token as string);
    expect(await introspect(one.tokens.access_token)).toEqual(inactive);
    expect(await introspect(two.tokens.access_token)).toMatchObject(active);
  });

  it("keeps the laptop's token when the phone is signed out from the account console", async () => {
    const phone = new UserAgent(server.url);
    const laptop = new UserAgent(server.url);
    const onPhone = await signIn(phone);
    const onLaptop = await signIn(laptop);
    // The console in the laptop's session (single sign-on): sign out every other session, the phone's among them.
    expect((await laptop.follow(await laptop.get('/account'))).status).toBe(200);
    expect((await laptop.post('/account/sessions/revoke-others', {})).status).toBe(303);
    expect(await introspect(onPhone.tokens.access_token)).toEqual(inactive);
    expect(await introspect(onLaptop.tokens.access_token)).toMatchObject(active);
  });
});

describe('consent is remembered across sessions all the same', () => {
  it('asks a new browser nothing for scopes consented before, and only for a new one', async () => {
    const first = new UserAgent(server.url);
    await signIn(first, { scope: 'openid email' });

    const rp = await relyingParty(server.config.issuer, mail, REDIRECT);
    const same = await rp.authorizationRequest({ scope: 'openid email' });
    const quiet = await walkAuthorization(new UserAgent(server.url), same.url, { email: EMAIL, password: PASSWORD });
    expect(quiet.callback).toBeDefined();

    const more = await rp.authorizationRequest({ scope: 'openid email profile' });
    const asked = await walkAuthorization(new UserAgent(server.url), more.url, { email: EMAIL, password: PASSWORD });
    expect(asked.callback).toBeUndefined();
    const html = (await asked.page?.text()) ?? '';
    expect(html).toContain('>Allow<');
  });

  it('lists the app once in the account console, and "Remove access" ends its tokens in every browser', async () => {
    const phone = new UserAgent(server.url);
    const laptop = new UserAgent(server.url);
    const onPhone = await signIn(phone);
    const onLaptop = await signIn(laptop);
    const html = await (await laptop.follow(await laptop.get('/account'))).text();
    expect(html.match(/<td>Mail<\/td>/g)).toHaveLength(1);
    const grantId = /\/account\/grants\/([^/]+)\/revoke/.exec(html)?.[1] as string;
    expect((await laptop.post(`/account/grants/${grantId}/revoke`, {})).status).toBe(303);
    expect(await introspect(onPhone.tokens.access_token)).toEqual(inactive);
    expect(await introspect(onLaptop.tokens.access_token)).toEqual(inactive);
    expect(await (await laptop.get('/account')).text()).not.toMatch(/<td>Mail<\/td>/);
  });
});
