import { startTestServer, type TestServer } from '../../support/test-server.js';
import { gatehouse } from '../../support/run-gatehouse.js';
import { BrowserIn } from '../../support/browser-in.js';
import { htmlTag } from '../../support/html-tag.js';
import { mailCatcher, linkIn, type MailCatcher } from '../../support/mail-catcher.js';

const PASSWORD = 'a long and quiet river';
const NEW_PASSWORD = 'the tide comes in at noon';

let catcher: MailCatcher;
let server: TestServer;
let env: Record<string, string>;
let nextIp = 1;

beforeAll(async () => {
  catcher = await mailCatcher();
  const mail = { SMTP_URL: catcher.url, MAIL_FROM: 'no-reply@gatehouse.test' };
  server = await startTestServer({ ...mail, OUTBOX_INTERVAL_SECONDS: '1', TRUST_PROXY: 'true', REGISTRATION: 'open' });
  env = { DATABASE_URL: server.database.url, ...mail };
});

afterAll(async () => {
  await server.close();
  await catcher.close();
});

const pathOf = (link: string) => {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
};

/** A browser set to `language`, at an address of its own; its pages' status and text. */
function browser(language?: string) {
  const agent = new BrowserIn(server.url, language, { 'x-forwarded-for': `198.51.100.${nextIp++}` });
  const text = async (res: Promise<Response>) => {
    const answer = await res;
    return { status: answer.status, text: await answer.text() };
  };
  return {
    agent,
    get: (path: string) => text(agent.get(path)),
    post: (path: string, form: Record<string, string>) => text(agent.post(path, form)),
  };
}

describe('the password reset pages in the language the person reads', () => {
  it('walks a German reset (the gatehouse_locale cookie): a forgotten address and mismatched passwords, then the fix', async () => {
    const email = 'greta@example.com';
    await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD, '--email-verified');
    const greta = browser();
    greta.agent.plant('gatehouse_locale', 'de');

    const forgot = await greta.get('/password/forgot');
    expect(htmlTag(forgot.text)).toBe('<html lang="de" dir="ltr">');
    expect(forgot.text).toContain('<h1>Passwort zurücksetzen</h1>');
    expect(forgot.text).toContain('<label for="email">E-Mail-Adresse</label>');

    // She sends the form empty first: told in German what is missing.
    const empty = await greta.post('/password/forgot', { email: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Geben Sie die E-Mail-Adresse Ihres Kontos ein.');

    const before = catcher.to(email).length;
    const sent = await greta.post('/password/forgot', { email });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('<h1>Prüfen Sie Ihre E-Mails</h1>');
    expect(sent.text).toContain('Der Link funktioniert einmal und 30 Minuten lang.');

    const link = linkIn(await catcher.waitForLink(email, before));
    const form = await greta.get(pathOf(link));
    expect(htmlTag(form.text)).toBe('<html lang="de" dir="ltr">');
    expect(form.text).toContain(`<p class="lead">für <strong>${email}</strong></p>`);
    expect(form.text).toContain('Mindestens 8 Zeichen; am besten ein langer Satz.');

    // The two passwords differ: the refusal (ERR_PASSWORD_CONFIRMATION) is German, then too short.
    const token = new URL(link).searchParams.get('token') as string;
    const mismatch = await greta.post('/password/reset', { token, password: NEW_PASSWORD, confirm: 'the tide' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('Die beiden Passwörter stimmen nicht überein.');
    const short = await greta.post('/password/reset', { token, password: 'tide', confirm: 'tide' });
    expect(short.text).toContain('Das Passwort muss mindestens 8 Zeichen lang sein.');

    const done = await greta.post('/password/reset', { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(done.status).toBe(200);
    expect(htmlTag(done.text)).toBe('<html lang="de" dir="ltr">');
    expect(done.text).toContain('<h1>Ihr Passwort wurde geändert</h1>');
    expect(done.text).toContain('öffnen Sie Ihr Konto</a>');

    // The spent link says so in German.
    const spent = await greta.get(pathOf(link));
    expect(spent.status).toBe(400);
    expect(spent.text).toContain('<h1>Dieser Link funktioniert nicht mehr</h1>');
  });

  it('writes the reset form in Japanese for Accept-Language: ja', async () => {
    const forgot = await browser('ja').get('/password/forgot');
    expect(htmlTag(forgot.text)).toBe('<html lang="ja" dir="ltr">');
    expect(forgot.text).toContain('<h1>パスワードの再設定</h1>');
    expect(forgot.text).toContain('リンクを送信');
  });

  it("follows the app's ui_locales from the sign-in it started at, ahead of the browser's language, and mails in it", async () => {
    const email = 'felix@example.com';
    await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD, '--email-verified');
    const { client_id } = JSON.parse(
      (await gatehouse(env, 'client', 'add', '--name', 'Notes', '--redirect-uri', 'https://notes.example/cb', '--json'))
        .stdout,
    ) as { client_id: string };
    const german = browser('de');
    const start = new URL('/auth', server.url);
    for (const [k, v] of Object.entries({
      client_id,
      redirect_uri: 'https://notes.example/cb',
      response_type: 'code',
      scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGUjaaDtLo',
      code_challenge_method: 'S256',
      ui_locales: 'fr',
    }))
      start.searchParams.set(k, v);
    const signIn = await german.agent.follow(await german.agent.get(start));
    const uid = /action="\/interaction\/([^/"]+)\//.exec(await signIn.text())?.[1] as string;
    const forgot = await german.get(`/password/forgot?uid=${uid}`);
    expect(htmlTag(forgot.text)).toBe('<html lang="fr" dir="ltr">');
    // A mistake first (no address), then the address: both answered in French, and the mail too.
    const empty = await german.post('/password/forgot', { email: '', uid });
    expect(htmlTag(empty.text)).toBe('<html lang="fr" dir="ltr">');
    const before = catcher.to(email).length;
    const sent = await german.post('/password/forgot', { email, uid });
    expect(sent.text).toContain('Consultez vos e-mails');
    const mail = await catcher.waitForLink(email, before);
    expect(mail.language).toBe('fr');
  });
});

describe('the registration pages in the language the person reads', () => {
  it('walks a German registration (Accept-Language: de): a bad address and a common password, then the fix', async () => {
    const hans = browser('de-AT,de;q=0.9');
    const page = await hans.get('/register');
    expect(htmlTag(page.text)).toBe('<html lang="de" dir="ltr">');
    expect(page.text).toContain('<h1>Konto erstellen</h1>');

    const bad = await hans.post('/register', { email: 'hans at example', password: PASSWORD });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Geben Sie eine gültige E-Mail-Adresse ein.');
    const common = await hans.post('/register', { email: 'hans@example.com', password: 'password123' });
    expect(common.text).toContain('Dieses Passwort gehört zu den am häufigsten verwendeten; wählen Sie ein anderes.');
    // What he typed stays in the form.
    expect(common.text).toContain('value="hans@example.com"');

    const sent = await hans.post('/register', { email: 'hans@example.com', password: PASSWORD });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('Der Link funktioniert einmal und 24 Stunden lang.');
    const mail = await catcher.waitForLink('hans@example.com', 0);
    expect(mail.subject).toBe('Bestätigen Sie Ihr neues Konto · Gatehouse');

    const confirm = await hans.get(pathOf(linkIn(mail)));
    expect(confirm.text).toContain('<button type="submit">Mein Konto erstellen</button>');
    const token = new URL(linkIn(mail)).searchParams.get('token') as string;
    const done = await hans.post('/register/confirm', { token });
    expect(done.text).toContain('<h1>Ihr Konto ist bereit</h1>');
    expect(done.text).toContain('Melden Sie sich mit <strong>hans@example.com</strong> und dem gewählten Passwort an.');
  });

  it('writes the registration form in Japanese for Accept-Language: ja', async () => {
    const page = await browser('ja-JP').get('/register');
    expect(htmlTag(page.text)).toBe('<html lang="ja" dir="ltr">');
    expect(page.text).toContain('<h1>アカウントを作成</h1>');
    expect(page.text).toContain('8 文字以上。長いフレーズがおすすめです。');
  });
});

describe('the email confirmation pages in the language the person reads', () => {
  it('confirms an address in Japanese, and says a spent link no longer works in German', async () => {
    const email = 'kenji@example.com';
    // Unverified: the CLI queues the confirmation link.
    await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD);
    const link = linkIn(await catcher.waitForLink(email, 0));
    const kenji = browser('ja');
    const page = await kenji.get(pathOf(link));
    expect(htmlTag(page.text)).toBe('<html lang="ja" dir="ltr">');
    expect(page.text).toContain(`これがあなたのアドレスであることを確認してください: <strong>${email}</strong>`);
    const done = await kenji.post('/email/verify', { token: new URL(link).searchParams.get('token') as string });
    expect(done.text).toContain('<h1>メールアドレスが確認されました</h1>');

    const again = await browser('de').get(pathOf(link));
    expect(again.status).toBe(400);
    expect(htmlTag(again.text)).toBe('<html lang="de" dir="ltr">');
    expect(again.text).toContain('Fordern Sie in <a href="/account">Ihrem Konto</a> einen neuen an.');
  });
});
