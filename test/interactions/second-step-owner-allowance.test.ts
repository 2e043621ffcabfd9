import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { freezeDate } from '../support/fake-date.js';
import { mailCatcher, linkIn, type CaughtMail, type MailCatcher } from '../support/mail-catcher.js';
import { eventually } from '../support/eventually.js';
import { totpCodeAt } from '../../src/mfa/totp.js';
import { SECOND_STEP_POLICY } from '../../src/mfa/second-step-throttle.js';
import { MFA_ACR, PASSWORD_ACR } from '../../src/mfa/authentication-context.js';

// Someone who has the password (but not the phone) types wrong codes until the account's second
// step is blocked. The owner's remembered browser, which only a passed second step can mint, keeps
// an allowance of its own: it still signs in, resets and changes the password, while every other
// browser stays blocked.

let server: TestServer;
let env: Record<string, string>;
let clock: ReturnType<typeof freezeDate>;
let catcher: MailCatcher;
const REDIRECT = 'https://app.example/cb';
const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'the tide comes in at noon';
type Rp = Awaited<ReturnType<typeof relyingParty>>;
/** An app registered as needing the second step every time. */
let payroll: Rp;
/** An ordinary app: the adaptive policy decides. */
let wiki: Rp;
let n = 0;

beforeAll(async () => {
  // Wall-clock time is frozen: blocks last while the test runs, and TOTP steps move on demand.
  clock = freezeDate();
  catcher = await mailCatcher();
  server = await startTestServer({
    SMTP_URL: catcher.url,
    MAIL_FROM: 'no-reply@gatehouse.test',
    OUTBOX_INTERVAL_SECONDS: '1',
  });
  env = { DATABASE_URL: server.database.url };
  const add = (name: string, ...extra: string[]) =>
    gatehouseJson<{ client_id: string; client_secret: string }>(
      env,
      'client',
      'add',
      '--name',
      name,
      '--redirect-uri',
      REDIRECT,
      '--first-party',
      ...extra,
    );
  payroll = await relyingParty(server.config.issuer, await add('Payroll', '--mfa', 'always'), REDIRECT);
  wiki = await relyingParty(server.config.issuer, await add('Wiki'), REDIRECT);
});

afterAll(async () => {
  await server.close();
  await catcher.close();
  clock.restore();
});

const nextStep = () => clock.advance(30_000);
const uidIn = (html: string) => /action="\/interaction\/([^/"]+)\//.exec(html)?.[1] as string;
const secretIn = (html: string) => /data-testid="totp-secret">([A-Z2-7]+)</.exec(html)?.[1] as string;

/** A six-digit code the authenticator does not show now nor a step ago. */
async function wrongCode(secret: string): Promise<string> {
  const shown = [await totpCodeAt(secret, Date.now()), await totpCodeAt(secret, Date.now() - 30_000)];
  let code = Number(shown[0]);
  do code = (code + 1) % 1_000_000;
  while (shown.includes(String(code).padStart(6, '0')));
  return String(code).padStart(6, '0');
}

/** Starts an authorization request and types the password; returns the page that follows. */
async function signIn(agent: UserAgent, rp: Rp, email: string) {
  const request = await rp.authorizationRequest();
  const login = await agent.follow(await agent.get(request.url));
  const res = await agent.follow(
    await agent.post(`/interaction/${uidIn(await login.text())}/login`, { email, password: PASSWORD }),
  );
  return { request, res };
}

/** Follows a sign-in to the app's redirect and redeems the code; returns the ID token's claims. */
async function finish(
  agent: UserAgent,
  rp: Rp,
  request: Awaited<ReturnType<Rp['authorizationRequest']>>,
  res: Response,
) {
  const final = await agent.follow(res);
  expect(final.status).toBe(303);
  return decodeJwt((await rp.redeem(final.headers.get('location') as string, request)).id_token as string);
}

/** The browser keeps its cookies (remembered and device) but its session ends, as after signing out. */
const signOut = (agent: UserAgent) => {
  agent.forget('gatehouse.session');
  agent.forget('gatehouse.session.sig');
};

/**
 * A new account whose owner set up the app (inside a sign-in to Payroll), then ticked "Remember
 * this device" at a second step in the same browser. The clock is then on a TOTP step not yet used.
 */
async function ownerWithRememberedBrowser() {
  const email = `owner-${(n += 1)}@example.com`;
  await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD);
  const owner = new UserAgent(server.url);
  const enrolment = await signIn(owner, payroll, email);
  const enrolPage = await enrolment.res.text();
  const secret = secretIn(enrolPage);
  const done = await owner.post(`/interaction/${uidIn(enrolPage)}/mfa/enrol`, {
    code: await totpCodeAt(secret, Date.now()),
  });
  const continueTo = /href="([^"]+)">Continue to Payroll/.exec(await done.text())?.[1] as string;
  await finish(owner, payroll, enrolment.request, await owner.get(continueTo.replace(/&amp;/g, '&')));

  nextStep();
  signOut(owner);
  const second = await signIn(owner, wiki, email);
  const asked = await second.res.text();
  expect(asked).toContain('new browser');
  const remembered = await owner.post(`/interaction/${uidIn(asked)}/mfa`, {
    code: await totpCodeAt(secret, Date.now()),
    remember: 'yes',
  });
  expect((await finish(owner, wiki, second.request, remembered)).acr).toBe(MFA_ACR);
  expect(owner.cookie('gatehouse.remembered')).toBeTruthy();
  signOut(owner);
  nextStep();
  return { email, secret, owner };
}

/** The reset mail to `email`, once it has arrived (the mail that the app was added may come first). */
async function resetMail(email: string): Promise<CaughtMail> {
  const reset = () => catcher.to(email).find((mail) => mail.subject.startsWith('Reset your password'));
  await eventually(async () => reset() !== undefined, 10_000);
  return reset() as CaughtMail;
}

/** Types wrong codes at the second step until the answer is 429; returns how many it took. */
async function wrongCodesUntilBlocked(agent: UserAgent, uid: string, secret: string): Promise<number> {
  for (let typed = 1; typed <= SECOND_STEP_POLICY.freeFailures + 1; typed += 1) {
    const res = await agent.post(`/interaction/${uid}/mfa`, { code: await wrongCode(secret) });
    if (res.status === 429) return typed;
    expect(res.status).toBe(401);
  }
  return Number.POSITIVE_INFINITY;
}

/** Someone with the password, in a browser of their own, types wrong codes until the account's second step is blocked. */
async function attackerBlocksTheAccount(email: string, secret: string) {
  const attacker = new UserAgent(server.url);
  const { res } = await signIn(attacker, wiki, email);
  const page = await res.text();
  expect(page).toContain('new browser');
  expect(await wrongCodesUntilBlocked(attacker, uidIn(page), secret)).toBe(SECOND_STEP_POLICY.freeFailures + 1);
}

/** A browser that never passed the second step for this account: the right code is refused while the block lasts. */
async function unknownBrowserIsBlocked(email: string, secret: string) {
  const stranger = new UserAgent(server.url);
  const { res } = await signIn(stranger, payroll, email);
  const refused = await stranger.post(`/interaction/${uidIn(await res.text())}/mfa`, {
    code: await totpCodeAt(secret, Date.now()),
  });
  expect(refused.status).toBe(429);
  expect(await refused.text()).toContain('Too many wrong codes');
}

describe("after someone with the password blocks the account's second step from another browser", () => {
  it("the owner's remembered browser still skips the second step where the policy would, and the decision is audited as skipped", async () => {
    const { email, secret, owner } = await ownerWithRememberedBrowser();
    await attackerBlocksTheAccount(email, secret);

    const { request, res } = await signIn(owner, wiki, email);
    const claims = await finish(owner, wiki, request, res);
    expect(claims.acr).toBe(PASSWORD_ACR);
    expect(claims.amr).toEqual(['pwd']);

    await unknownBrowserIsBlocked(email, secret);
    const audit = await gatehouseJson<{
      events: Array<{ type: string; reason: string; detail: { reasons?: string[] } | null }>;
    }>(env, 'audit', '--email', email, '--limit', '200');
    const decisions = audit.events.filter((e) => e.type === 'mfa.decision');
    expect(decisions[0]).toMatchObject({ reason: 'skipped', detail: { reasons: [] } });
  });

  it("the owner's remembered browser, asked for a code by an app that requires one, gets a wrong code refused and the right one accepted", async () => {
    const { email, secret, owner } = await ownerWithRememberedBrowser();
    await attackerBlocksTheAccount(email, secret);

    const { request, res } = await signIn(owner, payroll, email);
    const page = await res.text();
    expect(page).toContain('the app requires it');
    expect(page).not.toContain('failed attempts');
    const uid = uidIn(page);
    const typo = await owner.post(`/interaction/${uid}/mfa`, { code: await wrongCode(secret) });
    expect(typo.status).toBe(401);
    expect(await typo.text()).toContain('That code is not right');
    const right = await owner.post(`/interaction/${uid}/mfa`, { code: await totpCodeAt(secret, Date.now()) });
    expect((await finish(owner, payroll, request, right)).acr).toBe(MFA_ACR);

    await unknownBrowserIsBlocked(email, secret);
  });

  it('the owner resets the password from the remembered browser: a wrong code on the reset form is refused, the right one sets the password', async () => {
    const { email, secret, owner } = await ownerWithRememberedBrowser();
    await attackerBlocksTheAccount(email, secret);

    expect((await owner.post('/password/forgot', { email })).status).toBe(200);
    const link = new URL(linkIn(await resetMail(email)));
    const token = link.searchParams.get('token') as string;
    expect(await (await owner.get(`${link.pathname}${link.search}`)).text()).toContain('name="code"');

    const typo = await owner.post('/password/reset', {
      token,
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
      code: await wrongCode(secret),
    });
    expect(typo.status).toBe(401);
    expect(await typo.text()).toContain('That code is not right');
    const right = await owner.post('/password/reset', {
      token,
      password: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
      code: await totpCodeAt(secret, Date.now()),
    });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('Your password has been changed');
  });

  it('the owner signs in to the account console from the remembered browser and changes the password', async () => {
    const { email, secret, owner } = await ownerWithRememberedBrowser();
    await attackerBlocksTheAccount(email, secret);

    const login = await owner.follow(await owner.get('/account'));
    const console = await owner.follow(
      await owner.post(`/interaction/${uidIn(await login.text())}/login`, { email, password: PASSWORD }),
    );
    expect(console.status).toBe(200);
    expect(await console.text()).toContain('Your account');
    const changed = await owner.post('/account/password', {
      current: PASSWORD,
      next: NEW_PASSWORD,
      confirm: NEW_PASSWORD,
    });
    expect(changed.status).toBe(303);
    expect(changed.headers.get('location')).toBe('/account?done=password-changed');
  });

  it("the owner's remembered browser is still throttled on its own: six wrong codes there block it, and its next sign-in asks why", async () => {
    const { email, secret, owner } = await ownerWithRememberedBrowser();
    await attackerBlocksTheAccount(email, secret);

    const { res } = await signIn(owner, payroll, email);
    const uid = uidIn(await res.text());
    expect(await wrongCodesUntilBlocked(owner, uid, secret)).toBe(SECOND_STEP_POLICY.freeFailures + 1);
    const refused = await owner.post(`/interaction/${uid}/mfa`, { code: await totpCodeAt(secret, Date.now()) });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);

    // Its own failures (not the attacker's) make the adaptive policy ask there again.
    signOut(owner);
    const again = await signIn(owner, wiki, email);
    expect(await again.res.text()).toContain('failed attempts since the last sign-in');
  });
});
