import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { mailCatcher, linkIn, type MailCatcher } from '../support/mail-catcher.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { freezeDate } from '../support/fake-date.js';

const PASSWORD = 'a long and quiet river';
const REDIRECT = 'https://notes.example/cb';

let catcher: MailCatcher;
let server: TestServer;
let env: Record<string, string>;
let mailEnv: Record<string, string>;
let clock: ReturnType<typeof freezeDate>;
let rp: Awaited<ReturnType<typeof relyingParty>>;

const pathOf = (link: string) => { const url = new URL(link); return `${url.pathname}${url.search}`; };
const show = (email: string) => gatehouseJson<{ email: string; emailVerified: boolean }>(env, 'user', 'show', '--email', email);

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
  server = await startTestServer({ SMTP_URL: catcher.url, MAIL_FROM: 'no-reply@gatehouse.test', OUTBOX_INTERVAL_SECONDS: '1' });
  env = { DATABASE_URL: server.database.url };
  mailEnv = { ...env, SMTP_URL: catcher.url, MAIL_FROM: 'no-reply@gatehouse.test' };
  rp = await relyingParty(server.config.issuer, await gatehouseJson(env, 'client', 'add', '--name', 'Notes', '--redirect-uri', REDIRECT, '--first-party'), REDIRECT);
});

afterAll(async () => {
  await server.close();
  await catcher.close();
  clock.restore();
});

describe('email verification (OIDC Core §5.1: email_verified is the stored truth)', () => {
  it('a new account is unverified, gets a link, and the ID token and userinfo say so before and after it is used', async () => {
    const email = 'ada@example.com';
    const added = await gatehouseJson<{ verificationSent?: boolean }>(mailEnv, 'user', 'add', '--email', email, '--password', PASSWORD);
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
    await gatehouseJson(mailEnv, 'user', 'add', '--email', 'trusted@example.com', '--password', PASSWORD, '--email-verified');
    await gatehouseJson(env, 'user', 'add', '--email', 'grace@example.com', '--password', PASSWORD);
    const agent = new UserAgent(server.url);
    await walkAuthorization(agent, '/account', { email: 'grace@example.com', password: PASSWORD });
    const page = await (await agent.get('/account')).text();
    expect(page).toContain('(not verified)');
    expect(page).toContain('Send a confirmation link to grace@example.com');
    const sent = await agent.post('/account/email/verify', {});
    expect(sent.status).toBe(303);
    expect(await useLink(linkIn((await catcher.waitFor('grace@example.com'))[0] as never)).then((r) => r.status)).toBe(200);
    expect(await (await agent.get('/account')).text()).toContain('(verified)');
    expect(catcher.to('trusted@example.com')).toHaveLength(0);
  });

  it('asking for the link again and again is throttled like the other forms that send mail: 429 with Retry-After on the page, and no more mail', async () => {
    await gatehouseJson(env, 'user', 'add', '--email', 'ida@example.com', '--password', PASSWORD);
    const agent = new UserAgent(server.url);
    await walkAuthorization(agent, '/account', { email: 'ida@example.com', password: PASSWORD });
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await agent.post('/account/email/verify', {}));
    expect(answers.map((answer) => answer.status)).toEqual([303, 303, 303, 429, 429, 429]);
    const refused = answers[3] as Response;
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(await refused.text()).toContain('Try again in');
    // Only the three allowed were queued: the refused ones were counted before any mail.
    expect(await catcher.waitFor('ida@example.com', 3)).toHaveLength(3);
    const { events } = await gatehouseJson<{ events: { type: string }[] }>(env, 'audit', '--email', 'ida@example.com');
    expect(events.filter((event) => event.type === 'email.verification_sent')).toHaveLength(3);
  });

  it('a link works for 24 hours (frozen clock)', async () => {
    await gatehouseJson(mailEnv, 'user', 'add', '--email', 'alan@example.com', '--password', PASSWORD);
    const link = linkIn((await catcher.waitFor('alan@example.com'))[0] as never);
    clock.advance(24 * 3600 * 1000 + 1000);
    expect((await new UserAgent(server.url).get(pathOf(link))).status).toBe(400);
    expect((await new UserAgent(server.url).post('/email/verify', { token: new URL(link).searchParams.get('token') as string })).status).toBe(400);
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
    expect((await claimsOf('b.liskov@example.org')).id).toMatchObject({ email: 'b.liskov@example.org', email_verified: true });
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
