import * as oidc from 'openid-client';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { burst, formPost } from '../support/burst.js';
import { freezeDate } from '../support/fake-date.js';
import { USER_CODE_POLICY } from '../../src/throttle/user-code-throttle.js';
import { DEVICE_CODE_GRANT } from '../../src/oidc/device-flow.js';
import { waitInWords } from '../../src/kernel/wait-in-words.js';

const EMAIL = 'edsger@example.com';
const PASSWORD = 'goto considered harmful 68';

let server: TestServer;
let env: Record<string, string>;
let device: oidc.Configuration;

/** openid-client for a client id, as a device (or a browser-only app) uses it. */
const clientFor = (clientId: string) =>
  oidc.discovery(new URL(server.config.issuer), clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });

/** The OAuth error a promise rejects with (openid-client's ResponseBodyError carries it). */
const oauthError = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => (error as { error?: string }).error,
  );

/** One poll of the token endpoint, sent by hand: openid-client waits the interval itself. */
const poll = async (deviceCode: string) => {
  const res = await fetch(`${server.url}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: DEVICE_CODE_GRANT,
      device_code: deviceCode,
      client_id: device.clientMetadata().client_id,
    }),
  });
  return { status: res.status, ...((await res.json()) as { error?: string; access_token?: string }) };
};

/** A browser at the verification page: its cookies and the page's anti-CSRF value. */
async function codePage(address: string) {
  const agent = new UserAgent(server.url);
  const page = await (await agent.get('/device', { 'x-forwarded-for': address })).text();
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] as string;
  return { agent, xsrf, cookie: agent.cookieHeader(new URL('/device', server.url)) };
}

/** Types `code` at the verification page from `address`; returns the answer's status and text. */
async function typeCode(code: string, address = '198.51.100.1') {
  const { agent, xsrf } = await codePage(address);
  const res = await agent.post('/device', { xsrf, user_code: code, confirm: 'yes' }, { 'x-forwarded-for': address });
  return { agent, status: res.status, text: await res.text(), location: res.headers.get('location') };
}

beforeAll(async () => {
  // Behind a proxy of ours, so each test speaks from an address of its own (the throttle is per address).
  server = await startTestServer({ TRUST_PROXY: 'true' });
  env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
  const tv = await gatehouseJson<{ client_id: string }>(
    env,
    'client',
    'add',
    '--name',
    'Terminal',
    '--grant-type',
    'urn:ietf:params:oauth:grant-type:device_code',
    '--auth-method',
    'none',
  );
  device = await clientFor(tv.client_id);
});

afterAll(async () => {
  await server?.close();
});

describe('the device authorization grant (RFC 8628) at the HTTP level', () => {
  it('answers slow_down to a device that polls again within the interval, authorization_pending otherwise', async () => {
    const started = await oidc.initiateDeviceAuthorization(device, { scope: 'openid' });
    expect(started.interval).toBe(5);
    expect(await poll(started.device_code)).toMatchObject({ status: 400, error: 'authorization_pending' });
    expect(await poll(started.device_code)).toMatchObject({ status: 400, error: 'slow_down' });
  });

  it('answers expired_token once the code has outlived its ten minutes, and the page says the code expired', async () => {
    const clock = freezeDate();
    try {
      const started = await oidc.initiateDeviceAuthorization(device, { scope: 'openid' });
      clock.advance(10 * 60 * 1000 + 1000);
      expect(await poll(started.device_code)).toMatchObject({ status: 400, error: 'expired_token' });
      const typed = await typeCode(started.user_code, '198.51.100.2');
      expect(typed.status).toBe(400);
      expect(typed.text).toContain('That code has expired. Start again on your device to get a new code.');
    } finally {
      clock.restore();
    }
  });

  it('refuses a client not registered for the grant with unauthorized_client, until client update gives it', async () => {
    const web = await gatehouseJson<{ client_id: string }>(
      env,
      'client',
      'add',
      '--name',
      'Web only',
      '--redirect-uri',
      'https://web.example/cb',
      '--auth-method',
      'none',
    );
    const client = await clientFor(web.client_id);
    await expect(oauthError(oidc.initiateDeviceAuthorization(client, { scope: 'openid' }))).resolves.toBe(
      'unauthorized_client',
    );
    const updated = await gatehouse(
      env,
      'client',
      'update',
      '--client-id',
      web.client_id,
      '--grant-type',
      'authorization_code',
      '--grant-type',
      'device_code',
    );
    expect(updated.code).toBe(0);
    const shown = await gatehouseJson<{ grant_types: string[] }>(env, 'client', 'show', '--client-id', web.client_id);
    expect(shown.grant_types).toEqual(['authorization_code', DEVICE_CODE_GRANT]);
    const started = await oidc.initiateDeviceAuthorization(await clientFor(web.client_id), { scope: 'openid' });
    expect(started.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
  });

  it('answers a page, never a 500, for a code page posted without its form value or with an empty code', async () => {
    const { agent, xsrf } = await codePage('198.51.100.3');
    const empty = await agent.post('/device', { xsrf, user_code: '', confirm: 'yes' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Type the code shown on your device.');
    const forged = await agent.post('/device', { xsrf: 'forged', user_code: 'BCDF-GHJK', confirm: 'yes' });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('Type the code again.');
    // Our page under the strict CSP: no script at all (the provider's own form has an inline handler).
    const fresh = await agent.get('/device');
    expect(fresh.headers.get('content-security-policy')).not.toContain('script-src');
    expect(await fresh.text()).not.toContain('onfocus');
  });

  it('answers a page, never a 500, to a browser with no session, and the page it answers takes the second try', async () => {
    const address = '198.51.100.7';
    // A mistyped link, opened in a browser that has never been here.
    const mistyped = await new UserAgent(server.url).get('/device/x', { 'x-forwarded-for': address });
    expect(mistyped.status).toBe(400);
    expect(await mistyped.text()).toContain('Type the code again.');
    // The code page sent after its session ended (here: the browser holds no session at all).
    const started = await oidc.initiateDeviceAuthorization(device, { scope: 'openid' });
    const browser = new UserAgent(server.url);
    const stale = await browser.post(
      '/device',
      { xsrf: 'from-a-page-left-open', user_code: started.user_code, confirm: 'yes' },
      { 'x-forwarded-for': address },
    );
    expect(stale.status).toBe(400);
    const page = await stale.text();
    expect(page).toContain('This page was open too long or in another browser. Type the code again.');
    // Its form value lives in a session saved with the page, whose cookie came with it.
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] as string;
    const again = await browser.post(
      '/device',
      { xsrf, user_code: started.user_code, confirm: 'yes' },
      { 'x-forwarded-for': address },
    );
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toContain('/interaction/');
  });

  it('shows a code that came in a link for comparison first; Cancel there tells the device access_denied', async () => {
    const started = await oidc.initiateDeviceAuthorization(device, { scope: 'openid' });
    const { agent, xsrf } = await codePage('198.51.100.6');
    // What the link's auto-submitting page posts: the code, without `confirm`.
    const confirm = await agent.post('/device', { xsrf, user_code: started.user_code });
    const page = await confirm.text();
    expect(page).toContain('Does your device show this code?');
    expect(page).toContain(started.user_code);
    expect(confirm.headers.get('content-security-policy')).not.toContain('script-src');
    const confirmXsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] as string;
    const cancelled = await agent.post('/device', { xsrf: confirmXsrf, user_code: started.user_code, abort: 'yes' });
    expect(await cancelled.text()).toContain('Access denied');
    expect(await poll(started.device_code)).toMatchObject({ status: 400, error: 'access_denied' });
  });

  it("asks a device app's person for the second step its MFA policy demands, as any sign-in does", async () => {
    const strict = await gatehouseJson<{ client_id: string }>(
      env,
      ...['client', 'add', '--name', 'Vault CLI', '--grant-type', 'device_code', '--auth-method', 'none'],
      ...['--mfa', 'always'],
    );
    const started = await oidc.initiateDeviceAuthorization(await clientFor(strict.client_id), { scope: 'openid' });
    const typed = await typeCode(started.user_code, '198.51.100.4');
    const login = await typed.agent.follow(
      await typed.agent.get(new URL(typed.location as string, server.url), { 'x-forwarded-for': '198.51.100.4' }),
    );
    const uid = /action="\/interaction\/([^/"]+)\//.exec(await login.text())?.[1] as string;
    const next = await typed.agent.follow(
      await typed.agent.post(`/interaction/${uid}/login`, { email: EMAIL, password: PASSWORD }),
    );
    const page = await next.text();
    // Not the consent page: the second step comes first (here: set up an authenticator).
    expect(page).not.toContain('>Allow<');
    expect(page).toMatch(/authenticator/i);
  });

  it('shows the consent page for a device even to a first-party app, which a browser sign-in skips', async () => {
    const own = await gatehouseJson<{ client_id: string }>(
      env,
      ...['client', 'add', '--name', 'Office Display', '--grant-type', 'device_code', '--auth-method', 'none'],
      '--first-party',
    );
    const started = await oidc.initiateDeviceAuthorization(await clientFor(own.client_id), { scope: 'openid email' });
    const typed = await typeCode(started.user_code, '198.51.100.5');
    const login = await typed.agent.follow(await typed.agent.get(new URL(typed.location as string, server.url)));
    const uid = /action="\/interaction\/([^/"]+)\//.exec(await login.text())?.[1] as string;
    const consent = await typed.agent.follow(
      await typed.agent.post(`/interaction/${uid}/login`, { email: EMAIL, password: PASSWORD }),
    );
    const page = await consent.text();
    expect(page).toContain('<strong>Office Display</strong> wants access to your account');
    // The device's own address (it asked from here), not the browser's (198.51.100.5).
    expect(page).toMatch(/This request comes from a device \(at address [^)]*127\.0\.0\.1\)/);
    expect(page).toContain('See your email address and whether it is verified');
  });

  it('looks up no more wrong codes from one address than the throttle allows, under a parallel burst', async () => {
    const address = '203.0.113.9';
    const BURST = 24;
    const pages = await Promise.all(Array.from({ length: BURST }, () => codePage(address)));
    const answers = await burst(
      server.url,
      pages.map(({ cookie, xsrf }, i) => ({
        ...formPost(server.url, '/device', cookie, {
          xsrf,
          user_code: `BCDF-GH${'JKLMNPQRSTVWXZ'[i % 14]}${'JKLMNPQRSTVWXZ'[Math.floor(i / 14)]}`,
          confirm: 'yes',
        }),
        headers: { ...formPost(server.url, '/device', cookie, {}).headers, 'x-forwarded-for': address },
      })),
    );
    const wrong = answers.filter((a) => a.status === 400 && a.text.includes('That code is not right'));
    const refused = answers.filter((a) => a.status === 429);
    expect(wrong).toHaveLength(USER_CODE_POLICY.freeFailures + 1);
    expect(refused).toHaveLength(BURST - USER_CODE_POLICY.freeFailures - 1);
    expect(refused[0]?.text).toContain('Too many wrong codes were typed from your network');
    expect(refused[0]?.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(refused[0]?.text).toContain(`Try again in ${waitInWords(Number(refused[0]?.headers['retry-after']))}.`);
    // The refusals are one folded row of the audit trail, counted.
    const { events } = await gatehouseJson<{ events: { type: string; ip: string; count: number }[] }>(env, 'audit');
    const throttled = events.filter((e) => e.type === 'device.throttled');
    expect(throttled).toEqual([expect.objectContaining({ ip: address, count: refused.length })]);

    // The right code from that address waits too; from another address it goes through.
    const started = await oidc.initiateDeviceAuthorization(device, { scope: 'openid' });
    expect((await typeCode(started.user_code, address)).status).toBe(429);
    const elsewhere = await typeCode(started.user_code, '203.0.113.10');
    expect(elsewhere.status).toBe(303);
    expect(elsewhere.location).toContain('/interaction/');
  });
});
