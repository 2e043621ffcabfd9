// `npx tsx scripts/sign-in-screenshots.ts [DIR]`: the README's pictures of the sign-in page in
// English, German and Japanese (the browser's Accept-Language picks the language) and with a custom
// brand (logo, primary colour, footer links), at 1280 px wide into docs/screenshots/ (or DIR), from
// Gatehouses on fresh SQLite files, through Debian's Chromium (CHROMIUM_PATH to use another). The Japanese
// page needs a CJK font installed (Debian: fonts-ipafont-gothic or fonts-noto-cjk).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../test/support/chromium.js';
import { startTestServer, type TestServer } from '../test/support/test-server.js';
import { createTestDatabase } from '../test/support/test-database.js';

const dir = process.argv[2] ?? new URL('../docs/screenshots/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });

// An invented company's mark: a rounded square with a keyhole, and its name.
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="168" height="40" viewBox="0 0 168 40">
<rect width="40" height="40" rx="9" fill="#0a6b52"/>
<circle cx="20" cy="16" r="6" fill="#fff"/><path d="M17 20h6l2 12h-10z" fill="#fff"/>
<text x="50" y="28" font-family="sans-serif" font-size="22" font-weight="700" fill="#0a6b52">Northwind</text>
</svg>`;

const chromium = await launchChromium();
const servers: TestServer[] = [];
try {
  /** The sign-in page the account console sends a browser without a session to. */
  const shoot = async (server: TestServer, locale: string, name: string) => {
    const context = await chromium.browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/account`);
    await page.locator('input[name="password"]').waitFor();
    const lang = await page.getAttribute('html', 'lang');
    if (!locale.startsWith(lang ?? '-')) throw new Error(`asked for ${locale}, the page is in ${lang}`);
    await page.screenshot({ path: join(dir, name), fullPage: true });
    await context.close();
  };

  const plain = await startTestServer({}, await createTestDatabase('file:'));
  servers.push(plain);
  await shoot(plain, 'en-GB', 'sign-in-en.png');
  await shoot(plain, 'de-DE', 'sign-in-de.png');
  await shoot(plain, 'ja-JP', 'sign-in-ja.png');

  const brandDir = mkdtempSync(join(tmpdir(), 'gatehouse-brand-'));
  writeFileSync(join(brandDir, 'northwind.svg'), LOGO);
  const branded = await startTestServer(
    {
      PRODUCT_NAME: 'Northwind ID',
      BRAND_LOGO_FILE: join(brandDir, 'northwind.svg'),
      BRAND_PRIMARY_COLOR: '#0a6b52',
      SUPPORT_URL: 'https://help.northwind.example',
      PRIVACY_POLICY_URL: 'https://northwind.example/privacy',
      TERMS_URL: 'https://northwind.example/terms',
    },
    await createTestDatabase('file:'),
  );
  servers.push(branded);
  await shoot(branded, 'en-GB', 'sign-in-brand.png');
  console.log(`screenshots in ${dir}`);
} finally {
  await chromium.close();
  for (const server of servers) await server.close();
}
