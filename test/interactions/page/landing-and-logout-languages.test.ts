import { startTestServer, type TestServer } from '../../support/test-server.js';
import { BrowserIn } from '../../support/browser-in.js';
import { htmlTag } from '../../support/html-tag.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(() => server.close());

async function open(path: string, language: string) {
  const res = await new BrowserIn(server.url, language).get(path);
  return { status: res.status, text: await res.text() };
}

describe('the landing page in the browser’s language', () => {
  it('welcomes in German, the discovery link kept whole inside the sentence', async () => {
    const { status, text } = await open('/', 'de-DE,de;q=0.9');
    expect(status).toBe(200);
    expect(htmlTag(text)).toBe('<html lang="de" dir="ltr">');
    expect(text).toContain('<title>Willkommen · Gatehouse</title>');
    expect(text).toContain('Hier melden Sie sich bei den Apps an, die Gatehouse verwenden.');
    expect(text).toMatch(
      /Für Entwickler: Das OpenID-Connect-Discovery-Dokument liegt unter <a href="[^"]+">[^<]+<\/a>\./,
    );
  });

  it('welcomes in Japanese', async () => {
    const { text } = await open('/', 'ja');
    expect(htmlTag(text)).toBe('<html lang="ja" dir="ltr">');
    expect(text).toContain('<a class="button" href="/account">アカウントを管理</a>');
  });
});

/** Signs out with no session (the provider confirms on its own), in `language`; the page that ends it. */
async function signOut(language: string) {
  const agent = new BrowserIn(server.url, language);
  const form = await (await agent.get('/session/end')).text();
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1] as string;
  return (await agent.follow(await agent.post('/session/end/confirm', { xsrf, logout: 'yes' }))).text();
}

describe('the signed-out page in the browser’s language', () => {
  it('says so in German, and in Japanese', async () => {
    const german = await signOut('de');
    expect(htmlTag(german)).toBe('<html lang="de" dir="ltr">');
    expect(german).toContain('<h1>Sie sind abgemeldet</h1>');
    expect(german).toContain('Ihre Gatehouse-Sitzung ist beendet.');

    const japanese = await signOut('ja');
    expect(htmlTag(japanese)).toBe('<html lang="ja" dir="ltr">');
    expect(japanese).toContain('<h1>ログアウトしました</h1>');
    expect(japanese).toContain('このウィンドウは閉じてかまいません。');
  });
});

describe('the device page (RFC 8628 §3.3) in the browser’s language', () => {
  it('asks for the code in German, and in Japanese', async () => {
    const german = await open('/device', 'de');
    expect(htmlTag(german.text)).toBe('<html lang="de" dir="ltr">');
    expect(german.text).toContain('<h1>Gerät verbinden</h1>');
    expect(german.text).toContain('Er sieht aus wie <code>BCDF-GHJK</code>: nur Buchstaben, ohne Vokale.');

    const japanese = await open('/device', 'ja');
    expect(htmlTag(japanese.text)).toBe('<html lang="ja" dir="ltr">');
    expect(japanese.text).toContain('<h1>デバイスを接続</h1>');
  });

  it('refuses a mistyped code in German, the typed code kept for the second try', async () => {
    const agent = new BrowserIn(server.url, 'de');
    const page = await (await agent.get('/device')).text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1] as string;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] as string;
    const wrong = await agent.post(action, { xsrf, confirm: 'yes', user_code: 'BCDF-GHJK' });
    const refused = await wrong.text();
    expect(wrong.status).toBe(400);
    expect(htmlTag(refused)).toBe('<html lang="de" dir="ltr">');
    expect(refused).toContain(
      '<p class="alert" role="alert">Dieser Code ist nicht richtig. Prüfen Sie den Code auf Ihrem Gerät und geben Sie ihn erneut ein.</p>',
    );
    expect(refused).toContain('value="BCDF-GHJK"');
  });
});
