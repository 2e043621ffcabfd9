// Chromium journey for /account/passkeys with the DevTools Protocol virtual authenticator.
// Set SCREENSHOT_DIR (e.g. docs/screenshots) to refresh the README's pictures of the console.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { launchChromium } from '../support/chromium.js';
import { freezeDate } from '../support/fake-date.js';
import { freePort } from '../support/free-port.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const EMAIL = 'dorothy@example.com';
const PASSWORD = 'crystals in a careful lattice';
let server: TestServer;
let issuer: string;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let clock: ReturnType<typeof freezeDate>;

beforeAll(async () => {
  clock = freezeDate();
  // WebAuthn takes a domain as RP ID, never an IP address: the issuer is http://localhost (a secure context).
  const port = await freePort();
  issuer = `http://localhost:${port}`;
  server = await startTestServer({ PORT: String(port), ISSUER: issuer });
  chromium = await launchChromium();
  await gatehouse({ DATABASE_URL: server.database.url }, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
  clock?.restore();
});

async function shoot(page: Page, name: string, width: number) {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.setViewportSize({ width, height: 900 });
  await page.screenshot({ path: join(SCREENSHOT_DIR, name), fullPage: true });
}

it('adds a passkey in the console after a mistyped password, renames it and removes it', async () => {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await page.goto(`${issuer}/account`);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('link', { name: 'Passkeys' }).click();
  clock.advance(6 * 60_000);
  await page.reload();

  await page.getByLabel('Name (optional)').fill('Lab laptop');
  await page.getByLabel('Current password').fill('not my password');
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.getByRole('alert').filter({ hasText: 'The password is not correct.' }).waitFor();
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.getByTestId('recovery-codes').waitFor();
  await page.getByRole('link', { name: 'Done' }).click();
  await page.getByRole('cell', { name: 'Lab laptop', exact: true }).waitFor();
  await shoot(page, 'passkeys-console-desktop.png', 1280);
  await shoot(page, 'passkeys-console-phone.png', 390);
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByLabel('New name for Lab laptop').fill('Crystallography laptop');
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByRole('status').filter({ hasText: 'renamed' }).waitFor();
  await page
    .getByRole('row')
    .filter({ hasText: 'Crystallography laptop' })
    .getByLabel('Current password')
    .fill(PASSWORD);
  await page.getByRole('button', { name: 'Remove Crystallography laptop' }).click();
  await page.getByText('You have no passkeys yet.').waitFor();
  await context.close();
});
