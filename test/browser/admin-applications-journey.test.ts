import { createServer, type Server } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { relyingParty } from '../support/relying-party.js';
import { launchChromium } from '../support/chromium.js';
import { freePort } from '../support/free-port.js';
import { freezeDate } from '../support/fake-date.js';
import { totpCodeAt } from '../../src/mfa/totp.js';

// Set SCREENSHOT_DIR (docs/admin-console) to refresh the README's pictures of these pages, at a
// desktop width and a phone's.
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const ADMIN = 'grace@example.com';
const PERSON = 'dorothy@example.com';
const PASSWORD = 'compilers all the way down';

let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let clock: ReturnType<typeof freezeDate>;
let app: Server;
let redirectUri: string;
let console_: BrowserContext;
let adminPage: Page;

beforeAll(async () => {
  clock = freezeDate();
  server = await startTestServer();
  chromium = await launchChromium();
  // The application's own listener on loopback: the browser really lands there with the code.
  const port = await freePort();
  redirectUri = `http://127.0.0.1:${port}/callback`;
  app = createServer((_req, res) => res.end('back at the app'));
  await new Promise<void>((resolve) => app.listen(port, '127.0.0.1', () => resolve()));
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', ADMIN, '--password', PASSWORD, '--role', 'admin');
  await gatehouse(env, 'user', 'add', '--email', PERSON, '--password', PASSWORD, '--name', 'Dorothy Vaughan');
  await gatehouse(env, 'resource', 'add', '--identifier', 'https://payroll.example.com', '--scope', 'read:payslips');
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
  app?.close();
  clock?.restore();
});

/** The page at a desktop width and at a phone's (390 px), whole, when SCREENSHOT_DIR is set; and never wider than the phone. */
async function shoot(page: Page, name: string) {
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const wide = await page.evaluate(() =>
    Array.from(document.querySelectorAll('body *'))
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName}.${e.className}#${e.id}:${Math.round(e.getBoundingClientRect().right)}`),
  );
  expect({ page: name, sideways: overflow, wide }).toEqual({ page: name, sideways: 0, wide: [] });
  if (SCREENSHOT_DIR) {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-390.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-1280.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('an administrator registers an application in the admin console (Chromium)', () => {
  let clientId = '';
  let clientSecret = '';

  it('signs in with a password and a newly set-up authenticator, and lands on the create form', async () => {
    console_ = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await console_.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    adminPage = await console_.newPage();
    await adminPage.goto(`${server.url}/admin/applications/new`);
    await adminPage.getByLabel('Email').fill(ADMIN);
    await adminPage.getByLabel('Password').fill(PASSWORD);
    await adminPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await adminPage.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
    const secret = (await adminPage.getByTestId('totp-secret').textContent()) ?? '';
    await adminPage.getByLabel('Authentication code').fill(await totpCodeAt(secret, Date.now()));
    await adminPage.getByRole('button', { name: 'Verify' }).click();
    await adminPage.getByTestId('recovery-codes').waitFor();
    await adminPage.getByRole('link', { name: 'Continue' }).click();
    await adminPage.getByRole('heading', { name: 'New application' }).waitFor();
    expect(new URL(adminPage.url()).pathname).toBe('/admin/applications/new');
  });

  it('refuses a plain-http redirect URI on another host next to its field, then creates the application with the right one', async () => {
    const page = adminPage;
    await page.getByLabel('Name').fill('Payroll portal');
    await page.getByLabel('Confidential, secret in the Authorization header').check();
    await page.getByLabel('Redirect URIs (one per line)').fill('http://payroll.example.com/callback');
    await page.getByLabel('authorization_code').check();
    await page.getByLabel('https://payroll.example.com').check();
    await page.getByRole('button', { name: 'Create application' }).click();
    await page.getByRole('alert').filter({ hasText: 'Nothing was saved' }).waitFor();
    const field = page.getByLabel('Redirect URIs (one per line)');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-redirect-uris-error').textContent()).toContain('must use https');
    // What was typed is still there; only the mistake is corrected.
    expect(await page.getByLabel('Name').inputValue()).toBe('Payroll portal');
    await shoot(page, 'application-create');
    // The keyboard's place is visible on every control it reaches (WCAG 2.2 §2.4.7).
    await page.getByLabel('Name').focus();
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press('Tab');
      const outline = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement as Element);
        return `${document.activeElement?.tagName} ${style.outlineStyle} ${style.outlineWidth}`;
      });
      expect(outline).toMatch(/ solid 3px$/);
    }
    await field.fill(redirectUri);
    await page.getByRole('button', { name: 'Create application' }).click();
    await page.getByRole('heading', { name: 'Payroll portal is registered' }).waitFor();
    // The Copy buttons appear only with the script, which the page's CSP allows by its hash.
    await shoot(page, 'application-secret');
    /** Clicks a Copy button, waits until it says it copied, and reads the clipboard. */
    const copy = async (name: string) => {
      const button = page.getByRole('button', { name });
      await button.click();
      await button.waitFor({ state: 'detached' });
      return page.evaluate(() => navigator.clipboard.readText());
    };
    clientId = await copy('Copy client ID');
    clientSecret = await copy('Copy client secret');
    expect(clientId).toBe(await page.getByLabel('client ID', { exact: true }).inputValue());
    expect(clientSecret.length).toBeGreaterThan(30);
  });

  it('lets a real relying party (openid-client) sign a person in with the copied credentials', async () => {
    clock.advance(30_000);
    const rp = await relyingParty(
      server.config.issuer,
      { client_id: clientId, client_secret: clientSecret },
      redirectUri,
    );
    const request = await rp.authorizationRequest();
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await page.goto(request.url.toString());
    expect(await page.textContent('body')).toContain('Payroll portal');
    await page.getByLabel('Email').fill(PERSON);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${redirectUri}**`);
    const tokens = await rp.redeem(page.url(), request);
    expect(tokens.claims()?.email).toBe(PERSON);
    await context.close();
  });

  it('shows the application in the list and the APIs page', async () => {
    await adminPage
      .getByRole('navigation', { name: 'Admin console' })
      .getByRole('link', { name: 'Applications' })
      .click();
    await adminPage.getByRole('link', { name: 'Payroll portal' }).waitFor();
    await shoot(adminPage, 'applications');
    await adminPage.getByRole('link', { name: 'Payroll portal' }).click();
    await adminPage.getByRole('heading', { name: 'API access' }).waitFor();
    await shoot(adminPage, 'application');
    await adminPage.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'APIs' }).click();
    await adminPage.getByRole('link', { name: 'https://payroll.example.com' }).waitFor();
    await shoot(adminPage, 'apis');
  });

  it('reads the sign-in at the application in the Audit log, with why the second step was or was not asked, and exports it as NDJSON', async () => {
    const page = adminPage;
    await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    // The administrator's own creation of it is there, theirs.
    expect(await page.locator('tbody').textContent()).toContain(`by ${ADMIN} in the admin console`);
    await page.getByLabel('Application (client ID)').fill(clientId);
    await page.getByRole('button', { name: 'Show events' }).click();
    const rows = page.locator('tbody tr');
    await rows.first().waitFor();
    const text = (await page.locator('tbody').textContent()) ?? '';
    expect(text).toContain('mfa.decision');
    expect(text).toContain('Second step not asked');
    expect(text).toContain(PERSON);
    await shoot(page, 'audit-log');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export these events (NDJSON)' }).click(),
    ]);
    const lines = readFileSync((await download.path()) as string, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; client_id: string; email: string });
    expect(lines.length).toBe(await rows.count());
    expect(lines.every((e) => e.client_id === clientId)).toBe(true);
    expect(lines.map((e) => e.type)).toContain('mfa.decision');
    await console_.close();
  });
});
