import { startTestServer, type TestServer } from '../../support/test-server.js';
import { gatehouse, gatehouseJson } from '../../support/run-gatehouse.js';
import { UserAgent } from '../../support/user-agent.js';
import { BrowserIn } from '../../support/browser-in.js';
import { htmlTag } from '../../support/html-tag.js';
import { openSignIn } from '../../support/open-sign-in.js';
import { relyingParty } from '../../support/relying-party.js';
import { totpCodeAt } from '../../../src/mfa/totp.js';

let server: TestServer;
const REDIRECT = 'https://app.example/cb';
const PASSWORD = 'correct horse battery staple';
type Rp = Awaited<ReturnType<typeof relyingParty>>;
let notes: Rp;
let payroll: Rp;

beforeAll(async () => {
  server = await startTestServer();
  const env = { DATABASE_URL: server.database.url };
  await gatehouse(env, 'user', 'add', '--email', 'ada@example.com', '--password', PASSWORD);
  const add = (name: string, ...extra: string[]) =>
    gatehouseJson<{ client_id: string; client_secret: string }>(
      env,
      'client',
      'add',
      '--name',
      name,
      '--redirect-uri',
      REDIRECT,
      '--first-party',
      ...extra,
    );
  notes = await relyingParty(server.config.issuer, await add('Notes'), REDIRECT);
  payroll = await relyingParty(server.config.issuer, await add('Payroll', '--mfa', 'always'), REDIRECT);
});

afterAll(() => server.close());

describe('the sign-in pages in the language the app asks for (ui_locales, OIDC Core §3.1.2.1)', () => {
  it('writes the sign-in page in German for ui_locales=de, the mistake and the second try too, and the second step after it', async () => {
    const agent = new UserAgent(server.url);
    const { uid, text } = await openSignIn(agent, payroll, { ui_locales: 'de' });
    expect(htmlTag(text)).toBe('<html lang="de" dir="ltr">');
    expect(text).toContain('<title>Anmelden · Gatehouse</title>');
    expect(text).toContain('<p class="lead">weiter zu <strong>Payroll</strong></p>');
    expect(text).toContain('<label for="email">E-Mail-Adresse</label>');
    expect(text).toContain('Abbrechen und zu Payroll zurückkehren');
    // The passkey script's own messages come with its form, in German too.
    expect(text).toContain('data-message-not-confirmed="Es wurde kein Passkey verwendet:');

    // A wrong password: the refusal is German too, and so is the page that shows it.
    const wrong = await agent.post(`/interaction/${uid}/login`, { email: 'ada@example.com', password: 'wrong one' });
    const refused = await wrong.text();
    expect(wrong.status).toBe(401);
    expect(htmlTag(refused)).toBe('<html lang="de" dir="ltr">');
    expect(refused).toContain('E-Mail-Adresse oder Passwort ist falsch.');

    // The second try signs in; Payroll requires a second step, which Ada must set up first.
    const second = await agent.follow(
      await agent.post(`/interaction/${uid}/login`, { email: 'ada@example.com', password: PASSWORD }),
    );
    const secondStep = await second.text();
    expect(htmlTag(secondStep)).toBe('<html lang="de" dir="ltr">');
    expect(secondStep).toContain('<h1>Bestätigung in zwei Schritten einrichten</h1>');
    expect(secondStep).toContain('<strong>Payroll</strong> verlangt bei der Anmeldung einen zweiten Schritt.');
    expect(secondStep).toMatch(/Grund der Abfrage: [^<]*die App verlangt es[^<]* und [^<]*\.</);

    // Set up with a code from the app: the recovery codes page, then on to the app.
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(secondStep)?.[1] as string;
    const stepUid = /action="\/interaction\/([^/"]+)\/mfa/.exec(secondStep)?.[1] as string;
    const done = await agent.post(`/interaction/${stepUid}/mfa/enrol`, { code: await totpCodeAt(secret, Date.now()) });
    const donePage = await done.text();
    expect(htmlTag(donePage)).toBe('<html lang="de" dir="ltr">');
    expect(donePage).toContain('<h1>Die Bestätigung in zwei Schritten ist aktiviert</h1>');
    expect(donePage).toContain('>Weiter zu Payroll</a>');

    // The next sign-in, in a new browser, asks for a code, in German.
    const later = new UserAgent(server.url);
    const next = await openSignIn(later, payroll, { ui_locales: 'de' });
    const step = await later.follow(
      await later.post(`/interaction/${next.uid}/login`, { email: 'ada@example.com', password: PASSWORD }),
    );
    const stepPage = await step.text();
    expect(htmlTag(stepPage)).toBe('<html lang="de" dir="ltr">');
    expect(stepPage).toContain('<h1>Bestätigung in zwei Schritten</h1>');
    expect(stepPage).toContain(
      'Geben Sie den Code aus Ihrer Authenticator-App ein, um zu <strong>Payroll</strong> fortzufahren.',
    );
    expect(stepPage).toContain('<label for="code">Bestätigungscode</label>');
    expect(stepPage).toContain('Stattdessen einen Wiederherstellungscode verwenden');
    const laterUid = /action="\/interaction\/([^/"]+)\/mfa"/.exec(stepPage)?.[1] as string;
    const empty = await (await later.post(`/interaction/${laterUid}/mfa`, { code: '' })).text();
    expect(empty).toContain('Geben Sie den Code aus Ihrer Authenticator-App ein.');
  });

  it('takes the first shipped tag of several, in the order the app gave them', async () => {
    const { text } = await openSignIn(new UserAgent(server.url), notes, { ui_locales: 'ko zh-TW pt-PT en' });
    expect(htmlTag(text)).toBe('<html lang="pt-BR" dir="ltr">');
    expect(text).toContain('<h1>Entrar</h1>');
  });
});

describe("the sign-in pages in the browser's language", () => {
  it('writes the sign-in page in Japanese for Accept-Language: ja', async () => {
    const { text } = await openSignIn(new BrowserIn(server.url, 'ja,en;q=0.5'), notes);
    expect(htmlTag(text)).toBe('<html lang="ja" dir="ltr">');
    expect(text).toContain('<h1>ログイン</h1>');
    expect(text).toContain('<strong>Notes</strong> に進みます');
  });

  it('falls back to DEFAULT_LOCALE (English) for a language we do not ship', async () => {
    const { text } = await openSignIn(new BrowserIn(server.url, 'it'), notes);
    expect(htmlTag(text)).toBe('<html lang="en" dir="ltr">');
    expect(text).toContain('<h1>Sign in</h1>');
  });
});

describe('a page whose words are not in the catalogues', () => {
  it('says it is English, whatever language was asked for, so no screen reader reads it in another voice', async () => {
    // The admin console is written for operators in English only: its refusal of a signed-in person
    // without the admin role is such a page.
    const agent = new BrowserIn(server.url, 'de');
    const login = await agent.follow(await agent.get('/account'));
    const uid = /action="\/interaction\/([^/"]+)\//.exec(await login.text())?.[1] as string;
    const signedIn = await agent.follow(
      await agent.post(`/interaction/${uid}/login`, { email: 'ada@example.com', password: PASSWORD }),
    );
    expect(signedIn.status).toBe(200);
    const res = await agent.get('/admin');
    const text = await res.text();
    expect(res.status).toBe(403);
    expect(htmlTag(text)).toBe('<html lang="en" dir="ltr">');
    expect(text).toContain('Not an administrator');
    // The frame follows the page: one language throughout.
    expect(text).toContain('<label for="language-switcher">Language</label>');
  });
});

describe('the error pages', () => {
  it('say what happened and what to do in German, and in Japanese', async () => {
    const german = await new BrowserIn(server.url, 'de').get('/no-such-page');
    const text = await german.text();
    expect(german.status).toBe(404);
    expect(htmlTag(text)).toBe('<html lang="de" dir="ltr">');
    expect(text).toContain('<h1>Seite nicht gefunden</h1>');
    expect(text).toContain('<a href="/account">Ihr Konto öffnen</a>');
    expect(text).toContain('Fehlercode: <code>not_found</code>');

    // An interaction that is gone (opened too long ago, or in another browser).
    const japanese = await new BrowserIn(server.url, 'ja').get('/interaction/gone');
    const gone = await japanese.text();
    expect(japanese.status).toBe(400);
    expect(htmlTag(gone)).toBe('<html lang="ja" dir="ltr">');
    expect(gone).toContain('<h1>このログインは期限切れです</h1>');
    expect(gone).toContain('元のアプリに戻って、最初からやり直してください。');
  });
});

describe('the language switcher on every page', () => {
  it('offers every shipped language, each named in itself, with the current one chosen', async () => {
    const { text } = await openSignIn(new BrowserIn(server.url, 'fr'), notes);
    expect(text).toContain('<form method="post" action="/language" class="language">');
    expect(text).toContain('<option value="fr" lang="fr" selected>Français</option>');
    expect(text).toContain('<option value="zh-Hans" lang="zh-Hans">简体中文</option>');
    expect(text).toContain('<option value="ja" lang="ja">日本語</option>');
  });

  it('remembers the pick a year in a SameSite=Lax cookie, goes back to the page, and wins over Accept-Language', async () => {
    const agent = new BrowserIn(server.url, 'ja');
    const { uid } = await openSignIn(agent, notes);
    const picked = await agent.post('/language', { locale: 'es', return_to: `/interaction/${uid}` });
    expect(picked.status).toBe(303);
    expect(picked.headers.get('location')).toBe(`/interaction/${uid}`);
    expect(agent.setCookies.get('gatehouse_locale')).toMatch(
      /^gatehouse_locale=es; path=\/; expires=.*; samesite=lax$/,
    );
    const page = await (await agent.get(`/interaction/${uid}`)).text();
    expect(htmlTag(page)).toBe('<html lang="es" dir="ltr">');
    expect(page).toContain('<h1>Iniciar sesión</h1>');
  });

  it('does not win over the ui_locales of the authorization request', async () => {
    const agent = new BrowserIn(server.url, 'ja');
    await agent.post('/language', { locale: 'fr', return_to: '/' });
    const { text } = await openSignIn(agent, notes, { ui_locales: 'de' });
    expect(htmlTag(text)).toBe('<html lang="de" dir="ltr">');
    const other = await openSignIn(agent, notes);
    expect(htmlTag(other.text)).toBe('<html lang="fr" dir="ltr">');
  });

  it('ignores a picked language we do not ship, and goes back only to a page of its own', async () => {
    const agent = new UserAgent(server.url);
    const refused = await agent.post('/language', { locale: 'tlh', return_to: '/' });
    expect(refused.status).toBe(400);
    expect(agent.setCookies.has('gatehouse_locale')).toBe(false);
    for (const elsewhere of ['//evil.example/x', '/\\evil.example', 'https://evil.example/']) {
      const res = await agent.post('/language', { locale: 'de', return_to: elsewhere });
      expect([elsewhere, res.headers.get('location')]).toEqual([elsewhere, '/']);
    }
  });

  it('refuses a pick posted from another site, like every form', async () => {
    const res = await new UserAgent(server.url).post(
      '/language',
      { locale: 'de', return_to: '/' },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(res.status).toBe(403);
  });
});

describe('discovery', () => {
  it('lists the languages the pages speak as ui_locales_supported (OIDC Discovery §3)', async () => {
    const metadata = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(metadata.ui_locales_supported).toEqual(['en', 'de', 'fr', 'es', 'pt-BR', 'ja', 'zh-Hans']);
  });

  it('accepts claims_locales on an authorization request (no claim has translations, so it changes nothing)', async () => {
    const { text, status } = await openSignIn(new UserAgent(server.url), notes, { claims_locales: 'de fr' });
    expect(status).toBe(200);
    expect(text).toContain('<h1>Sign in</h1>');
  });
});
