import { startTestServer, type TestServer } from '../support/test-server.js';
import { gatehouseJson } from '../support/run-gatehouse.js';
import { UserAgent } from '../support/user-agent.js';
import { freezeDate } from '../support/fake-date.js';
import { relyingParty } from '../support/relying-party.js';
import { walkAuthorization } from '../support/sign-in-flow.js';
import { totpCodeAt } from '../../src/mfa/totp.js';

let server: TestServer;
let env: Record<string, string>;
let clock: ReturnType<typeof freezeDate>;
let admin: UserAgent;
const PASSWORD = 'a long and careful passphrase';
const REDIRECT = 'https://notes.example/callback';
let notes: { client_id: string; client_secret: string };
const uidIn = (html: string) => /action="\/interaction\/([^/"]+)\//.exec(html)?.[1] as string;
const nextStep = () => clock.advance(30_000);
const ids = new Map<string, string>();

interface AuditEvent {
  type: string;
  accountId: string | null;
  detail: Record<string, unknown> | null;
}
const auditOf = async (email?: string) =>
  (await gatehouseJson<{ events: AuditEvent[] }>(env, 'audit', ...(email ? ['--email', email] : []), '--limit', '200'))
    .events;
/** The newest event of `type` about this account, which must name the console's administrator as actor. */
async function expectAuditedByAdmin(type: string, accountId: string) {
  const event = (await auditOf()).find((e) => e.type === type && e.accountId === accountId);
  expect(event?.detail).toMatchObject({ actor: 'console', adminEmail: 'root@example.com', adminId: ids.get('root') });
}

/** Signs `email` in to their own account console with the password only. */
async function personSignIn(email: string) {
  const agent = new UserAgent(server.url);
  const { callback } = await walkAuthorization(agent, '/account', { email, password: PASSWORD });
  expect(callback).toBeUndefined();
  expect((await agent.get('/account')).status).toBe(200);
  return agent;
}

beforeAll(async () => {
  clock = freezeDate();
  server = await startTestServer();
  env = { DATABASE_URL: server.database.url };
  const root = await gatehouseJson<{ id: string }>(
    env,
    'user',
    'add',
    '--email',
    'root@example.com',
    '--password',
    PASSWORD,
    '--role',
    'admin',
  );
  ids.set('root', root.id);
  for (let i = 0; i < 28; i += 1) {
    const email = `person${String(i).padStart(2, '0')}@example.com`;
    ids.set(
      email,
      (await gatehouseJson<{ id: string }>(env, 'user', 'add', '--email', email, '--password', PASSWORD)).id,
    );
  }
  for (const email of ['ada@example.com', 'adam@example.com', 'grace@example.com'])
    ids.set(
      email,
      (
        await gatehouseJson<{ id: string }>(
          env,
          'user',
          'add',
          '--email',
          email,
          '--password',
          PASSWORD,
          '--name',
          'Someone',
        )
      ).id,
    );
  notes = await gatehouseJson(env, 'client', 'add', '--name', 'Notes', '--redirect-uri', REDIRECT);

  // The administrator signs in, setting up an authenticator app on the way.
  admin = new UserAgent(server.url);
  const login = await admin.follow(await admin.get('/admin'));
  const setup = await (
    await admin.follow(
      await admin.post(`/interaction/${uidIn(await login.text())}/login`, {
        email: 'root@example.com',
        password: PASSWORD,
      }),
    )
  ).text();
  const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(setup)?.[1] as string;
  nextStep();
  const codes = await (
    await admin.post(`/interaction/${uidIn(setup)}/mfa/enrol`, { code: await totpCodeAt(secret, Date.now()) })
  ).text();
  const next = /href="([^"]+)">Continue/.exec(codes)?.[1] as string;
  expect((await admin.follow(await admin.get(next.replace(/&amp;/g, '&')))).status).toBe(200);
});

afterAll(async () => {
  await server.close();
  clock.restore();
});

describe('People in the admin console', () => {
  it('lists people a page at a time, oldest first, with status and factors, and finds them by email prefix', async () => {
    const first = await (await admin.get('/admin/people')).text();
    expect(first).toContain('<label for="people-q">Email starts with</label>');
    const rowsOf = (html: string) =>
      [
        ...html.matchAll(
          /<a href="\/admin\/people\/[^"]+">([^<]+)<\/a><\/td>[\s\S]*?data-label="Second factor">([^<]+)</g,
        ),
      ].map((m) => [m[1] as string, m[2] as string] as const);
    expect(rowsOf(first)).toHaveLength(25);
    const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(first)?.[1] as string;
    const second = await (await admin.get(next.replace(/&amp;/g, '&'))).text();
    expect(second).not.toContain('rel="next"');
    expect(second).toContain('First page');
    // Every person once, across both pages, with their factors.
    const all = new Map([...rowsOf(first), ...rowsOf(second)]);
    expect(all.size).toBe(32);
    expect(all.get('root@example.com')).toBe('authenticator app');
    expect(all.get('grace@example.com')).toBe('password only');

    const found = await (await admin.get('/admin/people?q=ADA')).text();
    expect(found).toContain('ada@example.com');
    expect(found).toContain('adam@example.com');
    expect(found).not.toContain('grace@example.com');
    expect(await (await admin.get('/admin/people?q=nobody')).text()).toContain('No one’s email starts with “nobody”.');
    // A position that is not ours is the first page again, never an error.
    expect((await admin.get('/admin/people?after=%%%')).status).toBe(200);
  });

  it("edits a person's profile, refuses a change made on an outdated form, and audits the change with the administrator", async () => {
    const id = ids.get('grace@example.com') as string;
    const page = await (await admin.get(`/admin/people/${id}`)).text();
    const version = /name="version" value="([^"]+)"/.exec(page)?.[1] as string;
    const saved = await admin.post(`/admin/people/${id}/profile`, {
      name: 'Grace Hopper',
      email: 'grace@example.com',
      email_verified: 'yes',
      version,
    });
    expect(saved.status).toBe(303);
    const after = await (await admin.follow(saved)).text();
    expect(after).toContain('The profile has been saved.');
    expect(after).toContain('value="Grace Hopper"');
    await expectAuditedByAdmin('admin.user.updated', id);

    const stale = await admin.post(`/admin/people/${id}/profile`, {
      name: 'Amazing Grace',
      email: 'grace@example.com',
      version,
    });
    expect(stale.status).toBe(412);
    const shown = await stale.text();
    expect(shown).toContain('role="alert"');
    expect(shown).toContain('value="Amazing Grace"');

    const bad = await admin.post(`/admin/people/${id}/profile`, {
      name: 'x',
      email: 'grace@example.com',
      version: 'no',
    });
    expect(bad.status).toBe(400);
  });

  it('ends one session of a person, then all of them, each audited with the administrator', async () => {
    const id = ids.get('ada@example.com') as string;
    const laptop = await personSignIn('ada@example.com');
    const phone = await personSignIn('ada@example.com');
    const page = await (await admin.get(`/admin/people/${id}`)).text();
    const uids = [...page.matchAll(/\/admin\/people\/[^/]+\/sessions\/([^/]+)\/end"/g)].map((m) => m[1]);
    expect(uids).toHaveLength(2);
    const one = await admin.post(`/admin/people/${id}/sessions/${uids[0]}/end`, {});
    expect(one.status).toBe(303);
    expect(await (await admin.follow(one)).text()).toContain('That session has ended.');
    await expectAuditedByAdmin('admin.session.revoked', id);
    const stillIn = [(await laptop.get('/account')).status, (await phone.get('/account')).status].sort();
    expect(stillIn).toEqual([200, 303]);

    const all = await admin.post(`/admin/people/${id}/sessions/end-all`, {});
    expect(await (await admin.follow(all)).text()).toContain('All their sessions have ended.');
    expect((await laptop.get('/account')).status).toBe(303);
    expect((await phone.get('/account')).status).toBe(303);
  });

  it("revokes a person's connected app, audited with the administrator", async () => {
    const id = ids.get('adam@example.com') as string;
    const agent = new UserAgent(server.url);
    const rp = await relyingParty(server.config.issuer, notes, REDIRECT);
    const request = await rp.authorizationRequest();
    const { callback } = await walkAuthorization(agent, request.url, {
      email: 'adam@example.com',
      password: PASSWORD,
      consent: 'allow',
    });
    await rp.redeem(callback as URL, request);
    const page = await (await admin.get(`/admin/people/${id}`)).text();
    expect(page).toMatch(/<td data-label="App">Notes<\/td>/);
    const grantId = /\/apps\/([^/]+)\/revoke/.exec(page)?.[1] as string;
    const res = await admin.post(`/admin/people/${id}/apps/${grantId}/revoke`, {});
    expect(await (await admin.follow(res)).text()).toContain('The app no longer has access');
    const event = (await auditOf()).find((e) => e.type === 'grant.revoked' && e.accountId === id);
    expect(event?.detail).toMatchObject({ by: 'admin', actor: 'console', adminEmail: 'root@example.com' });
  });

  it('resets a second factor only with the confirmation that names the person, audited with the administrator', async () => {
    const id = ids.get('person05@example.com') as string;
    const agent = await personSignIn('person05@example.com');
    const setup = await agent.post('/account/mfa/setup', {});
    const secret = /data-testid="totp-secret">([A-Z2-7]+)</.exec(await setup.text())?.[1] as string;
    nextStep();
    await agent.post('/account/mfa/totp', { code: await totpCodeAt(secret, Date.now()) });

    const page = await (await admin.get(`/admin/people/${id}`)).text();
    expect(page).toContain('Remove the authenticator app, passkeys and recovery codes of person05@example.com');
    const unconfirmed = await admin.post(`/admin/people/${id}/mfa/reset`, {});
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain('tick the box to confirm');
    expect(await (await admin.get(`/admin/people/${id}`)).text()).toContain('authenticator app');

    const reset = await admin.post(`/admin/people/${id}/mfa/reset`, { confirm: 'yes' });
    const after = await (await admin.follow(reset)).text();
    expect(after).toContain('Two-step verification has been reset');
    expect(after).toContain('password only');
    await expectAuditedByAdmin('admin.mfa.reset', id);
    expect((await agent.get('/account')).status).toBe(303);
  });

  it('disables and enables a person, each audited with the administrator', async () => {
    const id = ids.get('person06@example.com') as string;
    const agent = await personSignIn('person06@example.com');
    const disabled = await admin.post(`/admin/people/${id}/disable`, { confirm: 'yes' });
    expect(await (await admin.follow(disabled)).text()).toContain('The account is disabled');
    await expectAuditedByAdmin('admin.user.disabled', id);
    expect((await agent.get('/account')).status).toBe(303);
    const refused = await walkAuthorization(new UserAgent(server.url), '/account', {
      email: 'person06@example.com',
      password: PASSWORD,
    });
    expect(refused.page?.status).not.toBe(200);

    const enabled = await admin.post(`/admin/people/${id}/enable`, {});
    expect(await (await admin.follow(enabled)).text()).toContain('The account can sign in again.');
    await expectAuditedByAdmin('admin.user.enabled', id);
    await personSignIn('person06@example.com');
  });

  it('deletes a person only when their email is typed, audited with the administrator', async () => {
    const id = ids.get('person07@example.com') as string;
    const page = await (await admin.get(`/admin/people/${id}`)).text();
    expect(page).toContain('<label for="confirm-admin-people-');
    expect(page).toContain('Type person07@example.com to confirm');
    const wrong = await admin.post(`/admin/people/${id}/delete`, { confirm: 'person08@example.com' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Nothing was deleted: type person07@example.com exactly to confirm.');
    expect((await admin.get(`/admin/people/${id}`)).status).toBe(200);

    const done = await admin.post(`/admin/people/${id}/delete`, { confirm: 'Person07@example.com ' });
    expect(done.headers.get('location')).toBe('/admin/people?done=deleted');
    expect(await (await admin.follow(done)).text()).toContain('The account and its personal data have been deleted.');
    expect((await admin.get(`/admin/people/${id}`)).status).toBe(404);
    await expectAuditedByAdmin('admin.user.deleted', id);
  });

  it('keeps an administrator from disabling, deleting or resetting themselves, and offers no such forms', async () => {
    const id = ids.get('root') as string;
    const page = await (await admin.get(`/admin/people/${id}`)).text();
    expect(page).not.toContain(`/admin/people/${id}/delete`);
    expect(page).not.toContain(`/admin/people/${id}/disable`);
    const res = await admin.post(`/admin/people/${id}/delete`, { confirm: 'root@example.com' });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('You cannot delete your own account here');
    expect((await admin.post(`/admin/people/${id}/disable`, { confirm: 'yes' })).status).toBe(409);
    expect((await admin.post(`/admin/people/${id}/mfa/reset`, { confirm: 'yes' })).status).toBe(409);
  });

  it("shows a person's recent events with the second-step explanations", async () => {
    const id = ids.get('root') as string;
    const page = await (await admin.get(`/admin/people/${id}`)).text();
    expect(page).toContain('Second-step decision');
    expect(page).toMatch(/Second step asked because: the app asked for it/);
  });

  it('answers an unknown person with a 404 page, and an action on them with a readable refusal', async () => {
    expect((await admin.get('/admin/people/no-such-id')).status).toBe(404);
    const res = await admin.post('/admin/people/no-such-id/sessions/end-all', {});
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('There is no such person');
  });

  it('shows the Overview with counts, both charts, adoption and the security events', async () => {
    // Wrong passwords until the sign-in throttle steps in (five free failures per browser and account).
    for (let i = 0; i < 7; i += 1)
      await walkAuthorization(new UserAgent(server.url), '/account', {
        email: 'grace@example.com',
        password: 'wrong!',
      });
    const page = await (await admin.get('/admin')).text();
    expect(page).toMatch(/<strong>31<\/strong> people/);
    // As many as the CLI lists (an API's own client included).
    const { clients } = await gatehouseJson<{ clients: unknown[] }>(env, 'client', 'list');
    const { resources } = await gatehouseJson<{ resources: unknown[] }>(env, 'resource', 'list');
    expect(page).toContain(`<strong>${clients.length}</strong> applications`);
    expect(page).toContain(`<strong>${resources.length}</strong> APIs`);
    expect(page).toContain('<figcaption id="chart-day">Last 24 hours (UTC, by hour):');
    expect(page).toMatch(/<svg viewBox="0 0 480 140" role="img" aria-labelledby="chart-week"/);
    expect(page).toMatch(/Last 24 hours \(UTC, by hour\): 7 sign-ins, \d+ failures/);
    expect(page).toMatch(
      /<td data-label="Event">Sign-in throttled[^<]*<\/td>\s*<td data-label="Who"><a href="\/admin\/people\/[^"]+">grace@example.com<\/a>/,
    );
    expect(page).toMatch(/of people \(1 of 31\) have a second factor/);
    // The charts are drawn by the server: the only script is the one that shows times in the reader's zone.
    expect([...page.matchAll(/<script src="([^"?]+)/g)].map((m) => m[1])).toEqual(['/assets/local-time.js']);
    expect(page).toMatch(
      /<td data-label="When"><time datetime="[^"]+Z">\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC<\/time><\/td>/,
    );
  });
});
