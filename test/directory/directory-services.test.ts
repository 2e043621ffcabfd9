import { createMigratedDatabase } from '../support/test-database.js';
import { frozenClock } from '../support/frozen-clock.js';
import type { Db } from '../../src/db/create-prisma.js';
import { createAuditQueries } from '../../src/audit/audit-queries.js';
import { createAuditService } from '../../src/audit/audit-service.js';
import { createAccountQueries } from '../../src/accounts/account-queries.js';
import { createPreparedAccountLookups } from '../../src/accounts/prepared-account-lookups.js';
import { createAccountService } from '../../src/accounts/account-service.js';
import { createResourceQueries } from '../../src/resources/resource-queries.js';
import { createPreparedResourceLookups } from '../../src/resources/prepared-resource-lookups.js';
import { createRoleQueries } from '../../src/directory/role-queries.js';
import { createRoleService } from '../../src/directory/role-service.js';
import { createGroupQueries } from '../../src/directory/group-queries.js';
import { createGroupService } from '../../src/directory/group-service.js';
import { createAttributeQueries } from '../../src/directory/attribute-queries.js';
import { createAttributeService } from '../../src/directory/attribute-service.js';
import { createClaimScopeQueries } from '../../src/directory/claim-scope-queries.js';
import { createClaimScopeService } from '../../src/directory/claim-scope-service.js';
import { createPersonEntryQueries } from '../../src/directory/person-entry-queries.js';
import { createPersonEntryService } from '../../src/directory/person-entry-service.js';
import { createPersonDirectory } from '../../src/directory/person-directory-service.js';
import { createPreparedAuditInsert } from '../../src/audit/prepared-audit-insert.js';

// The directory's services on a real database (SQLite or PostgreSQL, as DATABASE_URL says), with
// the real audit trail: what each refuses, and that a removal leaves nothing naming what went.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;
let services: ReturnType<typeof build>;
const API = 'http://localhost:4000';
const hasher = { hash: async (p: string) => `hashed:${p}`, verify: async () => true } as never;

function build() {
  const clock = frozenClock();
  const audit = createAuditService(createAuditQueries(db, createPreparedAuditInsert(store.driver)), undefined, clock);
  const accounts = createAccountService(
    createAccountQueries(db, createPreparedAccountLookups(store.driver)),
    hasher,
    clock,
  );
  const resourceQueries = createResourceQueries(db, createPreparedResourceLookups(store.driver));
  const attributeQueries = createAttributeQueries(db);
  const directory = createPersonDirectory(db);
  return {
    accounts,
    resourceQueries,
    directory,
    roles: createRoleService({ queries: createRoleQueries(db), audit }),
    groups: createGroupService({ queries: createGroupQueries(db), audit }),
    attributes: createAttributeService({ queries: attributeQueries, audit }),
    scopes: createClaimScopeService({
      queries: createClaimScopeQueries(db),
      attributes: attributeQueries,
      resources: {
        list: async () => (await resourceQueries.list()).map((r) => ({ ...r, scopes: r.scopes.split(' ') })),
      } as never,
      audit,
    }),
    people: createPersonEntryService({
      accounts,
      attributes: attributeQueries,
      queries: createPersonEntryQueries(db),
      directory,
      audit,
    }),
  };
}

const auditTypes = async () => (await db.auditEvent.findMany({ orderBy: { at: 'asc' } })).map((e) => e.type);

beforeAll(async () => {
  store = await createMigratedDatabase();
  db = store.db;
  services = build();
  await db.resource.create({
    data: {
      identifier: API,
      scopes: 'read write',
      tokenFormat: 'jwt',
      accessTokenTtl: 3600,
      clientId: 'api',
      rbac: true,
    },
  });
  for (const email of ['ada@example.com', 'grace@example.com'])
    await services.accounts.create({ email, password: 'a long careful passphrase' });
});

afterAll(() => store.close());

describe('roles', () => {
  it('include the built-in admin role from the first start, which cannot be removed', async () => {
    expect(await services.roles.list()).toEqual([
      expect.objectContaining({ name: 'admin', builtIn: true, permissions: [], members: 0 }),
    ]);
    await expect(services.roles.remove('admin')).rejects.toMatchObject({ code: 'ERR_ROLE_BUILT_IN' });
    expect((await services.roles.show('admin')).builtIn).toBe(true);
  });

  it('permit only a scope a registered API has: an unknown API or scope is refused, then the right one is stored once', async () => {
    await services.roles.add({ name: 'viewer', description: 'Reads the ledger' });
    await expect(services.roles.permit('viewer', 'http://localhost:5000', 'read')).rejects.toMatchObject({
      code: 'ERR_RESOURCE_NOT_FOUND',
    });
    await expect(services.roles.permit('viewer', API, 'delete')).rejects.toMatchObject({
      code: 'ERR_ROLE_PERMISSION_INVALID',
      message: `${API} has no scope "delete" (gatehouse resource list shows its scopes)`,
    });
    await expect(services.roles.permit('nobody', API, 'read')).rejects.toMatchObject({ code: 'ERR_ROLE_NOT_FOUND' });
    // A burst of the same permit stores it once and audits it once.
    await Promise.all(Array.from({ length: 6 }, () => services.roles.permit('viewer', API, 'read')));
    expect((await services.roles.show('viewer')).permissions).toEqual([{ resource: API, scope: 'read' }]);
    expect((await auditTypes()).filter((t) => t === 'admin.role.permitted')).toHaveLength(1);
  });

  it('refuse a name that could not travel in a claim, and a second role of one name', async () => {
    await expect(services.roles.add({ name: 'two words' })).rejects.toMatchObject({ code: 'ERR_ROLE_INVALID' });
    await expect(services.roles.add({ name: 'a,b' })).rejects.toMatchObject({ code: 'ERR_ROLE_INVALID' });
    await expect(services.roles.add({ name: 'viewer' })).rejects.toMatchObject({ code: 'ERR_ROLE_EXISTS' });
  });

  it("give a person's permitted scopes for an API as the union over their roles, and nothing after unpermit", async () => {
    await services.roles.add({ name: 'editor' });
    await services.roles.permit('editor', API, 'read');
    await services.roles.permit('editor', API, 'write');
    await services.people.update('ada@example.com', { addRoles: ['viewer'] });
    await services.people.update('grace@example.com', { addRoles: ['viewer', 'editor'] });
    const ada = await services.accounts.requireByEmail('ada@example.com');
    const grace = await services.accounts.requireByEmail('grace@example.com');
    expect([...(await services.directory.permittedScopes(ada.id, API))]).toEqual(['read']);
    expect([...(await services.directory.permittedScopes(grace.id, API))].sort()).toEqual(['read', 'write']);
    expect([...(await services.directory.permittedScopes(grace.id, 'https://other.example/'))]).toEqual([]);

    await services.roles.unpermit('editor', API, 'write');
    expect([...(await services.directory.permittedScopes(grace.id, API))]).toEqual(['read']);
    await expect(services.roles.unpermit('editor', API, 'write')).rejects.toMatchObject({
      code: 'ERR_ROLE_PERMISSION_NOT_FOUND',
    });
  });

  it('lose the permissions for a scope the API drops (resource update --scope)', async () => {
    await services.roles.permit('editor', API, 'write');
    const setScopes = async (scopes: string) => {
      const current = await services.resourceQueries.find(API);
      if (!current) throw new Error(`${API} is not registered`);
      expect(await services.resourceQueries.updateIf(API, current, { scopes })).not.toBeNull();
    };
    await setScopes('read');
    expect((await services.roles.show('editor')).permissions).toEqual([{ resource: API, scope: 'read' }]);
    await setScopes('read write');
  });

  it('removed, leave no membership or permission behind', async () => {
    await services.roles.remove('editor');
    const grace = await services.accounts.requireByEmail('grace@example.com');
    expect((await services.directory.entryOf(grace.id)).roles).toEqual(['viewer']);
    expect(await db.accountRole.count({ where: { roleName: 'editor' } })).toBe(0);
    expect(await db.rolePermission.count({ where: { roleName: 'editor' } })).toBe(0);
    await expect(services.roles.remove('editor')).rejects.toMatchObject({ code: 'ERR_ROLE_NOT_FOUND' });
    expect(await auditTypes()).toEqual(expect.arrayContaining(['admin.role.added', 'admin.role.removed']));
  });
});

describe('groups', () => {
  it('hold people, and removed, leave no membership behind', async () => {
    await services.groups.add({ name: 'research' });
    await expect(services.groups.add({ name: 'research' })).rejects.toMatchObject({ code: 'ERR_GROUP_EXISTS' });
    await services.people.update('ada@example.com', { addGroups: ['research'] });
    const ada = await services.accounts.requireByEmail('ada@example.com');
    expect((await services.directory.entryOf(ada.id)).groups).toEqual(['research']);
    expect(await services.groups.list()).toEqual([expect.objectContaining({ name: 'research', members: 1 })]);

    expect(await services.groups.remove('research')).toEqual({ name: 'research', members: 1 });
    expect((await services.directory.entryOf(ada.id)).groups).toEqual([]);
    expect(await db.accountGroup.count()).toBe(0);
    await expect(services.groups.remove('research')).rejects.toMatchObject({ code: 'ERR_GROUP_NOT_FOUND' });
  });
});

describe('attributes and claim scopes', () => {
  it('refuse a declaration that cannot stand: a standard claim name, an unknown type, a broken pattern, an enumeration outside the pattern', async () => {
    const refused = (input: Parameters<typeof services.attributes.add>[0]) =>
      expect(services.attributes.add(input)).rejects.toMatchObject({ code: 'ERR_ATTRIBUTE_INVALID' });
    await refused({ name: 'email', type: 'string' });
    await refused({ name: 'roles', type: 'string_list' });
    await refused({ name: 'Department', type: 'string' });
    await refused({ name: 'department', type: 'date' });
    await refused({ name: 'department', type: 'string', pattern: '([a-z' });
    await refused({ name: 'department', type: 'number', pattern: '[0-9]+' });
    await refused({ name: 'department', type: 'boolean', allowed: ['true'] });
    await refused({ name: 'department', type: 'string', pattern: '[A-Z][a-z]+', allowed: ['Research', 'sales'] });
    expect(await services.attributes.list()).toEqual([]);
  });

  it('validate every value written, naming the attribute, and store nothing of a change with a mistake in it', async () => {
    await services.attributes.add({ name: 'department', type: 'string', allowed: ['Research', 'Sales'] });
    await services.attributes.add({ name: 'employee_id', type: 'string', pattern: 'E[0-9]{4}' });
    await expect(
      services.people.update('ada@example.com', {
        addRoles: ['viewer'],
        set: { department: 'Research', employee_id: 'E12', given_name: 'Ada' },
      }),
    ).rejects.toMatchObject({
      code: 'ERR_ATTRIBUTE_INVALID',
      message: 'attribute employee_id: value "E12" does not match the pattern E[0-9]{4}',
    });
    await expect(services.people.update('ada@example.com', { set: { shoe_size: '9' } })).rejects.toMatchObject({
      code: 'ERR_ATTRIBUTE_NOT_FOUND',
    });
    await expect(
      services.people.update('ada@example.com', { addRoles: ['nobody'], set: { department: 'Sales' } }),
    ).rejects.toMatchObject({
      code: 'ERR_ROLE_NOT_FOUND',
    });
    const before = await services.people.show('ada@example.com');
    expect(before.attributes).toEqual({});
    expect(before.claims).toEqual({});

    const after = await services.people.update('ada@example.com', {
      set: { department: 'Research', employee_id: 'E1234', given_name: 'Ada', phone_number: '+441234567890' },
    });
    expect(after.attributes).toEqual({ department: 'Research', employee_id: 'E1234' });
    // A new phone number is unverified until said otherwise.
    expect(after.claims).toEqual({ given_name: 'Ada', phone_number: '+441234567890', phone_number_verified: false });
    expect((await services.accounts.requireByEmail('ada@example.com')).givenName).toBe('Ada');
  });

  it('release claims through a scope only if each is a declared attribute, a standard claim we hold, roles or groups', async () => {
    await expect(services.scopes.add({ name: 'hr', claims: ['department', 'salary'] })).rejects.toMatchObject({
      code: 'ERR_SCOPE_INVALID',
    });
    await expect(services.scopes.add({ name: 'profile', claims: ['department'] })).rejects.toMatchObject({
      code: 'ERR_SCOPE_INVALID',
    });
    await expect(services.scopes.add({ name: 'read', claims: ['department'] })).rejects.toMatchObject({
      code: 'ERR_SCOPE_INVALID',
      message: `scope read is a scope of the API ${API}: give the claim scope another name`,
    });
    await services.scopes.add({ name: 'hr', claims: ['department', 'employee_id', 'given_name', 'roles'] });
    await services.scopes.add({ name: 'badge', claims: ['employee_id'] });
    await expect(services.scopes.add({ name: 'hr', claims: ['groups'] })).rejects.toMatchObject({
      code: 'ERR_SCOPE_EXISTS',
    });
    expect(await services.directory.claimScopes()).toEqual([
      { name: 'badge', claims: ['employee_id'], description: '' },
      { name: 'hr', claims: ['department', 'employee_id', 'given_name', 'roles'], description: '' },
    ]);
  });

  it('removed, an attribute leaves no stored value and no scope naming it', async () => {
    expect(await services.attributes.remove('employee_id')).toEqual({
      name: 'employee_id',
      values: 1,
      scopes: ['badge', 'hr'],
    });
    expect(await db.accountAttribute.count({ where: { name: 'employee_id' } })).toBe(0);
    expect(await services.directory.claimScopes()).toEqual([
      { name: 'badge', claims: [], description: '' },
      { name: 'hr', claims: ['department', 'given_name', 'roles'], description: '' },
    ]);
    expect((await services.people.show('ada@example.com')).attributes).toEqual({ department: 'Research' });
    await expect(services.attributes.remove('employee_id')).rejects.toMatchObject({ code: 'ERR_ATTRIBUTE_NOT_FOUND' });
  });

  it('removed, a scope is gone from the list the protocol reads', async () => {
    await services.scopes.remove('badge');
    expect((await services.directory.claimScopes()).map((s) => s.name)).toEqual(['hr']);
    await expect(services.scopes.remove('badge')).rejects.toMatchObject({ code: 'ERR_SCOPE_NOT_FOUND' });
  });

  it('audit each change, with the names changed and never the values', async () => {
    const events = await db.auditEvent.findMany({ where: { type: 'admin.user.directory_changed' } });
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event.detail).not.toContain('+441234567890');
    expect(await auditTypes()).toEqual(
      expect.arrayContaining([
        'admin.attribute.added',
        'admin.attribute.removed',
        'admin.scope.added',
        'admin.scope.removed',
        'admin.group.added',
        'admin.group.removed',
      ]),
    );
  });
});
