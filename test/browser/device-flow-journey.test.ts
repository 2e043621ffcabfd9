import * as oidc from 'openid-client';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { launchChromium } from '../support/chromium.js';
import { freePort } from '../support/free-port.js';

const EMAIL = 'grace@example.com';
const PASSWORD = 'compilers all the way down 59';

let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let tv: oidc.Configuration;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer({ METRICS_PORT: String(await freePort()) });
  chromium = await launchChromium();
  env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD, '--name', 'Grace Hopper');
  // A public client, as a TV app is: it can keep no secret (RFC 8628 §3.1 lets it authenticate with none).
  const client = await gatehouseJson<{ client_id: string }>(
    env,
    'client',
    'add',
    '--name',
    'Living Room TV',
    '--grant-type',
    'device_code',
    '--auth-method',
    'none',
  );
  tv = await oidc.discovery(new URL(server.config.issuer), client.client_id, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

/** Types a code at the verification page and presses Continue. */
async function enterCode(page: Page, code: string) {
  await page.getByLabel('Code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** The error the device's poll ends with, as openid-client reports it. */
async function pollError(response: oidc.DeviceAuthorizationResponse): Promise<string | undefined> {
  try {
    await oidc.pollDeviceAuthorizationGrant(tv, response);
    return undefined;
  } catch (error) {
    return (error as { error?: string }).error;
  }
}

describe('a TV signs a person in with the device grant, the person answering in Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let approved: oidc.DeviceAuthorizationResponse;

  beforeAll(async () => {
    context = await chromium.browser.newContext();
    page = await context.newPage();
  });
  afterAll(() => context?.close());

  it('discovery names the device authorization endpoint', () => {
    expect(tv.serverMetadata().device_authorization_endpoint).toBe(`${server.config.issuer}/device/auth`);
  });

  it('gets the tokens once the person types a wrong code, then the right one, signs in and allows', async () => {
    approved = await oidc.initiateDeviceAuthorization(tv, { scope: 'openid email' });
    // Short and unambiguous: two groups of four letters with no vowels (no 0/O, 1/I).
    expect(approved.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(approved.verification_uri).toBe(`${server.config.issuer}/device`);
    const tokens = oidc.pollDeviceAuthorizationGrant(tv, approved);

    await page.goto(approved.verification_uri);
    await page.getByRole('heading', { name: 'Connect a device' }).waitFor();
    const wrong = approved.user_code.startsWith('B') ? 'CCCC-CCCC' : 'BBBB-BBBB';
    await enterCode(page, wrong);
    await page.getByRole('alert').getByText('That code is not right').waitFor();
    // Typed in lower case and without the dash: still the code.
    await enterCode(page, approved.user_code.replace('-', '').toLowerCase());

    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    await page.getByRole('heading', { name: 'Living Room TV wants access to your account' }).waitFor();
    await expect(page.getByText('This request comes from a device').isVisible()).resolves.toBe(true);
    await expect(page.getByText('See your email address and whether it is verified').isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: 'Your device is connected' }).waitFor();

    const result = await tokens;
    expect(result.claims()?.email).toBe(EMAIL);
    expect(result.access_token).toBeTruthy();
  });

  it('refuses the same code a second time, readably, and lets the person type another', async () => {
    await page.goto(approved.verification_uri);
    await enterCode(page, approved.user_code);
    await page.getByRole('alert').getByText('That code has already been used').waitFor();
    await expect(page.getByLabel('Code').isVisible()).resolves.toBe(true);
  });

  it('tells the device access_denied when the person, shown the code from a link, denies', async () => {
    const denied = await oidc.initiateDeviceAuthorization(tv, { scope: 'openid email' });
    const outcome = pollError(denied);
    // verification_uri_complete carries the code: the person compares it with the device's first.
    await page.goto(denied.verification_uri_complete as string);
    await page.getByRole('heading', { name: 'Does your device show this code?' }).waitFor();
    await expect(page.getByText(denied.user_code, { exact: true }).isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Continue' }).click();
    // Already signed in from the first device: straight to the question, which is still asked.
    await page.getByRole('heading', { name: 'Living Room TV wants access to your account' }).waitFor();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.getByRole('heading', { name: 'Access denied' }).waitFor();
    await expect(outcome).resolves.toBe('access_denied');
  });

  it('records the approval and the denial in the audit trail', async () => {
    const { events } = await gatehouseJson<{ events: { type: string; clientId: string }[] }>(env, 'audit');
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['device.approved', 'device.denied']));
    expect(events.find((e) => e.type === 'device.approved')?.clientId).toBe(tv.clientMetadata().client_id);
  });

  it('counts the answers and the tokens issued to the device in the metrics', async () => {
    const text = await (await fetch(server.running.metricsUrl as string)).text();
    const valueOf = (series: string) =>
      Number(
        text
          .split('\n')
          .find((line) => line.startsWith(`${series} `))
          ?.slice(series.length + 1),
      );
    expect(valueOf('gatehouse_device_authorizations_total{outcome="approved"}')).toBe(1);
    expect(valueOf('gatehouse_device_authorizations_total{outcome="denied"}')).toBe(1);
    expect(
      valueOf(
        'gatehouse_tokens_issued_total{grant_type="urn:ietf:params:oauth:grant-type:device_code",token="access_token",format="opaque"}',
      ),
    ).toBe(1);
  });
});
