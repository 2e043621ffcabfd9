import { createServer, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { relyingParty } from '../support/relying-party.js';
import { launchChromium } from '../support/chromium.js';
import { freePort } from '../support/free-port.js';
import { mailCatcher, linkIn, type MailCatcher } from '../support/mail-catcher.js';

// Set SCREENSHOT_DIR (e.g. docs/screenshots) to refresh the README's pictures from this journey.
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const EMAIL = 'dorothy@example.com';
const PASSWORD = 'crystals of penicillin';
const NEW_PASSWORD = 'the structure of insulin 1969';

let server: TestServer;
let catcher: MailCatcher;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let app: Server;
let redirectUri: string;
let rp: Awaited<ReturnType<typeof relyingParty>>;

beforeAll(async () => {
  catcher = await mailCatcher();
  server = await startTestServer({
    SMTP_URL: catcher.url,
    MAIL_FROM: 'Gatehouse <no-reply@gatehouse.test>',
    OUTBOX_INTERVAL_SECONDS: '1',
    REGISTRATION: 'open',
  });
  chromium = await launchChromium();
  const port = await freePort();
  redirectUri = `http://127.0.0.1:${port}/callback`;
  app = createServer((_req, res) => res.end('back at the app'));
  await new Promise<void>((resolve) => app.listen(port, '127.0.0.1', () => resolve()));
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(
    env,
    'user',
    'add',
    '--email',
    EMAIL,
    '--password',
    PASSWORD,
    '--name',
    'Dorothy Hodgkin',
    '--email-verified',
  );
  rp = await relyingParty(
    server.config.issuer,
    await gatehouseJson(env, 'client', 'add', '--name', 'Lab Notebook', '--redirect-uri', redirectUri, '--first-party'),
    redirectUri,
  );
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
  await catcher?.close();
  app?.close();
});

async function shoot(page: Page, name: string) {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, name), fullPage: true });
}

describe('password reset in a real browser (Chromium)', () => {
  it('forgot password → email → new password → sign-in with it, back at the app', async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await page.goto((await rp.authorizationRequest()).url.toString());
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shoot(page, 'sign-in-with-mail.png');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();

    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await page.getByLabel('Email').fill(EMAIL);
    await shoot(page, 'forgot-password.png');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();

    const [mail] = await catcher.waitFor(EMAIL);
    expect(mail?.subject).toBe('Reset your password · Gatehouse');
    // The person opens the link from their mail (in the same browser here).
    await page.goto(linkIn(mail as never));
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await shoot(page, 'reset-password.png');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { name: 'Your password has been changed' }).waitFor();
    expect((await catcher.waitFor(EMAIL, 2))[1]?.subject).toBe('Your password was changed · Gatehouse');

    // Back to the app: the old password is refused, the new one signs in.
    const request = await rp.authorizationRequest();
    await page.goto(request.url.toString());
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Incorrect email or password.').waitFor();
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${redirectUri}**`);
    const tokens = await rp.redeem(page.url(), request);
    expect(decodeJwt(tokens.id_token as string)).toMatchObject({ email: EMAIL, email_verified: true });
    await context.close();
  });

  it('the "Create account" page, for the README', async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await page.goto((await rp.authorizationRequest()).url.toString());
    await page.getByRole('link', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Create account' }).waitFor();
    await shoot(page, 'create-account.png');
    await context.close();
  });
});
