import type { BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { launchChromium } from '../support/chromium.js';
import { LANGUAGE_COOKIE } from '../../interactions/page/language-cookie.js';

const EMAIL = 'emmy@example.com';
const PASSWORD = 'invariants under symmetry';

let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  chromium = await launchChromium();
  await gatehouse({ DATABASE_URL: server.database.url }, 'user', 'add', '--email', EMAIL, '--password', PASSWORD);
  // A browser that runs in English, in Berlin, whose person picked German with the switcher.
  context = await chromium.browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'en-GB' });
  await context.addCookies([{ name: LANGUAGE_COOKIE, value: 'de', url: server.url }]);
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await chromium?.close();
  await server?.close();
});

describe('the account console in German in a browser that runs in English', () => {
  it('signs in after a mistake, shows German dates in the browser’s zone and a refusal beside its field', async () => {
    await page.goto(`${server.url}/account`);
    await page.getByLabel('E-Mail-Adresse').fill(EMAIL);
    await page.getByLabel('Passwort').fill('not the password');
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.getByText('E-Mail-Adresse oder Passwort ist falsch.').waitFor();
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.getByRole('heading', { name: 'Ihr Konto' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('de');

    // local-time.js writes the page's language (<html lang="de">), not the browser's English.
    const lastSeen = page.locator('td[data-label="Zuletzt aktiv"] time').first();
    await expect(lastSeen.getAttribute('data-local')).resolves.toBe('');
    expect((await lastSeen.textContent()) ?? '').toMatch(/^\d{1,2}\. \S+ \d{4}, \d{2}:\d{2} (MEZ|MESZ|GMT\+1|GMT\+2)$/);
    expect(await lastSeen.getAttribute('title')).toMatch(/^\d{1,2}\. \S+ \d{4}, \d{2}:\d{2} UTC$/);

    // A wrong current password: the reason under the field, in German, and the field marked.
    await page.locator('#current').fill('not the password');
    await page.locator('#next').fill('a new passphrase for emmy');
    await page.locator('#confirm').fill('a new passphrase for emmy');
    await page.getByRole('button', { name: 'Passwort ändern' }).click();
    await page.locator('#current-error').waitFor();
    expect(await page.locator('#current-error').textContent()).toBe('Das aktuelle Passwort ist nicht richtig.');
    expect(await page.locator('#current').getAttribute('aria-invalid')).toBe('true');

    // The second try changes it.
    await page.locator('#current').fill(PASSWORD);
    await page.locator('#next').fill('a new passphrase for emmy');
    await page.locator('#confirm').fill('a new passphrase for emmy');
    await page.getByRole('button', { name: 'Passwort ändern' }).click();
    await page.getByText('Ihr Passwort wurde geändert und Ihre anderen Sitzungen wurden abgemeldet.').waitFor();
  });
});
