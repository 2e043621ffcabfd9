// `npx tsx scripts/admin-screenshots.ts [DIR]`: screenshots of the admin console (Overview, People,
// a person's page, Applications, APIs, Audit log) at 1280 and 390 px wide into docs/admin-console/ (or DIR), from a Gatehouse on a
// fresh SQLite file with seeded people (bench/admin-console-fixture.ts), through Debian's Chromium
// (CHROMIUM_PATH to use another). Fails when a page scrolls sideways at 390 px.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startSeededConsole, PASSWORD } from '../bench/admin-console-fixture.js';
import { launchChromium } from '../test/support/chromium.js';
import { UserAgent } from '../test/support/user-agent.js';
import { walkAuthorization } from '../test/support/sign-in-flow.js';

const dir = process.argv[2] ?? new URL('../docs/admin-console/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });

const seeded = await startSeededConsole({ people: 120 });
const chromium = await launchChromium();
try {
  // Katherine: two browsers signed in, an app she connected, a few mistyped passwords.
  const person = 'katherine@example.com';
  await seeded.cli('user', 'add', '--email', person, '--password', PASSWORD, '--name', 'Katherine Johnson');
  const redirect = 'https://mission.example/callback';
  const client = JSON.parse(
    await seeded.cli('client', 'add', '--name', 'Mission Control', '--redirect-uri', redirect, '--json'),
  ) as { client_id: string };
  for (const ua of [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15',
    'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/156.0.0.0 Mobile Safari/537.36',
  ]) {
    const agent = new UserAgent(seeded.url, ua);
    await walkAuthorization(agent, '/account', { email: person, password: PASSWORD });
    if (ua.includes('Android')) {
      const auth = new URL('/auth', seeded.url);
      auth.search = new URLSearchParams({
        client_id: client.client_id,
        response_type: 'code',
        scope: 'openid email profile',
        redirect_uri: redirect,
        state: 'screenshots',
        code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();
      await walkAuthorization(agent, auth, { consent: 'allow' });
    }
  }
  for (let i = 0; i < 7; i += 1)
    await walkAuthorization(new UserAgent(seeded.url), '/account', { email: person, password: 'not the password' });
  const people = await (await seeded.admin.get(`/admin/people?q=${encodeURIComponent(person)}`)).text();
  const personPath = /<a href="(\/admin\/people\/[^"]+)">/.exec(people)?.[1] as string;

  // The administrator's cookies, handed to the browser.
  const cookies = seeded.admin
    .cookieHeader(new URL('/admin', seeded.url))
    .split('; ')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      return { name: pair.slice(0, at), value: pair.slice(at + 1), url: seeded.url };
    });

  const shoot = async (page: Page, path: string, name: string, width: number) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${seeded.url}${path}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) throw new Error(`${path} scrolls sideways by ${overflow} px at ${width} px wide`);
    await page.screenshot({ path: join(dir, `${name}-${width}.png`), fullPage: true });
  };
  for (const width of [1280, 390]) {
    const context = await chromium.browser.newContext({ deviceScaleFactor: 1 });
    await context.addCookies(cookies);
    const page = await context.newPage();
    await shoot(page, '/admin', 'overview', width);
    await shoot(page, '/admin/people', 'people', width);
    await shoot(page, personPath, 'person', width);
    // Applications, APIs and the Audit log; the create form with a mistake and the secret shown
    // once come from test/browser/admin-applications-journey.test.ts (SCREENSHOT_DIR).
    await shoot(page, '/admin/applications', 'applications', width);
    await shoot(page, '/admin/apis', 'apis', width);
    await shoot(page, '/admin/audit', 'audit-log', width);
    await context.close();
  }

  // Keyboard focus is visible: the search field reached with Tab, then the first person's link.
  const context = await chromium.browser.newContext({ viewport: { width: 390, height: 700 } });
  await context.addCookies(cookies);
  const page = await context.newPage();
  await page.goto(`${seeded.url}/admin/people`);
  await page.getByLabel('Email starts with').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.screenshot({ path: join(dir, 'people-focus-390.png') });
  await context.close();
  console.log(`screenshots in ${dir}`);
} finally {
  await chromium.close();
  await seeded.close();
}
