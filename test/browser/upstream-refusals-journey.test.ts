import { gatehouseJson } from '../support/run-gatehouse.js';
import { type Forgery, startScriptedUpstream } from '../support/upstream-provider.js';
import { useUpstreamJourney } from '../support/upstream-journey.js';
import { freePort } from '../support/free-port.js';

// Upstreams that go wrong: a scripted OpenID Provider on loopback that refuses or forges its ID
// tokens (support/upstream-provider.ts), and one that is not there at all.
const { journey, addConnection, atSignIn, allowAndRedeem } = useUpstreamJourney([
  { email: 'ada@example.com', password: 'analytical engine notes' },
]);
let scripted: Awaited<ReturnType<typeof startScriptedUpstream>>;
beforeAll(async () => {
  scripted = await startScriptedUpstream();
});
afterAll(() => scripted?.close());

describe('an upstream sign-in that goes wrong ends on a page to retry from, never a 500', () => {
  it('refuses a denial, a bad ID token signature, a wrong iss, a replayed nonce and a replayed state with a page to retry from', async () => {
    expect((await addConnection('--name', 'Scripted', '--issuer', scripted.issuer, '--auto-create', 'on')).code).toBe(
      0,
    );
    const attempt = async (forgery: Forgery) => {
      scripted.state.forgery = forgery;
      const flow = await atSignIn();
      let callback: string | undefined;
      flow.page.on('request', (r) => {
        if (r.url().startsWith(`${journey.server.url}/interaction/upstream/callback`)) callback = r.url();
      });
      const answer = flow.page.waitForResponse((r) =>
        r.url().startsWith(`${journey.server.url}/interaction/upstream/callback`),
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
    const events = (
      await gatehouseJson<{ events: { type: string; outcome: string; reason: string }[] }>(journey.env, 'audit')
    ).events;
    const refusals = events.filter((e) => e.type === 'upstream.signin' && e.outcome === 'failure').map((e) => e.reason);
    expect(refusals).toEqual(expect.arrayContaining(['invalid_id_token', 'wrong_issuer', 'bad_state']));
  });

  it('says so when an upstream is down, and the password form still works', async () => {
    const nothingThere = await freePort();
    expect((await addConnection('--name', 'Down SSO', '--issuer', `http://127.0.0.1:${nothingThere}`)).code).toBe(0);
    const flow = await atSignIn();
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
