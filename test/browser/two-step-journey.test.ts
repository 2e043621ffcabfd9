import { createServer, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { decodeJwt } from 'jose';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { relyingParty } from '../support/relying-party.js';
import { launchChromium } from '../support/chromium.js';
import { freePort } from '../support/free-port.js';
import { freezeDate } from '../support/fake-date.js';
import { totpCodeAt } from '../../src/mfa/totp.js';
import { MFA_ACR, PASSWORD_ACR } from '../../src/mfa/authentication-context.js';

// Set SCREENSHOT_DIR (e.g. docs/screenshots) to refresh the README's pictures from this journey.
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const EMAIL = 'katherine@example.com';
const PASSWORD = 'trajectory of friendship 7';

let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let clock: ReturnType<typeof freezeDate>;
let app: Server;
let redirectUri: string;
let rp: Awaited<ReturnType<typeof relyingParty>>;
let strictRp: Awaited<ReturnType<typeof relyingParty>>;
const NEWCOMER = 'mary@example.com';

beforeAll(async () => {
  clock = freezeDate();
  server = await startTestServer();
  chromium = await launchChromium();
  // The app's own listener: the browser really lands there with the code.
  const port = await freePort();
  redirectUri = `http://127.0.0.1:${port}/callback`;
  app = createServer((_req, res) => res.end('back at the app'));
  await new Promise<void>((resolve) => app.listen(port, '127.0.0.1', () => resolve()));
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', EMAIL, '--password', PASSWORD, '--name', 'Katherine Johnson');
  rp = await relyingParty(
    server.config.issuer,
    await gatehouseJson(
      env,
      'client',
      'add',
      '--name',
      'Mission Control',
      '--redirect-uri',
      redirectUri,
      '--first-party',
    ),
    redirectUri,
  );
  await gatehouse(env, 'user', 'add', '--email', NEWCOMER, '--password', PASSWORD, '--name', 'Mary Jackson');
  strictRp = await relyingParty(
    server.config.issuer,
    await gatehouseJson(
      env,
      'client',
      'add',
      '--name',
      'Wind Tunnel',
      '--redirect-uri',
      redirectUri,
      '--first-party',
      '--mfa',
      'always',
    ),
    redirectUri,
  );
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
  app?.close();
  clock?.restore();
});

async function shoot(page: Page, name: string) {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, name), fullPage: true });
}

async function signInWithPassword(page: Page, email = EMAIL) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Runs an authorization request in the page up to the app's callback; returns the ID token's claims. */
async function authorize(
  page: Page,
  params: Record<string, string>,
  during: (page: Page) => Promise<void>,
  client = rp,
) {
  const request = await client.authorizationRequest(params);
  await page.goto(request.url.toString());
  await during(page);
  await page.waitForURL(`${redirectUri}**`);
  const tokens = await client.redeem(page.url(), request);
  return decodeJwt(tokens.id_token as string);
}

describe('two-step verification in a real browser (Chromium)', () => {
  let secret = '';
  let laptop: BrowserContext;

  it('enrols from the account console by label and role', async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/account`);
    await signInWithPassword(page);
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await page.getByRole('link', { name: /Authenticator app, recovery codes/ }).click();
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await shoot(page, 'mfa-enrolment.png');
    await page.getByLabel('Authentication code').fill(await totpCodeAt(secret, Date.now()));
    await page.getByRole('button', { name: 'Verify' }).click();
    const codes = page.getByTestId('recovery-codes');
    await codes.waitFor();
    expect(await codes.locator('li').allTextContents()).toHaveLength(10);
    await context.close();
  });

  it('asks a fresh browser for the code, remembers it when asked to, and then signs in with the password alone', async () => {
    clock.advance(30_000);
    laptop = await chromium.browser.newContext();
    const page = await laptop.newPage();
    const first = await authorize(page, {}, async (p) => {
      await signInWithPassword(p);
      await p.getByRole('heading', { name: 'Two-step verification' }).waitFor();
      expect(await p.textContent('body')).toContain('Asked because: new browser');
      await shoot(p, 'mfa-second-step.png');
      await p.getByLabel('Authentication code').fill(await totpCodeAt(secret, Date.now()));
      await p.getByLabel('Remember this device').check();
      await p.getByRole('button', { name: 'Verify' }).click();
    });
    expect(first).toMatchObject({ acr: MFA_ACR, amr: ['pwd', 'otp', 'mfa'] });

    // Signed out of Gatehouse (the session cookie gone), the browser stays remembered.
    await laptop.clearCookies({ name: /^gatehouse\.session/ });
    const again = await authorize(page, {}, signInWithPassword);
    expect(again).toMatchObject({ acr: PASSWORD_ACR, amr: ['pwd'] });
  });

  it('steps the password-only session up when the app sends acr_values for the MFA ACR', async () => {
    clock.advance(30_000);
    const page = await laptop.newPage();
    const stepped = await authorize(page, { acr_values: MFA_ACR }, async (p) => {
      await p.getByRole('heading', { name: 'Two-step verification' }).waitFor();
      expect(await p.textContent('body')).toContain('the app asked for it');
      await p.getByLabel('Authentication code').fill(await totpCodeAt(secret, Date.now()));
      await p.getByRole('button', { name: 'Verify' }).click();
    });
    expect(stepped.acr).toBe(MFA_ACR);
    await laptop.close();
  });

  it('lets a person who mistyped the code try again on the same page, and the sign-in completes', async () => {
    clock.advance(30_000);
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    const claims = await authorize(page, {}, async (p) => {
      await signInWithPassword(p);
      await p.getByRole('heading', { name: 'Two-step verification' }).waitFor();
      await p.getByLabel('Authentication code').fill('000000');
      await p.getByRole('button', { name: 'Verify' }).click();
      await p.getByRole('alert').filter({ hasText: 'That code is not right' }).waitFor();
      await p.getByLabel('Authentication code').fill(await totpCodeAt(secret, Date.now()));
      await p.getByRole('button', { name: 'Verify' }).click();
    });
    expect(claims).toMatchObject({ acr: MFA_ACR, amr: ['pwd', 'otp', 'mfa'] });
    await context.close();
  });

  it('lets a person setting up an authenticator inside a sign-in mistype the code, try again, and continue to the app', async () => {
    clock.advance(30_000);
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    const claims = await authorize(
      page,
      {},
      async (p) => {
        await signInWithPassword(p, NEWCOMER);
        await p.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
        const shown = await p.getByTestId('totp-secret').textContent();
        await p.getByLabel('Authentication code').fill('000000');
        await p.getByRole('button', { name: 'Verify' }).click();
        await p.getByRole('alert').filter({ hasText: 'That code is not right' }).waitFor();
        // The same key again: the app the person just set up keeps working.
        expect(await p.getByTestId('totp-secret').textContent()).toBe(shown);
        await p.getByLabel('Authentication code').fill(await totpCodeAt(shown ?? '', Date.now()));
        await p.getByRole('button', { name: 'Verify' }).click();
        await p.getByTestId('recovery-codes').waitFor();
        await p.getByRole('link', { name: 'Continue to Wind Tunnel' }).click();
      },
      strictRp,
    );
    expect(claims).toMatchObject({ acr: MFA_ACR, amr: ['pwd', 'otp', 'mfa'] });
    await context.close();
  });
});
