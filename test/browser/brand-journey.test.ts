import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
let chromium: { browser: Browser; close(): Promise<void> };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-brand-'));
  writeFileSync(
    join(dir, 'logo.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"><rect width="120" height="40" fill="#0a5"/></svg>',
  );
  writeFileSync(join(dir, 'brand.css'), '.card { border-radius: 3px; }');
  server = await startTestServer({
    PRODUCT_NAME: 'Acme ID',
    BRAND_LOGO_FILE: join(dir, 'logo.svg'),
    BRAND_PRIMARY_COLOR: '#1b2a6b',
    BRAND_CSS_FILE: join(dir, 'brand.css'),
    TERMS_URL: 'https://acme.example/terms',
  });
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

describe('the brand in a real browser', () => {
  it.each([
    ['light', 'rgb(27, 42, 107)', 'rgb(255, 255, 255)'],
    ['dark', undefined, 'rgb(29, 35, 44)'],
  ] as const)(
    'draws the logo and the brand colours under the CSP in %s mode, with no violation',
    async (scheme, background, text) => {
      const context = await chromium.browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      const refused: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
      });
      // The account console sends a browser without a session to the sign-in page.
      await page.goto(`${server.url}/account`);
      await page.waitForURL(/\/interaction\//);
      const logo = page.getByRole('img', { name: 'Acme ID' });
      expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(120);
      const button = page.getByRole('button', { name: 'Sign in', exact: true });
      const style = await button.evaluate((b) => ({
        background: getComputedStyle(b).backgroundColor,
        color: getComputedStyle(b).color,
      }));
      if (background) expect(style.background).toBe(background);
      expect(style.color).toBe(text);
      expect(await page.locator('main.card').evaluate((m) => getComputedStyle(m).borderTopLeftRadius)).toBe('3px');
      expect(await page.getByRole('link', { name: 'Terms of use' }).getAttribute('href')).toBe(
        'https://acme.example/terms',
      );
      expect(refused).toEqual([]);
      await context.close();
    },
  );
});
