import type { AuditService } from '../audit/audit-service.js';
import type { Actor } from '../sessions/session-service.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { RoleQueries, RoleRow } from './role-queries.js';
import { operatorEvent } from './operator-event.js';
import { checkDescription, checkName, isMissingReference, isUniqueViolation } from './directory-names.js';

/** The role the admin console and management API grant; it comes with the first migration. */
export const ADMIN_ROLE = 'admin';

export interface Permission {
  /** The API's identifier (RFC 8707). */
  readonly resource: string;
  readonly scope: string;
}

export interface Role {
  readonly name: string;
  readonly description: string;
  readonly builtIn: boolean;
  readonly permissions: Permission[];
  readonly members: number;
  readonly createdAt: string;
}

export interface RoleServiceDeps {
  readonly queries: RoleQueries;
  readonly audit: Pick<AuditService, 'record'>;
}

const toRole = (row: RoleRow): Role => ({
  name: row.name,
  description: row.description,
  builtIn: row.builtIn,
  permissions: row.permissions.map((p) => ({ resource: p.resourceId, scope: p.scope })),
  members: row.members,
  createdAt: row.createdAt.toISOString(),
});

/**
 * A role's version: everything a read of it shows (description, permissions, member count), so
 * its entity tag changes whenever the role as read does. Roles have no updatedAt of their own.
 */
export const roleVersion = (role: Pick<Role, 'description' | 'permissions' | 'members'>): string =>
  JSON.stringify([role.description, role.permissions.map((p) => [p.resource, p.scope]), role.members]);

const notFound = (name: string) => new GatehouseError('ERR_ROLE_NOT_FOUND', `no role named ${name}`);

/**
 * Roles: named sets of permissions, each an (API, scope) pair of a registered API. For an API with
 * RBAC on, a person's token carries only what their roles permit (PersonDirectory.permittedScopes).
 */
export function createRoleService({ queries, audit }: RoleServiceDeps) {
  const record = (type: Parameters<AuditService['record']>[0]['type'], actor: Actor, detail: Record<string, unknown>) =>
    audit.record({ type, ...operatorEvent(actor, detail) });

  const require = async (name: string): Promise<RoleRow> => {
    const row = await queries.find(name);
    if (!row) throw notFound(name);
    return row;
  };

  return {
    async add(input: { name: string; description?: string }, actor: Actor = { by: 'admin' }): Promise<Role> {
      const name = checkName('role', input.name, 'ERR_ROLE_INVALID');
      const description = checkDescription(input.description, 'ERR_ROLE_INVALID');
      try {
        await queries.insert({ name, description });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new GatehouseError('ERR_ROLE_EXISTS', `a role named ${name} already exists`);
        throw error;
      }
      await record('admin.role.added', actor, { role: name });
      return toRole(await require(name));
    },

    async list(): Promise<Role[]> {
      return (await queries.list()).map(toRole);
    },

    /** The role with its permissions and member count. */
    async read(name: string): Promise<Role> {
      return toRole(await require(name));
    },

    /** The role with its permissions and the emails of its members. */
    async show(name: string): Promise<Role & { memberEmails: string[] }> {
      const role = toRole(await require(name));
      return { ...role, memberEmails: await queries.memberEmails(name) };
    },

    /**
     * Only the description changes: a name is what tokens and permissions refer to. With
     * `ifVersion` (the management API's If-Match) the role must still be as read (roleVersion)
     * and the description is written by compare-and-set on the one read, else ERR_PRECONDITION_FAILED.
     */
    async update(
      name: string,
      changes: { description: string },
      actor: Actor = { by: 'admin' },
      { ifVersion }: { ifVersion?: string } = {},
    ): Promise<Role> {
      const description = checkDescription(changes.description, 'ERR_ROLE_INVALID');
      if (ifVersion === undefined) {
        if (!(await queries.updateDescription(name, description))) throw notFound(name);
      } else {
        const current = toRole(await require(name));
        if (
          roleVersion(current) !== ifVersion ||
          !(await queries.updateDescriptionIf(name, current.description, description))
        )
          throw new GatehouseError('ERR_PRECONDITION_FAILED', `role ${name} changed since it was read: read it again`);
      }
      await record('admin.role.updated', actor, { role: name, changed: ['description'] });
      return toRole(await require(name));
    },

    /** Removes the role from everyone who holds it, with its permissions; `admin` stays. */
    async remove(name: string, actor: Actor = { by: 'admin' }): Promise<{ name: string; members: number }> {
      const role = await require(name);
      if (role.builtIn)
        throw new GatehouseError('ERR_ROLE_BUILT_IN', `the ${name} role is built in and cannot be removed`);
      const { removed, members } = await queries.deleteUnlessBuiltIn(name);
      if (!removed) throw notFound(name);
      await record('admin.role.removed', actor, { role: name, members });
      return { name, members };
    },

    /** Lets the role's members have `scope` of API `resource`; the API must have that scope. */
    async permit(role: string, resource: string, scope: string, actor: Actor = { by: 'admin' }): Promise<Role> {
      let outcome;
      try {
        outcome = await queries.permit(role, resource, scope);
      } catch (error) {
        if (isMissingReference(error)) throw notFound(role);
        throw error;
      }
      if (outcome === 'no-role') throw notFound(role);
      if (outcome === 'no-resource')
        throw new GatehouseError('ERR_RESOURCE_NOT_FOUND', `no resource with identifier ${resource}`);
      if (outcome === 'no-scope')
        throw new GatehouseError(
          'ERR_ROLE_PERMISSION_INVALID',
          `${resource} has no scope "${scope}" (gatehouse resource list shows its scopes)`,
        );
      if (outcome === 'permitted') await record('admin.role.permitted', actor, { role, resource, scope });
      return toRole(await require(role));
    },

    /** Takes the permission away; members' next token or refresh for the API goes without it. */
    async unpermit(role: string, resource: string, scope: string, actor: Actor = { by: 'admin' }): Promise<Role> {
      await require(role);
      if (!(await queries.unpermit(role, resource, scope)))
        throw new GatehouseError(
          'ERR_ROLE_PERMISSION_NOT_FOUND',
          `role ${role} has no permission for scope "${scope}" of ${resource}`,
        );
      await record('admin.role.unpermitted', actor, { role, resource, scope });
      return toRole(await require(role));
    },
  };
}

export type RoleService = ReturnType<typeof createRoleService>;
