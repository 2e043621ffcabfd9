// Every page a person can reach, checked by axe-core in Chromium in English and in German, in the
// light and the dark colour scheme: no violation of serious or critical impact (WCAG 2.2 A/AA rules
// and axe's best practices). A failure lists each violation's rule, the elements and axe's help.
import { createRequire } from 'node:module';
import * as oidc from 'openid-client';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { launchChromium } from '../support/chromium.js';
import { mailCatcher, linkIn, type MailCatcher } from '../support/mail-catcher.js';
import { totpCodeAt } from '../../src/mfa/totp.js';
import { PHISHING_RESISTANT_ACR } from '../../src/mfa/authentication-context.js';

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
const PASSWORD = 'a quiet room with good light';
const REDIRECT = 'https://notes.example/callback';
const LOCALES = ['en', 'de'] as const;

let server: TestServer;
let catcher: MailCatcher;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let env: Record<string, string>;
let notes: { client_id: string; client_secret: string };
let tv: oidc.Configuration;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

beforeAll(async () => {
  catcher = await mailCatcher();
  server = await startTestServer({
    SMTP_URL: catcher.url,
    MAIL_FROM: 'Gatehouse <no-reply@gatehouse.test>',
    OUTBOX_INTERVAL_SECONDS: '1',
    REGISTRATION: 'open',
  });
  chromium = await launchChromium();
  env = { DATABASE_URL: server.database.url };
  for (const locale of LOCALES) {
    await gatehouse(
      env,
      'user',
      'add',
      '--email',
      `ada-${locale}@example.com`,
      '--password',
      PASSWORD,
      '--name',
      'Ada',
      '--email-verified',
    );
    await gatehouse(
      env,
      'user',
      'add',
      '--email',
      `root-${locale}@example.com`,
      '--password',
      PASSWORD,
      '--name',
      'Margaret',
      '--role',
      'admin',
    );
  }
  // A third-party app (consent is asked) and a TV (the device grant, RFC 8628).
  notes = await gatehouseJson(env, 'client', 'add', '--name', 'Notes', '--redirect-uri', REDIRECT);
  const device = await gatehouseJson<{ client_id: string }>(
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
  tv = await oidc.discovery(new URL(server.config.issuer), device.client_id, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
  });
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
  await catcher?.close();
});

/** Runs axe on the page as shown, in light and dark, and returns the serious and critical findings. */
async function audit(page: Page, name: string): Promise<string[]> {
  await page.waitForLoadState('load');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    // Dark mode changes only colours: the second pass runs the contrast rule alone, to keep it quick.
    const options = colorScheme === 'light' ? { resultTypes: ['violations'] } : { runOnly: ['color-contrast'] };
    const violations = await page.evaluate(
      async (o) =>
        (await (window as unknown as { axe: { run(o: object): Promise<{ violations: AxeViolation[] }> } }).axe.run(o))
          .violations,
      options,
    );
    for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical'))
      found.push(
        `${name} [${colorScheme}] ${v.id} (${v.impact}): ${v.help}\n` +
          v.nodes
            .map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`.replace(/\n/g, ' '))
            .join('\n'),
      );
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

function authorizationUrl(extra: Record<string, string> = {}): string {
  const url = new URL('/auth', server.url);
  url.search = new URLSearchParams({
    client_id: notes.client_id,
    response_type: 'code',
    scope: 'openid email profile',
    redirect_uri: REDIRECT,
    state: 'a11y',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  return url.toString();
}

async function newContext(locale: string): Promise<BrowserContext> {
  const context = await chromium.browser.newContext({ bypassCSP: true });
  await context.addCookies([{ name: 'gatehouse_locale', value: locale, url: server.url }]);
  await context.route('https://notes.example/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' }),
  );
  return context;
}

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('input[name="password"]').press('Enter');
  await page.waitForLoadState('load');
}

/** A person's pages: landing, sign-in (with a mistake), consent, the console, the second step, logout, device. */
async function personJourney(locale: string): Promise<string[]> {
  const email = `ada-${locale}@example.com`;
  const context = await newContext(locale);
  const page = await context.newPage();
  const found: string[] = [];
  const check = async (name: string) => found.push(...(await audit(page, `${locale} ${name}`)));

  await page.goto(server.url);
  await check('landing /');
  await page.goto(authorizationUrl());
  await page.locator('input[name="password"]').waitFor();
  expect(await page.getAttribute('html', 'lang')).toBe(locale);
  await check('sign-in');
  await signIn(page, email, 'not the password');
  await page.getByRole('alert').first().waitFor();
  await check('sign-in with an error');
  await signIn(page, email);
  await page.locator('form[action$="/confirm"]').waitFor();
  await check('consent');
  await page.locator('form[action$="/confirm"] button').click();
  await page.waitForURL('https://notes.example/**');

  // Her console, and an authenticator app set up there (its recovery codes shown once).
  await page.goto(`${server.url}/account`);
  await check('account');
  await page.goto(`${server.url}/account/mfa`);
  await check('account mfa');
  await page.locator('form[action="/account/mfa/setup"] button').click();
  await page.locator('[data-testid="totp-secret"]').waitFor();
  await check('account mfa set-up');
  const secret = (await page.locator('[data-testid="totp-secret"]').textContent()) ?? '';
  await page.locator('input[name="code"]').fill(await totpCodeAt(secret, Date.now()));
  await page.locator('input[name="code"]').press('Enter');
  await page.locator('[data-testid="recovery-codes"]').waitFor();
  await check('account recovery codes');
  await page.goto(`${server.url}/account/passkeys`);
  await check('account passkeys');
  await page.goto(`${server.url}/account/identities`);
  await check('account identities');
  await page.goto(`${server.url}/account/callback?error=access_denied`);
  await check('account sign-in cancelled');

  // The device grant: the code page (a mistake, then the right code), the question, done.
  const approved = await oidc.initiateDeviceAuthorization(tv, { scope: 'openid email' });
  await page.goto(approved.verification_uri);
  await check('device code');
  await page.locator('input[name="user_code"]').fill(approved.user_code.startsWith('B') ? 'CCCC-CCCC' : 'BBBB-BBBB');
  await page.locator('input[name="user_code"]').press('Enter');
  await page.getByRole('alert').first().waitFor();
  await check('device code with an error');
  await page.locator('input[name="user_code"]').fill(approved.user_code);
  await page.locator('input[name="user_code"]').press('Enter');
  await page.locator('#device-confirm, form[action$="/confirm"]').first().waitFor();
  await check('device confirm or consent');
  if (await page.locator('#device-confirm').count()) {
    await page.locator('button[form="device-confirm"][name="confirm"]').click();
    await page.waitForLoadState('load');
  }
  if (await page.locator('form[action$="/confirm"]').count()) {
    await check('device consent');
    await page.locator('form[action$="/confirm"] button').click();
  }
  await page.waitForURL('**/device/**');
  await check('device done');

  // Logout: the question, then the page that says it is done.
  await page.goto(`${server.url}/session/end`);
  await check('logout confirm');
  await page.locator('button[name="logout"][value="yes"]').click();
  await page.waitForLoadState('load');
  await check('logout done');

  // Signing in again now asks for the code from her authenticator app.
  await page.goto(authorizationUrl({ prompt: 'login' }));
  await signIn(page, email);
  await page.locator('input[name="code"]').waitFor();
  await check('second step (code)');

  // An app that demands a passkey (the phishing-resistant ACR) from someone with none: the page says how to get one.
  await page.goto(authorizationUrl({ prompt: 'login', acr_values: PHISHING_RESISTANT_ACR }));
  await signIn(page, email);
  await page.locator('main a[href="/account"]').waitFor();
  await check('passkey step (no passkey yet)');

  // Refusals: an unknown app, an interaction that is gone.
  await page.goto(authorizationUrl({ client_id: 'no-such-app' }));
  await check('error: unknown client');
  await page.goto(`${server.url}/interaction/gone-long-ago`);
  await check('error: expired interaction');
  await context.close();
  return found;
}

/** The pages reached from the sign-in page's links, mail included: reset and registration. */
async function mailJourney(locale: string): Promise<string[]> {
  const context = await newContext(locale);
  const page = await context.newPage();
  const found: string[] = [];
  const check = async (name: string) => found.push(...(await audit(page, `${locale} ${name}`)));

  await page.goto(authorizationUrl());
  await page.locator('a[href^="/password/forgot"]').click();
  await page.locator('input[name="email"]').waitFor();
  await check('password forgot');
  const email = `ada-${locale}@example.com`;
  const before = catcher.to(email).length;
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="email"]').press('Enter');
  await page.waitForLoadState('load');
  await check('password forgot sent');
  await page.goto(linkIn(await catcher.waitForLink(email, before)));
  await check('password reset');
  await page.locator('input[type="password"]').first().fill('short');
  await page.locator('input[type="password"]').first().press('Enter');
  await page.waitForLoadState('load');
  await check('password reset with an error');
  await page.goto(`${server.url}/password/reset?token=not-a-real-token`);
  await check('password reset, link not valid');

  await page.goto(authorizationUrl());
  await page.locator('a[href^="/register"]').click();
  await page.locator('input[name="email"]').waitFor();
  await check('register');
  const newcomer = `grace-${locale}@example.com`;
  await page.locator('input[name="email"]').fill('not an address');
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('input[name="password"]').press('Enter');
  await page.waitForLoadState('load');
  await check('register with an error');
  await page.locator('input[name="email"]').fill(newcomer);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('input[name="password"]').press('Enter');
  await page.waitForLoadState('load');
  await check('register sent');
  await page.goto(linkIn(await catcher.waitForLink(newcomer, 0)));
  await check('register confirm');
  await page.goto(`${server.url}/email/verify?token=not-a-real-token`);
  await check('email verify, link not valid');
  await context.close();
  return found;
}

/** An administrator's first sign-in sets up an authenticator app, then the console's pages. */
async function adminJourney(locale: string): Promise<string[]> {
  const context = await newContext(locale);
  const page = await context.newPage();
  const found: string[] = [];
  const check = async (name: string) => found.push(...(await audit(page, `${locale} ${name}`)));

  await page.goto(`${server.url}/admin`);
  await signIn(page, `root-${locale}@example.com`);
  await page.locator('[data-testid="totp-secret"]').waitFor();
  await check('sign-in: authenticator set-up');
  const secret = (await page.locator('[data-testid="totp-secret"]').textContent()) ?? '';
  await page.locator('input[name="code"]').fill('000000');
  await page.locator('input[name="code"]').press('Enter');
  await page.getByRole('alert').first().waitFor();
  await check('sign-in: authenticator set-up with an error');
  await page.locator('input[name="code"]').fill(await totpCodeAt(secret, Date.now()));
  await page.locator('input[name="code"]').press('Enter');
  await page.locator('[data-testid="recovery-codes"]').waitFor();
  await check('sign-in: recovery codes');
  await page.locator('main a.button').last().click();
  await page.waitForURL(`${server.url}/admin`);
  await check('admin overview');
  for (const path of ['/admin/people', '/admin/applications', '/admin/apis', '/admin/audit']) {
    await page.goto(`${server.url}${path}`);
    await check(path);
  }
  await page.goto(`${server.url}/admin/people`);
  await page.locator('a[href^="/admin/people/"]').first().click();
  await page.waitForLoadState('load');
  await check('admin person');
  await context.close();
  return found;
}

const expectNone = (found: string[]) => {
  if (found.length) throw new Error(`axe found ${found.length} serious or critical violations:\n${found.join('\n')}`);
};

describe.each(LOCALES)('accessibility (axe-core in Chromium), in %s, light and dark', (locale) => {
  it('no serious or critical violation on the sign-in, consent, console, device, logout and error pages', async () => {
    expectNone(await personJourney(locale));
  }, 180_000);

  it('no serious or critical violation on the password reset and registration pages', async () => {
    expectNone(await mailJourney(locale));
  }, 180_000);

  it('no serious or critical violation on the admin console and its second-step set-up', async () => {
    expectNone(await adminJourney(locale));
  }, 180_000);
});
