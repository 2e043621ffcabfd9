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

describe('users over the management API', () => {
  it('creates a user, answers where it is and its version, and reads it back', async () => {
    const created = await api.call('POST', '/users', {
      token: writer,
      body: { email: 'Ada@Example.com', password: PASSWORD, name: 'Ada' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada',
      email_verified: false,
      disabled: false,
      verification_sent: false,
    });
    expect(created.headers.get('location')).toBe(`/admin/api/v1/users/${created.body.id}`);
    const read = await api.call('GET', `/users/${created.body.id}`, { token: reader });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({
      id: created.body.id,
      email: 'ada@example.com',
      name: 'Ada',
      email_verified: false,
      disabled: false,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(read.headers.get('etag')).toBe(created.headers.get('etag'));
  });

  it('refuses a second account for the same address (409), then takes another address', async () => {
    const again = await api.call('POST', '/users', {
      token: writer,
      body: { email: 'ada@example.com', password: PASSWORD },
    });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({ status: 409, code: 'ERR_EMAIL_TAKEN', title: 'Conflict' });
    const other = await api.call('POST', '/users', { token: writer, body: { email: 'grace@example.com' } });
    expect(other.status).toBe(201);
    expect(other.body.password_link_sent).toBe(false); // mail is off here
  });

  it('names an unknown field (422) and a bad address (400); the corrected request goes through', async () => {
    const unknown = await api.call('POST', '/users', {
      token: writer,
      body: { email: 'linus@example.com', emial: 'x' },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'ERR_VALIDATION', detail: 'body.emial: unknown field' });
    const invalid = await api.call('POST', '/users', { token: writer, body: { email: 'not an address' } });
    expect(invalid.body).toMatchObject({ status: 400, code: 'ERR_EMAIL_INVALID' });
    const fixed = await api.call('POST', '/users', { token: writer, body: { email: 'linus@example.com' } });
    expect(fixed.status).toBe(201);
  });

  it('answers 404 for a user that does not exist, as a problem', async () => {
    const missing = await api.call('GET', '/users/no-such-id', { token: reader });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'ERR_ACCOUNT_NOT_FOUND', status: 404, type: expect.any(String) });
  });

  it('lists users by exact address, by prefix and by status', async () => {
    const exact = await api.call('GET', '/users?email=GRACE@example.com', { token: reader });
    expect(exact.body.items.map((u: { email: string }) => u.email)).toEqual(['grace@example.com']);
    const prefix = await api.call('GET', '/users?q=li', { token: reader });
    expect(prefix.body.items.map((u: { email: string }) => u.email)).toEqual(['linus@example.com']);
    const disabled = await api.call('GET', '/users?status=disabled', { token: reader });
    expect(disabled.body).toEqual({ items: [], next_cursor: null });
    const tooMany = await api.call('GET', '/users?limit=201', { token: reader });
    expect(tooMany.body).toMatchObject({ status: 422, code: 'ERR_VALIDATION' });
  });
});

describe('who may call it', () => {
  it('asks for a token (401 with a Bearer challenge) and refuses cookies as one', async () => {
    const none = await api.call('GET', '/users', { headers: { cookie: '_session=anything' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body).toMatchObject({ code: 'ERR_TOKEN_INVALID' });
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a token it did not issue for this API (invalid_token), then takes one that it did', async () => {
    const forged = await api.call('GET', '/users', { token: 'eyJhbGciOiJub25lIn0.e30.' });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect((await api.call('GET', '/users', { token: reader })).status).toBe(200);
  });

  it('lets an admin:read token read but not write (403 insufficient_scope, naming the scope)', async () => {
    const refused = await api.call('POST', '/users', { token: reader, body: { email: 'mallory@example.com' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="admin:write"');
    expect(refused.body).toMatchObject({ code: 'ERR_INSUFFICIENT_SCOPE' });
  });

  it('keeps its built-in resource: it cannot be removed or re-scoped, only its ttl changes', async () => {
    await expect(api.container.resources.remove(api.identifier)).rejects.toMatchObject({
      code: 'ERR_RESOURCE_BUILT_IN',
    });
    await expect(api.container.resources.update(api.identifier, { scope: 'admin:everything' })).rejects.toMatchObject({
      code: 'ERR_RESOURCE_BUILT_IN',
    });
    const changed = await api.container.resources.update(api.identifier, { accessTokenTtl: 600 });
    expect(changed).toMatchObject({ scopes: ['admin:read', 'admin:write'], tokenFormat: 'jwt', accessTokenTtl: 600 });
  });

  it('stops a revoked token at once', async () => {
    const client = await api.newClient();
    const token = await api.tokenFor(client);
    expect((await api.call('GET', '/users', { token })).status).toBe(200);
    const { postForm } = await import('../support/token-endpoint.js');
    expect((await postForm(api.server.url, '/token/revocation', client, { token })).status).toBe(200);
    const after = await api.call('GET', '/users', { token });
    expect(after.status).toBe(401);
    expect(after.body.detail).toMatch(/revoked/);
  });
});

describe('Idempotency-Key on create', () => {
  it('returns the first answer to a retry, refuses the key for another body, and creates one user from a parallel pair', async () => {
    const headers = { 'idempotency-key': 'create-hedy-1' };
    const body = { email: 'hedy@example.com', password: PASSWORD };
    const first = await api.call('POST', '/users', { token: writer, body, headers });
    const retry = await api.call('POST', '/users', { token: writer, body, headers });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const other = await api.call('POST', '/users', { token: writer, body: { email: 'someone@example.com' }, headers });
    expect(other.body).toMatchObject({ status: 422, code: 'ERR_IDEMPOTENCY_KEY_REUSED' });

    const pair = { 'idempotency-key': 'create-katherine-1' };
    const both = await Promise.all(
      [1, 2].map(() =>
        api.call('POST', '/users', { token: writer, body: { email: 'katherine@example.com' }, headers: pair }),
      ),
    );
    const statuses = both.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const listed = await api.call('GET', '/users?email=katherine@example.com', { token: reader });
    expect(listed.body.items).toHaveLength(1);
  });
});
