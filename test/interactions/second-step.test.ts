import { decodeJwt } from 'jose';
import { fetchUserInfo } from 'openid-client';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { freezeDate } from '../support/fake-date.js';
import { postForm } from '../support/token-endpoint.js';
import { totpCodeAt } from '../../src/mfa/totp.js';
import { MFA_ACR, PASSWORD_ACR } from '../../src/mfa/authentication-context.js';

let server: TestServer;
let env: Record<string, string>;
let clock: ReturnType<typeof freezeDate>;
const REDIRECT = 'https://app.example/cb';
const PASSWORD = 'correct horse battery staple';
type Rp = Awaited<ReturnType<typeof relyingParty>>;
let strict: Rp;
let strictClient: { client_id: string; client_secret: string };
let ordinary: Rp;

beforeAll(async () => {
  // Wall-clock time is frozen so each test can move to a fresh 30-second TOTP step when it needs one.
  clock = freezeDate();
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  for (const email of ['grace@example.com', 'alan@example.com', 'hedy@example.com', 'ida@example.com'])
    await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD);
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
  strictClient = await add('Payroll', '--mfa', 'always');
  strict = await relyingParty(server.config.issuer, strictClient, REDIRECT);
  ordinary = await relyingParty(server.config.issuer, await add('Wiki'), REDIRECT);
});

afterAll(async () => {
  await server.close();
  clock.restore();
});

const nextStep = () => clock.advance(30_000);
const uidIn = (html: string) => /action="\/interaction\/([^/"]+)\//.exec(html)?.[1] as string;

/** Starts an authorization request and signs in with the password; returns the page that follows. */
async function signIn(agent: UserAgent, rp: Rp, email: string, params: Record<string, string> = {}) {
  const request = await rp.authorizationRequest(params);
  const login = await agent.follow(await agent.get(request.url));
  const uid = uidIn(await login.text());
  const after = await agent.follow(await agent.post(`/interaction/${uid}/login`, { email, password: PASSWORD }));
  return { request, res: after };
}

async function finish(
  agent: UserAgent,
  rp: Rp,
  request: Awaited<ReturnType<Rp['authorizationRequest']>>,
  res: Response,
) {
  const final = await agent.follow(res);
  expect(final.status).toBe(303);
  const tokens = await rp.redeem(final.headers.get('location') as string, request);
  return { tokens, claims: decodeJwt(tokens.id_token as string) };
}

/** Grace enrols through a sign-in to the app that requires a second factor. */
let graceSecret = '';
let graceCodes: string[] = [];

describe('a person without an authenticator, signing in to an app that requires one', () => {
  it('sets one up inside the sign-in: QR code and key, a code proves it, recovery codes shown once, then tokens with the MFA ACR', async () => {
    const agent = new UserAgent(server.url);
    const { request, res } = await signIn(agent, strict, 'grace@example.com');
    const page = await res.text();
    expect(page).toContain('Set up two-step verification');
    expect(page).toContain('the app requires it');
    expect(page).toMatch(/<svg[^>]*aria-label="QR code for your authenticator app"/);
    graceSecret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(page)?.[1] as string;
    expect(graceSecret).toMatch(/^[A-Z2-7]{32}$/);
    const uid = uidIn(page);

    const wrong = await agent.post(`/interaction/${uid}/mfa/enrol`, { code: '000000' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('That code is not right');

    const done = await agent.post(`/interaction/${uid}/mfa/enrol`, { code: await totpCodeAt(graceSecret, Date.now()) });
    expect(done.status).toBe(200);
    const codesPage = await done.text();
    graceCodes = [...codesPage.matchAll(/<li><code>([A-Z0-9-]+)<\/code><\/li>/g)].map((m) => m[1] as string);
    expect(codesPage).toContain('data-testid="recovery-codes"');
    expect(graceCodes).toHaveLength(10);
    const continueTo = /href="([^"]+)">Continue to Payroll/.exec(codesPage)?.[1] as string;

    const { claims, tokens } = await finish(agent, strict, request, await agent.get(continueTo.replace(/&amp;/g, '&')));
    expect(claims.acr).toBe(MFA_ACR);
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    // Userinfo tells the same story as the ID token.
    const userinfo = await fetchUserInfo(strict.config, tokens.access_token, claims.sub as string);
    expect(userinfo).toMatchObject({ acr: MFA_ACR, amr: ['pwd', 'otp', 'mfa'] });
    // And so does introspection of the access token (RFC 7662 §2.2, RFC 9068 §2.2.1).
    const introspected = await postForm(server.url, '/token/introspection', strictClient, {
      token: tokens.access_token,
    });
    expect(introspected.body).toMatchObject({ active: true, acr: MFA_ACR, amr: ['pwd', 'otp', 'mfa'] });
  });
});

describe("set-up inside a sign-in on a session signed in a while ago (the console's re-authentication rule)", () => {
  it('asks for the password before a secret is made; a wrong password is refused, the right one shows the set-up', async () => {
    nextStep();
    const agent = new UserAgent(server.url);
    const plain = await signIn(agent, ordinary, 'ida@example.com');
    expect((await finish(agent, ordinary, plain.request, plain.res)).claims.acr).toBe(PASSWORD_ACR);
    clock.advance(6 * 60_000);

    const request = await ordinary.authorizationRequest({ acr_values: MFA_ACR });
    const page = await (await agent.follow(await agent.get(request.url))).text();
    // Compared as a browser shows it: the formatter wraps long sentences in the page's source.
    expect(page.replace(/\s+/g, ' ')).toContain('Confirm your password to set up an authenticator app');
    expect(page).not.toContain('data-testid="totp-secret"');
    const uid = uidIn(page);
    expect((await agent.get(`/interaction/${uid}`)).status).toBe(200);
    expect(await (await agent.post(`/interaction/${uid}/mfa/enrol`, { code: '123456' })).text()).not.toContain(
      'data-testid="totp-secret"',
    );

    const wrong = await agent.post(`/interaction/${uid}/mfa/password`, { password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('The password is not correct.');
    const right = await agent.post(`/interaction/${uid}/mfa/password`, { password: PASSWORD });
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(await right.text())?.[1] as string;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const done = await agent.post(`/interaction/${uid}/mfa/enrol`, { code: await totpCodeAt(secret, Date.now()) });
    const continueTo = /href="([^"]+)">Continue to/.exec(await done.text())?.[1] as string;
    expect(
      (await finish(agent, ordinary, request, await agent.get(continueTo.replace(/&amp;/g, '&')))).claims.acr,
    ).toBe(MFA_ACR);

    const audit = await gatehouseJson<{
      events: Array<{ type: string; outcome: string; detail: { action?: string } | null }>;
    }>(env, 'audit', '--email', 'ida@example.com');
    expect(
      audit.events
        .filter((e) => e.type === 'reauth' && e.detail?.action === 'mfa_enrol')
        .map((e) => e.outcome)
        .sort(),
    ).toEqual(['failure', 'success']);
  });
});

describe('set-up inside a sign-in that another browser finished first', () => {
  it('shows the ordinary second step with a readable notice, on submit and on reload, and the code from the app set up elsewhere completes the sign-in', async () => {
    nextStep();
    const laptop = new UserAgent(server.url);
    const phone = new UserAgent(server.url);
    const stale = await signIn(laptop, strict, 'hedy@example.com');
    const staleUid = uidIn(await stale.res.text());
    const other = await signIn(phone, strict, 'hedy@example.com');
    const otherPage = await other.res.text();
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(otherPage)?.[1] as string;
    expect(
      (await phone.post(`/interaction/${uidIn(otherPage)}/mfa/enrol`, { code: await totpCodeAt(secret, Date.now()) }))
        .status,
    ).toBe(200);

    const submitted = await laptop.post(`/interaction/${staleUid}/mfa/enrol`, { code: '123456' });
    expect(submitted.status).toBe(409);
    const submittedPage = await submitted.text();
    expect(submittedPage).toContain('has just been set up for this account in another browser');
    expect(submittedPage).toContain(`action="/interaction/${staleUid}/mfa"`);

    const reloaded = await laptop.get(`/interaction/${staleUid}`);
    expect(reloaded.status).toBe(200);
    expect(await reloaded.text()).toContain('has just been set up for this account in another browser');

    nextStep();
    const verified = await laptop.post(`/interaction/${staleUid}/mfa`, { code: await totpCodeAt(secret, Date.now()) });
    expect((await finish(laptop, strict, stale.request, verified)).claims.acr).toBe(MFA_ACR);
  });
});

describe('the adaptive second step (RFC 6238, RFC 8176)', () => {
  it('is asked in a browser that is not remembered, says why, and raises the ACR; "Remember this device" skips it next time', async () => {
    nextStep();
    const agent = new UserAgent(server.url);
    const first = await signIn(agent, ordinary, 'grace@example.com');
    const page = await first.res.text();
    expect(page).toContain('Two-step verification');
    expect(page).toMatch(/<label for="code">Authentication code<\/label>/);
    expect(page).toContain('new browser');
    const uid = uidIn(page);
    const verified = await agent.post(`/interaction/${uid}/mfa`, {
      code: await totpCodeAt(graceSecret, Date.now()),
      remember: 'yes',
    });
    expect(verified.headers.getSetCookie().some((c) => c.startsWith('gatehouse.remembered='))).toBe(true);
    const { claims } = await finish(agent, ordinary, first.request, verified);
    expect(claims.acr).toBe(MFA_ACR);

    // A new session in the same browser (signed out), from a network seen before: no second step.
    agent.forget('gatehouse.session');
    agent.forget('gatehouse.session.sig');
    const second = await signIn(agent, ordinary, 'grace@example.com');
    const skipped = await finish(agent, ordinary, second.request, second.res);
    expect(skipped.claims.acr).toBe(PASSWORD_ACR);
    expect(skipped.claims.amr).toEqual(['pwd']);

    // The same device id without its signature (a forged cookie) remembers nothing.
    const forger = new UserAgent(server.url);
    forger.plant('gatehouse.remembered', agent.cookie('gatehouse.remembered') as string);
    forger.plant('gatehouse.remembered.sig', 'forged-signature');
    const forged = await signIn(forger, ordinary, 'grace@example.com');
    expect(await forged.res.text()).toContain('Asked because: new browser');

    const audit = await gatehouseJson<{
      events: Array<{ type: string; reason: string; detail: { reasons: string[] } }>;
    }>(env, 'audit', '--email', 'grace@example.com', '--limit', '200');
    const decisions = audit.events.filter((e) => e.type === 'mfa.decision');
    // Every decision is explained in the audit trail (the clock is frozen, so both share one instant).
    expect(decisions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'asked', detail: expect.objectContaining({ reasons: ['new_device'] }) }),
        expect.objectContaining({ reason: 'skipped', detail: expect.objectContaining({ reasons: [] }) }),
      ]),
    );
  });

  it('steps up an existing password-only session when the app asks for the MFA ACR (acr_values)', async () => {
    nextStep();
    const agent = new UserAgent(server.url);
    // A browser of its own: sign in with a code and remember it, then start a password-only session in it.
    const start = await signIn(agent, ordinary, 'grace@example.com');
    const uid = uidIn(await start.res.text());
    await finish(
      agent,
      ordinary,
      start.request,
      await agent.post(`/interaction/${uid}/mfa`, { code: await totpCodeAt(graceSecret, Date.now()), remember: 'yes' }),
    );
    agent.forget('gatehouse.session');
    agent.forget('gatehouse.session.sig');
    const plain = await signIn(agent, ordinary, 'grace@example.com');
    expect((await finish(agent, ordinary, plain.request, plain.res)).claims.acr).toBe(PASSWORD_ACR);

    nextStep();
    const request = await ordinary.authorizationRequest({ acr_values: MFA_ACR });
    const stepUp = await agent.follow(await agent.get(request.url));
    const page = await stepUp.text();
    expect(page).toContain('the app asked for it');
    const verified = await agent.post(`/interaction/${uidIn(page)}/mfa`, {
      code: await totpCodeAt(graceSecret, Date.now()),
    });
    expect((await finish(agent, ordinary, request, verified)).claims.acr).toBe(MFA_ACR);
  });

  it('accepts each code once: the same code again, in another sign-in, is refused', async () => {
    nextStep();
    const code = await totpCodeAt(graceSecret, Date.now());
    const first = new UserAgent(server.url);
    const a = await signIn(first, strict, 'grace@example.com');
    await finish(first, strict, a.request, await first.post(`/interaction/${uidIn(await a.res.text())}/mfa`, { code }));
    const second = new UserAgent(server.url);
    const b = await signIn(second, strict, 'grace@example.com');
    const uid = uidIn(await b.res.text());
    const replay = await second.post(`/interaction/${uid}/mfa`, { code });
    expect(replay.status).toBe(401);
    // The page shown again posts the next try to the same sign-in.
    expect(await replay.text()).toContain(`action="/interaction/${uid}/mfa"`);
  });

  it('takes a recovery code instead, once', async () => {
    const agent = new UserAgent(server.url);
    const { request, res } = await signIn(agent, strict, 'grace@example.com');
    const uid = uidIn(await res.text());
    const recoveryPage = await (await agent.get(`/interaction/${uid}?method=recovery`)).text();
    expect(recoveryPage).toMatch(/<label for="recovery_code">Recovery code<\/label>/);
    const used = await agent.post(`/interaction/${uid}/mfa`, { recovery_code: graceCodes[0] as string });
    expect((await finish(agent, strict, request, used)).claims.amr).toEqual(['pwd', 'otp', 'mfa']);

    const again = new UserAgent(server.url);
    const retry = await signIn(again, strict, 'grace@example.com');
    expect(
      (
        await again.post(`/interaction/${uidIn(await retry.res.text())}/mfa`, {
          recovery_code: graceCodes[0] as string,
        })
      ).status,
    ).toBe(401);
  });

  it('answers prompt=none with interaction_required when a second step would be needed (OIDC Core §3.1.2.6)', async () => {
    const agent = new UserAgent(server.url);
    const plainClient = await signIn(agent, ordinary, 'alan@example.com'); // Alan has no authenticator: no second step
    await finish(agent, ordinary, plainClient.request, plainClient.res);
    const request = await strict.authorizationRequest({ prompt: 'none' });
    const res = await agent.follow(await agent.get(request.url));
    expect(new URL(res.headers.get('location') as string).searchParams.get('error')).toBe('interaction_required');
  });

  it('cannot be reached without the password step: a code posted to a sign-in still asking for the password is refused', async () => {
    const agent = new UserAgent(server.url);
    const { url } = await strict.authorizationRequest();
    const login = await agent.follow(await agent.get(url));
    const uid = uidIn(await login.text());
    const res = await agent.post(`/interaction/${uid}/mfa`, { code: await totpCodeAt(graceSecret, Date.now()) });
    expect(res.status).toBe(400);
  });
});
