import { performance } from 'node:perf_hooks';
import * as oidc from 'openid-client';
import { pino } from 'pino';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { mailCatcher, linkIn, type MailCatcher } from '../support/mail-catcher.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { medianPairRatio, TIMING_PARITY } from '../support/timing-parity.js';
import { eventually } from '../support/eventually.js';
import { freezeDate } from '../support/fake-date.js';
import { totpCodeAt } from '../../src/mfa/totp.js';
import { createDatabase } from '../../src/db/create-prisma.js';
import { waitInWords } from '../../src/kernel/wait-in-words.js';

const PASSWORD = 'a long and quiet river';
const NEW_PASSWORD = 'the tide comes in at noon';
const REDIRECT = 'https://notes.example/cb';

let catcher: MailCatcher;
let server: TestServer;
let env: Record<string, string>;
let clock: ReturnType<typeof freezeDate>;
let nextIp = 1;

/** A browser at an address of its own (TRUST_PROXY is on), so per-address budgets stay apart between tests. */
const browser = () => {
  const ip = `198.51.100.${nextIp++}`;
  const agent = new UserAgent(server.url);
  return {
    agent,
    post: (path: string, form: Record<string, string>) => agent.post(path, form, { 'x-forwarded-for': ip }),
    get: (path: string) => agent.get(path, { 'x-forwarded-for': ip }),
  };
};
const addUser = (email: string) => gatehouseJson(env, 'user', 'add', '--email', email, '--password', PASSWORD);
const tokenOf = (link: string) => new URL(link).searchParams.get('token') as string;
const resetPath = (link: string) => {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
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

/** Asks for a reset link for `email` and returns the link of the mail it leads to. */
async function resetLink(email: string): Promise<string> {
  const before = catcher.to(email).length;
  expect((await browser().post('/password/forgot', { email })).status).toBe(200);
  // Other notices (a factor added, say) may arrive in between: the reset mail is the one with a link.
  return linkIn((await catcher.waitForLink(email, before)) as never);
}

/** Signs in at the account console; returns the browser, whose session the reset must end. */
async function consoleSession(email: string, password = PASSWORD) {
  const agent = new UserAgent(server.url);
  await walkAuthorization(agent, '/account', { email, password });
  return agent;
}

const signedIn = async (agent: UserAgent) => (await agent.get('/account')).status === 200;

beforeAll(async () => {
  // Wall-clock time is frozen (timers run): links expire when the test says, and TOTP steps move on demand.
  clock = freezeDate();
  catcher = await mailCatcher();
  server = await startTestServer({
    SMTP_URL: catcher.url,
    MAIL_FROM: 'no-reply@gatehouse.test',
    OUTBOX_INTERVAL_SECONDS: '1',
    TRUST_PROXY: 'true',
  });
  env = { DATABASE_URL: server.database.url };
});

afterAll(async () => {
  await server.close();
  await catcher.close();
  clock.restore();
});

describe('asking for a reset link (OWASP Forgot Password Cheat Sheet, ASVS 4.0 §2.5)', () => {
  it('is offered on the sign-in page as "Forgot your password?", leading to an email form', async () => {
    const rp = await relyingParty(
      server.config.issuer,
      await gatehouseJson(env, 'client', 'add', '--name', 'Notes', '--redirect-uri', REDIRECT),
      REDIRECT,
    );
    const agent = new UserAgent(server.url);
    const login = await (await agent.follow(await agent.get((await rp.authorizationRequest()).url))).text();
    const href = /href="(\/password\/forgot\?uid=[^"]+)">Forgot your password\?</.exec(login)?.[1] as string;
    expect(href).toBeTruthy();
    const form = await agent.get(href);
    expect(form.status).toBe(200);
    const page = await form.text();
    expect(page).toContain('Reset your password');
    expect(page).toContain('Back to sign-in');
  });

  it('answers the same for an address with an account and one without: status, page and timing (no enumeration)', async () => {
    // Each answer takes a few milliseconds, so a millisecond of jitter moves one pair's ratio by a
    // fifth: thirty pairs keep the median about the paths even when CI's two cores are busy.
    const owners = Array.from({ length: 30 }, (_, i) => `known-${i}@example.com`);
    for (const email of owners) await addUser(email);
    // The server resolves each request after answering it (a mail for an owner, an audit row for
    // nobody): waiting until the outbox holds nothing pending keeps that work out of the next timing.
    const peek = createDatabase(server.database.url);
    const settled = () =>
      eventually(async () => (await peek.db.outboxMessage.count({ where: { status: 'pending' } })) === 0, 20_000);
    const ask = async (email: string) => {
      const started = performance.now();
      const res = await browser().post('/password/forgot', { email });
      const answer = { status: res.status, body: await res.text(), ms: performance.now() - started };
      await settled();
      return answer;
    };
    const known: Awaited<ReturnType<typeof ask>>[] = [];
    const unknown: Awaited<ReturnType<typeof ask>>[] = [];
    // In pairs, back to back and in alternating order, so load on the machine falls on both alike.
    try {
      for (const [i, email] of owners.entries()) {
        const nobody = `nobody-${i}@example.com`;
        if (i % 2) {
          unknown.push(await ask(nobody));
          known.push(await ask(email));
        } else {
          known.push(await ask(email));
          unknown.push(await ask(nobody));
        }
      }
    } finally {
      await peek.close();
    }
    expect(new Set([...known, ...unknown].map((a) => a.status))).toEqual(new Set([200]));
    expect(new Set([...known, ...unknown].map((a) => a.body)).size).toBe(1);
    // Both paths do the same work in the request (count it, queue it); the look-up happens later.
    expect(medianPairRatio(known, unknown)).toBeGreaterThan(1 / TIMING_PARITY);
    expect(medianPairRatio(known, unknown)).toBeLessThan(TIMING_PARITY);
    // Only the accounts' owners got mail.
    for (const email of owners) expect(await catcher.waitFor(email)).toHaveLength(1);
    expect(catcher.mails.filter((m) => m.to.some((to) => to.startsWith('nobody-')))).toHaveLength(0);
    expect(await audit('nobody-0@example.com')).toContainEqual(
      expect.objectContaining({ type: 'password_reset.requested', outcome: 'failure', reason: 'unknown_account' }),
    );
  });

  it('is throttled per email, with or without an account: the fourth request in an hour gets 429 and Retry-After', async () => {
    await addUser('busy@example.com');
    for (const email of ['busy@example.com', 'nobody-busy@example.com']) {
      for (let i = 0; i < 3; i += 1) expect((await browser().post('/password/forgot', { email })).status).toBe(200);
      const refused = await browser().post('/password/forgot', { email });
      expect(refused.status).toBe(429);
      const wait = Number(refused.headers.get('retry-after'));
      expect(wait).toBeGreaterThan(0);
      expect(await refused.text()).toContain(`Try again in ${waitInWords(wait)}.`);
    }
    expect(await audit('busy@example.com')).toContainEqual(
      expect.objectContaining({ type: 'password_reset.requested', outcome: 'blocked', reason: 'too_many_requests' }),
    );
  });

  it('is throttled per client address across emails', async () => {
    const { post } = browser();
    for (let i = 0; i < 10; i += 1)
      expect((await post('/password/forgot', { email: `spray-${i}@example.com` })).status).toBe(200);
    expect((await post('/password/forgot', { email: 'spray-10@example.com' })).status).toBe(429);
  });
});

describe('the reset link', () => {
  it('sets a new password that follows the rules, ends every session and refresh token, mails a notice and is audited', async () => {
    const email = 'ada@example.com';
    await addUser(email);
    const client = await gatehouseJson<{ client_id: string; client_secret: string }>(
      env,
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
      '--first-party',
    );
    const rp = await relyingParty(server.config.issuer, client, REDIRECT);
    const request = await rp.authorizationRequest({ scope: 'openid offline_access', prompt: 'consent' });
    const { callback } = await walkAuthorization(new UserAgent(server.url), request.url, {
      email,
      password: PASSWORD,
      consent: 'allow',
    });
    const tokens = await rp.redeem(callback as URL, request);
    expect(tokens.refresh_token).toBeTruthy();
    const elsewhere = await consoleSession(email);
    expect(await signedIn(elsewhere)).toBe(true);

    const link = await resetLink(email);
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/password\/reset\?token=[A-Za-z0-9_-]{43}$/);
    const { post, get } = browser();
    const page = await get(resetPath(link));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('New password');
    expect(html).toContain('Confirm new password');
    expect(html).not.toContain('Authentication code');

    const token = tokenOf(link);
    const mismatch = await post('/password/reset', { token, password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}!` });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('The two passwords are not the same.');
    const weak = await post('/password/reset', { token, password: 'password', confirm: 'password' });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain('most commonly used');

    const done = await post('/password/reset', { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Your password has been changed');

    expect(await signedIn(elsewhere)).toBe(false);
    await expect(oidc.refreshTokenGrant(rp.config, tokens.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    const notice = (await catcher.waitFor(email, 2))[1];
    expect(notice?.subject).toBe('Your password was changed · Gatehouse');
    expect(notice?.text).not.toContain(NEW_PASSWORD);
    expect((await audit(email)).map((e) => e.type)).toContain('password.reset');
    expect(await signedIn(await consoleSession(email, NEW_PASSWORD))).toBe(true);
    expect(await signedIn(await consoleSession(email, PASSWORD))).toBe(false);
  });

  it('works once: used again, or by parallel submissions, only one succeeds', async () => {
    await addUser('grace@example.com');
    const token = tokenOf(await resetLink('grace@example.com'));
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        browser().post('/password/reset', { token, password: `${NEW_PASSWORD} ${i}`, confirm: `${NEW_PASSWORD} ${i}` }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400, 400, 400]);
    const again = await browser().get(`/password/reset?token=${token}`);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This link no longer works');
  });

  it('is bound to the password it was made for: another link used first kills it', async () => {
    await addUser('alan@example.com');
    const first = tokenOf(await resetLink('alan@example.com'));
    const second = tokenOf(await resetLink('alan@example.com'));
    expect(
      (await browser().post('/password/reset', { token: second, password: NEW_PASSWORD, confirm: NEW_PASSWORD }))
        .status,
    ).toBe(200);
    expect((await browser().get(`/password/reset?token=${first}`)).status).toBe(400);
    expect(
      (
        await browser().post('/password/reset', {
          token: first,
          password: `${NEW_PASSWORD}!`,
          confirm: `${NEW_PASSWORD}!`,
        })
      ).status,
    ).toBe(400);
  });

  it('expires after 30 minutes (frozen clock)', async () => {
    await addUser('edsger@example.com');
    const link = await resetLink('edsger@example.com');
    clock.advance(29 * 60 * 1000);
    expect((await browser().get(resetPath(link))).status).toBe(200);
    clock.advance(2 * 60 * 1000);
    const expired = await browser().get(resetPath(link));
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('Ask for a new link');
  });

  it('opens nothing with a made-up, truncated or absent token', async () => {
    for (const path of ['/password/reset', '/password/reset?token=abc', `/password/reset?token=${'A'.repeat(43)}`]) {
      expect((await browser().get(path)).status).toBe(400);
    }
  });

  it('still asks for the second factor when the account has one (a link alone is one factor)', async () => {
    const email = 'barbara@example.com';
    await addUser(email);
    // Barbara sets up an authenticator app during a sign-in to an app that requires one.
    const strict = await gatehouseJson<{ client_id: string; client_secret: string }>(
      env,
      'client',
      'add',
      '--name',
      'Payroll',
      '--redirect-uri',
      REDIRECT,
      '--first-party',
      '--mfa',
      'always',
    );
    const rp = await relyingParty(server.config.issuer, strict, REDIRECT);
    const agent = new UserAgent(server.url);
    const { page } = await walkAuthorization(agent, (await rp.authorizationRequest()).url, {
      email,
      password: PASSWORD,
    });
    const enrol = await (page as Response).text();
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(enrol)?.[1] as string;
    const uid = /action="\/interaction\/([^/"]+)\//.exec(enrol)?.[1] as string;
    expect(
      (await agent.post(`/interaction/${uid}/mfa/enrol`, { code: await totpCodeAt(secret, Date.now()) })).status,
    ).toBe(200);
    // The next code is of the next 30-second step (a step is accepted once).
    clock.advance(30_000);

    const link = await resetLink(email);
    const { post, get } = browser();
    const form = await (await get(resetPath(link))).text();
    expect(form).toContain('Authentication code');
    // The field takes a recovery code too: a text field with a letter keypad, no digits-only pattern or OTP autofill.
    const field = /<input id="code"[^>]*>/.exec(form)?.[0] ?? '';
    expect(field).toContain('type="text"');
    expect(field).toContain('inputmode="text"');
    expect(field).not.toMatch(/pattern=|one-time-code|numeric/);
    const token = tokenOf(link);
    const without = await post('/password/reset', { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(without.status).toBe(400);
    expect(await without.text()).toContain('Enter the code from your authenticator app.');
    const wrong = await post('/password/reset', {
      token,
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
      code: '000000',
    });
    expect(wrong.status).toBe(401);
    const right = await post('/password/reset', {
      token,
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
      code: await totpCodeAt(secret, Date.now()),
    });
    expect(right.status).toBe(200);
    expect((await audit(email)).map((e) => e.type)).toEqual(expect.arrayContaining(['password.reset', 'mfa.verify']));
  });
});

describe('without SMTP_URL', () => {
  it('offers no reset link, says plainly on the reset page that it is unavailable, and logs once at start why', async () => {
    const lines: string[] = [];
    const quiet = await startTestServer(
      {},
      undefined,
      pino(
        { level: 'info' },
        {
          write: (line: string) => {
            lines.push(line);
          },
        },
      ),
    );
    try {
      const rp = await relyingParty(
        quiet.config.issuer,
        await gatehouseJson(
          { DATABASE_URL: quiet.database.url },
          'client',
          'add',
          '--name',
          'Notes',
          '--redirect-uri',
          REDIRECT,
        ),
        REDIRECT,
      );
      const agent = new UserAgent(quiet.url);
      const login = await (await agent.follow(await agent.get((await rp.authorizationRequest()).url))).text();
      expect(login).toContain('Sign in');
      expect(login).not.toContain('/password/forgot');
      for (const path of ['/password/forgot', '/password/reset?token=x']) {
        const res = await agent.get(path);
        expect(res.status).toBe(404);
        expect(await res.text()).toContain('Password reset by email is not available');
      }
      const off = lines.filter((line) => line.includes('mail is off'));
      expect(off).toHaveLength(1);
      expect(off[0]).toContain('SMTP_URL is unset');
    } finally {
      await quiet.close();
    }
  });
});
