import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse, gatehouseJson } from '../support/run-gatehouse.js';
import { launchChromium } from '../support/chromium.js';
import { startSpaHost } from '../support/spa-host.js';
import { freePort } from '../support/free-port.js';

let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let spa: Awaited<ReturnType<typeof startSpaHost>>;

beforeAll(async () => {
  server = await startTestServer();
  chromium = await launchChromium();
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(
    env,
    'user',
    'add',
    '--email',
    'radia@example.com',
    '--password',
    'spanning tree protocol',
    '--name',
    'Radia Perlman',
  );
  // The app's port is chosen first so that its redirect URIs can be registered (OAuth 2.1 §2.3).
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const client = await gatehouseJson<{ client_id: string }>(
    env,
    'client',
    'add',
    '--name',
    'Browser App',
    '--auth-method',
    'none',
    '--redirect-uri',
    `${origin}/callback`,
    '--post-logout-redirect-uri',
    `${origin}/`,
    '--grant-type',
    'authorization_code',
    '--grant-type',
    'refresh_token',
  );
  spa = await startSpaHost(server.config.issuer, client.client_id, port);
});

afterAll(async () => {
  await chromium?.close();
  await spa?.close();
  await server?.close();
});

/** Runs `mgr.<call>` in the page and returns what it resolves to, made serialisable. */
const inPage = <T>(page: Page, fn: string) => page.evaluate(`(async () => { ${fn} })()`) as Promise<T>;

describe('a single-page app on oidc-client-ts, in Chromium (public client, OAuth 2.1 §2.1; CORS)', () => {
  it('signs in, gets tokens, calls userinfo, refreshes (rotated), revokes and signs out', async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    const corsFailures: string[] = [];
    page.on('console', (message) => {
      if (/CORS|Access-Control/i.test(message.text())) corsFailures.push(message.text());
    });
    try {
      await page.goto(`${spa.origin}/`);
      await page.evaluate('void window.mgr.signinRedirect()');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Email').fill('radia@example.com');
      await page.getByLabel('Password').fill('spanning tree protocol');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('button', { name: 'Allow' }).click();

      // Back at the app: oidc-client-ts redeems the code at the token endpoint and loads userinfo,
      // both cross-origin fetches from the app's page.
      await page.waitForFunction('window.callbackDone');
      const done = (await page.evaluate('window.callbackDone')) as { ok: boolean; error?: string };
      expect(done).toEqual({ ok: true, sub: expect.any(String) });
      const user = await inPage<{ email: string; name: string; refresh: string; access: string }>(
        page,
        `
        const u = await window.mgr.getUser();
        return { email: u.profile.email, name: u.profile.name, refresh: u.refresh_token, access: u.access_token };`,
      );
      expect(user.email).toBe('radia@example.com');
      expect(user.name).toBe('Radia Perlman');
      expect(user.refresh).toEqual(expect.any(String));

      // userinfo called by the app itself, as an SPA does with its access token.
      const userinfo = await inPage<{ status: number; body: Record<string, unknown> }>(
        page,
        `
        const u = await window.mgr.getUser();
        const endpoint = await window.mgr.metadataService.getUserInfoEndpoint();
        const res = await fetch(endpoint, { headers: { authorization: 'Bearer ' + u.access_token } });
        return { status: res.status, body: await res.json() };`,
      );
      expect(userinfo).toEqual({ status: 200, body: expect.objectContaining({ email: 'radia@example.com' }) });

      // signinSilent with a refresh token is a refresh_token grant; each use rotates it (RFC 9700 §4.14.2).
      const refreshed = await inPage<{ refresh: string; access: string }>(
        page,
        `
        const u = await window.mgr.signinSilent();
        return { refresh: u.refresh_token, access: u.access_token };`,
      );
      expect(refreshed.refresh).toEqual(expect.any(String));
      expect(refreshed.refresh).not.toBe(user.refresh);
      expect(refreshed.access).not.toBe(user.access);

      // RFC 7009 from the browser, then RP-initiated logout back to the app.
      await inPage(page, 'await window.mgr.revokeTokens(); return null;');
      await page.evaluate('void window.mgr.signoutRedirect()');
      await page.getByRole('button', { name: /sign out/i }).click();
      await page.waitForURL(`${spa.origin}/`);
      expect(corsFailures).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
