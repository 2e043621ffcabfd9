import { createServer, type Server } from 'node:http';
import * as oidc from 'openid-client';
import type { BrowserContext } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { relyingParty } from '../support/relying-party.js';
import { launchChromium } from '../support/chromium.js';
import { freePort } from '../support/free-port.js';

let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let app: Server;
let redirectUri: string;
/** What the app's redirect_uri received (the browser's favicon requests left out). */
let received: { method: string; body: URLSearchParams }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  chromium = await launchChromium();
  // A real app listener: Playwright's page.route only sees the first URL of a redirect chain and
  // cannot observe a form the page itself posts across origins this way.
  const port = await freePort();
  app = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      if (req.url === '/callback') received.push({ method: req.method ?? '', body: new URLSearchParams(body) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('back at the app');
    });
  });
  await new Promise<void>((resolve) => app.listen(port, '127.0.0.1', () => resolve()));
  redirectUri = `http://127.0.0.1:${port}/callback`;
  await gatehouse(
    { DATABASE_URL: server.database.url },
    'user',
    'add',
    '--email',
    'grace@example.com',
    '--password',
    'harvard mark one computer',
  );
});

beforeEach(() => {
  received = [];
});

afterAll(async () => {
  await chromium?.close();
  await new Promise((resolve) => app?.close(resolve));
  await server?.close();
});

async function signInAndAllow(context: BrowserContext, url: URL) {
  const page = await context.newPage();
  const csp = new Map<string, string>();
  page.on('response', (response) => {
    const header = response.headers()['content-security-policy'];
    if (header && response.url().startsWith(server.url)) csp.set(new URL(response.url()).pathname, header);
  });
  await page.goto(url.toString());
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill('grace@example.com');
  await page.getByLabel('Password').fill('harvard mark one computer');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  return { page, csp };
}

async function until(condition: () => boolean) {
  const deadline = Date.now() + 15_000;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe('response_mode=form_post in Chromium (OAuth 2.0 Form Post Response Mode §2)', () => {
  it('ends with the browser POSTing code, state and iss to the redirect_uri, which the app redeems', async () => {
    const client = (
      await gatehouse(
        { DATABASE_URL: server.database.url },
        'client',
        'add',
        '--name',
        'Form Post App',
        '--redirect-uri',
        redirectUri,
        '--json',
      )
    ).json<{ client_id: string; client_secret: string }>();
    const rp = await relyingParty(server.config.issuer, client, redirectUri);
    const request = await rp.authorizationRequest({ response_mode: 'form_post' });
    const context = await chromium.browser.newContext();
    try {
      const { page, csp } = await signInAndAllow(context, request.url);
      await until(() => received.length > 0);
      await page.waitForURL(`${redirectUri}`);

      expect(received).toHaveLength(1);
      const [callback] = received;
      expect(callback?.method).toBe('POST');
      expect(callback?.body.get('state')).toBe(request.state);
      expect(callback?.body.get('iss')).toBe(server.config.issuer);
      expect(callback?.body.get('code')).toEqual(expect.any(String));
      // openid-client reads a form_post response from the POST request itself.
      const tokens = await oidc.authorizationCodeGrant(
        rp.config,
        new Request(redirectUri, { method: 'POST', body: callback?.body }),
        {
          pkceCodeVerifier: request.verifier,
          expectedState: request.state,
          expectedNonce: request.nonce,
          idTokenExpected: true,
        },
      );
      expect(tokens.claims()?.sub).toEqual(expect.any(String));

      // The auto-submit page allowed exactly its one inline script, by hash; the sign-in page no
      // inline script at all, only our passkey script file, by the hash of its bytes (page-scripts.ts).
      const formPostCsp = [...csp.values()].find((header) => header.includes("'sha256-"));
      expect(formPostCsp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'$/);
      expect([...csp.keys()].some((path) => path.startsWith('/interaction/'))).toBe(true);
      for (const [path, header] of csp) {
        if (path.startsWith('/interaction/')) {
          expect(header).not.toContain("'sha256-");
          if (header.includes('script-src'))
            expect(header).toMatch(/script-src 'sha384-[A-Za-z0-9+/]+=*'; connect-src 'self'$/);
        }
      }
    } finally {
      await context.close();
    }
  });

  it('still works without JavaScript: the page shows a Continue button that posts the response', async () => {
    const client = (
      await gatehouse(
        { DATABASE_URL: server.database.url },
        'client',
        'add',
        '--name',
        'No Script App',
        '--redirect-uri',
        redirectUri,
        '--json',
      )
    ).json<{ client_id: string; client_secret: string }>();
    const rp = await relyingParty(server.config.issuer, client, redirectUri);
    const request = await rp.authorizationRequest({ response_mode: 'form_post' });
    const context = await chromium.browser.newContext({ javaScriptEnabled: false });
    try {
      const { page } = await signInAndAllow(context, request.url);
      await page.getByRole('button', { name: 'Continue' }).click();
      await until(() => received.length > 0);
      expect(received[0]?.method).toBe('POST');
      expect(received[0]?.body.get('state')).toBe(request.state);
      expect(received[0]?.body.get('code')).toEqual(expect.any(String));
    } finally {
      await context.close();
    }
  });
});
