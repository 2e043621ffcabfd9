import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouse } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { mailCatcher, linkIn, type MailCatcher } from '../support/mail-catcher.js';
import { prepareDatabase } from '../../src/boot/prepare-database.js';
import { createContainer } from '../../src/boot/container.js';
import { totpCodeAt } from '../../src/mfa/totp.js';
import { frozenClock } from '../support/frozen-clock.js';

const PASSWORD = 'a long and quiet river';
const GERMAN_TOTP_ADDED = 'Ihrem Konto wurde eine Authenticator-App hinzugefügt';

let catcher: MailCatcher;
let server: TestServer;
let env: Record<string, string>;
let nextIp = 1;

beforeAll(async () => {
  catcher = await mailCatcher();
  server = await startTestServer({
    SMTP_URL: catcher.url,
    MAIL_FROM: 'no-reply@gatehouse.test',
    OUTBOX_INTERVAL_SECONDS: '1',
    TRUST_PROXY: 'true',
  });
  // The CLI queues mail only when mail is set up for it too; the server delivers it.
  env = { DATABASE_URL: server.database.url, SMTP_URL: catcher.url, MAIL_FROM: 'no-reply@gatehouse.test' };
});

afterAll(async () => {
  await server.close();
  await catcher.close();
});

const addUser = (email: string) =>
  gatehouse(env, 'user', 'add', '--email', email, '--password', PASSWORD, '--email-verified');

/** Asks for a reset link from the forgot-password page, as a browser with these headers, and returns the mail. */
async function resetMailFrom(email: string, prepare: (agent: UserAgent) => Record<string, string>) {
  const agent = new UserAgent(server.url);
  const headers = { 'x-forwarded-for': `203.0.113.${nextIp++}`, ...prepare(agent) };
  const before = catcher.to(email).length;
  const page = await agent.post('/password/forgot', { email }, headers);
  expect(page.status).toBe(200);
  return { mail: await catcher.waitForLink(email, before), agent, headers };
}

describe('mail is written in the language the person used when they asked for it', () => {
  it('sends a reset asked from a German page (the gatehouse_locale cookie) in German, and its notice too', async () => {
    const email = 'greta@example.com';
    await addUser(email);
    const { mail, agent, headers } = await resetMailFrom(email, (a) => {
      a.plant('gatehouse_locale', 'de');
      return {};
    });
    expect(mail.subject).toBe('Passwort zurücksetzen · Gatehouse');
    expect(mail.language).toBe('de');
    expect(mail.text).toContain(
      `Jemand (hoffentlich Sie) hat darum gebeten, das Passwort Ihres Gatehouse-Kontos ${email} zurückzusetzen.`,
    );
    expect(mail.text).toContain('Neues Passwort wählen:\nhttp');
    expect(mail.text).toContain('Dieser Link funktioniert einmal und 30 Minuten lang.');
    expect(mail.html).toContain('<html lang="de">');
    expect(mail.html).toContain('Oder öffnen Sie diese Adresse:');

    // The new password set on the German page: the notice that follows is German as well.
    const link = new URL(linkIn(mail));
    const token = link.searchParams.get('token') as string;
    const before = catcher.to(email).length;
    const done = await agent.post(
      '/password/reset',
      { token, password: 'the tide comes in at noon', confirm: 'the tide comes in at noon' },
      headers,
    );
    expect(done.status).toBe(200);
    const [notice] = (await catcher.waitFor(email, before + 1)).slice(before);
    expect(notice?.subject).toBe('Ihr Passwort wurde geändert · Gatehouse');
    expect(notice?.language).toBe('de');
  });

  it('sends a reset asked with Accept-Language: ja in Japanese', async () => {
    const email = 'haruki@example.com';
    await addUser(email);
    const { mail } = await resetMailFrom(email, () => ({ 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.5' }));
    expect(mail.subject).toBe('パスワードの再設定 · Gatehouse');
    expect(mail.language).toBe('ja');
    expect(mail.text).toContain('新しいパスワードを設定:\nhttp');
    expect(mail.text).toContain('このリンクは 30 分間、1 回だけ使えます。');
    expect(mail.html).toContain('<html lang="ja">');
  });

  it('keeps English when nothing asks for another language (DEFAULT_LOCALE)', async () => {
    const email = 'edith@example.com';
    await addUser(email);
    const { mail } = await resetMailFrom(email, () => ({}));
    expect(mail.subject).toBe('Reset your password · Gatehouse');
    expect(mail.language).toBe('en');
    expect(mail.text).toContain('This link works once, for 30 minutes.');
  });

  it("writes mail sent without a page (an operator's CLI) in the account's stored locale: fr-FR reads French", async () => {
    const email = 'francoise@example.com';
    await addUser(email);
    expect((await gatehouse(env, 'user', 'update', '--email', email, '--set', 'locale=fr-FR')).code).toBe(0);
    // She sets up an authenticator app (as the console would, with no page language given).
    const clock = frozenClock(Date.now());
    const { kek } = await prepareDatabase(server.config, clock);
    const container = await createContainer(server.config, kek.key, clock);
    try {
      const account = await container.accounts.requireByEmail(email);
      const { secret } = await container.mfa.beginTotpEnrolment(account, 'test');
      await container.mfa.confirmTotpEnrolment(account, await totpCodeAt(secret, clock()), 'test', { by: 'user' });
    } finally {
      await container.close();
    }
    const [added] = await catcher.waitFor(email, 1);
    expect(added?.subject).toBe('Une application d’authentification a été ajoutée à votre compte · Gatehouse');
    expect(added?.language).toBe('fr');

    // The operator resets her second factor from the CLI: that notice is French too.
    expect((await gatehouse(env, 'user', 'mfa', 'reset', '--email', email)).code).toBe(0);
    const [, removed] = await catcher.waitFor(email, 2);
    expect(removed?.subject).toBe('La validation en deux étapes a été désactivée · Gatehouse');
    expect(removed?.text).toContain(
      `Un administrateur a désactivé la validation en deux étapes de votre compte Gatehouse ${email}\u00a0:`,
    );
    expect(removed?.html).toContain('<html lang="fr">');
  });
  it('writes the notice of an authenticator turned on from a German account page in German, whatever the stored locale', async () => {
    const email = 'hanna@example.com';
    await addUser(email);
    expect((await gatehouse(env, 'user', 'update', '--email', email, '--set', 'locale=fr-FR')).code).toBe(0);
    const agent = new UserAgent(server.url);
    agent.plant('gatehouse_locale', 'de');
    const headers = { 'x-forwarded-for': `203.0.113.${nextIp++}` };
    const login = await agent.follow(await agent.get('/account', headers));
    const uid = /action="\/interaction\/([^/"]+)\//.exec(await login.text())?.[1] as string;
    const signedIn = await agent.follow(
      await agent.post(`/interaction/${uid}/login`, { email, password: PASSWORD }, headers),
    );
    expect(signedIn.status).toBe(200);
    const setup = await agent.post('/account/mfa/setup', {}, headers);
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(await setup.text())?.[1] as string;
    const before = catcher.to(email).length;
    // A wrong code first: nothing is turned on and nothing is mailed; then the right one.
    expect((await agent.post('/account/mfa/totp', { code: '000000' }, headers)).status).toBe(400);
    const done = await agent.post('/account/mfa/totp', { code: await totpCodeAt(secret, Date.now()) }, headers);
    expect(done.status).toBe(200);
    const [added] = (await catcher.waitFor(email, before + 1)).slice(before);
    expect(added?.subject).toBe(`${GERMAN_TOTP_ADDED} · Gatehouse`);
    expect(added?.language).toBe('de');
  });
});
