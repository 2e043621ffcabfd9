import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { launchChromium } from '../support/chromium.js';
import { freezeDate } from '../support/fake-date.js';
import { totpCodeAt } from '../../src/mfa/totp.js';

const ROOT = 'margaret@example.com';
const ADA = 'ada@example.com';
const PASSWORD = 'the software is the mission';

let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let clock: ReturnType<typeof freezeDate>;

beforeAll(async () => {
  clock = freezeDate();
  server = await startTestServer();
  chromium = await launchChromium();
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', ROOT, '--password', PASSWORD, '--name', 'Margaret', '--role', 'admin');
  await gatehouse(env, 'user', 'add', '--email', ADA, '--password', PASSWORD, '--name', 'Ada Lovelace');
  await gatehouse(env, 'user', 'add', '--email', 'adam@example.com', '--password', PASSWORD);
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
  clock?.restore();
});

async function signInWithPassword(page: Page, email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Ada signs in to her own console in a browser of her own and sets up an authenticator app. */
async function adaWithAuthenticator() {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/account`);
  await signInWithPassword(page, ADA);
  await page.getByRole('heading', { name: 'Your account' }).waitFor();
  await page.getByRole('link', { name: /Authenticator app, recovery codes/ }).click();
  await page.getByRole('button', { name: 'Set up authenticator app' }).click();
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  await page.getByLabel('Authentication code').fill(await totpCodeAt(secret, Date.now()));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByTestId('recovery-codes').waitFor();
  return { context, page };
}

describe('the admin console in a real browser (Chromium)', () => {
  it('an administrator made by the CLI sets up a second factor on the first visit, finds a person, ends their sessions and resets their MFA', async () => {
    const ada = await adaWithAuthenticator();
    clock.advance(30_000);

    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/admin`);
    await signInWithPassword(page, ROOT);
    // No authenticator yet: the sign-in sets one up. A mistyped code first, then the right one.
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
    await page.getByLabel('Authentication code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not right' }).waitFor();
    await page.getByLabel('Authentication code').fill(await totpCodeAt(secret, Date.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    await page.getByRole('link', { name: /^Continue to/ }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin');

    // Finds Ada: a typo first, then her address's start.
    await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'People' }).click();
    await page.getByLabel('Email starts with').fill('adx');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No one’s email starts with “adx”.').waitFor();
    await page.getByLabel('Email starts with').fill('ada');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: ADA }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();

    await page.getByRole('button', { name: `End all sessions of ${ADA}` }).click();
    await page.getByRole('status').filter({ hasText: 'All their sessions have ended.' }).waitFor();
    // Ada's browser is signed out: her console sends her to sign in.
    await ada.page.goto(`${server.url}/account`);
    await ada.page.getByLabel('Password').waitFor();
    await ada.context.close();

    // Resetting her MFA needs the confirmation that names her.
    await page.getByText(`Remove the authenticator app, passkeys and recovery codes of ${ADA}`).waitFor();
    await page.getByLabel('Yes, reset two-step verification').check();
    await page.getByRole('button', { name: 'Reset two-step verification' }).click();
    await page.getByRole('status').filter({ hasText: 'Two-step verification has been reset' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain('password only');
    // Her page's recent events say who did it.
    expect(await page.getByRole('main').textContent()).toContain(`by ${ROOT} in the admin console`);
    await context.close();
  });

  it('refuses a person without the admin role on every console page', async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/admin/people`);
    await signInWithPassword(page, 'adam@example.com');
    await page.getByRole('heading', { name: 'Not an administrator' }).waitFor();
    const answer = await page.goto(`${server.url}/admin`);
    expect(answer?.status()).toBe(403);
    await page.getByRole('heading', { name: 'Not an administrator' }).waitFor();
    await context.close();
  });
});
