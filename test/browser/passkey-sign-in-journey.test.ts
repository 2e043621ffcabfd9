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
import { createSoftwareAuthenticator } from '../support/software-authenticator.js';
import { openContainer } from '../../src/cli/open-container.js';
import { PHISHING_RESISTANT_ACR } from '../../src/mfa/authentication-context.js';

// Set SCREENSHOT_DIR (e.g. docs/screenshots) to refresh the README's pictures of the sign-in page.
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const PASSWORD = 'orbital mechanics by hand';

let server: TestServer;
let issuer: string;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let app: Server;
let redirectUri: string;
let rp: Awaited<ReturnType<typeof relyingParty>>;

beforeAll(async () => {
  // WebAuthn takes a domain as RP ID, never an IP address: the issuer is http://localhost (a secure context).
  const port = await freePort();
  issuer = `http://localhost:${port}`;
  server = await startTestServer({ PORT: String(port), ISSUER: issuer });
  chromium = await launchChromium();
  const appPort = await freePort();
  redirectUri = `http://127.0.0.1:${appPort}/callback`;
  app = createServer((_req, res) => res.end('back at the app'));
  await new Promise<void>((resolve) => app.listen(appPort, '127.0.0.1', () => resolve()));
  const env = { DATABASE_URL: server.database.url };
  rp = await relyingParty(
    issuer,
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
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
  app?.close();
});

/**
 * A person with a password and a passkey. The passkey is made by a software authenticator through
 * the service (as the console does) and handed to the browser's virtual authenticator as a
 * credential it holds (WebAuthn.addCredential).
 */
async function personWithPasskey(email: string) {
  await gatehouse({ DATABASE_URL: server.database.url }, 'user', 'add', '--email', email, '--password', PASSWORD);
  const key = createSoftwareAuthenticator({ origin: issuer, rpId: 'localhost' });
  const container = await openContainer(server.config, { readOnly: false });
  try {
    const account = await container.accounts.requireByEmail(email);
    const owner = { id: account.id, email: account.email };
    const options = await container.passkeys.beginRegistration(owner, 'journey');
    const { passkey } = await container.passkeys.finishRegistration(
      owner,
      'journey',
      key.register(options),
      { by: 'user' },
      'Laptop',
    );
    const [credentialId] = key.credentialIds();
    return { accountId: account.id, passkeyId: passkey.id, credential: key.virtualCredential(credentialId as string) };
  } finally {
    await container.close();
  }
}

/** A fresh browser context with a virtual platform authenticator (DevTools Protocol WebAuthn domain). */
async function browserWithAuthenticator(userVerified = true) {
  const context = await chromium.browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: userVerified,
      automaticPresenceSimulation: true,
    },
  });
  const hold = (credential: Awaited<ReturnType<typeof personWithPasskey>>['credential']) =>
    cdp.send('WebAuthn.addCredential', { authenticatorId, credential });
  // Counts the page's WebAuthn requests by mediation (the real call goes on untouched), so a test can
  // wait until the autofill request has been made instead of guessing from what is on screen.
  await page.addInitScript(() => {
    const credentials = navigator.credentials;
    const get = credentials.get.bind(credentials);
    const asked: string[] = [];
    Object.assign(window, { passkeyRequests: asked });
    credentials.get = (options?: CredentialRequestOptions) => {
      asked.push(options?.mediation ?? 'optional');
      return get(options);
    };
  });
  const autofillAsked = () =>
    page.waitForFunction(() =>
      ((window as unknown as { passkeyRequests?: string[] }).passkeyRequests ?? []).includes('conditional'),
    );
  return { context, page, hold, autofillAsked };
}

async function shoot(page: Page, name: string, width: number) {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.setViewportSize({ width, height: 800 });
  await page.screenshot({ path: join(SCREENSHOT_DIR, name), fullPage: true });
}

/** Runs an authorization request in the page up to the app's callback; returns the ID token's claims. */
async function authorize(page: Page, during: (page: Page) => Promise<void>, params: Record<string, string> = {}) {
  const request = await rp.authorizationRequest(params);
  await page.goto(request.url.toString());
  await during(page);
  await page.waitForURL(`${redirectUri}**`);
  const tokens = await rp.redeem(page.url(), request);
  return decodeJwt(tokens.id_token as string);
}

describe('passkeys at sign-in in a real browser (Chromium, virtual authenticator)', () => {
  let contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
  });

  it('shows "Sign in with a passkey" and signs in with it from a fresh browser: an ID token with the phishing-resistant ACR', async () => {
    const { credential } = await personWithPasskey('dorothy@example.com');
    const { context, page, hold, autofillAsked } = await browserWithAuthenticator();
    contexts.push(context);
    const claims = await authorize(page, async (p) => {
      const button = p.getByRole('button', { name: 'Sign in with a passkey' });
      await button.waitFor();
      await shoot(p, 'passkey-sign-in-1280.png', 1280);
      await shoot(p, 'passkey-sign-in-390.png', 390);
      // The browser gets the passkey only after the page's autofill request was made (it fetches its
      // options first, so the button shows before it): that request found none, the button does it.
      await autofillAsked();
      await hold(credential);
      await button.click();
    });
    expect(claims).toMatchObject({ acr: PHISHING_RESISTANT_ACR, amr: ['hwk', 'user', 'mfa'] });
  });

  it('offers the passkey from the email field (conditional mediation): with the passkey held at load, the sign-in completes without a click', async () => {
    const { credential } = await personWithPasskey('christine@example.com');
    const { context, page, hold } = await browserWithAuthenticator();
    contexts.push(context);
    await hold(credential);
    // Nothing is clicked: only the autofill request on the email field (autocomplete="username webauthn") can answer.
    const claims = await authorize(page, async () => {});
    expect(claims).toMatchObject({ acr: PHISHING_RESISTANT_ACR, amr: ['hwk', 'user', 'mfa'] });
  });

  it('steps a password sign-in from a new browser up with the passkey ("Use a passkey")', async () => {
    const { credential } = await personWithPasskey('annie@example.com');
    const { context, page, hold } = await browserWithAuthenticator();
    contexts.push(context);
    const claims = await authorize(page, async (p) => {
      await p.getByLabel('Email').fill('annie@example.com');
      await p.getByLabel('Password').fill(PASSWORD);
      await p.getByRole('button', { name: 'Sign in', exact: true }).click();
      await p.getByRole('heading', { name: 'Two-step verification' }).waitFor();
      expect(await p.textContent('body')).toContain('new browser');
      await hold(credential);
      await p.getByRole('button', { name: 'Use a passkey' }).click();
    });
    expect(claims).toMatchObject({ acr: PHISHING_RESISTANT_ACR, amr: ['pwd', 'hwk', 'user', 'mfa'] });
  });

  it('refuses a passkey without user verification with a readable message, and the password form is still there', async () => {
    const { credential } = await personWithPasskey('mae@example.com');
    const { context, page, hold } = await browserWithAuthenticator(false);
    contexts.push(context);
    await hold(credential);
    await page.goto((await rp.authorizationRequest()).url.toString());
    // Passwordless asks for user verification (required): an authenticator that cannot give it answers nothing.
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('alert').filter({ hasText: 'did not confirm it is you' }).waitFor();
    expect(page.url()).toContain('/interaction/');
    expect(await page.getByLabel('Password').isVisible()).toBe(true);
  });

  it('no longer signs in with a removed passkey', async () => {
    const { accountId, passkeyId, credential } = await personWithPasskey('gladys@example.com');
    const container = await openContainer(server.config, { readOnly: false });
    await container.passkeys.remove(accountId, passkeyId, { by: 'user' });
    await container.close();
    const { context, page, hold } = await browserWithAuthenticator();
    contexts.push(context);
    await hold(credential);
    await page.goto((await rp.authorizationRequest()).url.toString());
    await page.getByRole('alert').filter({ hasText: 'That passkey was not accepted' }).waitFor();
    expect(page.url()).toContain('/interaction/');
  });
});
