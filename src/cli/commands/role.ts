import { type Command, required, table } from '../command.js';
import { withContainer } from '../with-container.js';
import type { Role } from '../../directory/role-service.js';

const permissionsText = (role: Role) => role.permissions.map((p) => `${p.resource} ${p.scope}`).join(', ') || 'none';

export const roleAdd: Command = {
  path: ['role', 'add'],
  summary: 'Create a role (then give it permissions with `role permit`)',
  usage: [
    'gatehouse role add --name R [--description TEXT] [--json]',
    'A name is 1 to 64 letters, digits or _ . : - ; it is what the `roles` claim carries. Audited as admin.role.added.',
  ].join('\n'),
  options: { name: { type: 'string' }, description: { type: 'string' } },
  async run(values, config, out) {
    const name = required(values, 'name');
    const role = await withContainer(config, (c) =>
      c.roles.add({ name, description: values.description as string | undefined }),
    );
    out.result(`created role ${role.name}`, role);
  },
};

export const roleList: Command = {
  path: ['role', 'list'],
  summary: 'List roles, their permissions and how many people hold each',
  usage: 'gatehouse role list [--json]',
  options: {},
  async run(_values, config, out) {
    const roles = await withContainer(config, (c) => c.roles.list(), { readOnly: true });
    const rows = roles.map((r) => ({ ...r, builtIn: r.builtIn ? 'yes' : '', permissions: permissionsText(r) }));
    out.result(table(rows, ['name', 'builtIn', 'members', 'permissions', 'description']), { roles });
  },
};

export const roleShow: Command = {
  path: ['role', 'show'],
  summary: 'Show one role: its permissions and the people who hold it',
  usage: 'gatehouse role show --name R [--json]',
  options: { name: { type: 'string' } },
  async run(values, config, out) {
    const name = required(values, 'name');
    const role = await withContainer(config, (c) => c.roles.show(name), { readOnly: true });
    out.result(
      [
        `${role.name}${role.builtIn ? ' (built in)' : ''}${role.description ? `: ${role.description}` : ''}`,
        `permissions: ${permissionsText(role)}`,
        `members:     ${role.memberEmails.join(', ') || 'none'}`,
      ].join('\n'),
      role,
    );
  },
};

export const roleUpdate: Command = {
  path: ['role', 'update'],
  summary: "Change a role's description (a role is not renamed: tokens and permissions refer to its name)",
  usage: 'gatehouse role update --name R --description TEXT [--json]',
  options: { name: { type: 'string' }, description: { type: 'string' } },
  async run(values, config, out) {
    const name = required(values, 'name');
    const description = typeof values.description === 'string' ? values.description : required(values, 'description');
    const role = await withContainer(config, (c) => c.roles.update(name, { description }));
    out.result(`updated role ${role.name}`, role);
  },
};

export const roleRemove: Command = {
  path: ['role', 'remove'],
  summary: 'Remove a role from everyone who holds it, with its permissions (the built-in admin role stays)',
  usage: [
    'gatehouse role remove --name R [--json]',
    "Its members' next token or refresh for an RBAC API goes without what it permitted.",
  ].join('\n'),
  options: { name: { type: 'string' } },
  async run(values, config, out) {
    const name = required(values, 'name');
    const removed = await withContainer(config, (c) => c.roles.remove(name));
    out.result(`removed role ${name} from ${removed.members} person(s)`, { ...removed, removed: true });
  },
};

const permissionOptions = {
  role: { type: 'string' },
  resource: { type: 'string' },
  scope: { type: 'string' },
} as const;

export const rolePermit: Command = {
  path: ['role', 'permit'],
  summary: "Let a role's members have one scope of an API",
  usage: [
    'gatehouse role permit --role R --resource URI --scope S [--json]',
    'The API must be registered (gatehouse resource list) and have that scope. Only APIs with --rbac on',
    "narrow a person's tokens to what their roles permit. Audited as admin.role.permitted.",
  ].join('\n'),
  options: permissionOptions,
  async run(values, config, out) {
    const [role, resource, scope] = [required(values, 'role'), required(values, 'resource'), required(values, 'scope')];
    const updated = await withContainer(config, (c) => c.roles.permit(role, resource, scope));
    out.result(`role ${role} may have ${scope} at ${resource}`, updated);
  },
};

export const roleUnpermit: Command = {
  path: ['role', 'unpermit'],
  summary: "Take one scope of an API from a role's permissions",
  usage: [
    'gatehouse role unpermit --role R --resource URI --scope S [--json]',
    "Members' next token or refresh for the API goes without it; tokens already issued keep it until they expire.",
  ].join('\n'),
  options: permissionOptions,
  async run(values, config, out) {
    const [role, resource, scope] = [required(values, 'role'), required(values, 'resource'), required(values, 'scope')];
    const updated = await withContainer(config, (c) => c.roles.unpermit(role, resource, scope));
    out.result(`role ${role} no longer has ${scope} at ${resource}`, updated);
  },
};
