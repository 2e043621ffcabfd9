import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson, gatehouseWithStdin, pipedStdin } from '../support/run-gatehouse.js';
import { relyingParty } from '../support/relying-party.js';
import { launchChromium } from '../support/chromium.js';
import {
  type Forgery,
  startFakeGithub,
  startScriptedUpstream,
  startUpstreamProvider,
} from '../support/upstream-provider.js';
import { freePort } from '../support/free-port.js';
import { withContainer } from '../../src/cli/with-container.js';
import { totpCodeAt } from '../../src/mfa/totp.js';

// The upstream OpenID Providers run here on loopback: a bare oidc-provider 9 (its development
// sign-in screens: the login typed is the `sub`) and a scripted one that forges its ID tokens.
// Gatehouse calls them only because OUTBOUND_ALLOW_PRIVATE_NETWORKS is on.
let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let upstream: Awaited<ReturnType<typeof startUpstreamProvider>>;
let scripted: Awaited<ReturnType<typeof startScriptedUpstream>>;
let rp: Awaited<ReturnType<typeof relyingParty>>;
let env: Record<string, string>;
const REDIRECT = 'https://journey.example/callback';
/** Set (docs/screenshots) to refresh the README's picture of the sign-in page with a provider's button. */
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const UPSTREAM_SECRET = 'upstream-client-secret-0123456789abcdef';

const addConnection = (...args: string[]) =>
  gatehouseWithStdin(
    env,
    pipedStdin(`${UPSTREAM_SECRET}\n`),
    'connection',
    'add',
    '--client-id',
    'gatehouse',
    '--client-secret-stdin',
    ...args,
  );

beforeAll(async () => {
  server = await startTestServer({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  env = { DATABASE_URL: server.database.url };
  chromium = await launchChromium();
  upstream = await startUpstreamProvider({
    client_id: 'gatehouse',
    client_secret: UPSTREAM_SECRET,
    redirect_uri: `${server.url}/interaction/upstream/callback`,
  });
  scripted = await startScriptedUpstream();
  expect((await addConnection('--name', 'Acme SSO', '--issuer', upstream.issuer, '--auto-create', 'on')).code).toBe(0);
  await gatehouse(env, 'user', 'add', '--email', 'margaret@example.com', '--password', 'apollo guidance computer');
  await gatehouse(env, 'user', 'add', '--email', 'ada@example.com', '--password', 'analytical engine notes');
  const client = await gatehouseJson<{ client_id: string; client_secret: string }>(
    env,
    'client',
    'add',
    '--name',
    'Journey',
    '--redirect-uri',
    REDIRECT,
  );
  rp = await relyingParty(server.config.issuer, client, REDIRECT);
});

afterAll(async () => {
  await chromium?.close();
  await upstream?.close();
  await scripted?.close();
  await server?.close();
});

/** A fresh browser at the app's sign-in request; the app's callback is captured, not served. */
async function atSignIn() {
  const request = await rp.authorizationRequest();
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const back: { url?: URL } = {};
  await page.route('https://journey.example/**', async (route) => {
    back.url = new URL(route.request().url());
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' });
  });
  await page.goto(request.url.toString());
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  return { request, context, page, back };
}

/** At the upstream's own screens: sign in as `sub`, and allow Gatehouse there. */
async function signInUpstream(page: Page, sub: string) {
  await page.locator('input[name="login"]').fill(sub);
  await page.locator('input[name="password"]').fill('anything');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Gatehouse's consent, then the app redeems the code it got back. */
async function allowAndRedeem(page: Page, flow: Awaited<ReturnType<typeof atSignIn>>) {
  const allow = page.getByRole('button', { name: 'Allow' });
  // Consent given once is remembered for the app: the second time the browser goes straight back.
  await Promise.race([allow.waitFor(), page.waitForURL('https://journey.example/**')]);
  if (!flow.back.url) {
    await allow.click();
    await page.waitForURL('https://journey.example/**');
  }
  const tokens = await rp.redeem(flow.back.url as URL, flow.request);
  return tokens.claims() as Record<string, unknown>;
}

const userShow = (email: string) =>
  gatehouseJson<{ id: string; identities: { connection: string; subject: string; email: string }[] }>(
    env,
    'user',
    'show',
    '--email',
    email,
  );

/** An authenticator app for the account, confirmed with the previous step's code (still accepted), so the current one stays unspent. */
const enrolAuthenticator = (email: string) =>
  withContainer(server.config, async (c) => {
    const account = await c.accounts.requireByEmail(email);
    const { secret } = await c.mfa.beginTotpEnrolment(account, 'test');
    await c.mfa.confirmTotpEnrolment(account, await totpCodeAt(secret, Date.now() - 30_000), 'test', { by: 'user' });
    return secret;
  });

const closing: BrowserContext[] = [];
afterEach(async () => {
  for (const context of closing.splice(0)) await context.close();
});

describe('signing in with another identity provider (a real upstream OpenID Provider, in Chromium)', () => {
  it('creates the account on a first sign-in, from the upstream verified email, and says fed in amr', async () => {
    upstream.people.set('grace-100', { email: 'grace@upstream.example', email_verified: true, name: 'Grace Hopper' });
    const flow = await atSignIn();
    closing.push(flow.context);
    if (SCREENSHOT_DIR) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await flow.page.screenshot({ path: join(SCREENSHOT_DIR, 'sign-in-with-provider.png'), fullPage: true });
    }
    await flow.page.getByRole('button', { name: 'Continue with Acme SSO' }).click();
    await signInUpstream(flow.page, 'grace-100');
    const claims = await allowAndRedeem(flow.page, flow);
    expect(claims.email).toBe('grace@upstream.example');
    expect(claims.amr).toEqual(expect.arrayContaining(['fed']));
    expect(claims.amr).not.toContain('pwd');

    const shown = await userShow('grace@upstream.example');
    expect(shown.id).toBe(claims.sub);
    expect(shown.identities).toEqual([
      expect.objectContaining({ connection: 'Acme SSO', subject: 'grace-100', email: 'grace@upstream.example' }),
    ]);
  });

  it('finds the same account by sub on the next sign-in, although the upstream changed the email', async () => {
    const before = await userShow('grace@upstream.example');
    upstream.people.set('grace-100', { email: 'grace.hopper@elsewhere.example', email_verified: true });
    const flow = await atSignIn();
    closing.push(flow.context);
    await flow.page.getByRole('button', { name: 'Continue with Acme SSO' }).click();
    await signInUpstream(flow.page, 'grace-100');
    const claims = await allowAndRedeem(flow.page, flow);
    expect(claims.sub).toBe(before.id);
    // The account is found by (connection, iss, sub); the new address created nothing.
    expect((await gatehouse(env, 'user', 'show', '--email', 'grace.hopper@elsewhere.example')).code).not.toBe(0);
  });

  it('links an upstream identity whose email is a local account only after its password (a wrong one first)', async () => {
    upstream.people.set('mh-7', { email: 'margaret@example.com', email_verified: true });
    const margaret = await userShow('margaret@example.com');
    const flow = await atSignIn();
    closing.push(flow.context);
    const { page } = flow;
    await page.getByRole('button', { name: 'Continue with Acme SSO' }).click();
    await signInUpstream(page, 'mh-7');

    await page.getByRole('heading', { name: 'Link Acme SSO to your account' }).waitFor();
    expect(await page.textContent('body')).toContain('margaret@example.com');
    // Not linked yet: the address proved nothing.
    expect((await userShow('margaret@example.com')).identities).toEqual([]);

    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Link and continue' }).click();
    await page.getByText('Incorrect password.').waitFor();
    expect((await userShow('margaret@example.com')).identities).toEqual([]);

    await page.getByLabel('Password').fill('apollo guidance computer');
    await page.getByRole('button', { name: 'Link and continue' }).click();
    const claims = await allowAndRedeem(page, flow);
    expect(claims.sub).toBe(margaret.id);
    expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'fed']));
    expect((await userShow('margaret@example.com')).identities).toEqual([
      expect.objectContaining({ connection: 'Acme SSO', subject: 'mh-7' }),
    ]);
    const events = (await gatehouseJson<{ events: { type: string; outcome: string }[] }>(env, 'audit')).events;
    expect(events).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'upstream.linked', outcome: 'success' })]),
    );
  });

  it('still asks the second step the adaptive policy asks for after an upstream sign-in (a wrong code first)', async () => {
    // Margaret's account (linked to mh-7 above) gets an authenticator app.
    const secret = await enrolAuthenticator('margaret@example.com');
    const flow = await atSignIn();
    closing.push(flow.context);
    const { page } = flow;
    await page.getByRole('button', { name: 'Continue with Acme SSO' }).click();
    await signInUpstream(page, 'mh-7');
    // A browser this account has not used: the policy asks, as after a password.
    await page.getByLabel('Authentication code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Authentication code').fill(await totpCodeAt(secret, Date.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    const claims = await allowAndRedeem(page, flow);
    expect(claims.amr).toEqual(expect.arrayContaining(['fed', 'otp', 'mfa']));
    expect(claims.amr).not.toContain('pwd');
    expect(claims.acr).toBe('urn:gatehouse:acr:mfa');
  });

  it('links an account that has an authenticator app only once its second step succeeds too', async () => {
    await gatehouse(env, 'user', 'add', '--email', 'katherine@example.com', '--password', 'orbital mechanics by hand');
    const secret = await enrolAuthenticator('katherine@example.com');
    upstream.people.set('kj-1', { email: 'katherine@example.com', email_verified: true });
    const flow = await atSignIn();
    closing.push(flow.context);
    const { page } = flow;
    await page.getByRole('button', { name: 'Continue with Acme SSO' }).click();
    await signInUpstream(page, 'kj-1');
    await page.getByLabel('Password').fill('orbital mechanics by hand');
    await page.getByRole('button', { name: 'Link and continue' }).click();
    // The password alone links nothing for an account with a second factor.
    await page.getByLabel('Authentication code').waitFor();
    expect((await userShow('katherine@example.com')).identities).toEqual([]);
    await page.getByLabel('Authentication code').fill(await totpCodeAt(secret, Date.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    const claims = await allowAndRedeem(page, flow);
    expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'fed', 'otp', 'mfa']));
    expect((await userShow('katherine@example.com')).identities).toEqual([
      expect.objectContaining({ connection: 'Acme SSO', subject: 'kj-1' }),
    ]);
  });

  it('sends an email typed at a connection domain straight to that provider (home-realm discovery)', async () => {
    expect(
      (await gatehouse(env, 'connection', 'update', '--name', 'Acme SSO', '--domains', 'upstream.example')).code,
    ).toBe(0);
    const flow = await atSignIn();
    closing.push(flow.context);
    const { page } = flow;
    await page.getByLabel('Email').fill('grace@upstream.example');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // No password asked here: the upstream's own sign-in screen.
    await page.locator('input[name="login"]').waitFor();
    await signInUpstream(page, 'grace-100');
    const claims = await allowAndRedeem(page, flow);
    expect(claims.email).toBe('grace@upstream.example');
    expect(claims.amr).toEqual(['fed']);
  });

  it('signs in with the GitHub preset: the numeric user id and the verified primary email (a loopback server in GitHub shapes; github.com is not reachable here)', async () => {
    const github = await startFakeGithub({ id: 583231, login: 'octocat', email: 'octocat@github.example' });
    try {
      const added = await addConnection(
        '--name',
        'GitHub',
        '--type',
        'github',
        '--issuer',
        github.origin,
        '--auto-create',
        'on',
      );
      expect(added.code).toBe(0);
      const flow = await atSignIn();
      closing.push(flow.context);
      await flow.page.getByRole('button', { name: 'Continue with GitHub' }).click();
      const claims = await allowAndRedeem(flow.page, flow);
      expect(claims.email).toBe('octocat@github.example');
      expect((await userShow('octocat@github.example')).identities).toEqual([
        expect.objectContaining({ connection: 'GitHub', subject: '583231' }),
      ]);
    } finally {
      await github.close();
    }
  });

  it('refuses a denial, a bad ID token signature, a wrong iss, a replayed nonce and a replayed state with a page to retry from', async () => {
    expect((await addConnection('--name', 'Scripted', '--issuer', scripted.issuer, '--auto-create', 'on')).code).toBe(
      0,
    );
    const attempt = async (forgery: Forgery) => {
      scripted.state.forgery = forgery;
      const flow = await atSignIn();
      closing.push(flow.context);
      let callback: string | undefined;
      flow.page.on('request', (r) => {
        if (r.url().startsWith(`${server.url}/interaction/upstream/callback`)) callback = r.url();
      });
      const answer = flow.page.waitForResponse((r) =>
        r.url().startsWith(`${server.url}/interaction/upstream/callback`),
      );
      await flow.page.getByRole('button', { name: 'Continue with Scripted' }).click();
      const status = (await answer).status();
      await flow.page.waitForLoadState();
      return { flow, status, callback: callback as string, body: (await flow.page.textContent('body')) ?? '' };
    };

    const forged = await attempt('bad_signature');
    expect(forged.status).toBe(400);
    expect(forged.body).toContain('upstream_invalid_id_token');
    // Retry from the page: the same interaction's sign-in screen, the password form included.
    await forged.flow.page.getByRole('link', { name: 'Try again' }).click();
    await forged.flow.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expect(forged.flow.page.getByLabel('Password').isVisible()).resolves.toBe(true);

    const denied = await attempt('denied');
    expect(denied.body).toContain('upstream_denied');
    expect(denied.body).toContain('Try again');

    const elsewhere = await attempt('wrong_iss');
    expect(elsewhere.body).toContain('upstream_wrong_issuer');

    scripted.reset();
    const first = await attempt('none');
    expect(first.status).toBe(303);
    const replayedNonce = await attempt('replayed_nonce');
    expect(replayedNonce.body).toContain('upstream_invalid_id_token');

    // The first trip's answer, sent again: its state was spent.
    const again = await first.flow.page.goto(first.callback);
    expect(again?.status()).toBe(400);
    expect(await first.flow.page.textContent('body')).toContain('upstream_bad_state');
    const events = (await gatehouseJson<{ events: { type: string; outcome: string; reason: string }[] }>(env, 'audit'))
      .events;
    const refusals = events.filter((e) => e.type === 'upstream.signin' && e.outcome === 'failure').map((e) => e.reason);
    expect(refusals).toEqual(expect.arrayContaining(['invalid_id_token', 'wrong_issuer', 'bad_state']));
  });

  it('says so when an upstream is down, and the password form still works', async () => {
    const nothingThere = await freePort();
    expect((await addConnection('--name', 'Down SSO', '--issuer', `http://127.0.0.1:${nothingThere}`)).code).toBe(0);
    const flow = await atSignIn();
    closing.push(flow.context);
    const { page } = flow;
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/upstream/'));
    await page.getByRole('button', { name: 'Continue with Down SSO' }).click();
    expect((await answer).status()).toBe(503);
    await page.getByText('cannot be reached right now').waitFor();

    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill('analytical engine notes');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const claims = await allowAndRedeem(page, flow);
    expect(claims.email).toBe('ada@example.com');
    expect(claims.amr).toEqual(['pwd']);
  });
});
