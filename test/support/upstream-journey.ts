import type { BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from './test-server.js';
import { gatehouse, gatehouseJson, gatehouseWithStdin, pipedStdin } from './run-gatehouse.js';
import { relyingParty } from './relying-party.js';
import { launchChromium } from './chromium.js';
import { startUpstreamProvider } from './upstream-provider.js';

const REDIRECT = 'https://journey.example/callback';
export const UPSTREAM_SECRET = 'upstream-client-secret-0123456789abcdef';

export interface UpstreamJourney {
  server: TestServer;
  chromium: Awaited<ReturnType<typeof launchChromium>>;
  /** A bare oidc-provider 9 on loopback (its development screens: the login typed is the `sub`). */
  upstream: Awaited<ReturnType<typeof startUpstreamProvider>>;
  rp: Awaited<ReturnType<typeof relyingParty>>;
  env: Record<string, string>;
}

/**
 * A Gatehouse (OUTBOUND_ALLOW_PRIVATE_NETWORKS on, so it may call loopback upstreams), Chromium,
 * a bare upstream OpenID Provider behind the connection "Acme SSO" (--auto-create on), the
 * password accounts given, and an app ("Journey") whose callback the browser is caught at; `env`
 * adds to the server's configuration.
 * Read the fields inside tests (they are set in beforeAll).
 */
export function useUpstreamJourney(
  people: ReadonlyArray<{ email: string; password: string }>,
  env: Record<string, string> = {},
) {
  const journey = {} as UpstreamJourney;
  const closing: BrowserContext[] = [];

  const addConnection = (...args: string[]) =>
    gatehouseWithStdin(
      journey.env,
      pipedStdin(`${UPSTREAM_SECRET}\n`),
      'connection',
      'add',
      '--client-id',
      'gatehouse',
      '--client-secret-stdin',
      ...args,
    );

  beforeAll(async () => {
    journey.server = await startTestServer({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true', ...env });
    journey.env = { DATABASE_URL: journey.server.database.url };
    journey.chromium = await launchChromium();
    journey.upstream = await startUpstreamProvider({
      client_id: 'gatehouse',
      client_secret: UPSTREAM_SECRET,
      redirect_uri: `${journey.server.url}/interaction/upstream/callback`,
    });
    const added = await addConnection('--name', 'Acme SSO', '--issuer', journey.upstream.issuer, '--auto-create', 'on');
    expect(added.code).toBe(0);
    for (const { email, password } of people)
      await gatehouse(journey.env, 'user', 'add', '--email', email, '--password', password);
    const client = await gatehouseJson<{ client_id: string; client_secret: string }>(
      journey.env,
      'client',
      'add',
      '--name',
      'Journey',
      '--redirect-uri',
      REDIRECT,
    );
    journey.rp = await relyingParty(journey.server.config.issuer, client, REDIRECT);
  });

  afterEach(async () => {
    for (const context of closing.splice(0)) await context.close();
  });

  afterAll(async () => {
    await journey.chromium?.close();
    await journey.upstream?.close();
    await journey.server?.close();
  });

  /** A fresh browser at the app's sign-in request; the app's callback is captured, not served. */
  async function atSignIn() {
    const request = await journey.rp.authorizationRequest();
    const context = await journey.chromium.browser.newContext();
    closing.push(context);
    const page = await context.newPage();
    const back: { url?: URL } = {};
    await page.route('https://journey.example/**', async (route) => {
      back.url = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' });
    });
    await page.goto(request.url.toString());
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    return { request, context, page, back };
  }

  /** At the upstream's own screens: sign in as `sub`, and allow Gatehouse there. */
  async function signInUpstream(page: Page, sub: string) {
    await page.locator('input[name="login"]').fill(sub);
    await page.locator('input[name="password"]').fill('anything');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  /** Gatehouse's consent, then the app redeems the code it got back. */
  async function allowAndRedeem(page: Page, flow: Awaited<ReturnType<typeof atSignIn>>) {
    const allow = page.getByRole('button', { name: 'Allow' });
    // Consent given once is remembered for the app: the second time the browser goes straight back.
    await Promise.race([allow.waitFor(), page.waitForURL('https://journey.example/**')]);
    if (!flow.back.url) {
      await allow.click();
      await page.waitForURL('https://journey.example/**');
    }
    const tokens = await journey.rp.redeem(flow.back.url as URL, flow.request);
    return tokens.claims() as Record<string, unknown>;
  }

  const userShow = (email: string) =>
    gatehouseJson<{ id: string; identities: { connection: string; subject: string; email: string }[] }>(
      journey.env,
      'user',
      'show',
      '--email',
      email,
    );

  return { journey, addConnection, atSignIn, signInUpstream, allowAndRedeem, userShow };
}
