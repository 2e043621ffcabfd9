import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { launchChromium } from '../support/chromium.js';
import { freePort } from '../support/free-port.js';
import {
  apacheRedirectUri,
  startApacheRelyingParty,
  type ApacheRelyingParty,
} from '../support/apache-relying-party.js';

const EMAIL = 'grace@example.com';
const PASSWORD = 'nanoseconds of wire';

let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let env: Record<string, string>;
let userId: string;

beforeAll(async () => {
  server = await startTestServer();
  chromium = await launchChromium();
  env = { DATABASE_URL: server.database.url };
  ({ id: userId } = await gatehouseJson<{ id: string }>(
    env,
    'user',
    'add',
    '--email',
    EMAIL,
    '--password',
    PASSWORD,
    '--name',
    'Grace Hopper',
  ));
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

/**
 * Registers Apache as the README says (`client add … --redirect-uri …/protected/redirect_uri`, plus
 * `extra` options), starts it with `pkceMethod`, and runs `visit` in a fresh browser context.
 */
async function withApache(
  extra: string[],
  pkceMethod: 'S256' | undefined,
  visit: (page: Page, apache: ApacheRelyingParty) => Promise<void>,
) {
  const port = await freePort();
  const client = await gatehouseJson<{ client_id: string; client_secret: string }>(
    env,
    'client',
    'add',
    '--name',
    'Apache',
    '--redirect-uri',
    apacheRedirectUri(port),
    ...extra,
  );
  const apache = await startApacheRelyingParty({
    issuer: server.config.issuer,
    clientId: client.client_id,
    clientSecret: client.client_secret,
    port,
    pkceMethod,
  });
  const context = await chromium.browser.newContext();
  try {
    const page = await context.newPage();
    await apache.explainFailure(() => visit(page, apache));
  } finally {
    await context.close();
    await apache.stop();
  }
}

/**
 * Opens Apache's protected page, which sends the browser to Gatehouse's authorization endpoint;
 * resolves with the query of that request (what mod_auth_openidc asked for).
 */
async function openProtectedPage(page: Page, apache: ApacheRelyingParty): Promise<URLSearchParams> {
  const authorization = page.waitForRequest((request) => request.url().startsWith(`${server.url}/auth?`));
  await page.goto(apache.protectedUrl);
  return new URL((await authorization).url()).searchParams;
}

async function signIn(page: Page) {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
}

/**
 * Waits until the browser rests at Apache again: on the protected page it asked for, or on the
 * module's error page at the redirect URI (a successful redirect URI answer is a redirect, never shown).
 */
async function pageBackAtApache(page: Page, apache: ApacheRelyingParty): Promise<{ url: string; body: string }> {
  await page.waitForURL((url) => url.href === apache.protectedUrl || url.href.startsWith(apache.redirectUri));
  return { url: page.url(), body: (await page.textContent('body'))?.trim() ?? '' };
}

describe('Apache httpd with mod_auth_openidc (Debian 12: 2.4.12) as the relying party, in Chromium (OIDC Core §3.1)', () => {
  it('signs in a client registered with the default (PKCE required) when Apache sets OIDCPKCEMethod S256, and shows the claims (RFC 7636)', async () => {
    await withApache([], 'S256', async (page, apache) => {
      const request = await openProtectedPage(page, apache);
      expect(request.get('response_type')).toBe('code');
      expect(request.get('code_challenge_method')).toBe('S256');
      await signIn(page);
      expect(await pageBackAtApache(page, apache)).toEqual({
        url: apache.protectedUrl,
        body: `sub=${userId} email=${EMAIL}`,
      });
    });
  });

  it('sends no PKCE without OIDCPKCEMethod, and signs in a client registered with --pkce optional', async () => {
    await withApache(['--pkce', 'optional'], undefined, async (page, apache) => {
      const request = await openProtectedPage(page, apache);
      expect(request.get('response_type')).toBe('code');
      expect(request.get('code_challenge')).toBeNull();
      await signIn(page);
      expect(await pageBackAtApache(page, apache)).toEqual({
        url: apache.protectedUrl,
        body: `sub=${userId} email=${EMAIL}`,
      });
    });
  });

  it('without either, is sent back to its redirect URI with the refusal naming --pkce optional, and the module shows only that target_link_uri is missing', async () => {
    await withApache([], undefined, async (page, apache) => {
      await openProtectedPage(page, apache);
      const { url, body } = await pageBackAtApache(page, apache);
      const answer = new URL(url).searchParams;
      expect(answer.get('error')).toBe('invalid_request');
      expect(answer.get('error_description')).toContain(
        `gatehouse client update --client-id ${apache.clientId} --pkce optional`,
      );
      // RFC 9207 §2 puts iss in error responses too; mod_auth_openidc takes a request to its
      // redirect URI with iss and no code for a third-party-initiated login (OIDC Core §4).
      expect(answer.get('iss')).toBe(server.config.issuer);
      expect(body).toContain('target_link_uri');
      expect(body).not.toContain('sub=');
    });
  });
});
