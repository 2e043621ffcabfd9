import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm } from '../support/token-endpoint.js';

let server: TestServer;
let env: Record<string, string>;
const REDIRECT = 'https://notes.example/callback';
const PASSWORD = 'correct horse battery staple';
let client: { client_id: string; client_secret: string };

beforeAll(async () => {
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', 'grace@example.com', '--password', PASSWORD, '--name', 'Grace Hopper');
  client = (await gatehouse(env, 'client', 'add', '--name', 'Notes', '--redirect-uri', REDIRECT, '--json')).json();
});

afterAll(async () => {
  await server.close();
});

/** Signs a fresh browser in to the console; returns it with the console page. */
async function consoleSignIn(userAgent?: string, password = PASSWORD) {
  const agent = new UserAgent(server.url, userAgent);
  const { callback } = await walkAuthorization(agent, '/account', { email: 'grace@example.com', password });
  expect(callback).toBeUndefined();
  const page = await agent.follow(await agent.get('/account'));
  return { agent, page, html: await page.text() };
}

/** Signs `agent` in to the Notes app and returns its tokens. */
async function connectNotes(agent: UserAgent) {
  const rp = await relyingParty(server.config.issuer, client, REDIRECT);
  const request = await rp.authorizationRequest();
  const { callback } = await walkAuthorization(agent, request.url, {
    email: 'grace@example.com',
    password: PASSWORD,
    consent: 'allow',
  });
  return rp.redeem(callback as URL, request);
}

const introspect = async (token: string) =>
  (await postForm(server.url, '/token/introspection', client, { token })).body as { active: boolean };

describe('the account console at /account', () => {
  it('sends a signed-out visitor through the ordinary sign-in screen, then shows their profile', async () => {
    const { page, html } = await consoleSignIn();
    expect(page.status).toBe(200);
    expect(html).toContain('Grace Hopper');
    expect(html).toContain('grace@example.com');
    expect(html).toContain('(this browser)');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('"Cancel" on its sign-in page leads to a page that says so, not to a new sign-in page; signing in from there works', async () => {
    const agent = new UserAgent(server.url);
    const login = await agent.follow(await agent.get('/account'));
    const page = await login.text();
    expect(page).toContain('Cancel and return to Gatehouse account');
    const uid = /action="\/interaction\/([^/"]+)\/abort"/.exec(page)?.[1] as string;
    const cancelled = await agent.follow(await agent.post(`/interaction/${uid}/abort`, {}));
    expect(cancelled.status).toBe(200);
    expect(new URL(cancelled.url).pathname).toBe('/account/callback');
    const said = await cancelled.text();
    expect(said).toContain('<h1>Sign-in cancelled</h1>');
    expect(said).toContain('You cancelled signing in');
    expect(said).not.toContain('name="password"');
    expect(said).toContain('<a class="button" href="/account">Sign in to your account</a>');

    // The second thought: "Sign in to your account" opens the sign-in page again, and it works.
    const { callback } = await walkAuthorization(agent, '/account', { email: 'grace@example.com', password: PASSWORD });
    expect(callback).toBeUndefined();
    const console = await agent.follow(await agent.get('/account'));
    expect(await console.text()).toContain('<h1>Your account</h1>');
  });

  it('lists each signed-in browser and signs out another one, which ends that session for real', async () => {
    const laptop = await consoleSignIn(
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15',
    );
    const phone = await consoleSignIn(
      'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/156.0.0.0 Mobile Safari/537.36',
    );
    const page = await (await laptop.agent.get('/account')).text();
    expect(page).toMatch(/Safari 17 on Mac OS 14[^<]*<strong>\(this browser\)/);
    expect(page).toMatch(/Chrome 156 on Android 14/);

    const phoneUid = new RegExp('Chrome 156 on Android 14[\\s\\S]*?/account/sessions/([^/]+)/revoke').exec(
      page,
    )?.[1] as string;
    const res = await laptop.agent.post(`/account/sessions/${phoneUid}/revoke`, {});
    expect(res.status).toBe(303);
    expect(await (await laptop.agent.follow(res)).text()).toContain('That session has been signed out.');
    // The phone is signed out: the console sends it to sign in again.
    const again = await phone.agent.get('/account');
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toContain('/auth?');
  });

  it("removes an app's access, which revokes the grant and every token it issued", async () => {
    const { agent } = await consoleSignIn();
    const tokens = await connectNotes(agent);
    expect((await introspect(tokens.access_token)).active).toBe(true);

    const page = await (await agent.get('/account')).text();
    expect(page).toMatch(/<td>Notes<\/td>/);
    const grantId = /\/account\/grants\/([^/]+)\/revoke/.exec(page)?.[1] as string;
    const res = await agent.post(`/account/grants/${grantId}/revoke`, {});
    expect(res.status).toBe(303);
    expect((await introspect(tokens.access_token)).active).toBe(false);
    expect(await (await agent.get('/account')).text()).not.toMatch(/<td>Notes<\/td>/);
  });

  it('signs out every other session at once', async () => {
    const keep = await consoleSignIn();
    const other = await consoleSignIn();
    const res = await keep.agent.post('/account/sessions/revoke-others', {});
    expect(res.status).toBe(303);
    expect((await other.agent.get('/account')).status).toBe(303);
    expect((await keep.agent.get('/account')).status).toBe(200);
  });

  it('changes the password only with the current one, then signs out the other sessions', async () => {
    const keep = await consoleSignIn();
    const other = await consoleSignIn();
    const wrong = await keep.agent.post('/account/password', {
      current: 'not it at all',
      next: 'a brand new passphrase',
      confirm: 'a brand new passphrase',
    });
    expect(wrong.status).toBe(400);
    const wrongPage = await wrong.text();
    // The reason sits under the field it concerns, read with it by a screen reader, not at the top.
    expect(wrongPage).toMatch(
      /<input id="current" name="current" type="password"[^>]* aria-describedby="current-error" aria-invalid="true">\s*<p class="field-error" id="current-error">The current password is not correct\.<\/p>/,
    );
    expect(wrongPage).not.toContain('class="alert"');
    const common = await keep.agent.post('/account/password', {
      current: PASSWORD,
      next: 'password123',
      confirm: 'password123',
    });
    expect(common.status).toBe(400);
    expect(await common.text()).toMatch(
      /id="next-error">This password is one of the most commonly used; choose another\./,
    );

    const ok = await keep.agent.post('/account/password', {
      current: PASSWORD,
      next: 'a brand new passphrase',
      confirm: 'a brand new passphrase',
    });
    expect(ok.status).toBe(303);
    expect((await other.agent.get('/account')).status).toBe(303);
    expect((await keep.agent.get('/account')).status).toBe(200);
    // Put it back for the other tests, through the same screen.
    expect(
      (
        await keep.agent.post('/account/password', {
          current: 'a brand new passphrase',
          next: PASSWORD,
          confirm: PASSWORD,
        })
      ).status,
    ).toBe(303);
  });

  it('asks for the new password twice: a mistyped confirmation changes nothing and says so under that field', async () => {
    const { agent, html } = await consoleSignIn();
    expect(html).toContain('<label for="confirm">Confirm new password</label>');
    const mistyped = await agent.post('/account/password', {
      current: PASSWORD,
      next: 'a brand new passphrase',
      confirm: 'a brand new passfrase',
    });
    expect(mistyped.status).toBe(400);
    const page = await mistyped.text();
    expect(page).toMatch(
      /<input id="confirm"[^>]* autofocus aria-describedby="confirm-error" aria-invalid="true">\s*<p class="field-error" id="confirm-error">The two new passwords are not the same\. Type it again\.<\/p>/,
    );
    // Left empty: each field says what it needs.
    const empty = await (await agent.post('/account/password', { current: '', next: '', confirm: '' })).text();
    expect(empty).toContain('id="current-error">Enter your current password.');
    expect(empty).toContain('id="next-error">Enter a new password.');
    // The second try, typed the same twice, works; the old password no longer does.
    const again = await agent.post('/account/password', {
      current: PASSWORD,
      next: 'a brand new passphrase',
      confirm: 'a brand new passphrase',
    });
    expect(again.status).toBe(303);
    const back = await agent.post('/account/password', {
      current: 'a brand new passphrase',
      next: PASSWORD,
      confirm: PASSWORD,
    });
    expect(back.status).toBe(303);
  });

  it('signs out through a confirmation page with "Sign out" and "Stay signed in", and audits the logout', async () => {
    const { agent } = await consoleSignIn();
    const confirm = await agent.get('/session/end');
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(page).toMatch(/Sign out of Gatehouse\?/);
    expect(page).toMatch(/>Stay signed in</);
    expect(page).toMatch(/>Sign out</);
    expect(page).not.toMatch(/<script/);
    expect(confirm.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1] as string;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] as string;
    const done = await agent.follow(await agent.post(new URL(action, server.url), { xsrf, logout: 'yes' }));
    expect(done.status).toBe(200);
    expect(await done.text()).toMatch(/You are signed out/);
    expect((await agent.get('/account')).status).toBe(303);
    const audit = (await gatehouse(env, 'audit', '--email', 'grace@example.com', '--json')).json<{
      events: { type: string }[];
    }>();
    expect(audit.events.map((e) => e.type)).toContain('logout');
  });

  it('refuses a console action posted from another site', async () => {
    const { agent } = await consoleSignIn();
    const res = await agent.post(
      '/account/sessions/revoke-others',
      {},
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(res.status).toBe(403);
  });
});

describe('sessions and users from the CLI', () => {
  it("lists and revokes a user's sessions by id and by email", async () => {
    const first = await consoleSignIn();
    await consoleSignIn();
    const list = (await gatehouse(env, 'session', 'list', '--email', 'grace@example.com', '--json')).json<{
      sessions: { uid: string }[];
    }>();
    expect(list.sessions.length).toBeGreaterThanOrEqual(2);

    const one = await gatehouse(env, 'session', 'revoke', `--id=${list.sessions[0]?.uid as string}`, '--json');
    expect(one.json()).toEqual({ revoked: 1 });
    const all = await gatehouse(env, 'session', 'revoke', '--email', 'grace@example.com', '--json');
    expect(all.json<{ revoked: number }>().revoked).toBe(list.sessions.length - 1);
    expect((await first.agent.get('/account')).status).toBe(303);
  });

  it('disables a user: sessions end, grants and tokens are revoked, sign-in is refused; enable restores sign-in', async () => {
    const { agent } = await consoleSignIn();
    const tokens = await connectNotes(agent);
    const disabled = await gatehouse(env, 'user', 'disable', '--email', 'grace@example.com', '--json');
    expect(disabled.json()).toMatchObject({ email: 'grace@example.com', disabled: true });
    expect((await introspect(tokens.access_token)).active).toBe(false);
    expect((await agent.get('/account')).status).toBe(303);

    const fresh = new UserAgent(server.url);
    const { page } = await walkAuthorization(fresh, '/account', { email: 'grace@example.com', password: PASSWORD });
    expect(page?.status).toBe(401);

    await gatehouse(env, 'user', 'enable', '--email', 'grace@example.com');
    expect((await consoleSignIn()).page.status).toBe(200);
  });

  it('keeps an audit trail of sign-ins, revocations and admin actions, without secrets', async () => {
    const audit = await gatehouse(env, 'audit', '--email', 'grace@example.com', '--limit', '200', '--json');
    const events = audit.json<{ events: { type: string; outcome: string }[] }>().events;
    const types = new Set(events.map((e) => `${e.type}:${e.outcome}`));
    for (const expected of [
      'signin:success',
      'signin:failure',
      'session.revoked:success',
      'grant.revoked:success',
      'password.changed:success',
      'admin.user.disabled:success',
      'admin.user.enabled:success',
      'admin.session.revoked:success',
    ]) {
      expect(types).toContain(expected);
    }
    expect(audit.stdout).not.toContain(PASSWORD);
    expect(audit.stdout).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });
});
