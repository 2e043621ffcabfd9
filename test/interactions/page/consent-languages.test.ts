import { startTestServer, type TestServer } from '../../support/test-server.js';
import { gatehouse, gatehouseJson } from '../../support/run-gatehouse.js';
import { BrowserIn } from '../../support/browser-in.js';
import { htmlTag } from '../../support/html-tag.js';
import { openSignIn } from '../../support/open-sign-in.js';
import { relyingParty } from '../../support/relying-party.js';

let server: TestServer;
const REDIRECT = 'https://app.shop.example/callback';
const PASSWORD = 'analytical engine 1843';
let shop: Awaited<ReturnType<typeof relyingParty>>;

beforeAll(async () => {
  server = await startTestServer();
  const env = { DATABASE_URL: server.database.url };
  // One person per language: once allowed, an app is not asked about again.
  for (const email of ['ada@example.com', 'grace@example.com', 'linus@example.com'])
    await gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD, '--email-verified');
  // Not first-party: the person is asked before the app gets anything.
  const client = await gatehouseJson<{ client_id: string; client_secret: string }>(
    env,
    'client',
    'add',
    '--name',
    'Shop',
    '--redirect-uri',
    REDIRECT,
    '--policy-uri',
    'https://shop.example/privacy',
  );
  shop = await relyingParty(server.config.issuer, client, REDIRECT);
});

afterAll(() => server.close());

/** Signs `email` in (a wrong password first) in a browser set to `language`; the consent page that follows. */
async function reachConsent(email: string, params: Record<string, string>, language?: string) {
  const agent = new BrowserIn(server.url, language);
  const { uid } = await openSignIn(agent, shop, { scope: 'openid email profile', ...params });
  const wrong = await agent.post(`/interaction/${uid}/login`, { email, password: 'no' });
  expect(wrong.status).toBe(401);
  const consent = await agent.follow(await agent.post(`/interaction/${uid}/login`, { email, password: PASSWORD }));
  const text = await consent.text();
  // Consent is a new interaction of its own, with its own uid.
  return { agent, consentUid: /action="\/interaction\/([^/"]+)\/confirm"/.exec(text)?.[1] as string, text };
}

describe('the consent page in the language the app or the browser asks for', () => {
  it('asks in German for ui_locales=de: the heading, each permission, the links and the buttons', async () => {
    const { agent, consentUid, text } = await reachConsent('ada@example.com', { ui_locales: 'de' });
    expect(htmlTag(text)).toBe('<html lang="de" dir="ltr">');
    expect(text).toContain('<title>Zugriff erlauben · Gatehouse</title>');
    expect(text).toContain('<h1><strong>Shop</strong> möchte auf Ihr Konto zugreifen</h1>');
    expect(text).toContain('Angemeldet als ada@example.com. Wenn Sie es erlauben, kann Shop:');
    expect(text).toContain('<li>Wissen, wer Sie sind (eine gleichbleibende Kennung Ihres Kontos)</li>');
    expect(text).toContain('<li>Ihre E-Mail-Adresse sehen und ob sie bestätigt ist</li>');
    expect(text).toContain(
      '<li>Ihre Profilangaben sehen (Sie haben noch keine, die App erhält also vorerst keine)</li>',
    );
    expect(text).toContain('Wenn Sie es erlauben, werden Sie zu <strong>app.shop.example</strong> weitergeleitet.');
    expect(text).toContain('<a href="https://shop.example/privacy">Datenschutzerklärung von Shop</a>');
    expect(text).toContain('>Ablehnen</button>');
    expect(text).toContain('>Erlauben</button>');

    const callback = await agent.follow(await agent.post(`/interaction/${consentUid}/confirm`, {}));
    expect(new URL(callback.headers.get('location') as string).origin).toBe('https://app.shop.example');
  });

  it('asks in Japanese for Accept-Language: ja, the permissions too', async () => {
    const { text } = await reachConsent('grace@example.com', {}, 'ja,en;q=0.5');
    expect(htmlTag(text)).toBe('<html lang="ja" dir="ltr">');
    expect(text).toContain('<h1><strong>Shop</strong> があなたのアカウントへのアクセスを求めています</h1>');
    expect(text).toContain('<li>メールアドレスと、それが確認済みかどうかを見る</li>');
    expect(text).toContain('<a href="https://shop.example/privacy">Shop のプライバシーポリシー</a>');
    expect(text).toContain('>許可</button>');
  });

  it('stays English for a browser that asks for nothing we ship', async () => {
    const { text } = await reachConsent('linus@example.com', {}, 'it');
    expect(htmlTag(text)).toBe('<html lang="en" dir="ltr">');
    expect(text).toContain('<h1><strong>Shop</strong> wants access to your account</h1>');
    expect(text).toContain('<li>See your profile details (you have none yet, so the app gets none now)</li>');
  });
});
