import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { startFakeGithub } from '../support/upstream-provider.js';
import { useUpstreamJourney } from '../support/upstream-journey.js';
import { withContainer } from '../../src/cli/with-container.js';
import { totpCodeAt } from '../../src/mfa/totp.js';

// Against a real upstream OpenID Provider on loopback: a bare oidc-provider 9 (support/upstream-journey.ts).
const { journey, addConnection, atSignIn, signInUpstream, allowAndRedeem, userShow } = useUpstreamJourney([
  { email: 'margaret@example.com', password: 'apollo guidance computer' },
]);
/** Set (docs/screenshots) to refresh the README's picture of the sign-in page with a provider's button. */
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;

/** An authenticator app for the account, confirmed with the previous step's code (still accepted), so the current one stays unspent. */
const enrolAuthenticator = (email: string) =>
  withContainer(journey.server.config, async (c) => {
    const account = await c.accounts.requireByEmail(email);
    const { secret } = await c.mfa.beginTotpEnrolment(account, 'test');
    await c.mfa.confirmTotpEnrolment(account, await totpCodeAt(secret, Date.now() - 30_000), 'test', { by: 'user' });
    return secret;
  });

describe('signing in with another identity provider (a real upstream OpenID Provider, in Chromium)', () => {
  it('creates the account on a first sign-in, from the upstream verified email, and says fed in amr', async () => {
    journey.upstream.people.set('grace-100', {
      email: 'grace@upstream.example',
      email_verified: true,
      name: 'Grace Hopper',
    });
    const flow = await atSignIn();
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
    journey.upstream.people.set('grace-100', { email: 'grace.hopper@elsewhere.example', email_verified: true });
    const flow = await atSignIn();
    await flow.page.getByRole('button', { name: 'Continue with Acme SSO' }).click();
    await signInUpstream(flow.page, 'grace-100');
    const claims = await allowAndRedeem(flow.page, flow);
    expect(claims.sub).toBe(before.id);
    // The account is found by (connection, iss, sub); the new address created nothing.
    expect((await gatehouse(journey.env, 'user', 'show', '--email', 'grace.hopper@elsewhere.example')).code).not.toBe(
      0,
    );
  });

  it('links an upstream identity whose email is a local account only after its password (a wrong one first)', async () => {
    journey.upstream.people.set('mh-7', { email: 'margaret@example.com', email_verified: true });
    const margaret = await userShow('margaret@example.com');
    const flow = await atSignIn();
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
    const events = (await gatehouseJson<{ events: { type: string; outcome: string }[] }>(journey.env, 'audit')).events;
    expect(events).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'upstream.linked', outcome: 'success' })]),
    );
  });

  it('still asks the second step the adaptive policy asks for after an upstream sign-in (a wrong code first)', async () => {
    // Margaret's account (linked to mh-7 above) gets an authenticator app.
    const secret = await enrolAuthenticator('margaret@example.com');
    const flow = await atSignIn();
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
    await gatehouse(
      journey.env,
      'user',
      'add',
      '--email',
      'katherine@example.com',
      '--password',
      'orbital mechanics by hand',
    );
    const secret = await enrolAuthenticator('katherine@example.com');
    journey.upstream.people.set('kj-1', { email: 'katherine@example.com', email_verified: true });
    const flow = await atSignIn();
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
      (await gatehouse(journey.env, 'connection', 'update', '--name', 'Acme SSO', '--domains', 'upstream.example'))
        .code,
    ).toBe(0);
    const flow = await atSignIn();
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
});
