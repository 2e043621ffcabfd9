import { decodeJwt } from 'jose';
import { startAdminApi, type AdminApiHarness } from '../support/admin-api.js';
import { postForm, type Credentials } from '../support/token-endpoint.js';

let api: AdminApiHarness;
let writer: string;
let reader: string;
const ORDERS = 'https://orders.example/api';

beforeAll(async () => {
  api = await startAdminApi();
  writer = await api.token();
  reader = await api.token('admin:read');
});

afterAll(async () => {
  await api.close();
});

const at = (identifier: string) => `/resources/${encodeURIComponent(identifier)}`;

describe('resources over the management API', () => {
  it('registers an API and shows its own client’s secret in that answer only', async () => {
    const created = await api.call('POST', '/resources', {
      token: writer,
      body: { identifier: ORDERS, scopes: ['orders:read', 'orders:write'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      identifier: ORDERS,
      scopes: ['orders:read', 'orders:write'],
      token_format: 'jwt',
      access_token_ttl: expect.any(Number),
      client_id: expect.any(String),
      client_secret: expect.any(String),
      rbac: false,
      token_claims: [],
      dynamic_clients: false,
      dynamic_scopes: ['orders:read', 'orders:write'],
      name: null,
      scope_descriptions: {},
      built_in: false,
      created_at: expect.any(String),
    });
    const location = created.headers.get('location') as string;
    expect(location).toBe(`/admin/api/v1${at(ORDERS)}`);
    const read = await api.call('GET', location.replace('/admin/api/v1', ''), { token: reader });
    expect(read.status).toBe(200);
    expect(read.body.client_secret).toBeUndefined();
    expect(read.headers.get('etag')).toBe(created.headers.get('etag'));
  });

  it('names an unknown field (422), refuses a bad identifier or scope (400) and a taken one (409), then registers the fix', async () => {
    const typo = await api.call('POST', '/resources', {
      token: writer,
      body: { identifier: 'https://stock.example', scope: 'read' },
    });
    expect(typo.status).toBe(422);
    expect(typo.body.detail).toContain('body.scope: unknown field');
    const insecure = await api.call('POST', '/resources', {
      token: writer,
      body: { identifier: 'http://stock.example', scopes: ['read'] },
    });
    expect(insecure.body).toMatchObject({ status: 400, code: 'ERR_RESOURCE_INVALID' });
    const reserved = await api.call('POST', '/resources', {
      token: writer,
      body: { identifier: 'https://stock.example', scopes: ['openid'] },
    });
    expect(reserved.body).toMatchObject({ status: 400, code: 'ERR_RESOURCE_INVALID' });
    const taken = await api.call('POST', '/resources', { token: writer, body: { identifier: ORDERS, scopes: ['x'] } });
    expect(taken.body).toMatchObject({ status: 409, code: 'ERR_RESOURCE_EXISTS' });
    const fixed = await api.call('POST', '/resources', {
      token: writer,
      body: { identifier: 'https://stock.example', scopes: ['read'], token_format: 'opaque', access_token_ttl: 600 },
    });
    expect(fixed.status).toBe(201);
    expect(fixed.body).toMatchObject({ token_format: 'opaque', access_token_ttl: 600 });
  });

  it('lists every API a page at a time, the built-in management API first', async () => {
    const seen: { identifier: string; built_in: boolean }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=1&cursor=${encodeURIComponent(cursor)}` : '?limit=1';
      const page = await api.call('GET', `/resources${query}`, { token: reader });
      expect(page.body.items).toHaveLength(1);
      seen.push(...page.body.items);
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen.map((r) => r.identifier)).toEqual([api.identifier, ORDERS, 'https://stock.example']);
    expect(seen.map((r) => r.built_in)).toEqual([true, false, false]);
  });

  it('opens an API to self-registered apps up to a ceiling, and never the management API', async () => {
    const tools = 'https://tools.example/mcp';
    const created = await api.call('POST', '/resources', {
      token: writer,
      body: {
        identifier: tools,
        scopes: ['tools:read', 'tools:write'],
        dynamic_clients: true,
        dynamic_scopes: ['tools:read'],
      },
    });
    expect(created.body).toMatchObject({ dynamic_clients: true, dynamic_scopes: ['tools:read'] });
    const closed = await api.call('PATCH', at(tools), {
      token: writer,
      body: { dynamic_clients: false },
      headers: { 'if-match': created.headers.get('etag') as string },
    });
    expect(closed.body).toMatchObject({ dynamic_clients: false });
    const builtIn = await api.call('GET', at(api.identifier), { token: reader });
    const opened = await api.call('PATCH', at(api.identifier), {
      token: writer,
      body: { dynamic_clients: true },
      headers: { 'if-match': builtIn.headers.get('etag') as string },
    });
    expect(opened.body).toMatchObject({ code: 'ERR_RESOURCE_BUILT_IN' });
    expect((await api.call('GET', at(api.identifier), { token: reader })).body.dynamic_clients).toBe(false);
    await api.call('DELETE', at(tools), { token: writer, headers: { 'if-match': '*' } });
  });

  it('answers 404 for an API that does not exist', async () => {
    const missing = at('https://missing.example');
    const answers = await Promise.all([
      api.call('GET', missing, { token: reader }),
      api.call('PATCH', missing, { token: writer, body: { access_token_ttl: 600 }, headers: { 'if-match': '*' } }),
      api.call('DELETE', missing, { token: writer }),
    ]);
    for (const answer of answers) expect(answer.body).toMatchObject({ status: 404, code: 'ERR_RESOURCE_NOT_FOUND' });
  });

  it('lets an admin:read token read APIs but change nothing (403)', async () => {
    const answers = await Promise.all([
      api.call('POST', '/resources', { token: reader, body: { identifier: 'https://x.example', scopes: ['a'] } }),
      api.call('PATCH', at(ORDERS), { token: reader, body: { access_token_ttl: 600 }, headers: { 'if-match': '*' } }),
      api.call('DELETE', at(ORDERS), { token: reader }),
    ]);
    for (const answer of answers) expect(answer.body).toMatchObject({ status: 403, code: 'ERR_INSUFFICIENT_SCOPE' });
    expect((await api.call('GET', at(ORDERS), { token: reader })).status).toBe(200);
  });
});

describe('changing an API', () => {
  it('needs If-Match (428), refuses a stale one (412), and changes what is given with the current one', async () => {
    const read = await api.call('GET', at(ORDERS), { token: reader });
    const etag = read.headers.get('etag') as string;
    const body = { scopes: ['orders:read', 'orders:write', 'orders:refund'] };
    expect((await api.call('PATCH', at(ORDERS), { token: writer, body })).body.code).toBe('ERR_PRECONDITION_REQUIRED');
    const stale = await api.call('PATCH', at(ORDERS), { token: writer, body, headers: { 'if-match': '"old"' } });
    expect(stale.body).toMatchObject({ status: 412, code: 'ERR_PRECONDITION_FAILED' });
    const changed = await api.call('PATCH', at(ORDERS), { token: writer, body, headers: { 'if-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ scopes: body.scopes, token_format: 'jwt' });
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('names the API and describes its scopes for people, refusing a description of a scope it does not have, and clears the name', async () => {
    const etag = (await api.call('GET', at(ORDERS), { token: reader })).headers.get('etag') as string;
    const unknown = await api.call('PATCH', at(ORDERS), {
      token: writer,
      body: { scope_descriptions: { 'orders:ship': 'Ship your orders' } },
      headers: { 'if-match': etag },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('scope description for "orders:ship": the API has no such scope');
    const named = await api.call('PATCH', at(ORDERS), {
      token: writer,
      body: { name: 'Orders API', scope_descriptions: { 'orders:read': 'See your orders' } },
      headers: { 'if-match': etag },
    });
    expect(named.status).toBe(200);
    expect(named.body).toMatchObject({ name: 'Orders API', scope_descriptions: { 'orders:read': 'See your orders' } });
    // Descriptions merge: another scope's joins, and "" removes one.
    const merged = await api.call('PATCH', at(ORDERS), {
      token: writer,
      body: { scope_descriptions: { 'orders:write': 'Place orders for you', 'orders:read': '' } },
      headers: { 'if-match': named.headers.get('etag') as string },
    });
    expect(merged.body.scope_descriptions).toEqual({ 'orders:write': 'Place orders for you' });
    const cleared = await api.call('PATCH', at(ORDERS), {
      token: writer,
      body: { name: '' },
      headers: { 'if-match': merged.headers.get('etag') as string },
    });
    expect(cleared.body).toMatchObject({ name: null, scope_descriptions: { 'orders:write': 'Place orders for you' } });
  });

  it('turns RBAC on and asks for roles in its tokens, refusing a claim it does not know (422), then clears the claims', async () => {
    const etag = (await api.call('GET', at(ORDERS), { token: reader })).headers.get('etag') as string;
    const unknown = await api.call('PATCH', at(ORDERS), {
      token: writer,
      body: { token_claims: ['department'] },
      headers: { 'if-match': etag },
    });
    expect(unknown.status).toBe(422);
    const on = await api.call('PATCH', at(ORDERS), {
      token: writer,
      body: { rbac: true, token_claims: ['roles', 'groups'] },
      headers: { 'if-match': etag },
    });
    expect(on.body).toMatchObject({ rbac: true, token_claims: ['groups', 'roles'] });
    const listed = await api.call('GET', '/resources?limit=100', { token: reader });
    expect(listed.body.items.find((r: { identifier: string }) => r.identifier === ORDERS)).toMatchObject({
      rbac: true,
      token_claims: ['groups', 'roles'],
    });
    const cleared = await api.call('PATCH', at(ORDERS), {
      token: writer,
      body: { rbac: false, token_claims: [] },
      headers: { 'if-match': on.headers.get('etag') as string },
    });
    expect(cleared.body).toMatchObject({ rbac: false, token_claims: [] });
  });

  it('registers an API with RBAC and token claims from the start', async () => {
    const created = await api.call('POST', '/resources', {
      token: writer,
      body: { identifier: 'https://ledger.example', scopes: ['read'], rbac: true, token_claims: ['roles'] },
    });
    expect(created.body).toMatchObject({ rbac: true, token_claims: ['roles'] });
    const read = await api.call('GET', at('https://ledger.example'), { token: reader });
    expect(read.body).toMatchObject({ rbac: true, token_claims: ['roles'] });
  });

  it('lets exactly one of two admins who read the same version win; the other is told 412', async () => {
    const etag = (await api.call('GET', at(ORDERS), { token: reader })).headers.get('etag') as string;
    const answers = await Promise.all(
      [300, 900].map((ttl) =>
        api.call('PATCH', at(ORDERS), {
          token: writer,
          body: { access_token_ttl: ttl },
          headers: { 'if-match': etag },
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    const winner = answers.find((a) => a.status === 200);
    const read = await api.call('GET', at(ORDERS), { token: reader });
    expect(read.body.access_token_ttl).toBe(winner?.body.access_token_ttl);
  });

  it('keeps the management API: never removed, its scopes fixed (409), its token lifetime changeable', async () => {
    const management = at(api.identifier);
    const etag = (await api.call('GET', management, { token: reader })).headers.get('etag') as string;
    const removed = await api.call('DELETE', management, { token: writer });
    expect(removed.body).toMatchObject({ status: 409, code: 'ERR_RESOURCE_BUILT_IN' });
    const rescoped = await api.call('PATCH', management, {
      token: writer,
      body: { scopes: ['admin:everything'] },
      headers: { 'if-match': etag },
    });
    expect(rescoped.body).toMatchObject({ status: 409, code: 'ERR_RESOURCE_BUILT_IN' });
    const ttl = await api.call('PATCH', management, {
      token: writer,
      body: { access_token_ttl: 300 },
      headers: { 'if-match': etag },
    });
    expect(ttl.status).toBe(200);
    expect(ttl.body).toMatchObject({ built_in: true, scopes: ['admin:read', 'admin:write'], access_token_ttl: 300 });
  });
});

describe('an API and a client made over the management API, end to end', () => {
  it('gives the client tokens for the API with the scopes granted, which the API can introspect, until the API is removed', async () => {
    const identifier = 'https://invoices.example/v2';
    const resource = await api.call('POST', '/resources', {
      token: writer,
      body: { identifier, scopes: ['invoices:read', 'invoices:write'] },
      headers: { 'idempotency-key': 'invoices-api' },
    });
    const replay = await api.call('POST', '/resources', {
      token: writer,
      body: { identifier, scopes: ['invoices:read', 'invoices:write'] },
      headers: { 'idempotency-key': 'invoices-api' },
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(resource.body);
    const created = await api.call('POST', '/clients', {
      token: writer,
      body: { client_name: 'Accounting', grant_types: ['client_credentials'], resources: [identifier] },
    });
    const client = created.body as Credentials;
    const narrowed = await api.call('PUT', `/clients/${client.client_id}/grants/${encodeURIComponent(identifier)}`, {
      token: writer,
      body: { scopes: ['invoices:read'] },
    });
    expect(narrowed.status).toBe(200);

    const refused = await postForm(api.server.url, '/token', client, {
      grant_type: 'client_credentials',
      resource: identifier,
      scope: 'invoices:write',
    });
    expect(refused.body.error).toBe('invalid_scope');
    const issued = await postForm(api.server.url, '/token', client, {
      grant_type: 'client_credentials',
      resource: identifier,
      scope: 'invoices:read',
    });
    expect(issued.status).toBe(200);
    const token = issued.body.access_token as string;
    expect(decodeJwt(token)).toMatchObject({ aud: identifier, client_id: client.client_id, scope: 'invoices:read' });
    const introspected = await postForm(api.server.url, '/token/introspection', resource.body, { token });
    expect(introspected.body).toMatchObject({ active: true, scope: 'invoices:read' });

    const removed = await api.call('DELETE', at(identifier), { token: writer });
    expect(removed.body).toEqual({ identifier, client_id: resource.body.client_id, removed: true });
    expect((await api.call('GET', at(identifier), { token: reader })).status).toBe(404);
    const granted = await api.call('GET', `/clients/${client.client_id}`, { token: reader });
    expect(granted.body.resources).toEqual({});
    const after = await postForm(api.server.url, '/token', client, {
      grant_type: 'client_credentials',
      resource: identifier,
    });
    expect(after.body.error).toBe('invalid_target');
  });

  it('audits the API’s creation, change and removal with the calling client as the actor', async () => {
    const events = (await api.container.audit.list({ limit: 200 })).filter((e) => e.type.startsWith('admin.resource.'));
    const invoices = events.filter((e) => e.detail?.resource === 'https://invoices.example/v2');
    expect(invoices.map((e) => e.type).sort()).toEqual(['admin.resource.created', 'admin.resource.deleted']);
    const orders = events.filter((e) => e.detail?.resource === ORDERS && e.type === 'admin.resource.updated');
    expect(orders.map((e) => e.detail?.changed)).toContainEqual(['scopes']);
    for (const event of events) expect(event.detail).toMatchObject({ actor: 'api' });
    expect(events.every((e) => typeof e.clientId === 'string')).toBe(true);
    // The resource's own client is made and removed with it: audited as the resource's change only.
    const clientEvents = (await api.container.audit.list({ limit: 200 })).filter(
      (e) => e.detail?.name === 'Resource server https://invoices.example/v2',
    );
    expect(clientEvents).toEqual([]);
  });
});
