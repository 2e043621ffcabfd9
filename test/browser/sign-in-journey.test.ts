import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { relyingParty } from '../support/relying-party.js';
import { launchChromium } from '../support/chromium.js';

let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
const REDIRECT = 'https://journey.example/callback';

beforeAll(async () => {
  server = await startTestServer();
  chromium = await launchChromium();
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(
    env,
    'user',
    'add',
    '--email',
    'margaret@example.com',
    '--password',
    'apollo guidance computer',
    '--name',
    'Margaret Hamilton',
  );
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

describe('in a real browser (Chromium)', () => {
  it('signs in, consents, lands back at the app with a code the RP redeems, then sees it in /account', async () => {
    const env = { DATABASE_URL: server.database.url };
    const client = (
      await gatehouse(env, 'client', 'add', '--name', 'Journey', '--redirect-uri', REDIRECT, '--json')
    ).json<{ client_id: string; client_secret: string }>();
    const rp = await relyingParty(server.config.issuer, client, REDIRECT);
    const request = await rp.authorizationRequest();

    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    // The app's callback is not served here: capture where the browser is sent instead.
    let callback: URL | undefined;
    await page.route('https://journey.example/**', async (route) => {
      callback = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' });
    });

    await page.goto(request.url.toString());
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    expect(await page.textContent('body')).toContain('Journey');
    await page.getByLabel('Email').fill('margaret@example.com');
    await page.getByLabel('Password').fill('apollo guidance computer');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    await page.getByRole('button', { name: 'Allow' }).waitFor();
    expect(await page.textContent('body')).toContain('See your email address');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL('https://journey.example/**');

    expect(callback?.searchParams.get('iss')).toBe(server.config.issuer);
    const tokens = await rp.redeem(callback as URL, request);
    expect(tokens.claims()?.email).toBe('margaret@example.com');

    // Same browser, same session: the console opens without asking again and lists the app.
    await page.goto(`${server.url}/account`);
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    const body = await page.textContent('body');
    expect(body).toContain('Margaret Hamilton');
    expect(body).toContain('Journey');
    expect(body).toContain('(this browser)');

    const cookies = await context.cookies(server.url);
    const session = cookies.find((c) => c.name === 'gatehouse.session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await context.close();
  });
});
