import { startAdminApi, type AdminApiHarness } from '../support/admin-api.js';
import type { Credentials } from '../support/token-endpoint.js';

let api: AdminApiHarness;
let writerClient: Credentials;
let writer: string;
let reader: string;
const INVOICES = 'https://invoices.example/api';

beforeAll(async () => {
  api = await startAdminApi();
  writerClient = await api.newClient();
  writer = await api.tokenFor(writerClient);
  reader = await api.token('admin:read');
  const resource = await api.call('POST', '/resources', {
    token: writer,
    body: { identifier: INVOICES, scopes: ['invoices:read', 'invoices:write'], rbac: true, token_claims: ['roles'] },
  });
  expect(resource.status).toBe(201);
});

afterAll(async () => {
  await api.close();
});

const permission = (role: string, resource: string, scope: string) =>
  `/roles/${role}/permissions/${encodeURIComponent(resource)}/${encodeURIComponent(scope)}`;

describe('roles over the management API', () => {
  it('needs a token (401) and admin:write to make one (403), names an unknown field (422), refuses a bad name (400), then makes it', async () => {
    const body = { name: 'billing', description: 'Handles invoices' };
    expect((await api.call('POST', '/roles', { body })).status).toBe(401);
    const readOnly = await api.call('POST', '/roles', { token: reader, body });
    expect(readOnly.body).toMatchObject({ status: 403, code: 'ERR_INSUFFICIENT_SCOPE' });
    const typo = await api.call('POST', '/roles', { token: writer, body: { ...body, colour: 'blue' } });
    expect(typo.status).toBe(422);
    expect(typo.body.detail).toContain('body.colour: unknown field');
    const badName = await api.call('POST', '/roles', { token: writer, body: { name: 'has space' } });
    expect(badName.body).toMatchObject({ status: 400, code: 'ERR_ROLE_INVALID' });
    const made = await api.call('POST', '/roles', { token: writer, body });
    expect(made.status).toBe(201);
    expect(made.headers.get('location')).toBe('/admin/api/v1/roles/billing');
    expect(made.body).toEqual({
      name: 'billing',
      description: 'Handles invoices',
      built_in: false,
      permissions: [],
      members: 0,
      created_at: expect.any(String),
    });
    const taken = await api.call('POST', '/roles', { token: writer, body });
    expect(taken.body).toMatchObject({ status: 409, code: 'ERR_ROLE_EXISTS' });
  });

  it('lists roles with the built-in admin role, and reads one (404 for none) with admin:read', async () => {
    const listed = await api.call('GET', '/roles', { token: reader });
    expect(listed.body.items.map((r: { name: string; built_in: boolean }) => [r.name, r.built_in])).toEqual([
      ['admin', true],
      ['billing', false],
    ]);
    const read = await api.call('GET', '/roles/billing', { token: reader });
    expect(read.body).toMatchObject({ name: 'billing', permissions: [] });
    expect(read.headers.get('etag')).toMatch(/^"/);
    expect((await api.call('GET', '/roles/nobody', { token: reader })).body).toMatchObject({
      status: 404,
      code: 'ERR_ROLE_NOT_FOUND',
    });
  });

  it('permits a scope the API has (idempotently), refusing one it lacks (400) or an unknown API (404)', async () => {
    const lacking = await api.call('PUT', permission('billing', INVOICES, 'invoices:delete'), { token: writer });
    expect(lacking.body).toMatchObject({ status: 400, code: 'ERR_ROLE_PERMISSION_INVALID' });
    const unknownApi = await api.call('PUT', permission('billing', 'https://nowhere.example', 'read'), {
      token: writer,
    });
    expect(unknownApi.body).toMatchObject({ status: 404, code: 'ERR_RESOURCE_NOT_FOUND' });
    const noRole = await api.call('PUT', permission('nobody', INVOICES, 'invoices:read'), { token: writer });
    expect(noRole.body).toMatchObject({ status: 404, code: 'ERR_ROLE_NOT_FOUND' });
    for (const scope of ['invoices:read', 'invoices:read', 'invoices:write']) {
      const permitted = await api.call('PUT', permission('billing', INVOICES, scope), { token: writer });
      expect(permitted.status).toBe(200);
    }
    const read = await api.call('GET', '/roles/billing', { token: reader });
    expect(read.body.permissions).toEqual([
      { resource: INVOICES, scope: 'invoices:read' },
      { resource: INVOICES, scope: 'invoices:write' },
    ]);
  });

  it('takes a permission away, and says 404 for one the role does not hold', async () => {
    const taken = await api.call('DELETE', permission('billing', INVOICES, 'invoices:write'), { token: writer });
    expect(taken.body.permissions).toEqual([{ resource: INVOICES, scope: 'invoices:read' }]);
    const again = await api.call('DELETE', permission('billing', INVOICES, 'invoices:write'), { token: writer });
    expect(again.body).toMatchObject({ status: 404, code: 'ERR_ROLE_PERMISSION_NOT_FOUND' });
  });

  it('changes a description only with the current If-Match (428 without, 412 stale); of two racing admins one wins', async () => {
    const etag = (await api.call('GET', '/roles/billing', { token: reader })).headers.get('etag') as string;
    const body = { description: 'Issues and refunds invoices' };
    const without = await api.call('PATCH', '/roles/billing', { token: writer, body });
    expect(without.body).toMatchObject({ status: 428, code: 'ERR_PRECONDITION_REQUIRED' });
    const stale = await api.call('PATCH', '/roles/billing', { token: writer, body, headers: { 'if-match': '"old"' } });
    expect(stale.body).toMatchObject({ status: 412, code: 'ERR_PRECONDITION_FAILED' });
    const racing = await Promise.all(
      ['First', 'Second'].map((description) =>
        api.call('PATCH', '/roles/billing', { token: writer, body: { description }, headers: { 'if-match': etag } }),
      ),
    );
    expect(racing.map((a) => a.status).sort()).toEqual([200, 412]);
    const winner = racing.find((a) => a.status === 200);
    const read = await api.call('GET', '/roles/billing', { token: reader });
    expect(read.body.description).toBe(winner?.body.description);
    expect(read.headers.get('etag')).toBe(winner?.headers.get('etag'));
    expect(read.headers.get('etag')).not.toBe(etag);
  });

  it('never removes the built-in admin role (409) and says 404 for a role that does not exist', async () => {
    expect((await api.call('DELETE', '/roles/admin', { token: writer })).body).toMatchObject({
      status: 409,
      code: 'ERR_ROLE_BUILT_IN',
    });
    expect((await api.call('DELETE', '/roles/nobody', { token: writer })).body).toMatchObject({
      status: 404,
      code: 'ERR_ROLE_NOT_FOUND',
    });
  });
});

describe('groups, attributes and claim scopes over the management API', () => {
  it('makes a group, refusing a taken name (409), and lists it', async () => {
    const made = await api.call('POST', '/groups', { token: writer, body: { name: 'finance' } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'finance', description: '', members: 0 });
    const taken = await api.call('POST', '/groups', { token: writer, body: { name: 'finance' } });
    expect(taken.body).toMatchObject({ status: 409, code: 'ERR_GROUP_EXISTS' });
    const listed = await api.call('GET', '/groups', { token: reader });
    expect(listed.body.items.map((g: { name: string }) => g.name)).toEqual(['finance']);
    expect((await api.call('POST', '/groups', { token: reader, body: { name: 'x' } })).status).toBe(403);
  });

  it('declares attributes, refusing a pattern that is no regular expression (400, naming the attribute)', async () => {
    const badPattern = await api.call('POST', '/attributes', {
      token: writer,
      body: { name: 'employee_id', type: 'string', pattern: '[A-Z' },
    });
    expect(badPattern.body).toMatchObject({ status: 400, code: 'ERR_ATTRIBUTE_INVALID' });
    expect(badPattern.body.detail).toContain('employee_id');
    const department = await api.call('POST', '/attributes', {
      token: writer,
      body: { name: 'department', type: 'string', enum: ['Research', 'Sales'], description: 'Where they work' },
    });
    expect(department.status).toBe(201);
    expect(department.body).toEqual({
      name: 'department',
      type: 'string',
      pattern: null,
      enum: ['Research', 'Sales'],
      self_editable: false,
      description: 'Where they work',
    });
    const level = await api.call('POST', '/attributes', {
      token: writer,
      body: { name: 'level', type: 'number', enum: [1, 2, 3], self_editable: true },
    });
    expect(level.body).toMatchObject({ name: 'level', type: 'number', enum: [1, 2, 3], self_editable: true });
    const again = await api.call('POST', '/attributes', { token: writer, body: { name: 'level', type: 'number' } });
    expect(again.body).toMatchObject({ status: 409, code: 'ERR_ATTRIBUTE_EXISTS' });
    const listed = await api.call('GET', '/attributes', { token: reader });
    expect(listed.body.items.map((a: { name: string }) => a.name)).toEqual(['department', 'level']);
  });

  it('makes a claim scope of declared claims, refusing an unknown claim or a standard name (400)', async () => {
    const unknown = await api.call('POST', '/scopes', { token: writer, body: { name: 'hr', claims: ['salary'] } });
    expect(unknown.body).toMatchObject({ status: 400, code: 'ERR_SCOPE_INVALID' });
    expect(unknown.body.detail).toContain('salary');
    const standard = await api.call('POST', '/scopes', { token: writer, body: { name: 'profile', claims: ['level'] } });
    expect(standard.body).toMatchObject({ status: 400, code: 'ERR_SCOPE_INVALID' });
    const made = await api.call('POST', '/scopes', {
      token: writer,
      body: { name: 'hr', claims: ['department', 'level', 'roles'] },
      headers: { 'idempotency-key': 'scope-hr' },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name: 'hr', claims: ['department', 'level', 'roles'] });
    const replay = await api.call('POST', '/scopes', {
      token: writer,
      body: { name: 'hr', claims: ['department', 'level', 'roles'] },
      headers: { 'idempotency-key': 'scope-hr' },
    });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const listed = await api.call('GET', '/scopes', { token: reader });
    expect(listed.body.items).toEqual([made.body]);
  });
});

describe("a person's directory entry over the management API", () => {
  let id: string;

  beforeAll(async () => {
    const user = await api.call('POST', '/users', { token: writer, body: { email: 'grace@example.com' } });
    id = user.body.id as string;
  });

  it('starts empty, and is 404 for a user who does not exist', async () => {
    const entry = await api.call('GET', `/users/${id}/directory`, { token: reader });
    expect(entry.body).toEqual({
      id,
      email: 'grace@example.com',
      roles: [],
      groups: [],
      attributes: {},
      claims: expect.any(Object),
    });
    expect((await api.call('GET', '/users/nobody/directory', { token: reader })).body).toMatchObject({
      status: 404,
      code: 'ERR_ACCOUNT_NOT_FOUND',
    });
  });

  it('refuses a value its attribute does not allow (naming it) or an unknown role, changing nothing, then takes the fix', async () => {
    const path = `/users/${id}/directory`;
    expect((await api.call('PATCH', path, { token: reader, body: { add_roles: ['billing'] } })).status).toBe(403);
    expect((await api.call('PATCH', path, { token: writer, body: {} })).status).toBe(422);
    const refused = await api.call('PATCH', path, {
      token: writer,
      body: { add_roles: ['billing'], set: { department: 'Marketing' } },
    });
    expect(refused.body).toMatchObject({ status: 400, code: 'ERR_ATTRIBUTE_INVALID' });
    expect(refused.body.detail).toContain('department');
    const wrongType = await api.call('PATCH', path, { token: writer, body: { set: { level: 'high' } } });
    expect(wrongType.body).toMatchObject({ status: 400, code: 'ERR_ATTRIBUTE_INVALID' });
    expect(wrongType.body.detail).toContain('level');
    const unknownRole = await api.call('PATCH', path, { token: writer, body: { add_roles: ['auditors'] } });
    expect(unknownRole.body).toMatchObject({ status: 404, code: 'ERR_ROLE_NOT_FOUND' });
    expect((await api.call('GET', path, { token: reader })).body).toMatchObject({ roles: [], attributes: {} });

    const changed = await api.call('PATCH', path, {
      token: writer,
      body: {
        add_roles: ['billing'],
        add_groups: ['finance'],
        set: { department: 'Research', level: 2, locale: 'en-US' },
      },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      roles: ['billing'],
      groups: ['finance'],
      attributes: { department: 'Research', level: 2 },
      claims: { locale: 'en-US' },
    });
    expect((await api.call('GET', path, { token: reader })).body).toEqual(changed.body);
    expect((await api.call('GET', '/roles/billing', { token: reader })).body.members).toBe(1);
    const unset = await api.call('PATCH', path, { token: writer, body: { unset: ['locale'], set: { level: '3' } } });
    expect(unset.body.claims.locale).toBeUndefined();
    expect(unset.body.attributes.level).toBe(3);
  });

  it('leaves nothing behind when a role, group, attribute or scope is removed', async () => {
    const path = `/users/${id}/directory`;
    const role = await api.call('DELETE', '/roles/billing', { token: writer });
    expect(role.body).toEqual({ name: 'billing', members: 1, removed: true });
    const group = await api.call('DELETE', '/groups/finance', { token: writer });
    expect(group.body).toEqual({ name: 'finance', members: 1, removed: true });
    const attribute = await api.call('DELETE', '/attributes/department', { token: writer });
    expect(attribute.body).toEqual({ name: 'department', values: 1, scopes: ['hr'], removed: true });
    expect((await api.call('GET', '/scopes', { token: reader })).body.items[0].claims).toEqual(['level', 'roles']);
    expect((await api.call('DELETE', '/scopes/hr', { token: writer })).body).toEqual({ name: 'hr', removed: true });

    expect((await api.call('GET', path, { token: reader })).body).toMatchObject({
      roles: [],
      groups: [],
      attributes: { level: 3 },
    });
    expect(
      (await api.call('GET', '/roles', { token: reader })).body.items.map((r: { name: string }) => r.name),
    ).toEqual(['admin']);
    expect((await api.call('GET', '/groups', { token: reader })).body.items).toEqual([]);
    expect((await api.call('GET', '/scopes', { token: reader })).body.items).toEqual([]);
    expect(
      (await api.call('GET', '/attributes', { token: reader })).body.items.map((a: { name: string }) => a.name),
    ).toEqual(['level']);
    for (const gone of ['/groups/finance', '/attributes/department', '/scopes/hr'])
      expect((await api.call('DELETE', gone, { token: writer })).status).toBe(404);
  });

  it('audits every directory change with the calling client as the actor', async () => {
    const events = (await api.container.audit.list({ limit: 500 })).filter((e) =>
      /^admin\.(role|group|attribute|scope|user\.directory_changed)/.test(e.type),
    );
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set([
        'admin.role.added',
        'admin.role.permitted',
        'admin.role.unpermitted',
        'admin.role.updated',
        'admin.role.removed',
        'admin.group.added',
        'admin.group.removed',
        'admin.attribute.added',
        'admin.attribute.removed',
        'admin.scope.added',
        'admin.scope.removed',
        'admin.user.directory_changed',
      ]),
    );
    for (const event of events) {
      expect(event.clientId).toBe(writerClient.client_id);
      expect(event.detail).toMatchObject({ actor: 'api' });
    }
  });
});
