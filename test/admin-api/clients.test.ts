import { startAdminApi, type AdminApiHarness } from '../support/admin-api.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';

let api: AdminApiHarness;
let writerClient: Credentials;
let writer: string;
let reader: string;
const API = 'https://orders.example/api';

beforeAll(async () => {
  api = await startAdminApi();
  writerClient = await api.newClient();
  writer = await api.tokenFor(writerClient);
  reader = await api.token('admin:read');
  await api.container.resources.add({ identifier: API, scope: 'orders:read orders:write' });
});

afterAll(async () => {
  await api.close();
});

const grantPath = (id: string, resource: string) => `/clients/${id}/grants/${encodeURIComponent(resource)}`;

/** A client_credentials token request; the status and body as the token endpoint answered. */
const tokenRequest = (client: Credentials, form: Record<string, string> = {}) =>
  postForm(api.server.url, '/token', client, { grant_type: 'client_credentials', ...form });

describe('clients over the management API', () => {
  it('registers a client and shows its secret in that answer only, never when it is read', async () => {
    const created = await api.call('POST', '/clients', {
      token: writer,
      body: { client_name: 'Billing', grant_types: ['client_credentials'], resources: [API] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      client_name: 'Billing',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      resources: { [API]: ['orders:read', 'orders:write'] },
      client_secret: expect.any(String),
    });
    expect(created.headers.get('location')).toBe(`/admin/api/v1/clients/${created.body.client_id}`);
    const read = await api.call('GET', `/clients/${created.body.client_id}`, { token: reader });
    expect(read.status).toBe(200);
    expect(read.body.client_secret).toBeUndefined();
    expect(read.text).not.toContain(created.body.client_secret);
    expect(read.headers.get('etag')).toBe(created.headers.get('etag'));
    const secret = await tokenRequest(created.body, { resource: API });
    expect(secret.status).toBe(200);
  });

  it('names an unknown field (422), refuses what `client add` refuses (400), and takes the corrected client', async () => {
    const typo = await api.call('POST', '/clients', {
      token: writer,
      body: { client_name: 'Shop', redirect_uri: ['https://shop.example/cb'] },
    });
    expect(typo.status).toBe(422);
    expect(typo.body).toMatchObject({ code: 'ERR_VALIDATION', detail: 'body.redirect_uri: unknown field' });
    const invalid = await api.call('POST', '/clients', {
      token: writer,
      body: { client_name: 'Shop', redirect_uris: ['http://shop.example/cb'] },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'ERR_CLIENT_INVALID' });
    const unknownApi = await api.call('POST', '/clients', {
      token: writer,
      body: { client_name: 'Shop', redirect_uris: ['https://shop.example/cb'], resources: ['https://nowhere.example'] },
    });
    expect(unknownApi.body).toMatchObject({ status: 400, code: 'ERR_CLIENT_INVALID' });
    const fixed = await api.call('POST', '/clients', {
      token: writer,
      body: { client_name: 'Shop', redirect_uris: ['https://shop.example/cb'] },
    });
    expect(fixed.status).toBe(201);
    expect(fixed.body).toMatchObject({
      grant_types: ['authorization_code'],
      response_types: ['code'],
      pkce: 'required',
    });
  });

  it('refuses an http logo naming logo_uri, and keeps the https links it is given', async () => {
    const body = { client_name: 'Shop', redirect_uris: ['https://shop.example/cb'] };
    const mistake = await api.call('POST', '/clients', {
      token: writer,
      body: { ...body, logo_uri: 'http://shop.example/logo.png' },
    });
    expect(mistake.body).toMatchObject({
      status: 422,
      code: 'ERR_VALIDATION',
      detail: 'body.logo_uri: must be an https URL',
    });
    const links = {
      logo_uri: 'https://shop.example/logo.png',
      policy_uri: 'https://shop.example/privacy',
      tos_uri: 'https://shop.example/terms',
      client_uri: 'https://shop.example/',
    };
    const created = await api.call('POST', '/clients', { token: writer, body: { ...body, ...links } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(links);
    const changed = await api.call('PATCH', `/clients/${created.body.client_id}`, {
      token: writer,
      body: { tos_uri: '' },
      headers: { 'if-match': created.headers.get('etag') ?? '' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.tos_uri).toBeUndefined();
    expect(changed.body.logo_uri).toBe(links.logo_uri);
  });

  it('registers a public device client (RFC 8628) by the grant type alias device_code, stored by its full name', async () => {
    const created = await api.call('POST', '/clients', {
      token: writer,
      body: { client_name: 'Kiosk', grant_types: ['device_code'], token_endpoint_auth_method: 'none' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
      response_types: [],
      token_endpoint_auth_method: 'none',
    });
    expect(created.body.client_secret).toBeUndefined();
  });

  it('answers 404 for a client that does not exist, on every route', async () => {
    const headers = { 'if-match': '*' };
    const answers = await Promise.all([
      api.call('GET', '/clients/no-such-client', { token: reader }),
      api.call('PATCH', '/clients/no-such-client', { token: writer, body: { client_name: 'X' }, headers }),
      api.call('DELETE', '/clients/no-such-client', { token: writer }),
      api.call('POST', '/clients/no-such-client/secret', { token: writer }),
      api.call('PUT', grantPath('no-such-client', API), { token: writer, body: {} }),
    ]);
    for (const answer of answers) expect(answer.body).toMatchObject({ status: 404, code: 'ERR_CLIENT_NOT_FOUND' });
  });

  it('lists every client a page at a time without a duplicate or a gap, and refuses a tampered cursor', async () => {
    for (let i = 0; i < 5; i += 1)
      await api.container.clients.add({ name: `Batch ${i}`, grantTypes: ['client_credentials'] });
    const everyone = (await api.container.clients.list()).map((c) => c.client_id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const page = await api.call('GET', `/clients${query}`, { token: reader });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((c: { client_id: string }) => c.client_id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(everyone);
    const first = await api.call('GET', '/clients?limit=1', { token: reader });
    const tampered = `${first.body.next_cursor as string}x`;
    const refused = await api.call('GET', `/clients?cursor=${encodeURIComponent(tampered)}`, { token: reader });
    expect(refused.body).toMatchObject({ status: 400, code: 'ERR_CURSOR_INVALID' });
  });
});

describe('changing a client', () => {
  let id: string;
  let etag: string;

  beforeAll(async () => {
    const created = await api.call('POST', '/clients', {
      token: writer,
      body: { client_name: 'Portal', redirect_uris: ['https://portal.example/cb'] },
    });
    id = created.body.client_id;
    etag = created.headers.get('etag') as string;
  });

  it('needs If-Match (428), refuses a stale one (412), and changes only what is given with the current one', async () => {
    const body = { client_name: 'Customer portal', post_logout_redirect_uris: ['https://portal.example/bye'] };
    const bare = await api.call('PATCH', `/clients/${id}`, { token: writer, body });
    expect(bare.body).toMatchObject({ status: 428, code: 'ERR_PRECONDITION_REQUIRED' });
    const stale = await api.call('PATCH', `/clients/${id}`, { token: writer, body, headers: { 'if-match': '"old"' } });
    expect(stale.body).toMatchObject({ status: 412, code: 'ERR_PRECONDITION_FAILED' });
    const changed = await api.call('PATCH', `/clients/${id}`, { token: writer, body, headers: { 'if-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      client_name: 'Customer portal',
      redirect_uris: ['https://portal.example/cb'],
      post_logout_redirect_uris: ['https://portal.example/bye'],
    });
    expect(changed.headers.get('etag')).not.toBe(etag);
    const again = await api.call('PATCH', `/clients/${id}`, { token: writer, body, headers: { 'if-match': etag } });
    expect(again.status).toBe(412);
    etag = changed.headers.get('etag') as string;
  });

  it('refuses an empty change and a change `client update` refuses, naming why', async () => {
    const empty = await api.call('PATCH', `/clients/${id}`, { token: writer, body: {}, headers: { 'if-match': etag } });
    expect(empty.body).toMatchObject({ status: 422, code: 'ERR_VALIDATION' });
    const insecure = await api.call('PATCH', `/clients/${id}`, {
      token: writer,
      body: { redirect_uris: ['http://portal.example/cb'] },
      headers: { 'if-match': etag },
    });
    expect(insecure.body).toMatchObject({ status: 400, code: 'ERR_CLIENT_INVALID' });
    const read = await api.call('GET', `/clients/${id}`, { token: reader });
    expect(read.headers.get('etag')).toBe(etag);
  });

  it('lets exactly one of two admins who read the same version win; the other is told 412', async () => {
    const names = ['Portal A', 'Portal B'];
    const answers = await Promise.all(
      names.map((name) =>
        api.call('PATCH', `/clients/${id}`, {
          token: writer,
          body: { client_name: name },
          headers: { 'if-match': etag },
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    const winner = answers.find((a) => a.status === 200);
    const read = await api.call('GET', `/clients/${id}`, { token: reader });
    expect(read.body.client_name).toBe(winner?.body.client_name);
    expect(read.headers.get('etag')).toBe(winner?.headers.get('etag'));
  });

  it('rotates the secret: the new one gets tokens, the old one no longer does', async () => {
    const created = await api.call('POST', '/clients', {
      token: writer,
      body: { client_name: 'Rotated', grant_types: ['client_credentials'], resources: [API] },
    });
    const before = created.body as Credentials;
    const stale = await api.call('POST', `/clients/${before.client_id}/secret`, {
      token: writer,
      headers: { 'if-match': '"old"' },
    });
    expect(stale.status).toBe(412);
    const rotated = await api.call('POST', `/clients/${before.client_id}/secret`, { token: writer });
    expect(rotated.status).toBe(200);
    expect(rotated.body.client_secret).not.toBe(before.client_secret);
    expect((await tokenRequest(before, { resource: API })).status).toBe(401);
    expect((await tokenRequest(rotated.body, { resource: API })).status).toBe(200);
    const publicClient = await api.call('POST', '/clients', {
      token: writer,
      body: { client_name: 'SPA', token_endpoint_auth_method: 'none', redirect_uris: ['https://spa.example/cb'] },
    });
    expect(publicClient.body.client_secret).toBeUndefined();
    const noSecret = await api.call('POST', `/clients/${publicClient.body.client_id}/secret`, { token: writer });
    expect(noSecret.body).toMatchObject({ status: 400, code: 'ERR_CLIENT_INVALID' });
  });
});

describe('grants per API', () => {
  let client: Credentials;

  beforeAll(async () => {
    client = (
      await api.call('POST', '/clients', {
        token: writer,
        body: { client_name: 'Reporting', grant_types: ['client_credentials'] },
      })
    ).body;
  });

  it('grants some scopes of an API; a scope the API lacks is refused, then the right one is granted', async () => {
    expect((await tokenRequest(client, { resource: API })).body.error).toBe('invalid_target');
    const wrong = await api.call('PUT', grantPath(client.client_id, API), {
      token: writer,
      body: { scopes: ['orders:delete'] },
    });
    expect(wrong.body).toMatchObject({ status: 400, code: 'ERR_CLIENT_INVALID' });
    const granted = await api.call('PUT', grantPath(client.client_id, API), {
      token: writer,
      body: { scopes: ['orders:read'] },
    });
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual({ client_id: client.client_id, resource: API, scopes: ['orders:read'] });
    const token = await tokenRequest(client, { resource: API, scope: 'orders:read orders:write' });
    expect(token.body.error).toBe('invalid_scope');
    expect((await tokenRequest(client, { resource: API, scope: 'orders:read' })).status).toBe(200);
    const all = await api.call('PUT', grantPath(client.client_id, API), { token: writer, body: {} });
    expect(all.body.scopes).toEqual(['orders:read', 'orders:write']);
  });

  it('revokes a grant (204), then answers 404 for the grant that is gone', async () => {
    const revoked = await api.call('DELETE', grantPath(client.client_id, API), { token: writer });
    expect(revoked.status).toBe(204);
    expect((await tokenRequest(client, { resource: API })).body.error).toBe('invalid_target');
    const again = await api.call('DELETE', grantPath(client.client_id, API), { token: writer });
    expect(again.body).toMatchObject({ status: 404, code: 'ERR_CLIENT_GRANT_NOT_FOUND' });
  });

  it('never grants the management API to a public client (409), on create or by grant', async () => {
    const body = {
      client_name: 'Browser admin',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['https://admin.example/cb'],
    };
    const refused = await api.call('POST', '/clients', {
      token: writer,
      body: { ...body, resources: [api.identifier] },
    });
    expect(refused.body).toMatchObject({ status: 409, code: 'ERR_CLIENT_GRANT_REFUSED' });
    const made = await api.call('POST', '/clients', { token: writer, body });
    expect(made.status).toBe(201);
    const grant = await api.call('PUT', grantPath(made.body.client_id, api.identifier), { token: writer, body: {} });
    expect(grant.body).toMatchObject({ status: 409, code: 'ERR_CLIENT_GRANT_REFUSED' });
    const other = await api.call('PUT', grantPath(made.body.client_id, API), { token: writer, body: {} });
    expect(other.status).toBe(200);
  });
});

describe('removing a client', () => {
  it('revokes its tokens at once: a management client removed over the API cannot call it again', async () => {
    const automation = await api.call('POST', '/clients', {
      token: writer,
      body: { client_name: 'Doomed CI', grant_types: ['client_credentials'], resources: [api.identifier] },
    });
    const token = await api.tokenFor(automation.body);
    expect((await api.call('GET', '/clients?limit=1', { token })).status).toBe(200);
    const stale = await api.call('DELETE', `/clients/${automation.body.client_id}`, {
      token: writer,
      headers: { 'if-match': '"old"' },
    });
    expect(stale.status).toBe(412);
    const removed = await api.call('DELETE', `/clients/${automation.body.client_id}`, { token: writer });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ client_id: automation.body.client_id, removed: true, revoked: 1 });
    expect((await api.call('GET', '/clients?limit=1', { token })).status).toBe(401);
    const again = await api.call('DELETE', `/clients/${automation.body.client_id}`, { token: writer });
    expect(again.body).toMatchObject({ status: 404, code: 'ERR_CLIENT_NOT_FOUND' });
  });
});

describe('who may change clients', () => {
  it('lets an admin:read token read clients but change nothing (403), and asks for a token (401)', async () => {
    const { client_id } = await api.container.clients.add({ name: 'Kept', grantTypes: ['client_credentials'] });
    const headers = { 'if-match': '*' };
    const writes = await Promise.all([
      api.call('POST', '/clients', { token: reader, body: { client_name: 'Nope' } }),
      api.call('PATCH', `/clients/${client_id}`, { token: reader, body: { client_name: 'Nope' }, headers }),
      api.call('DELETE', `/clients/${client_id}`, { token: reader }),
      api.call('POST', `/clients/${client_id}/secret`, { token: reader }),
      api.call('PUT', grantPath(client_id, API), { token: reader, body: {} }),
      api.call('DELETE', grantPath(client_id, API), { token: reader }),
    ]);
    for (const answer of writes) expect(answer.body).toMatchObject({ status: 403, code: 'ERR_INSUFFICIENT_SCOPE' });
    expect((await api.call('GET', `/clients/${client_id}`, { token: reader })).body.client_name).toBe('Kept');
    expect((await api.call('GET', `/clients/${client_id}`)).status).toBe(401);
  });

  it('audits every change with the calling client as the actor', async () => {
    const created = await api.call('POST', '/clients', {
      token: writer,
      body: { client_name: 'Audited', grant_types: ['client_credentials'] },
    });
    expect(created.status).toBe(201);
    const id = created.body.client_id as string;
    await api.call('PATCH', `/clients/${id}`, {
      token: writer,
      body: { client_name: 'Audited again' },
      headers: { 'if-match': created.headers.get('etag') as string },
    });
    await api.call('DELETE', `/clients/${id}`, { token: writer });
    const events = (await api.container.audit.list({ limit: 200 })).filter((e) => e.detail?.client === id);
    expect(events.map((e) => e.type).sort()).toEqual([
      'admin.client.created',
      'admin.client.deleted',
      'admin.client.updated',
    ]);
    for (const event of events) {
      expect(event.clientId).toBe(writerClient.client_id);
      expect(event.detail).toMatchObject({ actor: 'api' });
    }
    expect(events.find((e) => e.type === 'admin.client.updated')?.detail).toMatchObject({ changed: ['name'] });
  });
});

describe('Idempotency-Key on client create', () => {
  it('answers a retry with the first answer, secret included, and registers one client', async () => {
    const headers = { 'idempotency-key': 'ci-client-1' };
    const body = { client_name: 'Deploy bot', grant_types: ['client_credentials'], resources: [API] };
    const first = await api.call('POST', '/clients', { token: writer, body, headers });
    const retry = await api.call('POST', '/clients', { token: writer, body, headers });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    const reused = await api.call('POST', '/clients', {
      token: writer,
      body: { ...body, client_name: 'Another bot' },
      headers,
    });
    expect(reused.body).toMatchObject({ status: 422, code: 'ERR_IDEMPOTENCY_KEY_REUSED' });
    const named = (await api.container.clients.list()).filter((c) => c.client_name === 'Deploy bot');
    expect(named).toHaveLength(1);
    expect((await tokenRequest(retry.body, { resource: API })).status).toBe(200);
  });
});

describe('changes made without a version (the CLI’s way)', () => {
  it('keeps both of two grants made to one client at once: the one that loses the race is made again', async () => {
    const second = 'https://stock.example/api';
    await api.container.resources.add({ identifier: second, scope: 'stock:read' });
    const { client_id } = await api.container.clients.add({ name: 'Both', grantTypes: ['client_credentials'] });
    await Promise.all([
      api.container.clients.grant(client_id, API, 'orders:read'),
      api.call('PUT', grantPath(client_id, second), { token: writer, body: {} }),
    ]);
    const read = await api.call('GET', `/clients/${client_id}`, { token: reader });
    expect(read.body.resources).toEqual({ [API]: ['orders:read'], [second]: ['stock:read'] });
  });
});
