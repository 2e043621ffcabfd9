import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';
import { backchannelReceiver } from '../support/backchannel-receiver.js';

const EMAIL = 'margaret@example.com';
const PASSWORD = 'apollo guidance 1969';
const REDIRECT = 'https://mail.example/cb';
const BYE = 'https://mail.example/signed-out';
const API = 'https://api.mail.example/';
const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

interface Client {
  client_id: string;
  client_secret: string;
}

let server: TestServer;
let env: Record<string, string>;
let receiver: Awaited<ReturnType<typeof backchannelReceiver>>;
let mail: Client;
let api: Credentials;

const cli = <T = Client>(...argv: string[]) => gatehouseJson<T>(env, ...argv);

const introspect = (client: Credentials, token: string) =>
  postForm(server.url, '/token/introspection', client, { token });
const jwks = () => createRemoteJWKSet(new URL(`${server.url}/jwks`));

/** Signs `agent` in to Mail through openid-client; returns the RP and its tokens. */
async function signIn(agent: UserAgent, params: Record<string, string> = {}) {
  const rp = await relyingParty(server.config.issuer, mail, REDIRECT);
  const request = await rp.authorizationRequest({ scope: 'openid email', ...params });
  const { callback, page } = await walkAuthorization(agent, request.url, {
    email: EMAIL,
    password: PASSWORD,
    consent: 'allow',
  });
  if (!callback) throw new Error(`sign-in stopped at ${page?.status}`);
  // RFC 8707 §2.2: an API's token is asked for by name at the token endpoint too.
  const tokens = await rp.redeem(callback, request, params.resource ? { resource: params.resource } : undefined);
  return { rp, tokens, sid: tokens.claims()?.sid as string, sub: tokens.claims()?.sub as string };
}

/** Verifies a logout token as an RP must (Back-Channel Logout §2.6) and returns its claims. */
async function verifiedLogoutToken(token: string) {
  const { payload, protectedHeader } = await jwtVerify(token, jwks(), {
    issuer: server.config.issuer,
    audience: mail.client_id,
    maxTokenAge: '2 minutes',
  });
  expect(protectedHeader.typ).toBe('logout+jwt');
  expect(payload.events).toEqual({ [BACKCHANNEL_EVENT]: {} });
  expect(payload).not.toHaveProperty('nonce');
  expect(payload.jti).toEqual(expect.any(String));
  return payload;
}

/** Waits for the next logout token after the `before` already received ones. */
async function nextLogoutToken(before: number) {
  const tokens = await receiver.received(before + 1);
  expect(tokens.length).toBe(before + 1);
  return verifiedLogoutToken(tokens[before] as string);
}

/** Confirms the "Sign out?" page shown for an end-session request; returns the final answer. */
async function confirmLogout(agent: UserAgent, page: Response): Promise<Response> {
  const html = await page.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] as string;
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] as string;
  return agent.post(new URL(action, server.url), { xsrf, logout: 'yes' });
}

beforeAll(async () => {
  // The receiver listens on loopback, which the provider's SSRF guard refuses unless allowed. Notices
  // queued by the CLI go out at the server's next outbox pass, every second here.
  server = await startTestServer({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true', OUTBOX_INTERVAL_SECONDS: '1' });
  env = { DATABASE_URL: server.database.url };
  receiver = await backchannelReceiver();
  await cli('user', 'add', '--email', EMAIL, '--password', PASSWORD);
  api = await cli('resource', 'add', '--identifier', API, '--scope', 'mail:read');
  mail = await cli(
    'client',
    'add',
    '--name',
    'Mail',
    '--redirect-uri',
    REDIRECT,
    '--post-logout-redirect-uri',
    BYE,
    '--backchannel-logout-uri',
    receiver.url,
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
  await receiver.close();
});

describe('RP-initiated logout (OIDC RP-Initiated Logout 1.0) with back-channel logout (OIDC Back-Channel Logout 1.0)', () => {
  it("signs out with id_token_hint, returns to the exact post_logout_redirect_uri, notifies the RP and kills the session's tokens", async () => {
    const agent = new UserAgent(server.url);
    const { rp, tokens, sid, sub } = await signIn(agent, { scope: 'openid email mail:read', resource: API });
    // The API verifies the JWT itself (RFC 9068) and can also ask (RFC 7662).
    const { payload } = await jwtVerify(tokens.access_token, jwks(), {
      issuer: server.config.issuer,
      audience: API,
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({ sub, client_id: mail.client_id, scope: 'mail:read' });
    expect((await introspect(api, tokens.access_token)).body).toMatchObject({ active: true });

    const before = receiver.tokens.length;
    const url = oidc.buildEndSessionUrl(rp.config, {
      id_token_hint: tokens.id_token as string,
      post_logout_redirect_uri: BYE,
      state: 'see-you',
    });
    const confirm = await agent.get(url);
    expect(confirm.status).toBe(200);
    const done = await confirmLogout(agent, confirm);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${BYE}?state=see-you`);

    const logout = await nextLogoutToken(before);
    expect(logout).toMatchObject({ sid, sub, aud: mail.client_id, iss: server.config.issuer });
    expect((await introspect(api, tokens.access_token)).body).toEqual({ active: false });
  });

  it.each([
    ['a trailing slash', `${BYE}/`],
    ['an added query', `${BYE}?next=/x`],
    ['another host', 'https://attacker.example/signed-out'],
  ])('never redirects to a post_logout_redirect_uri with %s', async (_variant, target) => {
    const agent = new UserAgent(server.url);
    const { tokens } = await signIn(agent);
    const url = new URL('/session/end', server.url);
    url.searchParams.set('id_token_hint', tokens.id_token as string);
    url.searchParams.set('post_logout_redirect_uri', target);
    const res = await agent.get(url);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).not.toContain(target);
  });

  it('asks for confirmation when there is no id_token_hint, and only signs out on "Sign out"', async () => {
    const agent = new UserAgent(server.url);
    await signIn(agent);
    const page = await agent.get('/session/end');
    expect(page.status).toBe(200);
    expect(await page.clone().text()).toMatch(/Sign out of Gatehouse\?/);
    const before = receiver.tokens.length;
    const done = await agent.follow(await confirmLogout(agent, page));
    expect(await done.text()).toMatch(/You are signed out/);
    await nextLogoutToken(before);
  });

  it('keeps offline_access refresh tokens across a logout, by design', async () => {
    const agent = new UserAgent(server.url);
    const { rp, tokens } = await signIn(agent, { scope: 'openid offline_access', prompt: 'consent' });
    await confirmLogout(
      agent,
      await agent.get(oidc.buildEndSessionUrl(rp.config, { id_token_hint: tokens.id_token as string })),
    );
    const refreshed = await oidc.refreshTokenGrant(rp.config, tokens.refresh_token as string);
    expect(refreshed.access_token).toEqual(expect.any(String));
  });
});

describe('sessions ended outside the end-session endpoint cascade the same way', () => {
  it('the account console: "sign out other browsers" notifies the RP with that session\'s sid and kills its tokens', async () => {
    const elsewhere = new UserAgent(server.url);
    const { tokens, sid } = await signIn(elsewhere, { scope: 'openid email mail:read', resource: API });
    expect((await introspect(api, tokens.access_token)).body).toMatchObject({ active: true });

    const console = new UserAgent(server.url);
    await walkAuthorization(console, '/account', { email: EMAIL, password: PASSWORD });
    const before = receiver.tokens.length;
    const res = await console.post('/account/sessions/revoke-others', {});
    expect(res.status).toBe(303);

    // Every other browser of this person ended (earlier tests left some): each one's RP hears, from
    // the server's outbox, which delivers at once what the server itself queued.
    let heard: unknown[] = [];
    for (const deadline = Date.now() + 5000; !heard.includes(sid) && Date.now() < deadline;) {
      await receiver.received(receiver.tokens.length + 1, 200);
      heard = await Promise.all(
        receiver.tokens.slice(before).map(async (token) => (await verifiedLogoutToken(token)).sid),
      );
    }
    expect(heard).toContain(sid);
    expect((await introspect(api, tokens.access_token)).body).toEqual({ active: false });
  });

  it("gatehouse session revoke --id: notifies the RP and kills the session's tokens (userinfo refuses them)", async () => {
    const agent = new UserAgent(server.url);
    const { rp, tokens, sid, sub } = await signIn(agent);
    expect((await oidc.fetchUserInfo(rp.config, tokens.access_token, sub)).email).toBe(EMAIL);

    const { sessions } = await cli<{ sessions: { uid: string }[] }>('session', 'list', '--email', EMAIL);
    const before = receiver.tokens.length;
    // Each sign-in above ran in its own browser: end them one by one until this one's sid is heard.
    let heard: string | undefined;
    for (const { uid } of sessions) {
      // `--id=…`: a session id may begin with a dash, which a separate argument would read as an option.
      await cli('session', 'revoke', `--id=${uid}`);
      // The CLI queues the notice; the server delivers it at its next outbox pass.
      for (const deadline = Date.now() + 3000; !heard && Date.now() < deadline;) {
        if (receiver.tokens.slice(before).some((token) => decodeJwt(token).sid === sid)) heard = sid;
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (heard) break;
    }
    expect(heard).toBe(sid);
    expect((await introspect(mail, tokens.access_token)).body).toEqual({ active: false });
    await expect(oidc.fetchUserInfo(rp.config, tokens.access_token, sub)).rejects.toThrow();
  });

  it('gatehouse user disable: notifies the RP and kills every token, offline ones included', async () => {
    const agent = new UserAgent(server.url);
    const { rp, tokens, sid } = await signIn(agent, { scope: 'openid offline_access', prompt: 'consent' });
    const before = receiver.tokens.length;
    await cli('user', 'disable', '--email', EMAIL);
    try {
      const heard = (await receiver.received(before + 1)).slice(before).map((token) => decodeJwt(token).sid);
      expect(heard).toContain(sid);
      expect((await introspect(mail, tokens.access_token)).body).toEqual({ active: false });
      await expect(oidc.refreshTokenGrant(rp.config, tokens.refresh_token as string)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
    } finally {
      await cli('user', 'enable', '--email', EMAIL);
    }
  });
});
