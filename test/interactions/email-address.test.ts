import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson, gatehouseWithStdin, pipedStdin } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { mailCatcher, linkIn, type MailCatcher } from '../support/mail-catcher.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { freezeDate } from '../support/fake-date.js';

const PASSWORD = 'a long and quiet river';
const NEW_PASSWORD = 'the tide comes in at noon';
const REDIRECT = 'https://notes.example/cb';

let catcher: MailCatcher;
let server: TestServer;
let env: Record<string, string>;
let mailEnv: Record<string, string>;
let clock: ReturnType<typeof freezeDate>;
let rp: Awaited<ReturnType<typeof relyingParty>>;

const pathOf = (link: string) => {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
};
const show = (email: string) =>
  gatehouseJson<{ email: string; emailVerified: boolean }>(env, 'user', 'show', '--email', email);

/** Signs in to the app; returns the ID token's claims and the userinfo answer. */
async function claimsOf(email: string) {
  const request = await rp.authorizationRequest({ scope: 'openid email' });
  const { callback } = await walkAuthorization(new UserAgent(server.url), request.url, { email, password: PASSWORD });
  const tokens = await rp.redeem(callback as URL, request);
  const id = decodeJwt(tokens.id_token as string);
  return { id, userinfo: await oidc.fetchUserInfo(rp.config, tokens.access_token, id.sub as string) };
}

/** Opens a link (a GET changes nothing) and presses its button. */
async function useLink(link: string) {
  const agent = new UserAgent(server.url);
  const page = await agent.get(pathOf(link));
  expect(page.status).toBe(200);
  return agent.post('/email/verify', { token: new URL(link).searchParams.get('token') as string });
}

beforeAll(async () => {
  clock = freezeDate();
  catcher = await mailCatcher();
  server = await startTestServer({
    SMTP_URL: catcher.url,
    MAIL_FROM: 'no-reply@gatehouse.test',
    OUTBOX_INTERVAL_SECONDS: '1',
  });
  env = { DATABASE_URL: server.database.url };
  mailEnv = { ...env, SMTP_URL: catcher.url, MAIL_FROM: 'no-reply@gatehouse.test' };
  rp = await relyingParty(
    server.config.issuer,
    await gatehouseJson(env, 'client', 'add', '--name', 'Notes', '--redirect-uri', REDIRECT, '--first-party'),
    REDIRECT,
  );
});

afterAll(async () => {
  await server.close();
  await catcher.close();
  clock.restore();
});

describe('email verification (OIDC Core §5.1: email_verified is the stored truth)', () => {
  it('a new account is unverified, gets a link, and the ID token and userinfo say so before and after it is used', async () => {
    const email = 'ada@example.com';
    const added = await gatehouseJson<{ verificationSent?: boolean }>(
      mailEnv,
      'user',
      'add',
      '--email',
      email,
      '--password',
      PASSWORD,
    );
    expect(added.verificationSent).toBe(true);
    expect((await claimsOf(email)).id.email_verified).toBe(false);
    const [mail] = await catcher.waitFor(email);
    expect(mail?.subject).toBe('Confirm your email address · Gatehouse');

    // Opening the link (as a mail scanner would) changes nothing; the button does.
    const link = linkIn(mail as never);
    expect(await (await new UserAgent(server.url).get(pathOf(link))).text()).toContain('Confirm your email address');
    expect((await show(email)).emailVerified).toBe(false);
    const done = await useLink(link);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Your email address is confirmed');
    expect((await show(email)).emailVerified).toBe(true);

    const { id, userinfo } = await claimsOf(email);
    expect(id.email_verified).toBe(true);
    expect(userinfo.email_verified).toBe(true);
    expect((await new UserAgent(server.url).get(pathOf(link))).status).toBe(400);
  });

  it('--email-verified skips the link; an operator-made account without mail settings gets none until asked from the console', async () => {
    await gatehouseJson(
      mailEnv,
      'user',
      'add',
      '--email',
      'trusted@example.com',
      '--password',
      PASSWORD,
      '--email-verified',
    );
    await gatehouseJson(env, 'user', 'add', '--email', 'grace@example.com', '--password', PASSWORD);
    const agent = new UserAgent(server.url);
    await walkAuthorization(agent, '/account', { email: 'grace@example.com', password: PASSWORD });
    const page = await (await agent.get('/account')).text();
    expect(page).toContain('(not verified)');
    expect(page).toContain('Send a confirmation link to grace@example.com');
    const sent = await agent.post('/account/email/verify', {});
    expect(sent.status).toBe(303);
    expect(await useLink(linkIn((await catcher.waitFor('grace@example.com'))[0] as never)).then((r) => r.status)).toBe(
      200,
    );
    expect(await (await agent.get('/account')).text()).toContain('(verified)');
    expect(catcher.to('trusted@example.com')).toHaveLength(0);
  });

  it('asking for the link again and again is throttled like the other forms that send mail: 429 with Retry-After on the page, and no more mail', async () => {
    await gatehouseJson(env, 'user', 'add', '--email', 'iona@example.com', '--password', PASSWORD);
    const agent = new UserAgent(server.url);
    await walkAuthorization(agent, '/account', { email: 'iona@example.com', password: PASSWORD });
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await agent.post('/account/email/verify', {}));
    expect(answers.map((answer) => answer.status)).toEqual([303, 303, 303, 429, 429, 429]);
    const refused = answers[3] as Response;
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(await refused.text()).toContain('Try again in');
    // Only the three allowed were queued: the refused ones were counted before any mail.
    expect(await catcher.waitFor('iona@example.com', 3)).toHaveLength(3);
    const { events } = await gatehouseJson<{ events: { type: string }[] }>(env, 'audit', '--email', 'iona@example.com');
    expect(events.filter((event) => event.type === 'email.verification_sent')).toHaveLength(3);
  });

  it('a link works for 24 hours (frozen clock)', async () => {
    await gatehouseJson(mailEnv, 'user', 'add', '--email', 'alan@example.com', '--password', PASSWORD);
    const link = linkIn((await catcher.waitFor('alan@example.com'))[0] as never);
    clock.advance(24 * 3600 * 1000 + 1000);
    expect((await new UserAgent(server.url).get(pathOf(link))).status).toBe(400);
    expect(
      (
        await new UserAgent(server.url).post('/email/verify', {
          token: new URL(link).searchParams.get('token') as string,
        })
      ).status,
    ).toBe(400);
    expect((await show('alan@example.com')).emailVerified).toBe(false);
  });
});

describe('changing the email address in the console', () => {
  it('needs the current password, sends a link to the new address and a notice to the old, and changes only when the link is used', async () => {
    await gatehouseJson(env, 'user', 'add', '--email', 'barbara@example.com', '--password', PASSWORD);
    const agent = new UserAgent(server.url);
    await walkAuthorization(agent, '/account', { email: 'barbara@example.com', password: PASSWORD });
    expect(await (await agent.get('/account')).text()).toContain('Change email');

    const wrong = await agent.post('/account/email', { email: 'b.liskov@example.org', current: 'not my password' });
    expect(wrong.status).toBe(400);
    // Said under the password field; the address typed stays in its field for the second try.
    const wrongPage = await wrong.text();
    expect(wrongPage).toMatch(
      /aria-describedby="email-current-error" aria-invalid="true">\s*<p class="field-error" id="email-current-error">The current password is not correct\.</,
    );
    expect(wrongPage).toContain('value="b.liskov@example.org"');
    const asked = await agent.post('/account/email', { email: 'B.Liskov@example.org', current: PASSWORD });
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe('/account?done=email-change-sent');

    const [notice] = await catcher.waitFor('barbara@example.com');
    expect(notice?.subject).toBe('Your email address is being changed · Gatehouse');
    expect(notice?.text).toContain('b.liskov@example.org');
    const [confirmation] = await catcher.waitFor('b.liskov@example.org');
    expect((await show('barbara@example.com')).email).toBe('barbara@example.com');

    const done = await useLink(linkIn(confirmation as never));
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Your email address has been changed');
    expect(await show('b.liskov@example.org')).toMatchObject({ email: 'b.liskov@example.org', emailVerified: true });
    expect((await claimsOf('b.liskov@example.org')).id).toMatchObject({
      email: 'b.liskov@example.org',
      email_verified: true,
    });
  });

  it('refuses a new address mail systems would split or route elsewhere (a comma, %, !), and sends no link', async () => {
    await gatehouseJson(env, 'user', 'add', '--email', 'frances@example.com', '--password', PASSWORD);
    const agent = new UserAgent(server.url);
    await walkAuthorization(agent, '/account', { email: 'frances@example.com', password: PASSWORD });
    for (const email of ['x11,y@example.com', 'y%evil.example@example.com', 'evil.example!y@example.com']) {
      const refused = await agent.post('/account/email', { email, current: PASSWORD });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('Enter a valid email address.');
    }
    expect(catcher.to('frances@example.com')).toHaveLength(0);
    expect((await show('frances@example.com')).email).toBe('frances@example.com');
  });

  it('answers the same when another account has the new address: its owner is told, nothing changes (no enumeration)', async () => {
    await gatehouseJson(env, 'user', 'add', '--email', 'edsger@example.com', '--password', PASSWORD);
    await gatehouseJson(env, 'user', 'add', '--email', 'taken@example.com', '--password', PASSWORD);
    const agent = new UserAgent(server.url);
    await walkAuthorization(agent, '/account', { email: 'edsger@example.com', password: PASSWORD });
    const asked = await agent.post('/account/email', { email: 'taken@example.com', current: PASSWORD });
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe('/account?done=email-change-sent');
    const [mail] = await catcher.waitFor('taken@example.com');
    expect(mail?.subject).toBe('Someone tried to use your address · Gatehouse');
    expect(mail?.text).not.toMatch(/token=/);
    expect((await show('edsger@example.com')).email).toBe('edsger@example.com');
  });
});

describe('a pending change of address dies when the account takes back its password or second factor', () => {
  /**
   * Someone with a phished password signs in and asks to move the account to their own address;
   * returns their browser and the link mailed to them.
   */
  async function hijackStarted(owner: string, attackerAddress: string) {
    await gatehouseJson(env, 'user', 'add', '--email', owner, '--password', PASSWORD);
    const attacker = new UserAgent(server.url);
    await walkAuthorization(attacker, '/account', { email: owner, password: PASSWORD });
    expect((await attacker.post('/account/email', { email: attackerAddress, current: PASSWORD })).status).toBe(303);
    const [mail] = await catcher.waitFor(attackerAddress);
    expect((await catcher.waitFor(owner))[0]?.subject).toBe('Your email address is being changed · Gatehouse');
    return { attacker, link: linkIn(mail as never) };
  }

  /** The link opens a readable "no longer works" page, and pressing its button changes nothing. */
  async function expectRefused(link: string, owner: string) {
    const opened = await new UserAgent(server.url).get(pathOf(link));
    expect(opened.status).toBe(400);
    expect(await opened.text()).toContain('This link no longer works');
    const pressed = await new UserAgent(server.url).post('/email/verify', {
      token: new URL(link).searchParams.get('token') as string,
    });
    expect(pressed.status).toBe(400);
    expect(await pressed.text()).toContain('This link no longer works');
    expect(await show(owner)).toMatchObject({ email: owner });
  }

  it("the owner changes the password in the console: the attacker is signed out and their link is refused; the owner's own change then works and the old address is told", async () => {
    const { attacker, link } = await hijackStarted('ida@example.com', 'ida.thief@evil.example');
    const owner = new UserAgent(server.url);
    await walkAuthorization(owner, '/account', { email: 'ida@example.com', password: PASSWORD });
    expect(
      (await owner.post('/account/password', { current: PASSWORD, next: NEW_PASSWORD, confirm: NEW_PASSWORD })).status,
    ).toBe(303);
    expect((await attacker.get('/account')).status).toBe(303);
    await expectRefused(link, 'ida@example.com');

    // The owner's own change, asked after the new password, still goes through, and the old address hears that it happened.
    const noticesBefore = catcher.to('ida@example.com').length;
    expect(
      (await owner.post('/account/email', { email: 'ida.rhodes@example.org', current: NEW_PASSWORD })).status,
    ).toBe(303);
    expect((await useLink(linkIn((await catcher.waitFor('ida.rhodes@example.org'))[0] as never))).status).toBe(200);
    const notices = await catcher.waitFor('ida@example.com', noticesBefore + 2);
    const changed = notices.find((mail) => mail.subject === 'Your email address was changed · Gatehouse');
    expect(changed?.text).toContain('from ida@example.com to ida.rhodes@example.org');
    expect(changed?.text).not.toMatch(/token=/);
  });

  it('an operator sets the password (gatehouse user set-password): the link is refused', async () => {
    const { link } = await hijackStarted('mary@example.com', 'mary.thief@evil.example');
    expect(
      (
        await gatehouseWithStdin(
          env,
          pipedStdin(`${NEW_PASSWORD}\n`),
          'user',
          'set-password',
          '--email',
          'mary@example.com',
          '--password-stdin',
        )
      ).code,
    ).toBe(0);
    await expectRefused(link, 'mary@example.com');
  });

  it('the owner resets the password by mail: the link is refused', async () => {
    const { link } = await hijackStarted('hedy@example.com', 'hedy.thief@evil.example');
    expect((await new UserAgent(server.url).post('/password/forgot', { email: 'hedy@example.com' })).status).toBe(200);
    const reset = linkIn((await catcher.waitFor('hedy@example.com', 2))[1] as never);
    const token = new URL(reset).searchParams.get('token') as string;
    expect(
      (
        await new UserAgent(server.url).post('/password/reset', {
          token,
          password: NEW_PASSWORD,
          confirm: NEW_PASSWORD,
        })
      ).status,
    ).toBe(200);
    await expectRefused(link, 'hedy@example.com');
  });

  it('an operator resets the second factor (gatehouse user mfa reset): the link is refused', async () => {
    const { link } = await hijackStarted('radia@example.com', 'radia.thief@evil.example');
    expect((await gatehouse(env, 'user', 'mfa', 'reset', '--email', 'radia@example.com')).code).toBe(0);
    await expectRefused(link, 'radia@example.com');
  });
});

describe('a reset link mailed to the old address', () => {
  it('stops working once the address has changed; asked again, the new address gets one that works', async () => {
    await gatehouseJson(env, 'user', 'add', '--email', 'sophie@example.com', '--password', PASSWORD);
    expect((await new UserAgent(server.url).post('/password/forgot', { email: 'sophie@example.com' })).status).toBe(
      200,
    );
    const [resetMail] = await catcher.waitFor('sophie@example.com');
    const oldToken = new URL(linkIn(resetMail as never)).searchParams.get('token') as string;

    const owner = new UserAgent(server.url);
    await walkAuthorization(owner, '/account', { email: 'sophie@example.com', password: PASSWORD });
    expect((await owner.post('/account/email', { email: 'sophie.wilson@example.org', current: PASSWORD })).status).toBe(
      303,
    );
    expect((await useLink(linkIn((await catcher.waitFor('sophie.wilson@example.org'))[0] as never))).status).toBe(200);

    expect((await new UserAgent(server.url).get(`/password/reset?token=${oldToken}`)).status).toBe(400);
    const refused = await new UserAgent(server.url).post('/password/reset', {
      token: oldToken,
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    });
    expect(refused.status).toBe(400);
    expect((await claimsOf('sophie.wilson@example.org')).id.email).toBe('sophie.wilson@example.org');

    expect(
      (await new UserAgent(server.url).post('/password/forgot', { email: 'sophie.wilson@example.org' })).status,
    ).toBe(200);
    const mails = await catcher.waitFor('sophie.wilson@example.org', 2);
    const fresh = new URL(
      linkIn(mails.find((mail) => mail.subject === 'Reset your password · Gatehouse') as never),
    ).searchParams.get('token') as string;
    expect(
      (
        await new UserAgent(server.url).post('/password/reset', {
          token: fresh,
          password: NEW_PASSWORD,
          confirm: NEW_PASSWORD,
        })
      ).status,
    ).toBe(200);
  });
});
