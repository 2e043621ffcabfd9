import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson, gatehouseWithStdin, pipedStdin } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { freezeDate } from '../support/fake-date.js';
import { startScriptedUpstream } from '../support/upstream-provider.js';
import { REAUTH_WINDOW_SECONDS } from '../../src/account-lifecycle/fresh-authentication.js';

// Linking another provider from the account console adds a way in to the account, so it needs a
// recent sign-in, like adding a passkey or setting up the app: an older console session is sent to
// sign in again (prompt=login) and comes back here. The upstream is a scripted OpenID Provider on
// loopback that answers at once (support/upstream-provider.ts).
let server: TestServer;
let env: Record<string, string>;
let clock: ReturnType<typeof freezeDate>;
let upstream: Awaited<ReturnType<typeof startScriptedUpstream>>;
const PASSWORD = 'analytical engine notes';
const SECRET = 'upstream-client-secret-0123456789abcdef';

beforeAll(async () => {
  clock = freezeDate();
  server = await startTestServer({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  env = { DATABASE_URL: server.database.url };
  upstream = await startScriptedUpstream();
  for (const name of ['Acme SSO', 'Beta SSO']) {
    const added = await gatehouseWithStdin(
      env,
      pipedStdin(`${SECRET}\n`),
      'connection',
      'add',
      '--name',
      name,
      '--issuer',
      upstream.issuer,
      '--client-id',
      'gatehouse',
      '--client-secret-stdin',
    );
    expect(added.code).toBe(0);
  }
  for (const email of ['ada@example.com', 'grace@example.com'])
    await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD);
});

afterAll(async () => {
  await upstream?.close();
  await server?.close();
  clock?.restore();
});

const uidIn = (html: string) => /action="\/interaction\/([^/"]+)\//.exec(html)?.[1] as string;
const linkActionFor = (page: string, label: string) =>
  new RegExp(`action="(/account/identities/link/[^"]+)">\\s*<div class="actions"><button[^>]*>Link ${label}<`).exec(
    page,
  )?.[1] as string;
const identitiesOf = async (email: string) =>
  (await gatehouseJson<{ identities: { connection: string }[] }>(env, 'user', 'show', '--email', email)).identities;

async function consoleSignIn(agent: UserAgent, email: string) {
  const login = await agent.follow(await agent.get('/account/identities'));
  const back = await agent.follow(
    await agent.post(`/interaction/${uidIn(await login.text())}/login`, { email, password: PASSWORD }),
  );
  expect(back.url).toBe(`${server.url}/account/identities`);
  return back.text();
}

/** "Link …": out to the provider (which answers at once), back through the fixed callback, to the console. */
async function link(agent: UserAgent, action: string) {
  const out = await agent.post(action, {});
  expect(out.status).toBe(303);
  const toUpstream = out.headers.get('location') as string;
  expect(toUpstream.startsWith(upstream.issuer)).toBe(true);
  const answered = await fetch(toUpstream, { redirect: 'manual' });
  return agent.follow(await agent.get(answered.headers.get('location') as string));
}

describe('/account/identities: linking another provider needs a recent sign-in', () => {
  it('a provider removed while its button was on the page answers 404, "No such provider.", and the others stay offered', async () => {
    await gatehouse(env, 'user', 'add', '--email', 'linus@example.com', '--password', PASSWORD);
    const agent = new UserAgent(server.url);
    const page = await consoleSignIn(agent, 'linus@example.com');
    const gone = await agent.post('/account/identities/link/00000000-0000-4000-8000-000000000000', {});
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain('No such provider.');
    // The providers that are there still offer their Link (followed to the end by the tests below).
    expect(linkActionFor(page, 'Acme SSO')).toMatch(/^\/account\/identities\/link\//);
    const again = await agent.get('/account/identities');
    expect(again.status).toBe(200);
    expect(linkActionFor(await again.text(), 'Beta SSO')).toBe(linkActionFor(page, 'Beta SSO'));
  });

  it('a fresh console session links at once', async () => {
    const agent = new UserAgent(server.url);
    const page = await consoleSignIn(agent, 'ada@example.com');
    const done = await link(agent, linkActionFor(page, 'Acme SSO'));
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('The provider is linked');
    expect(await identitiesOf('ada@example.com')).toEqual([expect.objectContaining({ connection: 'Acme SSO' })]);
  });

  it('an old one is sent to sign in again (a wrong password first), comes back here, and then links', async () => {
    const agent = new UserAgent(server.url);
    const page = await consoleSignIn(agent, 'grace@example.com');
    clock.advance((REAUTH_WINDOW_SECONDS + 60) * 1000);

    // Still signed in (the page opens), but too long ago to add a way in: off to sign in again.
    const stale = await agent.get('/account/identities');
    expect(stale.status).toBe(200);
    const refused = await agent.post(linkActionFor(await stale.text(), 'Beta SSO'), {});
    expect(refused.status).toBe(303);
    const signIn = new URL(refused.headers.get('location') as string);
    expect(signIn.origin).toBe(server.url);
    expect(signIn.pathname).toBe('/auth');
    expect(signIn.searchParams.get('prompt')).toBe('login');
    expect(signIn.searchParams.get('max_age')).toBe(String(REAUTH_WINDOW_SECONDS));
    expect(await identitiesOf('grace@example.com')).toEqual([]);

    const login = await agent.follow(refused);
    const uid = uidIn(await login.text());
    const wrong = await agent.post(`/interaction/${uid}/login`, { email: 'grace@example.com', password: 'not it' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Incorrect email or password.');
    const back = await agent.follow(
      await agent.post(`/interaction/${uid}/login`, { email: 'grace@example.com', password: PASSWORD }),
    );
    expect(back.url).toBe(`${server.url}/account/identities`);
    const fresh = await back.text();
    expect(fresh).toContain('Link Beta SSO');
    expect(page).toContain('Link Beta SSO');

    const done = await link(agent, linkActionFor(fresh, 'Beta SSO'));
    expect(await done.text()).toContain('The provider is linked');
    expect(await identitiesOf('grace@example.com')).toEqual([expect.objectContaining({ connection: 'Beta SSO' })]);
    const audit = await gatehouseJson<{ events: { type: string; outcome: string; detail?: { proof?: string } }[] }>(
      env,
      'audit',
      '--email',
      'grace@example.com',
    );
    expect(audit.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'upstream.linked',
          outcome: 'success',
          detail: expect.objectContaining({ proof: 'console_session' }),
        }),
      ]),
    );
  });

  it('the sign-in page it is sent to comes back only to a console page, whatever the state says', async () => {
    const agent = new UserAgent(server.url);
    const forged = `x.${Buffer.from('https://elsewhere.example/').toString('base64url')}`;
    const res = await agent.get(`/account/callback?state=${forged}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account');
  });
});
