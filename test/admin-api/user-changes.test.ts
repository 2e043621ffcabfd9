import { startAdminApi, type AdminApiHarness } from '../support/admin-api.js';

let api: AdminApiHarness;
let writer: string;
let reader: string;
const PASSWORD = 'a long and careful passphrase';

beforeAll(async () => {
  api = await startAdminApi();
  writer = await api.token();
  reader = await api.token('admin:read');
});

afterAll(async () => {
  await api.close();
});

const create = async (email: string) => {
  const created = await api.call('POST', '/users', { token: writer, body: { email, password: PASSWORD } });
  expect(created.status).toBe(201);
  return { id: created.body.id as string, etag: created.headers.get('etag') as string };
};

describe('changing a user', () => {
  it('needs If-Match (428), refuses a stale one (412), and takes the current one', async () => {
    const { id, etag } = await create('ada@example.com');
    const without = await api.call('PATCH', `/users/${id}`, { token: writer, body: { name: 'Ada' } });
    expect(without.body).toMatchObject({ status: 428, code: 'ERR_PRECONDITION_REQUIRED' });
    const changed = await api.call('PATCH', `/users/${id}`, {
      token: writer,
      body: { name: 'Ada Lovelace' },
      headers: { 'if-match': etag },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.name).toBe('Ada Lovelace');
    expect(changed.headers.get('etag')).not.toBe(etag);
    const stale = await api.call('PATCH', `/users/${id}`, {
      token: writer,
      body: { name: 'Ada L.' },
      headers: { 'if-match': etag },
    });
    expect(stale.body).toMatchObject({ status: 412, code: 'ERR_PRECONDITION_FAILED' });
    const nothing = await api.call('PATCH', `/users/${id}`, { token: writer, body: {}, headers: { 'if-match': '*' } });
    expect(nothing.body).toMatchObject({ status: 422, detail: expect.stringMatching(/nothing to change/) });
  });

  it('lets exactly one of two admins writing from the same ETag win', async () => {
    const { id, etag } = await create('grace@example.com');
    const answers = await Promise.all(
      ['Grace', 'Grace Hopper', 'Rear Admiral Hopper', 'G. Hopper'].map((name) =>
        api.call('PATCH', `/users/${id}`, { token: writer, body: { name }, headers: { 'if-match': etag } }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412, 412, 412]);
    const winner = answers.find((a) => a.status === 200);
    const read = await api.call('GET', `/users/${id}`, { token: reader });
    expect(read.body.name).toBe(winner?.body.name);
  });

  it('refuses a taken address (409) on update, then takes a free one, unverified', async () => {
    const { id, etag } = await create('linus@example.com');
    const taken = await api.call('PATCH', `/users/${id}`, {
      token: writer,
      body: { email: 'ada@example.com' },
      headers: { 'if-match': etag },
    });
    expect(taken.body).toMatchObject({ status: 409, code: 'ERR_EMAIL_TAKEN' });
    const moved = await api.call('PATCH', `/users/${id}`, {
      token: writer,
      body: { email: 'torvalds@example.com' },
      headers: { 'if-match': etag },
    });
    expect(moved.body).toMatchObject({ email: 'torvalds@example.com', email_verified: false });
  });

  it('sets a password (the policy applies), disables and enables, resets MFA, and audits each with the calling client', async () => {
    const { id } = await create('hedy@example.com');
    const weak = await api.call('PUT', `/users/${id}/password`, { token: writer, body: { password: 'short' } });
    expect(weak.body).toMatchObject({ status: 400, code: 'ERR_PASSWORD_POLICY' });
    const set = await api.call('PUT', `/users/${id}/password`, { token: writer, body: { password: `${PASSWORD}!` } });
    expect(set.body).toMatchObject({ user: { id }, sessions_ended: 0 });
    const disabled = await api.call('POST', `/users/${id}/disable`, { token: writer });
    expect(disabled.body).toMatchObject({ user: { disabled: true }, sessions_ended: 0, grants_revoked: 0 });
    const stale = await api.call('POST', `/users/${id}/enable`, {
      token: writer,
      headers: { 'if-match': set.headers.get('etag') as string },
    });
    expect(stale.status).toBe(412);
    const enabled = await api.call('POST', `/users/${id}/enable`, {
      token: writer,
      headers: { 'if-match': disabled.headers.get('etag') as string },
    });
    expect(enabled.body.user.disabled).toBe(false);
    expect((await api.call('POST', `/users/${id}/mfa/reset`, { token: writer })).status).toBe(200);
    const events = await api.call('GET', `/audit?account=${id}&type=admin.user.disabled`, { token: reader });
    expect(events.body.items).toHaveLength(1);
    expect(events.body.items[0]).toMatchObject({ client_id: expect.any(String), detail: { actor: 'api' } });
    const reset = await api.call('GET', `/audit?account=${id}&type=admin.mfa.reset`, { token: reader });
    expect(reset.body.items).toHaveLength(1);
    expect(reset.body.items[0]).toMatchObject({ client_id: events.body.items[0].client_id, detail: { actor: 'api' } });
  });

  it('lists sessions and connected apps, and answers 404 for ones that are not there', async () => {
    const { id } = await create('katherine@example.com');
    expect((await api.call('GET', `/users/${id}/sessions`, { token: reader })).body).toEqual({ items: [] });
    expect((await api.call('GET', `/users/${id}/connected-apps`, { token: reader })).body).toEqual({ items: [] });
    const noSession = await api.call('DELETE', `/users/${id}/sessions/nope`, { token: writer });
    expect(noSession.body).toMatchObject({ status: 404, code: 'ERR_SESSION_NOT_FOUND' });
    const noApp = await api.call('DELETE', `/users/${id}/connected-apps/nope`, { token: writer });
    expect(noApp.body).toMatchObject({ status: 404, code: 'ERR_GRANT_NOT_FOUND' });
  });

  it('deletes a user (204), after which it is gone (404)', async () => {
    const { id } = await create('mallory@example.com');
    const readOnly = await api.call('DELETE', `/users/${id}`, { token: reader });
    expect(readOnly.status).toBe(403);
    expect((await api.call('DELETE', `/users/${id}`, { token: writer })).status).toBe(204);
    expect((await api.call('GET', `/users/${id}`, { token: reader })).status).toBe(404);
    expect((await api.call('DELETE', `/users/${id}`, { token: writer })).status).toBe(404);
  });
});

describe('keys and the audit trail', () => {
  it('lists keys, rotates them (write scope only), and exports the trail as ndjson', async () => {
    const before = await api.call('GET', '/keys', { token: reader });
    expect(before.body.items.length).toBeGreaterThan(0);
    expect(JSON.stringify(before.body)).not.toMatch(/"d"|secret/);
    expect((await api.call('POST', '/keys/rotate', { token: reader })).status).toBe(403);
    const rotated = await api.call('POST', '/keys/rotate', { token: writer });
    expect(rotated.body.created.length).toBeGreaterThan(0);
    const exported = await api.call('GET', '/audit?format=ndjson&type=admin.keys.rotated', { token: reader });
    expect(exported.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const lines = exported.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({ type: 'admin.keys.rotated', detail: expect.objectContaining({ actor: 'api' }) }),
    ]);
    const badTime = await api.call('GET', '/audit?since=yesterday', { token: reader });
    expect(badTime.body).toMatchObject({ status: 422, detail: expect.stringMatching(/^query\.since/) });
  });
});
