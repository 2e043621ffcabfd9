import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson, gatehouseWithStdin, pipedStdin } from '../support/run-gatehouse.js';
import { launchChromium } from '../support/chromium.js';
import { startUpstreamProvider } from '../support/upstream-provider.js';

// The account console's list of sign-ins at other providers, against a bare oidc-provider upstream
// on loopback (its development screens: the login typed is the `sub`).
let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let upstream: Awaited<ReturnType<typeof startUpstreamProvider>>;
let env: Record<string, string>;
const SECRET = 'upstream-client-secret-0123456789abcdef';

beforeAll(async () => {
  server = await startTestServer({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  env = { DATABASE_URL: server.database.url };
  chromium = await launchChromium();
  upstream = await startUpstreamProvider({
    client_id: 'gatehouse',
    client_secret: SECRET,
    redirect_uri: `${server.url}/interaction/upstream/callback`,
  });
  const added = await gatehouseWithStdin(
    env,
    pipedStdin(`${SECRET}\n`),
    'connection',
    'add',
    '--name',
    'Acme SSO',
    '--issuer',
    upstream.issuer,
    '--client-id',
    'gatehouse',
    '--client-secret-stdin',
    '--auto-create',
    'on',
  );
  expect(added.code).toBe(0);
  await gatehouse(env, 'user', 'add', '--email', 'ada@example.com', '--password', 'analytical engine notes');
});

afterAll(async () => {
  await chromium?.close();
  await upstream?.close();
  await server?.close();
});

const identitiesOf = async (email: string) =>
  (await gatehouseJson<{ identities: { subject: string }[] }>(env, 'user', 'show', '--email', email)).identities;

async function atUpstream(page: import('playwright-core').Page, sub: string) {
  await page.locator('input[name="login"]').fill(sub);
  await page.locator('input[name="password"]').fill('anything');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('the account console lists sign-ins at other providers', () => {
  it('links another provider from the console, then unlinks it (the password still signs in)', async () => {
    upstream.people.set('ada-1', { email: 'ada@upstream.example', email_verified: true });
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/account`);
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill('analytical engine notes');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await page.getByRole('link', { name: 'Sign-in with other providers' }).click();
    expect(await page.textContent('body')).toContain('No other provider is linked');

    await page.getByRole('button', { name: 'Link Acme SSO' }).click();
    await atUpstream(page, 'ada-1');
    await page.getByText('The provider is linked').waitFor();
    expect(await identitiesOf('ada@example.com')).toEqual([expect.objectContaining({ subject: 'ada-1' })]);

    await page.getByRole('button', { name: 'Unlink Acme SSO' }).click();
    await page.getByText('The provider is unlinked').waitFor();
    expect(await identitiesOf('ada@example.com')).toEqual([]);
    const events = (await gatehouseJson<{ events: { type: string; outcome: string }[] }>(env, 'audit')).events;
    expect(events.map((e) => `${e.type}:${e.outcome}`)).toEqual(
      expect.arrayContaining(['upstream.linked:success', 'upstream.unlinked:success']),
    );
    await context.close();
  });

  it('refuses to unlink the only way into an account the upstream created', async () => {
    upstream.people.set('lin-9', { email: 'lin@upstream.example', email_verified: true });
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/account/identities`);
    await page.getByRole('button', { name: 'Continue with Acme SSO' }).click();
    await atUpstream(page, 'lin-9');
    await page.goto(`${server.url}/account/identities`);
    const answer = page.waitForResponse((r) => r.url().endsWith('/unlink'));
    await page.getByRole('button', { name: 'Unlink Acme SSO' }).click();
    expect((await answer).status()).toBe(409);
    await page.getByText('This is your only way to sign in').waitFor();
    expect(await identitiesOf('lin@upstream.example')).toEqual([expect.objectContaining({ subject: 'lin-9' })]);
    await context.close();
  });
});
