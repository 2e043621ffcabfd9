import { performance } from 'node:perf_hooks';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { mailCatcher, linkIn, type MailCatcher } from '../support/mail-catcher.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { medianPairRatio, TIMING_PARITY } from '../support/timing-parity.js';
import { waitInWords } from '../../src/kernel/wait-in-words.js';

const PASSWORD = 'a long and quiet river';
const REDIRECT = 'https://notes.example/cb';

let catcher: MailCatcher;
let server: TestServer;
let env: Record<string, string>;
let nextIp = 1;

const mailEnv = () => ({
  SMTP_URL: catcher.url,
  MAIL_FROM: 'no-reply@gatehouse.test',
  OUTBOX_INTERVAL_SECONDS: '1',
  TRUST_PROXY: 'true',
});
const register = (target: TestServer, form: Record<string, string>) =>
  new UserAgent(target.url).post('/register', form, { 'x-forwarded-for': `192.0.2.${nextIp++}` });
const pathOf = (link: string) => {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
};
const canSignIn = async (email: string, password = PASSWORD) => {
  const agent = new UserAgent(server.url);
  await walkAuthorization(agent, '/account', { email, password });
  return (await agent.get('/account')).status === 200;
};
const audit = async (email: string) =>
  (
    await gatehouseJson<{ events: { type: string; outcome: string; reason: string | null }[] }>(
      env,
      'audit',
      '--email',
      email,
    )
  ).events;

beforeAll(async () => {
  catcher = await mailCatcher();
  server = await startTestServer({ ...mailEnv(), REGISTRATION: 'open' });
  env = { DATABASE_URL: server.database.url };
});

afterAll(async () => {
  await server.close();
  await catcher.close();
});

describe('self-registration (REGISTRATION=open)', () => {
  it('"Create account" on the sign-in page → name, email, password → a link by mail → the account exists, verified, and signs in', async () => {
    const rp = await relyingParty(
      server.config.issuer,
      await gatehouseJson(env, 'client', 'add', '--name', 'Notes', '--redirect-uri', REDIRECT),
      REDIRECT,
    );
    const agent = new UserAgent(server.url);
    const login = await (await agent.follow(await agent.get((await rp.authorizationRequest()).url))).text();
    expect(login).toMatch(/href="\/register\?uid=[^"]+">Create account</);
    // Every field says what it holds, so it is styled and gets the right keyboard.
    const form = await (await agent.get('/register')).text();
    expect(form).toContain('<input id="name" name="name" type="text" autocomplete="name"');
    expect([...form.matchAll(/<input\b[^>]*>/g)].filter((m) => !/\btype="/.test(m[0]))).toEqual([]);

    const sent = await register(server, { name: 'Ada Lovelace', email: 'Ada@Example.com', password: PASSWORD });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('Check your email');
    // Nothing exists until the address is proven.
    expect((await gatehouse(env, 'user', 'show', '--email', 'ada@example.com')).code).toBe(1);
    const [mail] = await catcher.waitFor('ada@example.com');
    expect(mail?.subject).toBe('Confirm your new account · Gatehouse');
    expect(mail?.text).not.toContain(PASSWORD);

    const link = linkIn(mail as never);
    expect(await (await new UserAgent(server.url).get(pathOf(link))).text()).toContain('Create my account');
    const token = new URL(link).searchParams.get('token') as string;
    const answers = await Promise.all(
      [0, 1, 2].map(() => new UserAgent(server.url).post('/register/confirm', { token })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400]);
    expect(await gatehouseJson(env, 'user', 'show', '--email', 'ada@example.com')).toMatchObject({
      name: 'Ada Lovelace',
      emailVerified: true,
    });
    expect(await canSignIn('ada@example.com')).toBe(true);
    expect((await audit('ada@example.com')).map((e) => e.type)).toEqual(
      expect.arrayContaining(['registration.requested', 'registration.completed']),
    );
  });

  it('answers the same for an address that has an account (status, page, timing); its owner is told instead and nothing changes', async () => {
    const owners = ['grace@example.com', ...Array.from({ length: 19 }, (_, i) => `owner-${i}@example.com`)];
    for (const email of owners) await gatehouseJson(env, 'user', 'add', '--email', email, '--password', PASSWORD);
    const attempt = async (email: string) => {
      const started = performance.now();
      const res = await register(server, { email, password: 'someone else entirely' });
      const answer = { status: res.status, body: await res.text(), ms: performance.now() - started };
      // Each path ends in one mail to the address; waiting for it keeps one request's background
      // work out of the next one's timing.
      await catcher.waitFor(email);
      return answer;
    };
    const taken: Awaited<ReturnType<typeof attempt>>[] = [];
    const fresh: Awaited<ReturnType<typeof attempt>>[] = [];
    // In pairs, back to back and in alternating order, so load on the machine falls on both alike;
    // both paths hash the password and queue the request, so each pair takes about as long.
    for (const [i, email] of owners.entries()) {
      const newcomer = `newcomer-${i}@example.com`;
      if (i % 2) {
        fresh.push(await attempt(newcomer));
        taken.push(await attempt(email));
      } else {
        taken.push(await attempt(email));
        fresh.push(await attempt(newcomer));
      }
    }
    expect(new Set([...taken, ...fresh].map((a) => a.status))).toEqual(new Set([200]));
    expect(new Set([...taken, ...fresh].map((a) => a.body)).size).toBe(1);
    expect(medianPairRatio(taken, fresh)).toBeGreaterThan(1 / TIMING_PARITY);
    expect(medianPairRatio(taken, fresh)).toBeLessThan(TIMING_PARITY);

    const [notice] = await catcher.waitFor('grace@example.com');
    expect(notice?.subject).toBe('Someone tried to register with your address · Gatehouse');
    expect(notice?.text).not.toMatch(/token=/);
    expect(await canSignIn('grace@example.com')).toBe(true);
    expect(await audit('grace@example.com')).toContainEqual(
      expect.objectContaining({ type: 'registration.requested', outcome: 'failure', reason: 'email_taken' }),
    );
  });

  it('refuses what the rules refuse, whoever has the address: a weak password, a non-address', async () => {
    const weak = await register(server, { email: 'someone@example.com', password: 'password' });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('most commonly used');
    expect((await register(server, { email: 'not an address', password: PASSWORD })).status).toBe(400);
  });

  it('refuses an address mail systems would split or route elsewhere (a comma, %, !), so no link goes to another mailbox', async () => {
    for (const email of ['x11,y@example.com', 'y%evil.example@example.com', 'evil.example!y@example.com']) {
      const refused = await register(server, { email, password: PASSWORD });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('Enter a valid email address.');
    }
    // A good request after them is mailed: the outbox has run, and nothing went to the split-off mailbox.
    expect((await register(server, { email: 'y.fixed@example.com', password: PASSWORD })).status).toBe(200);
    await catcher.waitFor('y.fixed@example.com');
    expect(catcher.to('y@example.com')).toHaveLength(0);
    expect((await gatehouse(env, 'user', 'show', '--email', 'x11,y@example.com')).code).toBe(1);
  });

  it('is throttled per email: the fourth request within the hour gets 429', async () => {
    for (let i = 0; i < 3; i += 1)
      expect((await register(server, { email: 'eager@example.com', password: PASSWORD })).status).toBe(200);
    const refused = await register(server, { email: 'eager@example.com', password: PASSWORD });
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(await refused.text()).toContain(`Try again in ${waitInWords(wait)}.`);
  });
});

describe('REGISTRATION=domain and off', () => {
  it('domain: only addresses at REGISTRATION_DOMAINS may register', async () => {
    const only = await startTestServer({ ...mailEnv(), REGISTRATION: 'domain', REGISTRATION_DOMAINS: 'example.org' });
    try {
      const outside = await register(only, { email: 'alan@example.com', password: PASSWORD });
      expect(outside.status).toBe(400);
      expect(await outside.text()).toContain('only with an address at example.org');
      expect((await register(only, { email: 'alan@example.org', password: PASSWORD })).status).toBe(200);
      expect(await catcher.waitFor('alan@example.org')).toHaveLength(1);
    } finally {
      await only.close();
    }
  });

  it('domain: an address changed in the console must be at REGISTRATION_DOMAINS too, so the rule cannot be walked around', async () => {
    const only = await startTestServer({ ...mailEnv(), REGISTRATION: 'domain', REGISTRATION_DOMAINS: 'example.org' });
    try {
      await gatehouseJson(
        { DATABASE_URL: only.database.url },
        'user',
        'add',
        '--email',
        'joan@example.org',
        '--password',
        PASSWORD,
      );
      const agent = new UserAgent(only.url);
      await walkAuthorization(agent, '/account', { email: 'joan@example.org', password: PASSWORD });
      const outside = await agent.post('/account/email', { email: 'joan@example.com', current: PASSWORD });
      expect(outside.status).toBe(400);
      expect(await outside.text()).toContain('Only an address at example.org can be used.');
      // The second try, at an allowed domain, sends the link.
      const inside = await agent.post('/account/email', { email: 'joan.clarke@example.org', current: PASSWORD });
      expect(inside.status).toBe(303);
      expect(await catcher.waitFor('joan.clarke@example.org')).toHaveLength(1);
      expect(catcher.to('joan@example.com')).toHaveLength(0);
    } finally {
      await only.close();
    }
  });

  it('off (the default): no "Create account" link, and /register says so plainly', async () => {
    const closed = await startTestServer(mailEnv());
    try {
      const res = await new UserAgent(closed.url).get('/register');
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('does not let people create their own accounts');
      expect((await register(closed, { email: 'x@example.com', password: PASSWORD })).status).toBe(404);
    } finally {
      await closed.close();
    }
  });
});
