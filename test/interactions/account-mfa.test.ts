import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson, gatehouseWithStdin, pipedStdin } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { freezeDate } from '../support/fake-date.js';
import { totpCodeAt } from '../../src/mfa/totp.js';
import { relyingParty } from '../support/relying-party.js';
import { mailCatcher, type MailCatcher } from '../support/mail-catcher.js';
import { MFA_ACR } from '../../src/mfa/authentication-context.js';

let server: TestServer;
let env: Record<string, string>;
let clock: ReturnType<typeof freezeDate>;
let catcher: MailCatcher;
let rp: Awaited<ReturnType<typeof relyingParty>>;
const REDIRECT = 'https://app.example/cb';
const PASSWORD = 'a long and careful passphrase';

beforeAll(async () => {
  clock = freezeDate();
  catcher = await mailCatcher();
  server = await startTestServer({
    SMTP_URL: catcher.url,
    MAIL_FROM: 'no-reply@gatehouse.test',
    OUTBOX_INTERVAL_SECONDS: '1',
  });
  env = { DATABASE_URL: server.database.url };
  rp = await relyingParty(
    server.config.issuer,
    await gatehouseJson(env, 'client', 'add', '--name', 'Wiki', '--redirect-uri', REDIRECT, '--first-party'),
    REDIRECT,
  );
  for (const email of [
    'ada@example.com',
    'barbara@example.com',
    'edsger@example.com',
    'frances@example.com',
    'joan@example.com',
  ])
    await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD);
});

afterAll(async () => {
  await server.close();
  await catcher.close();
  clock.restore();
});

const nextStep = () => clock.advance(30_000);
const uidIn = (html: string) => /action="\/interaction\/([^/"]+)\//.exec(html)?.[1] as string;

/** Signs in to the console; answers the second step with `secret` when it is asked. */
async function consoleSignIn(agent: UserAgent, email: string, secret?: string, remember = false) {
  const login = await agent.follow(await agent.get('/account'));
  let res = await agent.follow(
    await agent.post(`/interaction/${uidIn(await login.text())}/login`, { email, password: PASSWORD }),
  );
  if (res.status === 200 && secret) {
    const page = await res.text();
    expect(page).toContain('Two-step verification');
    res = await agent.follow(
      await agent.post(`/interaction/${uidIn(page)}/mfa`, {
        code: await totpCodeAt(secret, Date.now()),
        ...(remember ? { remember: 'yes' } : {}),
      }),
    );
  }
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('Your account');
}

/** Sets up the authenticator from the console; returns the secret and recovery codes. */
async function enrol(agent: UserAgent, password?: string) {
  const setup = await agent.post('/account/mfa/setup', password ? { password } : {});
  expect(setup.status).toBe(200);
  const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(await setup.text())?.[1] as string;
  const done = await agent.post('/account/mfa/totp', { code: await totpCodeAt(secret, Date.now()) });
  const codes = [...(await done.text()).matchAll(/<li><code>([A-Z0-9-]+)<\/code><\/li>/g)].map((m) => m[1] as string);
  return { secret, codes };
}

describe('/account/mfa', () => {
  let adaSecret = '';

  it('sets up an authenticator right after sign-in: the app must prove it works, then ten recovery codes', async () => {
    const agent = new UserAgent(server.url);
    await consoleSignIn(agent, 'ada@example.com');
    const page = await (await agent.get('/account/mfa')).text();
    expect(page).toContain('Set up authenticator app');
    expect(page).not.toContain('name="password"');

    const setup = await (await agent.post('/account/mfa/setup', {})).text();
    expect(setup).toMatch(/<svg[^>]*aria-label="QR code/);
    adaSecret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(setup)?.[1] as string;
    const wrong = await agent.post('/account/mfa/totp', { code: '123456' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain(`data-testid="totp-secret">${adaSecret}<`);

    const done = await (
      await agent.post('/account/mfa/totp', { code: await totpCodeAt(adaSecret, Date.now()) })
    ).text();
    expect(done).toContain('data-testid="recovery-codes"');
    expect([...done.matchAll(/<li><code>/g)]).toHaveLength(10);
    expect(await (await agent.get('/account/mfa')).text()).toContain(
      '<span data-testid="recovery-codes-left">10</span>',
    );
    const [notice] = await catcher.waitFor('ada@example.com');
    expect(notice?.subject).toContain('An authenticator app was added to your account');
    expect(notice?.text).toContain('If this was not you, change your password now');
  });

  it('asks for the password again when the sign-in is older than five minutes, through the throttled, audited check', async () => {
    const agent = new UserAgent(server.url);
    await consoleSignIn(agent, 'barbara@example.com');
    clock.advance(6 * 60_000);
    expect(await (await agent.get('/account/mfa')).text()).toContain('name="password"');
    expect((await agent.post('/account/mfa/setup', {})).status).toBe(400);
    expect((await agent.post('/account/mfa/setup', { password: 'not the password' })).status).toBe(400);
    const { codes } = await enrol(agent, PASSWORD);
    expect(codes).toHaveLength(10);
    const audit = await gatehouseJson<{
      events: Array<{ type: string; outcome: string; detail: { action?: string } | null }>;
    }>(env, 'audit', '--email', 'barbara@example.com');
    expect(
      audit.events.filter((e) => e.type === 'reauth' && e.outcome === 'failure' && e.detail?.action === 'mfa_enrol'),
    ).toHaveLength(2);
  });

  it('does not open the console for a session whose second step was asked and never answered', async () => {
    nextStep();
    const agent = new UserAgent(server.url);
    const login = await agent.follow(await agent.get('/account'));
    const second = await agent.follow(
      await agent.post(`/interaction/${uidIn(await login.text())}/login`, {
        email: 'ada@example.com',
        password: PASSWORD,
      }),
    );
    expect(await second.text()).toContain('Authentication code');
    const console = await agent.get('/account');
    expect(console.status).toBe(303);
    expect(console.headers.get('location')).toContain('/auth?');
    expect((await agent.get('/account/mfa')).status).toBe(303);
  });

  it('lists recent sign-ins with whether the second step was asked and why, and remembered browsers that can be forgotten', async () => {
    nextStep();
    const agent = new UserAgent(server.url);
    await consoleSignIn(agent, 'ada@example.com', adaSecret, true);
    const page = await (await agent.get('/account/mfa')).text();
    expect(page).toContain('Asked: new browser');
    const deviceId = /action="\/account\/mfa\/devices\/([^/]+)\/forget"/.exec(page)?.[1] as string;
    expect(deviceId).toBeTruthy();
    const forgot = await agent.post(`/account/mfa/devices/${deviceId}/forget`, {});
    expect(forgot.status).toBe(303);
    expect(await (await agent.get('/account/mfa')).text()).toContain('No browser skips the second step.');
  });

  it('regenerates recovery codes only with a current code; the old ones die', async () => {
    nextStep();
    const agent = new UserAgent(server.url);
    await consoleSignIn(agent, 'edsger@example.com');
    const { secret, codes } = await enrol(agent);
    nextStep();
    const wrong = await agent.post('/account/mfa/recovery-codes', { code: '000000' });
    expect(wrong.status).toBe(400);
    // The reason is under the code field it concerns, tied to it, not at the top of the page.
    const wrongPage = await wrong.text();
    expect(wrongPage).toMatch(
      /<input id="regenerate-code"[^>]* autofocus aria-describedby="regenerate-code-error" aria-invalid="true">\s*<p class="field-error" id="regenerate-code-error">[A-Z][^<]*\.<\/p>/,
    );
    expect(wrongPage).not.toContain('class="alert"');
    const fresh = await (
      await agent.post('/account/mfa/recovery-codes', { code: await totpCodeAt(secret, Date.now()) })
    ).text();
    expect(fresh).toContain('New recovery codes');
    const other = new UserAgent(server.url);
    const login = await other.follow(await other.get('/account'));
    const step = await other.follow(
      await other.post(`/interaction/${uidIn(await login.text())}/login`, {
        email: 'edsger@example.com',
        password: PASSWORD,
      }),
    );
    expect(
      (await other.post(`/interaction/${uidIn(await step.text())}/mfa`, { recovery_code: codes[0] as string })).status,
    ).toBe(401);
  });

  it('forgets every remembered browser when the password changes, in the console or by an operator: the next sign-in there asks for a code again', async () => {
    const email = 'grace@example.com';
    await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD);
    const remembered = async () =>
      (await gatehouseJson<{ rememberedDevices: unknown[] }>(env, 'user', 'show', '--email', email)).rememberedDevices
        .length;
    const setupBrowser = new UserAgent(server.url);
    await consoleSignIn(setupBrowser, email);
    const { secret } = await enrol(setupBrowser);

    nextStep();
    const laptop = new UserAgent(server.url);
    await consoleSignIn(laptop, email, secret, true);
    expect(await remembered()).toBe(1);
    expect(
      (
        await laptop.post('/account/password', {
          current: PASSWORD,
          next: 'a different careful passphrase',
          confirm: 'a different careful passphrase',
        })
      ).status,
    ).toBe(303);
    expect(await remembered()).toBe(0);
    // Put it back, so a second browser can be remembered and an operator set the password.
    expect(
      (
        await laptop.post('/account/password', {
          current: 'a different careful passphrase',
          next: PASSWORD,
          confirm: PASSWORD,
        })
      ).status,
    ).toBe(303);
    nextStep();

    const phone = new UserAgent(server.url);
    await consoleSignIn(phone, email, secret, true);
    expect(await remembered()).toBe(1);
    expect(
      (
        await gatehouseWithStdin(
          env,
          pipedStdin(`${PASSWORD}\n`),
          'user',
          'set-password',
          '--email',
          email,
          '--password-stdin',
        )
      ).code,
    ).toBe(0);
    expect(await remembered()).toBe(0);
    nextStep();
    const login = await phone.follow(await phone.get('/account'));
    const step = await phone.follow(
      await phone.post(`/interaction/${uidIn(await login.text())}/login`, { email, password: PASSWORD }),
    );
    expect(await step.text()).toContain('Two-step verification');
  });

  it('turns off only with a code or a recovery code, and signs out every other session', async () => {
    nextStep();
    const elsewhere = new UserAgent(server.url);
    await consoleSignIn(elsewhere, 'ada@example.com', adaSecret);
    nextStep();
    const here = new UserAgent(server.url);
    await consoleSignIn(here, 'ada@example.com', adaSecret);
    expect((await here.post('/account/mfa/disable', { code: '000000' })).status).toBe(400);
    const off = await here.post('/account/mfa/disable', { code: '', recovery_code: 'not-a-code' });
    expect(off.status).toBe(400);
    nextStep();
    const done = await here.post('/account/mfa/disable', { code: await totpCodeAt(adaSecret, Date.now()) });
    expect(done.status).toBe(303);
    expect(await (await here.get('/account/mfa')).text()).toContain('Set up authenticator app');
    expect((await elsewhere.get('/account')).status).toBe(303);
    const audit = await gatehouseJson<{ events: Array<{ type: string }> }>(
      env,
      'audit',
      '--email',
      'ada@example.com',
      '--limit',
      '200',
    );
    expect(audit.events.some((e) => e.type === 'mfa.removed')).toBe(true);
    const mails = await catcher.waitFor('ada@example.com', 2);
    expect(mails.map((m) => m.subject)).toEqual([
      expect.stringContaining('An authenticator app was added'),
      expect.stringContaining('Two-step verification was turned off'),
    ]);
  });

  it('answers forms no page sends (arrays, overlong codes) with 400 and the page saying what to enter', async () => {
    nextStep();
    const agent = new UserAgent(server.url);
    await consoleSignIn(agent, 'frances@example.com');
    const badSetup = await agent.post('/account/mfa/setup', { 'password[]': 'x' });
    expect(badSetup.status).toBe(400);
    expect(await badSetup.text()).toContain('Enter your current password.');

    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(
      await (await agent.post('/account/mfa/setup', {})).text(),
    )?.[1] as string;
    for (const form of [{ 'code[]': '1' }, { code: '1'.repeat(17) }] as Record<string, string>[]) {
      const bad = await agent.post('/account/mfa/totp', form);
      expect(bad.status).toBe(400);
      const page = await bad.text();
      expect(page).toContain('Enter the 6-digit code from your authenticator app.');
      expect(page).toContain(`data-testid="totp-secret">${secret}<`);
    }
    expect((await agent.post('/account/mfa/totp', { code: await totpCodeAt(secret, Date.now()) })).status).toBe(200);

    const badDisable = await agent.post('/account/mfa/disable', { 'code[x]': '1' });
    expect(badDisable.status).toBe(400);
    expect(await badDisable.text()).toContain('Enter a code from your authenticator app or one recovery code.');
    const badRegenerate = await agent.post('/account/mfa/recovery-codes', { 'code[]': '1' });
    expect(badRegenerate.status).toBe(400);
  });

  it('never shows a set-up begun here to a sign-in elsewhere that knows only the password, and codes from it never pass that sign-in', async () => {
    nextStep();
    const victim = new UserAgent(server.url);
    await consoleSignIn(victim, 'joan@example.com');
    const secretIn = async (res: Response) =>
      /data-testid="totp-secret">([A-Z2-7]+)</.exec(await res.text())?.[1] as string;
    const started = await secretIn(await victim.post('/account/mfa/setup', {}));

    // The attacker has the password and asks an app for the MFA ACR: enrolment inside the sign-in.
    const attacker = new UserAgent(server.url);
    const request = await rp.authorizationRequest({ acr_values: MFA_ACR });
    const login = await attacker.follow(await attacker.get(request.url));
    const enrolPage = await (
      await attacker.follow(
        await attacker.post(`/interaction/${uidIn(await login.text())}/login`, {
          email: 'joan@example.com',
          password: PASSWORD,
        }),
      )
    ).text();
    expect(enrolPage).toContain('Set up two-step verification');
    const attackerUid = uidIn(enrolPage);
    const attackers = /data-testid="totp-secret">([A-Z2-7]+)</.exec(enrolPage)?.[1] as string;
    expect(attackers).not.toBe(started);
    expect(enrolPage).not.toContain(started);

    // The attempt elsewhere replaced the victim's: it says so, and a new start works.
    const replaced = await victim.post('/account/mfa/totp', { code: await totpCodeAt(started, Date.now()) });
    expect(replaced.status).toBe(400);
    expect(await replaced.text()).toContain('started again somewhere else');
    const restarted = await secretIn(await victim.post('/account/mfa/setup', {}));
    expect((await victim.post('/account/mfa/totp', { code: await totpCodeAt(restarted, Date.now()) })).status).toBe(
      200,
    );

    // The attacker's set-up is dead, and neither secret the attacker could have known passes the second step.
    nextStep();
    expect(
      (await attacker.post(`/interaction/${attackerUid}/mfa/enrol`, { code: await totpCodeAt(attackers, Date.now()) }))
        .status,
    ).toBe(409);
    for (const secret of [started, attackers]) {
      expect(
        (await attacker.post(`/interaction/${attackerUid}/mfa`, { code: await totpCodeAt(secret, Date.now()) })).status,
      ).toBe(401);
    }
    const mails = await catcher.waitFor('joan@example.com');
    expect(mails.map((m) => m.subject)).toEqual([expect.stringContaining('An authenticator app was added')]);
  });
});
