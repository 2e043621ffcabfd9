import { startAdminApi, type AdminApiHarness } from '../support/admin-api.js';
import { mailCatcher, linkIn, type MailCatcher } from '../support/mail-catcher.js';
import { UserAgent } from '../support/user-agent.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { postForm } from '../support/token-endpoint.js';

const PASSWORD = 'a lantern on the northern pier';
const REDIRECT = 'https://notes.example/cb';

let catcher: MailCatcher;
let api: AdminApiHarness;
let writer: string;
let reader: string;

beforeAll(async () => {
  catcher = await mailCatcher();
  api = await startAdminApi({
    SMTP_URL: catcher.url,
    MAIL_FROM: 'no-reply@gatehouse.test',
    OUTBOX_INTERVAL_SECONDS: '1',
  });
  writer = await api.token();
  reader = await api.token('admin:read');
});

afterAll(async () => {
  await api.close();
  await catcher.close();
});

describe('users created over the management API while mail is on', () => {
  it('mails a person made without a password a link to choose one, beside the one to confirm the address', async () => {
    const created = await api.call('POST', '/users', { token: writer, body: { email: 'lin@example.com' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ password_link_sent: true, verification_sent: true });
    await catcher.waitForLink('lin@example.com', 0);
    await catcher.waitForLink('lin@example.com', 1);
    const paths = catcher.to('lin@example.com').map((mail) => new URL(linkIn(mail)).pathname);
    expect(paths.sort()).toEqual(['/email/verify', expect.stringMatching(/^\/password\//)]);
  });

  it('mails a person made with a password a link to confirm the address', async () => {
    const created = await api.call('POST', '/users', {
      token: writer,
      body: { email: 'mo@example.com', password: PASSWORD },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ verification_sent: true, email_verified: false });
    const link = new URL(linkIn(await catcher.waitForLink('mo@example.com', 0)));
    expect(link.pathname).toMatch(/^\/email\//);
  });
});

describe("a user's sessions and connected apps over the management API", () => {
  it('lists the browser she signed in with and the app she allowed, ends the session and revokes the app at once', async () => {
    const created = await api.call('POST', '/users', {
      token: writer,
      body: { email: 'ada@example.com', password: PASSWORD, email_verified: true },
    });
    const id = created.body.id as string;
    const notes = await api.container.clients.add({
      name: 'Notes',
      redirectUris: [REDIRECT],
      grantTypes: ['authorization_code', 'refresh_token'],
    });
    const rp = await relyingParty(api.server.config.issuer, notes, REDIRECT);
    const request = await rp.authorizationRequest({ scope: 'openid offline_access', prompt: 'consent' });
    const browser = new UserAgent(api.server.url);
    const { callback } = await walkAuthorization(browser, request.url, {
      email: 'ada@example.com',
      password: PASSWORD,
      consent: 'allow',
    });
    const tokens = await rp.redeem(callback as URL, request);
    expect(tokens.refresh_token).toBeTruthy();

    const sessions = await api.call('GET', `/users/${id}/sessions`, { token: reader });
    expect(sessions.body.items).toHaveLength(1);
    const apps = await api.call('GET', `/users/${id}/connected-apps`, { token: reader });
    expect(apps.body.items).toEqual([expect.objectContaining({ client_id: notes.client_id, client_name: 'Notes' })]);

    // A reader may look but not end anything; the writer ends the session, then it is gone.
    const uid = sessions.body.items[0].uid as string;
    expect((await api.call('DELETE', `/users/${id}/sessions/${uid}`, { token: reader })).status).toBe(403);
    expect((await api.call('DELETE', `/users/${id}/sessions/${uid}`, { token: writer })).status).toBe(204);
    expect((await api.call('GET', `/users/${id}/sessions`, { token: reader })).body.items).toEqual([]);
    expect((await browser.get('/account')).status).not.toBe(200);

    // The app's refresh token still works until the app is revoked, then never again.
    const refreshed = await postForm(api.server.url, '/token', notes, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token as string,
    });
    expect(refreshed.status).toBe(200);
    expect((await api.call('DELETE', `/users/${id}/connected-apps/${notes.client_id}`, { token: writer })).status).toBe(
      204,
    );
    const refused = await postForm(api.server.url, '/token', notes, {
      grant_type: 'refresh_token',
      refresh_token: refreshed.body.refresh_token as string,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_grant');
    expect((await api.call('GET', `/users/${id}/connected-apps`, { token: reader })).body.items).toEqual([]);
    const again = await api.call('DELETE', `/users/${id}/connected-apps/${notes.client_id}`, { token: writer });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('ERR_GRANT_NOT_FOUND');
  });
});
