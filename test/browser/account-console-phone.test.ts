import { readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { launchChromium } from '../support/chromium.js';
import { totpCodeAt } from '../../src/mfa/totp.js';

const EMAIL = 'dorothy.vaughan.with.a.long.address@computing-division.example.com';
const PASSWORD = 'fortran for the west computers';

let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  chromium = await launchChromium();
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD, '--name', 'Dorothy Vaughan');
  // A phone (390 × 844 CSS pixels) in Berlin: times are shown in its zone, not the server's UTC.
  context = await chromium.browser.newContext({
    viewport: { width: 390, height: 844 },
    timezoneId: 'Europe/Berlin',
    locale: 'en-GB',
    acceptDownloads: true,
  });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await chromium?.close();
  await server?.close();
});

const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);

describe('the account console on a phone (390 px wide)', () => {
  it('fits /account without sideways scrolling, its tables stacked and its times in the phone’s zone', async () => {
    await page.goto(`${server.url}/account`);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Incorrect email or password.').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();

    expect(await scrollWidth()).toBeLessThanOrEqual(390);
    // The sessions table is one block per row, each cell named by its column.
    await expect(
      page
        .locator('td[data-label="IP address"]')
        .first()
        .evaluate((td) => getComputedStyle(td).display),
    ).resolves.toBe('block');
    const lastSeen = page.locator('td[data-label="Last seen"] time').first();
    await expect(lastSeen.getAttribute('data-local')).resolves.toBe('');
    const shown = (await lastSeen.textContent()) ?? '';
    expect(shown).toMatch(/CET|CEST|GMT\+1|GMT\+2/);
    expect(shown).not.toContain('UTC');
    expect(await lastSeen.getAttribute('title')).toMatch(/ UTC$/);
  });

  it('fits the recovery codes, each on one line, and copies and downloads them', async () => {
    await page.getByRole('link', { name: /Authenticator app, recovery codes/ }).click();
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
    expect(await scrollWidth()).toBeLessThanOrEqual(390);
    await page.getByLabel('Authentication code').fill(await totpCodeAt(secret, Date.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Two-step verification is on' }).waitFor();

    expect(await scrollWidth()).toBeLessThanOrEqual(390);
    const codes = page.getByTestId('recovery-codes').locator('code');
    expect(await codes.count()).toBeGreaterThanOrEqual(8);
    // One line each: a code's box is a single line box, as tall as the line it sits on.
    const lines = await codes.evaluateAll((all) => all.map((code) => code.getClientRects().length));
    expect(lines.every((n) => n === 1)).toBe(true);
    const heights = await codes.evaluateAll((all) =>
      all.map((code) => code.getBoundingClientRect().height / parseFloat(getComputedStyle(code).lineHeight || '20')),
    );
    expect(Math.max(...heights)).toBeLessThan(1.5);
    const texts = await codes.allTextContents();

    // The buttons appear only with the script (allowed by its hash under the page's CSP).
    const download = page.getByRole('button', { name: 'Download' });
    await download.waitFor();
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toBe('recovery-codes.txt');
    expect((await readFile((await file.path()) as string, 'utf8')).trim().split('\n')).toEqual(texts);

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect((await page.evaluate(() => navigator.clipboard.readText())).trim().split('\n')).toEqual(texts);
  });

  it('fits /account/mfa with its remembered browsers and recent sign-ins', async () => {
    await page.getByRole('link', { name: 'Done' }).click();
    await page.getByRole('heading', { name: 'Recent sign-ins' }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(390);
    await expect(page.locator('td[data-label="App"]').first().textContent()).resolves.toBe('Gatehouse account');
    await page.getByRole('link', { name: 'Back to your account' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(390);
  });

  it('fits /account/passkeys and /account/identities too', async () => {
    await page.getByRole('link', { name: 'Passkeys' }).click();
    await page.getByRole('heading', { name: 'Passkeys', level: 1 }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(390);
    await page.goto(`${server.url}/account/identities`);
    await page.getByRole('heading', { name: 'Sign-in with other providers' }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(390);
  });
});
