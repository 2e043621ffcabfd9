import { roleVersion, type Role, type RoleService } from '../directory/role-service.js';
import { defineRoute, type AnyApiRoute } from './api-route.js';
import { actorOf } from './client-routes.js';
import { RemovedSchema } from './directory-schemas.js';
import { checkIfMatch, entityTag } from './entity-tag.js';
import {
  NewRoleBody,
  PermissionParams,
  RoleChangesBody,
  RoleListSchema,
  RoleParams,
  RoleSchema,
  roleView,
} from './role-schemas.js';

/** A role's ETag: its name and everything a read shows (roleVersion). */
const roleTag = (role: Role): string => entityTag(role.name, roleVersion(role));

/**
 * `gatehouse role …` over HTTP, through the same RoleService as the CLI. A role's description is
 * its only field changed in place, so PATCH takes If-Match (a compare-and-set in the service);
 * permissions are set operations (PUT adds one, DELETE takes it away) and need none.
 */
export function roleRoutes({ roles }: { readonly roles: RoleService }): AnyApiRoute[] {
  const answer = (role: Role) => ({ body: roleView(role), etag: roleTag(role) });
  const permissionErrors = ['ERR_ROLE_NOT_FOUND'] as const;

  return [
    defineRoute({
      method: 'get',
      path: '/roles',
      operationId: 'listRoles',
      summary: 'List roles by name, with their permissions and member counts',
      tag: 'roles',
      scope: 'admin:read',
      success: { status: 200, description: 'Every role', schema: RoleListSchema },
      errors: [],
      async handle() {
        return { body: { items: (await roles.list()).map(roleView) } };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/roles',
      operationId: 'createRole',
      summary: 'Make a role (it permits nothing until PUT /roles/{name}/permissions/…)',
      description: 'As `gatehouse role add`. Audited as admin.role.added with the calling client.',
      tag: 'roles',
      scope: 'admin:write',
      body: NewRoleBody,
      idempotent: true,
      success: { status: 201, description: 'The new role', schema: RoleSchema, etag: true },
      errors: ['ERR_ROLE_INVALID', 'ERR_ROLE_EXISTS', 'ERR_IDEMPOTENCY_KEY_REUSED', 'ERR_IDEMPOTENCY_IN_PROGRESS'],
      async handle({ body, caller }) {
        const role = await roles.add({ name: body.name, description: body.description }, actorOf(caller));
        return { ...answer(role), location: `/roles/${encodeURIComponent(role.name)}` };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/roles/{name}',
      operationId: 'getRole',
      summary: 'Read one role, with its permissions and member count',
      tag: 'roles',
      scope: 'admin:read',
      params: RoleParams,
      success: { status: 200, description: 'The role', schema: RoleSchema, etag: true },
      errors: ['ERR_ROLE_NOT_FOUND'],
      async handle({ params }) {
        return answer(await roles.read(params.name));
      },
    }),

    defineRoute({
      method: 'patch',
      path: '/roles/{name}',
      operationId: 'updateRole',
      summary: "Change a role's description",
      description: 'As `gatehouse role update`. A role is never renamed: tokens and permissions refer to its name.',
      tag: 'roles',
      scope: 'admin:write',
      params: RoleParams,
      body: RoleChangesBody,
      ifMatch: 'required',
      success: { status: 200, description: 'The role as changed', schema: RoleSchema, etag: true },
      errors: ['ERR_ROLE_NOT_FOUND', 'ERR_ROLE_INVALID', 'ERR_PRECONDITION_FAILED', 'ERR_PRECONDITION_REQUIRED'],
      async handle({ params, body, caller, ifMatch }) {
        const current = await roles.read(params.name);
        checkIfMatch(ifMatch, roleTag(current), true);
        const role = await roles.update(params.name, { description: body.description }, actorOf(caller), {
          ifVersion: roleVersion(current),
        });
        return answer(role);
      },
    }),

    defineRoute({
      method: 'delete',
      path: '/roles/{name}',
      operationId: 'deleteRole',
      summary: 'Remove a role from everyone who holds it, with its permissions',
      description:
        'As `gatehouse role remove`. Tokens already issued keep what they carry until they expire. ' +
        'The built-in admin role cannot be removed (409 ERR_ROLE_BUILT_IN).',
      tag: 'roles',
      scope: 'admin:write',
      params: RoleParams,
      success: { status: 200, description: 'Removed', schema: RemovedSchema },
      errors: ['ERR_ROLE_NOT_FOUND', 'ERR_ROLE_BUILT_IN'],
      async handle({ params, caller }) {
        const removed = await roles.remove(params.name, actorOf(caller));
        return { body: { ...removed, removed: true } };
      },
    }),

    defineRoute({
      method: 'put',
      path: '/roles/{name}/permissions/{resource}/{scope}',
      operationId: 'permitRole',
      summary: "Let a role's members have one scope of an API (idempotent)",
      description:
        'As `gatehouse role permit`. The API must have the scope. For an API with RBAC on, members get it in their next token.',
      tag: 'roles',
      scope: 'admin:write',
      params: PermissionParams,
      success: { status: 200, description: 'The role with the permission', schema: RoleSchema, etag: true },
      errors: [...permissionErrors, 'ERR_RESOURCE_NOT_FOUND', 'ERR_ROLE_PERMISSION_INVALID'],
      async handle({ params, caller }) {
        return answer(await roles.permit(params.name, params.resource, params.scope, actorOf(caller)));
      },
    }),

    defineRoute({
      method: 'delete',
      path: '/roles/{name}/permissions/{resource}/{scope}',
      operationId: 'unpermitRole',
      summary: 'Take one permission away from a role',
      description: "As `gatehouse role unpermit`. Members' next token or refresh for the API goes without it.",
      tag: 'roles',
      scope: 'admin:write',
      params: PermissionParams,
      success: { status: 200, description: 'The role without the permission', schema: RoleSchema, etag: true },
      errors: [...permissionErrors, 'ERR_ROLE_PERMISSION_NOT_FOUND'],
      async handle({ params, caller }) {
        return answer(await roles.unpermit(params.name, params.resource, params.scope, actorOf(caller)));
      },
    }),
  ];
}
