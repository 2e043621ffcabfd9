import { startTestServer, type TestServer } from '../../support/test-server.js';
import { gatehouse, gatehouseJson } from '../../support/run-gatehouse.js';
import { UserAgent } from '../../support/user-agent.js';
import { mailCatcher, linkIn, type MailCatcher } from '../../support/mail-catcher.js';
import { relyingParty } from '../../support/relying-party.js';
import { walkAuthorization } from '../../support/sign-in-flow.js';
import { freezeDate } from '../../support/fake-date.js';
import { INTERACTION_TTL } from '../../../src/kernel/token-lifetimes.js';

const PASSWORD = 'a long and quiet river';
const NEW_PASSWORD = 'the tide comes in at noon';
const REDIRECT = 'https://notes.example/cb';

let catcher: MailCatcher;
let server: TestServer;
let env: Record<string, string>;
let notes: Awaited<ReturnType<typeof relyingParty>>;
let nextIp = 1;

/** A browser at an address of its own (TRUST_PROXY is on), so per-address budgets stay apart between tests. */
const browser = () => {
  const ip = `203.0.113.${nextIp++}`;
  const agent = new UserAgent(server.url);
  const headers = { 'x-forwarded-for': ip };
  return {
    agent,
    get: (path: string | URL) => agent.get(path, headers),
    post: (path: string, form: Record<string, string>) => agent.post(path, form, headers),
  };
};
const pathOf = (link: string) => {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
};

/** Opens the app's sign-in in `b` and returns the interaction's uid and the request to redeem its code with. */
async function startSignIn(b: ReturnType<typeof browser>, rp = notes) {
  const request = await rp.authorizationRequest();
  const page = await b.agent.follow(await b.get(request.url));
  const uid = /action="\/interaction\/([^/]+)\/login"/.exec(await page.text())?.[1] as string;
  expect(uid).toBeTruthy();
  return { uid, request };
}

/** "Forgot your password?" from the sign-in `uid`, through the mail, to the page after the new password is set. */
async function resetFrom(b: ReturnType<typeof browser>, uid: string, email: string): Promise<string> {
  expect((await b.get(`/password/forgot?uid=${uid}`)).status).toBe(200);
  const before = catcher.to(email).length;
  expect((await b.post('/password/forgot', { email, uid })).status).toBe(200);
  const link = pathOf(linkIn((await catcher.waitForLink(email, before)) as never));
  const token = new URL(link, server.url).searchParams.get('token') as string;
  expect((await b.get(link)).status).toBe(200);
  const done = await b.post('/password/reset', { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
  expect(done.status).toBe(200);
  return done.text();
}

beforeAll(async () => {
  catcher = await mailCatcher();
  server = await startTestServer({
    SMTP_URL: catcher.url,
    MAIL_FROM: 'no-reply@gatehouse.test',
    OUTBOX_INTERVAL_SECONDS: '1',
    TRUST_PROXY: 'true',
    REGISTRATION: 'open',
    CLIENT_REGISTRATION: 'open',
  });
  env = { DATABASE_URL: server.database.url };
  notes = await relyingParty(
    server.config.issuer,
    await gatehouseJson(env, 'client', 'add', '--name', 'Notes', '--redirect-uri', REDIRECT),
    REDIRECT,
  );
});

afterAll(async () => {
  await server.close();
  await catcher.close();
});

describe('back to the app after a password reset or a registration', () => {
  it('a person who forgot their password resets it from the app’s sign-in and continues into Notes with the new one', async () => {
    await gatehouse(env, 'user', 'add', '--email', 'grace@example.com', '--password', PASSWORD);
    const b = browser();
    const { uid, request } = await startSignIn(b);
    // The mistake: a password they no longer remember.
    const wrong = await b.post(`/interaction/${uid}/login`, {
      email: 'grace@example.com',
      password: 'was it this one',
    });
    expect(wrong.status).toBe(401);

    const done = await resetFrom(b, uid, 'grace@example.com');
    expect(done).toContain('Your password has been changed');
    expect(done).toContain(`<a class="button" href="/interaction/${uid}">Continue to Notes</a>`);
    expect(done).not.toContain('Return to the app you were using');

    // The second try: the same sign-in, resumed, with the new password; the app gets its code.
    const { callback } = await walkAuthorization(b.agent, `/interaction/${uid}`, {
      email: 'grace@example.com',
      password: NEW_PASSWORD,
      consent: 'allow',
    });
    expect(callback?.origin).toBe('https://notes.example');
    const tokens = await notes.redeem(callback as URL, request);
    expect(tokens.claims()?.email).toBe('grace@example.com');
  });

  it('a person who creates an account from the app’s sign-in continues into Notes once it is confirmed', async () => {
    const b = browser();
    const { uid, request } = await startSignIn(b);
    expect((await b.get(`/register?uid=${uid}`)).status).toBe(200);
    // The mistake: no password at all; then the second try.
    expect((await b.post('/register', { uid, email: 'hedy@example.com', password: '' })).status).toBe(400);
    expect((await b.post('/register', { uid, email: 'hedy@example.com', password: PASSWORD })).status).toBe(200);
    const [mail] = await catcher.waitFor('hedy@example.com');
    const link = pathOf(linkIn(mail as never));
    expect((await b.get(link)).status).toBe(200);
    const token = new URL(link, server.url).searchParams.get('token') as string;
    const done = await b.post('/register/confirm', { token });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(`<a class="button" href="/interaction/${uid}">Continue to Notes</a>`);

    const { callback } = await walkAuthorization(b.agent, `/interaction/${uid}`, {
      email: 'hedy@example.com',
      password: PASSWORD,
      consent: 'allow',
    });
    const tokens = await notes.redeem(callback as URL, request);
    expect(tokens.claims()?.email).toBe('hedy@example.com');
  });

  it('once the sign-in has expired, says so plainly and offers the app’s own start page', async () => {
    const registered = await fetch(`${server.url}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.200' },
      body: JSON.stringify({
        client_name: 'Tasks',
        redirect_uris: ['https://tasks.example/cb'],
        token_endpoint_auth_method: 'none',
        client_uri: 'https://tasks.example/',
        initiate_login_uri: 'https://tasks.example/login',
      }),
    });
    expect(registered.status).toBe(201);
    const tasks = await relyingParty(
      server.config.issuer,
      (await registered.json()) as { client_id: string },
      'https://tasks.example/cb',
    );
    await gatehouse(env, 'user', 'add', '--email', 'joan@example.com', '--password', PASSWORD);
    const clock = freezeDate();
    try {
      const b = browser();
      const { uid } = await startSignIn(b, tasks);
      expect((await b.get(`/password/forgot?uid=${uid}`)).status).toBe(200);
      clock.advance((INTERACTION_TTL + 60) * 1000);
      const done = await resetFrom(b, uid, 'joan@example.com');
      expect(done).toContain('Your sign-in to Tasks has expired, so it cannot continue. Start again from the app.');
      expect(done).toContain('<a class="button" href="https://tasks.example/login">Go to Tasks</a>');
      expect(done).not.toContain(`/interaction/${uid}`);
      expect(done).toContain('href="/account"');
    } finally {
      clock.restore();
    }
  });

  it('an expired sign-in of an app with no start page of its own: return to the app, or open the account', async () => {
    await gatehouse(env, 'user', 'add', '--email', 'mary@example.com', '--password', PASSWORD);
    const clock = freezeDate();
    try {
      const b = browser();
      const { uid } = await startSignIn(b);
      expect((await b.get(`/password/forgot?uid=${uid}`)).status).toBe(200);
      clock.advance((INTERACTION_TTL + 60) * 1000);
      const done = await resetFrom(b, uid, 'mary@example.com');
      expect(done).toContain('Your sign-in to Notes has expired, so it cannot continue.');
      expect(done).toContain('Return to the app and sign in there again.');
      expect(done).toContain('<a href="/account">open your account</a>');
    } finally {
      clock.restore();
    }
  });

  it('a reset that started from no app points to the account console, as before', async () => {
    await gatehouse(env, 'user', 'add', '--email', 'ida@example.com', '--password', PASSWORD);
    const b = browser();
    const before = catcher.to('ida@example.com').length;
    expect((await b.post('/password/forgot', { email: 'ida@example.com' })).status).toBe(200);
    const link = pathOf(linkIn((await catcher.waitForLink('ida@example.com', before)) as never));
    const token = new URL(link, server.url).searchParams.get('token') as string;
    const done = await (
      await b.post('/password/reset', { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD })
    ).text();
    expect(done).toContain('Return to the app you were using and sign in there');
    expect(done).not.toContain('Continue to');
  });
});
