import { startTestServer, type TestServer } from '../../support/test-server.js';
import { gatehouse } from '../../support/run-gatehouse.js';
import { UserAgent } from '../../support/user-agent.js';
import { BrowserIn } from '../../support/browser-in.js';
import { htmlTag } from '../../support/html-tag.js';
import { walkAuthorization } from '../../support/sign-in-flow.js';
import { totpCodeAt } from '../../../src/mfa/totp.js';
import { LANGUAGE_COOKIE } from '../../../interactions/page/language-cookie.js';

let server: TestServer;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  server = await startTestServer();
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', 'lise@example.com', '--password', PASSWORD, '--name', 'Lise Meitner');
  await gatehouse(env, 'user', 'add', '--email', 'noriko@example.com', '--password', PASSWORD);
  // A yes/no detail the person may set: its choices are words of the page's language.
  await gatehouse(env, 'attribute', 'add', '--name', 'remote', '--type', 'boolean', '--self-editable');
});

afterAll(() => server.close());

/** Signs `agent` in to the console through the ordinary sign-in screen. */
async function consoleSignIn(agent: UserAgent, email: string) {
  const { callback } = await walkAuthorization(agent, '/account', { email, password: PASSWORD });
  expect(callback).toBeUndefined();
}

const page = async (res: Promise<Response>) => (await res).text();
const times = (html: string) => [...html.matchAll(/<time datetime="[^"]+">([^<]+)<\/time>/g)].map((m) => m[1]);

describe('the account console in the language the person picked (issue 24, Languages)', () => {
  it('speaks German after the switcher set the cookie: headings, buttons, dates, a refusal under its field and the second try', async () => {
    const agent = new UserAgent(server.url);
    await consoleSignIn(agent, 'lise@example.com');
    agent.plant(LANGUAGE_COOKIE, 'de');

    const account = await page(agent.get('/account'));
    expect(htmlTag(account)).toBe('<html lang="de" dir="ltr">');
    expect(account).toContain('<title>Ihr Konto · Gatehouse</title>');
    expect(account).toContain('<h1>Ihr Konto</h1>');
    expect(account).toContain('<h2>Wo Sie angemeldet sind</h2>');
    expect(account).toContain('<strong>(dieser Browser)</strong>');
    expect(account).toContain('<label for="current">Aktuelles Passwort</label>');
    expect(account).toContain('Mindestens 8 Zeichen. Eine Änderung meldet Sie überall sonst ab.');
    expect(account).toContain('<button type="submit">Passwort ändern</button>');
    expect(account).toContain('In diesem Browser von Gatehouse abmelden');
    expect(account).toContain('<h2>Rollen und Gruppen</h2>');
    expect(account).toContain('<option value="true">Ja</option><option value="false">Nein</option>');
    expect(account).toContain('<button type="submit">Angaben speichern</button>');
    // The UTC text before local-time.js runs is written the German way ("5. Dez. 2026, 07:52 UTC").
    expect(times(account).length).toBeGreaterThan(0);
    for (const time of times(account)) expect(time).toMatch(/^\d{1,2}\. \S+ \d{4}, \d{2}:\d{2} UTC$/);
    expect(account).not.toContain('Your account');

    // A wrong current password: refused beside its field, in German.
    const wrong = await agent.post('/account/password', {
      current: 'not my password',
      next: 'a fresh passphrase for lise',
      confirm: 'a fresh passphrase for lise',
    });
    expect(wrong.status).toBe(400);
    const refused = await wrong.text();
    expect(htmlTag(refused)).toBe('<html lang="de" dir="ltr">');
    expect(refused).toContain('<p class="field-error" id="current-error">Das aktuelle Passwort ist nicht richtig.</p>');

    // The second try: the right password, and the notice after it is German too.
    const changed = await agent.post('/account/password', {
      current: PASSWORD,
      next: 'a fresh passphrase for lise',
      confirm: 'a fresh passphrase for lise',
    });
    expect(changed.status).toBe(303);
    const after = await page(agent.follow(changed));
    expect(after).toContain('Ihr Passwort wurde geändert und Ihre anderen Sitzungen wurden abgemeldet.');

    const mfa = await page(agent.get('/account/mfa'));
    expect(htmlTag(mfa)).toBe('<html lang="de" dir="ltr">');
    expect(mfa).toContain('<h1>Bestätigung in zwei Schritten</h1>');
    expect(mfa).toContain('<button type="submit">Authenticator-App einrichten</button>');
    expect(mfa).toContain('<h2>Letzte Anmeldungen</h2>');
    expect(mfa).toContain('<a href="/account">Zurück zu Ihrem Konto</a>');

    // Setting up the app: a wrong code is refused in German, the right one turns it on.
    const setup = await page(agent.post('/account/mfa/setup', {}));
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(setup)?.[1] as string;
    const wrongCode = await agent.post('/account/mfa/totp', { code: '000000' });
    expect(wrongCode.status).toBe(400);
    expect(await wrongCode.text()).toContain('Dieser Code ist nicht richtig.');
    const on = await page(agent.post('/account/mfa/totp', { code: await totpCodeAt(secret, Date.now()) }));
    expect(on).toContain('<h1>Die Bestätigung in zwei Schritten ist aktiviert</h1>');
    expect(await page(agent.get('/account/mfa'))).toContain(
      'Eine Authenticator-App ist eingerichtet. <span data-testid="recovery-codes-left">10</span> Wiederherstellungscodes sind übrig.',
    );

    const passkeys = await page(agent.get('/account/passkeys'));
    expect(htmlTag(passkeys)).toBe('<html lang="de" dir="ltr">');
    expect(passkeys).toContain('Sie haben noch keine Passkeys.');
    expect(passkeys).toContain('<h2>Passkey hinzufügen</h2>');
    expect(passkeys).toContain('placeholder="z. B. Arbeitslaptop"');
    // What passkey-console.js says when the browser creates no passkey, written by the page in German.
    expect(passkeys).toContain('data-not-created="Es wurde kein Passkey erstellt.');

    const identities = await page(agent.get('/account/identities'));
    expect(htmlTag(identities)).toBe('<html lang="de" dir="ltr">');
    expect(identities).toContain('<h1>Anmeldung über andere Anbieter</h1>');
    expect(identities).toContain('Mit Ihrem Konto ist kein anderer Anbieter verknüpft.');
  });

  it('speaks Japanese to a browser that asks for it with Accept-Language, a refusal and its second try included', async () => {
    const agent = new BrowserIn(server.url, 'ja,en;q=0.5');
    await consoleSignIn(agent, 'noriko@example.com');

    const account = await page(agent.get('/account'));
    expect(htmlTag(account)).toBe('<html lang="ja" dir="ltr">');
    expect(account).toContain('<h1>アカウント</h1>');
    expect(account).toContain('<h2>パスワードの変更</h2>');
    expect(account).toContain('<button type="submit">パスワードを変更</button>');
    for (const time of times(account)) expect(time).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2} UTC$/);

    const wrong = await agent.post('/account/password', { current: 'not my password', next: 'x', confirm: 'y' });
    expect(wrong.status).toBe(400);
    const refused = await wrong.text();
    expect(refused).toContain(
      '<p class="field-error" id="confirm-error">2 つの新しいパスワードが一致しません。もう一度入力してください。</p>',
    );
    const again = await agent.post('/account/password', {
      current: 'not my password',
      next: 'a fresh passphrase for noriko',
      confirm: 'a fresh passphrase for noriko',
    });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain(
      '<p class="field-error" id="current-error">現在のパスワードが正しくありません。</p>',
    );
    const changed = await agent.post('/account/password', {
      current: PASSWORD,
      next: 'a fresh passphrase for noriko',
      confirm: 'a fresh passphrase for noriko',
    });
    expect(await page(agent.follow(changed))).toContain('パスワードを変更し、ほかのセッションからログアウトしました。');

    const mfa = await page(agent.get('/account/mfa'));
    expect(htmlTag(mfa)).toBe('<html lang="ja" dir="ltr">');
    expect(mfa).toContain('<h1>2 段階認証</h1>');
    expect(mfa).toContain('<button type="submit">認証アプリを設定</button>');

    const passkeys = await page(agent.get('/account/passkeys'));
    expect(htmlTag(passkeys)).toBe('<html lang="ja" dir="ltr">');
    expect(passkeys).toContain('<h1>パスキー</h1>');
    expect(passkeys).toContain('<button type="submit">パスキーを追加</button>');

    const identities = await page(agent.get('/account/identities'));
    expect(htmlTag(identities)).toBe('<html lang="ja" dir="ltr">');
    expect(identities).toContain('<h1>ほかのプロバイダーでのログイン</h1>');
  });

  it('says in German that the console sign-in was cancelled', async () => {
    const agent = new UserAgent(server.url);
    agent.plant(LANGUAGE_COOKIE, 'de');
    const login = await page(agent.follow(await agent.get('/account')));
    const uid = /action="\/interaction\/([^/"]+)\/abort"/.exec(login)?.[1] as string;
    const cancelled = await page(agent.follow(await agent.post(`/interaction/${uid}/abort`, {})));
    expect(htmlTag(cancelled)).toBe('<html lang="de" dir="ltr">');
    expect(cancelled).toContain('<h1>Anmeldung abgebrochen</h1>');
    expect(cancelled).toContain('<a href="/session/end">Melden Sie diesen Browser ab</a>');
  });

  it('names the console itself in German on its sign-in page, and tells a signed-out form post in German that the session has ended', async () => {
    const agent = new UserAgent(server.url);
    agent.plant(LANGUAGE_COOKIE, 'de');
    const login = await page(agent.follow(await agent.get('/account')));
    expect(login).toContain('weiter zu <strong>Gatehouse-Konto</strong>');
    // A console form posted without a session (it ended in another tab): the page says so in German.
    const ended = await agent.post('/account/password', { current: PASSWORD, password: 'x', confirm: 'x' });
    const text = await ended.text();
    expect(ended.status).toBe(401);
    expect(htmlTag(text)).toBe('<html lang="de" dir="ltr">');
    expect(text).toContain('Ihre Sitzung ist beendet. Melden Sie sich erneut an.');
  });

  it('says in German that a session or an app it was asked to end is already gone, then ends a real one', async () => {
    await gatehouse(
      { DATABASE_URL: server.database.url },
      'user',
      'add',
      '--email',
      'emmy@example.com',
      '--password',
      PASSWORD,
    );
    const agent = new UserAgent(server.url);
    agent.plant(LANGUAGE_COOKIE, 'de');
    await consoleSignIn(agent, 'emmy@example.com');
    const gone = await page(agent.post('/account/sessions/no-such-session/revoke', {}));
    expect(htmlTag(gone)).toBe('<html lang="de" dir="ltr">');
    expect(gone).toContain('Diese Sitzung ist bereits beendet.');
    const noApp = await page(agent.post('/account/grants/no-such-grant/revoke', {}));
    expect(noApp).toContain('Diese App hat bereits keinen Zugriff mehr.');
    // The second try: ending the other sessions works, and the notice is German too.
    const ended = await agent.follow(await agent.post('/account/sessions/revoke-others', {}));
    expect(ended.status).toBe(200);
    expect(htmlTag(await ended.text())).toBe('<html lang="de" dir="ltr">');
  });
});
