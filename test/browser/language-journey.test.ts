import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { relyingParty } from '../support/relying-party.js';
import { launchChromium } from '../support/chromium.js';

let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
const REDIRECT = 'https://journey.example/callback';
const PASSWORD = 'difference engine number two';

beforeAll(async () => {
  server = await startTestServer();
  chromium = await launchChromium();
  await gatehouse(
    { DATABASE_URL: server.database.url },
    'user',
    'add',
    '--email',
    'ada@example.com',
    '--password',
    PASSWORD,
  );
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

describe('in a real browser (Chromium) set to Japanese', () => {
  it('signs in in Japanese, mistake included, and the switcher turns the page German and remembers it', async () => {
    const env = { DATABASE_URL: server.database.url };
    const client = (
      await gatehouse(env, 'client', 'add', '--name', 'Notes', '--redirect-uri', REDIRECT, '--first-party', '--json')
    ).json<{ client_id: string; client_secret: string }>();
    const rp = await relyingParty(server.config.issuer, client, REDIRECT);

    // Chromium sends Accept-Language from the context's locale.
    const context = await chromium.browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.route('https://journey.example/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' }),
    );

    await page.goto((await rp.authorizationRequest()).url.toString());
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    expect(await page.title()).toBe('ログイン · Gatehouse');

    // Ada mistypes her password: told so in Japanese, on the same page.
    await page.getByLabel('メールアドレス').fill('ada@example.com');
    await page.getByLabel('パスワード').fill('analytical engine');
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.getByText('メールアドレスまたはパスワードが正しくありません。').waitFor();

    // She prefers German: the switcher at the foot of the page.
    await page.getByLabel('言語').selectOption('de');
    await page.getByRole('button', { name: '言語を変更' }).click();
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    const cookie = (await context.cookies()).find((c) => c.name === 'gatehouse_locale');
    expect(cookie).toMatchObject({ value: 'de', sameSite: 'Lax', httpOnly: false });

    // The second try, in German, gets her to the app.
    await page.getByLabel('E-Mail-Adresse').fill('ada@example.com');
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
    await page.waitForURL('https://journey.example/**');

    // The next sign-in (asked again with prompt=login) remembers German over the browser's Japanese.
    await page.goto((await rp.authorizationRequest({ prompt: 'login' })).url.toString());
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await context.close();
  });
});
