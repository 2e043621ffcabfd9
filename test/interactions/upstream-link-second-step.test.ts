import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson, gatehouseWithStdin, pipedStdin } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { freezeDate } from '../support/fake-date.js';
import { startScriptedUpstream } from '../support/upstream-provider.js';
import { totpCodeAt } from '../../src/mfa/totp.js';

// An upstream identity whose address is an existing account's waits to be linked until the person
// proves the account is theirs: the password, then its second step. That step is a demand: a
// remembered browser on a known network (which the adaptive policy would wave through) is asked too,
// and the identity is linked once it is passed. The upstream is a scripted OpenID Provider on
// loopback that answers at once as alice@scripted.example (support/upstream-provider.ts).
let server: TestServer;
let env: Record<string, string>;
let clock: ReturnType<typeof freezeDate>;
let upstream: Awaited<ReturnType<typeof startScriptedUpstream>>;
let rp: Awaited<ReturnType<typeof relyingParty>>;
const PASSWORD = 'correct horse battery staple';
const EMAIL = 'alice@scripted.example';
const REDIRECT = 'https://app.example/cb';

beforeAll(async () => {
  clock = freezeDate();
  server = await startTestServer({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  env = { DATABASE_URL: server.database.url };
  upstream = await startScriptedUpstream();
  const added = await gatehouseWithStdin(
    env,
    pipedStdin('upstream-client-secret-0123456789abcdef\n'),
    'connection',
    'add',
    '--name',
    'Acme SSO',
    '--issuer',
    upstream.issuer,
    '--client-id',
    'gatehouse',
    '--client-secret-stdin',
  );
  expect(added.code).toBe(0);
  await gatehouse(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
  const client = await gatehouseJson<{ client_id: string; client_secret: string }>(
    env,
    'client',
    'add',
    '--name',
    'Wiki',
    '--redirect-uri',
    REDIRECT,
    '--first-party',
  );
  rp = await relyingParty(server.config.issuer, client, REDIRECT);
});

afterAll(async () => {
  await upstream?.close();
  await server?.close();
  clock?.restore();
});

const nextStep = () => clock.advance(30_000);
const uidIn = (html: string) => /action="\/interaction\/([^/"]+)\//.exec(html)?.[1] as string;
const signOut = (agent: UserAgent) => {
  agent.forget('gatehouse.session');
  agent.forget('gatehouse.session.sig');
};
const back = (res: Response) => new URL(res.headers.get('location') as string);

/** The app's sign-in, with the password; stops at the first page it was not told how to answer. */
async function passwordSignIn(agent: UserAgent) {
  const request = await rp.authorizationRequest();
  const login = await agent.follow(await agent.get(request.url));
  const res = await agent.follow(
    await agent.post(`/interaction/${uidIn(await login.text())}/login`, { email: EMAIL, password: PASSWORD }),
  );
  return { request, res };
}

/** A browser with alice's authenticator app set up (in the console) and remembered after a second step. */
async function rememberedBrowser(): Promise<{ agent: UserAgent; secret: string }> {
  const agent = new UserAgent(server.url);
  const login = await agent.follow(await agent.get('/account/mfa'));
  await agent.follow(
    await agent.post(`/interaction/${uidIn(await login.text())}/login`, { email: EMAIL, password: PASSWORD }),
  );
  const setup = await (await agent.post('/account/mfa/setup', {})).text();
  const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(setup)?.[1] as string;
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  nextStep();
  expect((await agent.post('/account/mfa/totp', { code: await totpCodeAt(secret, Date.now()) })).status).toBe(200);

  signOut(agent);
  nextStep();
  const asked = await passwordSignIn(agent);
  const verified = await agent.post(`/interaction/${uidIn(await asked.res.text())}/mfa`, {
    code: await totpCodeAt(secret, Date.now()),
    remember: 'yes',
  });
  expect(back(await agent.follow(verified)).origin).toBe('https://app.example');

  // Proven: this browser, on this network, now signs in with the password alone.
  signOut(agent);
  const skipped = await passwordSignIn(agent);
  expect(skipped.res.status).toBe(303);
  expect(back(skipped.res).origin).toBe('https://app.example');
  signOut(agent);
  return { agent, secret };
}

describe('a link waiting for the second step', () => {
  it('is asked in a remembered browser, says why ("link"), takes a wrong code then the right one, and links', async () => {
    const { agent, secret } = await rememberedBrowser();
    const request = await rp.authorizationRequest();
    const login = await (await agent.follow(await agent.get(request.url))).text();
    const uid = uidIn(login);
    const connection = new RegExp(`action="/interaction/${uid}/upstream/([^"]+)"`).exec(login)?.[1] as string;

    // Out to the provider (it answers at once) and back: the address is an existing account's.
    const out = await agent.post(`/interaction/${uid}/upstream/${connection}`, {});
    const answered = await fetch(out.headers.get('location') as string, { redirect: 'manual' });
    const prove = await agent.follow(await agent.get(answered.headers.get('location') as string));
    const provePage = await prove.text();
    expect(provePage).toContain(EMAIL);
    const attempt = /name="attempt" value="([^"]+)"/.exec(provePage)?.[1] as string;

    // The password proves it, but the link waits: the second step is asked, though the browser is remembered.
    const step = await agent.follow(
      await agent.post(`/interaction/${uid}/upstream/link`, { attempt, password: PASSWORD }),
    );
    expect(step.status).toBe(200);
    const stepPage = await step.text();
    expect(stepPage).toContain('Authentication code');
    expect(stepPage).toContain('linking a sign-in at another provider');
    expect((await gatehouseJson<{ identities: unknown[] }>(env, 'user', 'show', '--email', EMAIL)).identities).toEqual(
      [],
    );

    const stepUid = uidIn(stepPage);
    const wrong = await agent.post(`/interaction/${stepUid}/mfa`, { code: '000000' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('That code is not right');
    nextStep();
    const right = await agent.follow(
      await agent.post(`/interaction/${stepUid}/mfa`, { code: await totpCodeAt(secret, Date.now()) }),
    );
    const tokens = await rp.redeem(back(right), request);
    expect(tokens.claims()?.amr).toEqual(['pwd', 'fed', 'otp', 'mfa']);

    const shown = await gatehouseJson<{ identities: { connection: string; subject: string }[] }>(
      env,
      'user',
      'show',
      '--email',
      EMAIL,
    );
    expect(shown.identities).toEqual([expect.objectContaining({ connection: 'Acme SSO', subject: 'alice' })]);
    const audit = await gatehouseJson<{
      events: { type: string; outcome: string; reason?: string; detail?: Record<string, unknown> }[];
    }>(env, 'audit', '--email', EMAIL, '--limit', '200');
    expect(audit.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'upstream.linked',
          outcome: 'success',
          detail: expect.objectContaining({ proof: 'password+second_factor' }),
        }),
        expect.objectContaining({
          type: 'mfa.decision',
          reason: 'asked',
          detail: expect.objectContaining({ reasons: ['link'] }),
        }),
      ]),
    );
  });
});

describe('an upstream answer gone wrong, in the language the person picked (the gatehouse_locale cookie)', () => {
  /** An answer at the callback that belongs to no sign-in in this browser, read in `locale`. */
  async function strayAnswer(locale: string) {
    const agent = new UserAgent(server.url);
    agent.plant('gatehouse_locale', locale);
    return (await agent.follow(await agent.get('/interaction/upstream/callback?code=x&state=nobody'))).text();
  }

  it('says what happened in German, and in Japanese', async () => {
    const german = await strayAnswer('de');
    expect(german).toContain('<html lang="de" dir="ltr">');
    expect(german).toContain('<h1>Die Anmeldung wurde nicht abgeschlossen</h1>');
    expect(german).toContain('Der Anbieter hat eine Antwort zurückgeschickt, die zu keiner laufenden Anmeldung');
    expect(german).toContain('Fehlercode: <code>upstream_bad_state</code>');

    const japanese = await strayAnswer('ja');
    expect(japanese).toContain('<html lang="ja" dir="ltr">');
    expect(japanese).toContain('<h1>ログインを完了できませんでした</h1>');
  });
});

describe('a sign-in option that does not exist (removed while its button was on the page)', () => {
  it('answers the sign-in page with 404, not a retry-later 503, and the password still signs in', async () => {
    const agent = new UserAgent(server.url);
    const request = await rp.authorizationRequest();
    const uid = uidIn(await (await agent.follow(await agent.get(request.url))).text());
    const gone = await agent.post(`/interaction/${uid}/upstream/removed-connection`, {});
    expect(gone.status).toBe(404);
    expect(gone.headers.get('retry-after')).toBeNull();
    expect(await gone.text()).toContain('That sign-in provider is not available. Sign in with your password.');
    const signedIn = await agent.post(`/interaction/${uid}/login`, { email: EMAIL, password: PASSWORD });
    expect(signedIn.status).toBe(303);
  });
});
