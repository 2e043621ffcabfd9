import { useCliDatabase } from '../../support/use-cli-database.js';
import { gatehouse, gatehouseJson } from '../../support/run-gatehouse.js';

// The operator's side of the directory, through the CLI as operators type it: roles and their
// permissions, groups, declared attributes, claim scopes, a person's place in them, an API's RBAC.

const state = useCliDatabase();
const API = 'http://localhost:4000';
const run = (...argv: string[]) => gatehouse(state.env, ...argv);
const json = <T = Record<string, unknown>>(...argv: string[]) => gatehouseJson<T>(state.env, ...argv);

interface Shown {
  claims: Record<string, unknown>;
  roles: string[];
  groups: string[];
  attributes: Record<string, unknown>;
}

beforeAll(async () => {
  expect((await run('migrate')).code).toBe(0);
  await json('user', 'add', '--email', 'ada@example.com', '--password', 'a long careful passphrase');
});

describe('gatehouse role, group, attribute and scope', () => {
  it('have --help for each command, listed in the command list', async () => {
    const help = await run('--help');
    for (const command of [
      'role add',
      'role list',
      'role show',
      'role update',
      'role remove',
      'role permit',
      'role unpermit',
      'group add',
      'group list',
      'group remove',
      'attribute add',
      'attribute list',
      'attribute remove',
      'scope add',
      'scope list',
      'scope remove',
    ]) {
      expect(help.stdout).toContain(command);
      const own = await run(...command.split(' '), '--help');
      expect({ command, code: own.code, usage: own.stdout.includes(`Usage: gatehouse ${command}`) }).toEqual({
        command,
        code: 0,
        usage: true,
      });
    }
  });

  it('register an API with RBAC and token claims, shown in resource list, and refuse a bad --rbac or claim', async () => {
    const bad = await run('resource', 'add', '--identifier', API, '--scope', 'read write', '--rbac', 'yes', '--json');
    expect(bad.code).toBe(2);
    const claim = await run(
      'resource',
      'add',
      '--identifier',
      API,
      '--scope',
      'read write',
      '--token-claims',
      'email',
      '--json',
    );
    expect(claim.json()).toEqual({
      error: { code: 'ERR_RESOURCE_INVALID', message: 'token claim "email" is not one of roles, groups' },
    });
    await json('resource', 'add', '--identifier', API, '--scope', 'read write', '--rbac', 'on');
    const { resources } = await json<{ resources: { identifier: string; rbac: boolean; tokenClaims: string[] }[] }>(
      'resource',
      'list',
    );
    // The built-in management API is listed too.
    expect(resources.find((r) => r.identifier === API)).toMatchObject({ rbac: true, tokenClaims: [] });
    const updated = await json('resource', 'update', '--identifier', API, '--token-claims', 'roles,groups');
    expect(updated).toMatchObject({ rbac: true, tokenClaims: ['groups', 'roles'] });
    expect((await run('resource', 'list')).stdout).toMatch(/read write\s+jwt\s+3600\s+on\s+groups,roles/);
    expect(await json('resource', 'update', '--identifier', API, '--token-claims', '')).toMatchObject({
      tokenClaims: [],
    });
  });

  it('create roles, permit a scope after a mistake, show and update them, and keep admin', async () => {
    await json('role', 'add', '--name', 'viewer', '--description', 'Reads');
    await json('role', 'add', '--name', 'editor');
    const wrong = await run('role', 'permit', '--role', 'viewer', '--resource', API, '--scope', 'reed', '--json');
    expect(wrong.code).toBe(1);
    expect(wrong.json()).toMatchObject({ error: { code: 'ERR_ROLE_PERMISSION_INVALID' } });
    const unknownApi = await run(
      'role',
      'permit',
      '--role',
      'viewer',
      '--resource',
      'http://localhost:5000',
      '--scope',
      'read',
      '--json',
    );
    expect(unknownApi.json()).toMatchObject({ error: { code: 'ERR_RESOURCE_NOT_FOUND' } });
    await json('role', 'permit', '--role', 'viewer', '--resource', API, '--scope', 'read');
    for (const scope of ['read', 'write'])
      await json('role', 'permit', '--role', 'editor', '--resource', API, '--scope', scope);

    expect(await json('role', 'update', '--name', 'viewer', '--description', 'Reads the ledger')).toMatchObject({
      description: 'Reads the ledger',
    });
    expect(await json('role', 'show', '--name', 'editor')).toMatchObject({
      permissions: [
        { resource: API, scope: 'read' },
        { resource: API, scope: 'write' },
      ],
      memberEmails: [],
    });
    const list = await run('role', 'list');
    expect(list.stdout).toMatch(/admin\s+yes/);
    const admin = await run('role', 'remove', '--name', 'admin', '--json');
    expect(admin.json()).toMatchObject({ error: { code: 'ERR_ROLE_BUILT_IN' } });
  });

  it("sets a person's roles, groups, attributes and profile claims after a refused value, and user show lists them", async () => {
    await json('group', 'add', '--name', 'research');
    await json(
      'attribute',
      'add',
      '--name',
      'department',
      '--type',
      'string',
      '--enum',
      'Research,Sales',
      '--self-editable',
    );
    await json('attribute', 'add', '--name', 'employee_id', '--type', 'string', '--pattern', 'E[0-9]{4}');
    await json('scope', 'add', '--name', 'hr', '--claims', 'department,employee_id', '--description', 'HR details');

    const refused = await run(
      'user',
      'update',
      '--email',
      'ada@example.com',
      '--add-role',
      'editor',
      '--set',
      'department=Marketing',
      '--json',
    );
    expect(refused.code).toBe(1);
    expect(refused.json()).toEqual({
      error: {
        code: 'ERR_ATTRIBUTE_INVALID',
        message: 'attribute department: value "Marketing" is not one of Research, Sales',
      },
    });
    const usage = await run('user', 'update', '--email', 'ada@example.com', '--set', 'department');
    expect(usage.code).toBe(2);

    const updated = await json<Shown>(
      'user',
      'update',
      '--email',
      'ada@example.com',
      '--add-role',
      'editor,viewer',
      '--add-group',
      'research',
      '--set',
      'department=Research',
      '--set',
      'employee_id=E1234',
      '--set',
      'given_name=Ada',
      '--set',
      'locale=en-gb',
      '--set',
      'zoneinfo=Europe/London',
    );
    expect(updated).toMatchObject({ email: 'ada@example.com', roles: ['editor', 'viewer'], groups: ['research'] });
    const shown = await json<Shown>('user', 'show', '--email', 'ada@example.com');
    expect(shown).toMatchObject({
      claims: { given_name: 'Ada', locale: 'en-GB', zoneinfo: 'Europe/London' },
      roles: ['editor', 'viewer'],
      groups: ['research'],
      attributes: { department: 'Research', employee_id: 'E1234' },
    });
    const text = (await run('user', 'show', '--email', 'ada@example.com')).stdout;
    expect(text).toMatch(/roles:\s+editor, viewer/);
    expect(text).toContain('department = "Research"');

    await json(
      'user',
      'update',
      '--email',
      'ada@example.com',
      '--remove-role',
      'editor',
      '--unset',
      'given_name',
      '--unset',
      'employee_id',
    );
    expect(await json<Shown>('user', 'show', '--email', 'ada@example.com')).toMatchObject({
      claims: { locale: 'en-GB', zoneinfo: 'Europe/London' },
      roles: ['viewer'],
      attributes: { department: 'Research' },
    });
  });

  it('removes a role, group, attribute and scope everywhere, and says what went', async () => {
    expect(await json('attribute', 'remove', '--name', 'department')).toEqual({
      name: 'department',
      values: 1,
      scopes: ['hr'],
      removed: true,
    });
    expect(await json('scope', 'list')).toMatchObject({ scopes: [{ name: 'hr', claims: ['employee_id'] }] });
    expect(await json('scope', 'remove', '--name', 'hr')).toEqual({ name: 'hr', removed: true });
    expect(await json('group', 'remove', '--name', 'research')).toEqual({
      name: 'research',
      members: 1,
      removed: true,
    });
    expect(await json('role', 'remove', '--name', 'viewer')).toEqual({ name: 'viewer', members: 1, removed: true });
    expect(await json<Shown>('user', 'show', '--email', 'ada@example.com')).toMatchObject({
      roles: [],
      groups: [],
      attributes: {},
    });
    expect(await json('scope', 'list')).toEqual({ scopes: [] });
    const events = await json<{ events: { type: string }[] }>('audit', '--limit', '100');
    expect(events.events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'admin.role.removed',
        'admin.group.removed',
        'admin.attribute.removed',
        'admin.scope.removed',
      ]),
    );
  });
});
