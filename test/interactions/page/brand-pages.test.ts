import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { gatehouse } from '../../support/run-gatehouse.js';
import { UserAgent } from '../../support/user-agent.js';
import { relyingParty } from '../../support/relying-party.js';

let server: TestServer;
let rp: Awaited<ReturnType<typeof relyingParty>>;
const REDIRECT = 'https://shop.example/callback';
const LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#0a5"/></svg>';

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-brand-'));
  writeFileSync(join(dir, 'logo.svg'), LOGO);
  writeFileSync(join(dir, 'brand.css'), '.card { border-radius: 2px; }');
  server = await startTestServer({
    PRODUCT_NAME: 'Acme ID',
    BRAND_LOGO_FILE: join(dir, 'logo.svg'),
    BRAND_PRIMARY_COLOR: '#1b2a6b',
    BRAND_CSS_FILE: join(dir, 'brand.css'),
    SUPPORT_URL: 'https://help.acme.example/',
    PRIVACY_POLICY_URL: 'https://acme.example/privacy',
    TERMS_URL: 'https://acme.example/terms',
  });
  const env = { DATABASE_URL: server.database.url };
  const client = (await gatehouse(env, 'client', 'add', '--name', 'Shop', '--redirect-uri', REDIRECT, '--json')).json<{
    client_id: string;
    client_secret: string;
  }>();
  rp = await relyingParty(server.config.issuer, client, REDIRECT);
});

afterAll(async () => {
  await server.close();
});

/** The sign-in page of a fresh authorization request, and its response. */
async function signInPage() {
  const agent = new UserAgent(server.url);
  const res = await agent.follow(await agent.get((await rp.authorizationRequest()).url));
  return { res, page: await res.text() };
}

/** The page a browser without a session sees after confirming logout. */
async function logoutPage() {
  const agent = new UserAgent(server.url);
  const form = await (await agent.get('/session/end')).text();
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
  const res = await agent.follow(await agent.post('/session/end/confirm', { xsrf, logout: 'yes' }));
  return { res, page: await res.text() };
}

describe('a server with its own brand', () => {
  it('names itself by PRODUCT_NAME in the sign-in page title, never as Gatehouse', async () => {
    const { page } = await signInPage();
    expect(page).toContain('<title>Sign in · Acme ID</title>');
    expect(page).not.toContain('Gatehouse');
  });

  it('says "Your Acme ID session has ended" on the logout page', async () => {
    const { page } = await logoutPage();
    expect(page).toContain('<title>Signed out · Acme ID</title>');
    expect(page).toContain('Your Acme ID session has ended.');
    expect(page).not.toContain('Gatehouse');
  });

  it.each([
    ['sign-in', signInPage],
    ['logout', logoutPage],
  ])('shows the logo, the brand stylesheet and the footer links on the %s page', async (_name, open) => {
    const { res, page } = await open();
    expect(page).toMatch(
      /<p class="brand"><img class="brand-logo" src="\/assets\/brand-logo-[0-9a-f]{16}\.svg" alt="Acme ID"><\/p>/,
    );
    expect(page).toMatch(/<link rel="stylesheet" href="\/assets\/brand-[0-9a-f]{16}\.css">/);
    expect(page).toContain('<a href="https://help.acme.example/">Help</a>');
    expect(page).toContain('<a href="https://acme.example/privacy">Privacy policy</a>');
    expect(page).toContain('<a href="https://acme.example/terms">Terms of use</a>');
    // Still no inline style or script: the brand comes as same-origin files.
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('serves the logo with its type, cached for a year as immutable', async () => {
    const { page } = await signInPage();
    const href = /src="(\/assets\/brand-logo-[^"]+)"/.exec(page)?.[1] ?? '';
    const res = await fetch(new URL(href, server.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe(LOGO);
  });

  it('serves the colours as custom properties, a dark-mode variant, then the extra CSS', async () => {
    const { page } = await signInPage();
    const href = /href="(\/assets\/brand-[0-9a-f]+\.css)"/.exec(page)?.[1] ?? '';
    const res = await fetch(new URL(href, server.url));
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await res.text();
    expect(css).toContain(':root { --accent: #1b2a6b; --on-accent: #ffffff; }');
    expect(css).toMatch(
      /@media \(prefers-color-scheme: dark\) \{ :root \{ --accent: #[0-9a-f]{6}; --on-accent: #1d232c; \} \}/,
    );
    expect(css.trimEnd().endsWith('.card { border-radius: 2px; }')).toBe(true);
  });
});
