import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { relyingParty } from '../support/relying-party.js';
import { launchChromium } from '../support/chromium.js';
import { totpCodeAt } from '../../src/mfa/totp.js';

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

/** The words a journey looks for, in the language it runs in. */
interface JourneyWords {
  readonly signIn: string;
  readonly email: string;
  readonly password: string;
  readonly incorrect: string;
  readonly enrolHeading: string;
  readonly codeLabel: string;
  readonly verify: string;
  readonly wrongCode: string;
  readonly enrolled: string;
  readonly continueTo: string;
  readonly consentHeading: string;
  readonly permission: string;
  readonly allow: string;
}

/**
 * Sign-in (a wrong password, then the right one), the second step's set-up (a wrong code, then the
 * right one) and consent, all in one language, for an app that is not first-party and requires a
 * second step.
 */
async function journey(options: { email: string; locale: string; lang: string; ui_locales?: string }, w: JourneyWords) {
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', options.email, '--password', PASSWORD);
  const client = (
    await gatehouse(env, 'client', 'add', '--name', 'Payroll', '--redirect-uri', REDIRECT, '--mfa', 'always', '--json')
  ).json<{ client_id: string; client_secret: string }>();
  const rp = await relyingParty(server.config.issuer, client, REDIRECT);
  const context = await chromium.browser.newContext({ locale: options.locale });
  const page = await context.newPage();
  await page.route('https://journey.example/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' }),
  );
  const lang = () => page.getAttribute('html', 'lang');
  const params: Record<string, string> = options.ui_locales ? { ui_locales: options.ui_locales } : {};

  await page.goto((await rp.authorizationRequest({ scope: 'openid email', ...params })).url.toString());
  await page.getByRole('heading', { name: w.signIn }).waitFor();
  expect(await lang()).toBe(options.lang);
  await page.getByLabel(w.email).fill(options.email);
  await page.getByLabel(w.password).fill('not my password');
  await page.getByRole('button', { name: w.signIn, exact: true }).click();
  await page.getByRole('alert').filter({ hasText: w.incorrect }).waitFor();
  await page.getByLabel(w.email).fill(options.email);
  await page.getByLabel(w.password).fill(PASSWORD);
  await page.getByRole('button', { name: w.signIn, exact: true }).click();

  // The second step: set up an authenticator app; a mistyped code first.
  await page.getByRole('heading', { name: w.enrolHeading }).waitFor();
  expect(await lang()).toBe(options.lang);
  const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
  await page.getByLabel(w.codeLabel).fill('000000');
  await page.getByRole('button', { name: w.verify }).click();
  await page.getByRole('alert').filter({ hasText: w.wrongCode }).waitFor();
  expect(await lang()).toBe(options.lang);
  await page.getByLabel(w.codeLabel).fill(await totpCodeAt(secret, Date.now()));
  await page.getByRole('button', { name: w.verify }).click();
  await page.getByRole('heading', { name: w.enrolled }).waitFor();
  await page.getByRole('link', { name: w.continueTo }).click();

  // Consent, in the same language, then back to the app.
  await page.getByRole('heading', { name: w.consentHeading }).waitFor();
  expect(await lang()).toBe(options.lang);
  await page.getByText(w.permission, { exact: true }).waitFor();
  await page.getByRole('button', { name: w.allow, exact: true }).click();
  await page.waitForURL('https://journey.example/**');
  await context.close();
}

describe('in a real browser (Chromium), from sign-in through the second step to consent', () => {
  it('speaks German all the way for ui_locales=de, though the browser is set to English', async () => {
    await journey(
      { email: 'grace@example.com', locale: 'en-US', lang: 'de', ui_locales: 'de' },
      {
        signIn: 'Anmelden',
        email: 'E-Mail-Adresse',
        password: 'Passwort',
        incorrect: 'E-Mail-Adresse oder Passwort ist falsch.',
        enrolHeading: 'Bestätigung in zwei Schritten einrichten',
        codeLabel: 'Bestätigungscode',
        verify: 'Bestätigen',
        wrongCode: 'Dieser Code ist nicht richtig.',
        enrolled: 'Die Bestätigung in zwei Schritten ist aktiviert',
        continueTo: 'Weiter zu Payroll',
        consentHeading: 'Payroll möchte auf Ihr Konto zugreifen',
        permission: 'Ihre E-Mail-Adresse sehen und ob sie bestätigt ist',
        allow: 'Erlauben',
      },
    );
  });

  it('speaks Japanese all the way for a browser set to Japanese (Accept-Language: ja)', async () => {
    await journey(
      { email: 'hopper@example.com', locale: 'ja-JP', lang: 'ja' },
      {
        signIn: 'ログイン',
        email: 'メールアドレス',
        password: 'パスワード',
        incorrect: 'メールアドレスまたはパスワードが正しくありません。',
        enrolHeading: '2 段階認証を設定',
        codeLabel: '確認コード',
        verify: '確認',
        wrongCode: 'コードが正しくありません。',
        enrolled: '2 段階認証が有効になりました',
        continueTo: 'Payroll に進む',
        consentHeading: 'Payroll があなたのアカウントへのアクセスを求めています',
        permission: 'メールアドレスと、それが確認済みかどうかを見る',
        allow: '許可',
      },
    );
  });
});
