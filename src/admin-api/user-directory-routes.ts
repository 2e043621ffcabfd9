import type { PersonEntryService } from '../directory/person-entry-service.js';
import { defineRoute, type AnyApiRoute } from './api-route.js';
import { actorOf } from './client-routes.js';
import { PersonDirectoryChangesBody, PersonDirectorySchema, personDirectoryView } from './directory-schemas.js';
import { UserIdParams } from './user-schemas.js';

/**
 * A person's place in the directory (`gatehouse user show` / `user update --add-role … --set …`),
 * through the same PersonEntryService. PATCH is a list of set operations (add or remove these
 * names, set or unset these attributes), each meaning the same whatever was read before, so it
 * takes no If-Match: there is no read-modify-write of the whole entry whose update could be lost.
 */
export function userDirectoryRoutes({ personEntries }: { readonly personEntries: PersonEntryService }): AnyApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/users/{id}/directory',
      operationId: 'getUserDirectory',
      summary: "A user's roles, groups, declared attribute values and profile claims",
      tag: 'users',
      scope: 'admin:read',
      params: UserIdParams,
      success: { status: 200, description: 'The directory entry', schema: PersonDirectorySchema },
      errors: ['ERR_ACCOUNT_NOT_FOUND'],
      async handle({ params }) {
        return { body: personDirectoryView(await personEntries.showById(params.id)) };
      },
    }),

    defineRoute({
      method: 'patch',
      path: '/users/{id}/directory',
      operationId: 'updateUserDirectory',
      summary: "Add or remove a user's roles and groups, set or unset attributes and profile claims",
      description:
        'As `gatehouse user update --add-role … --set …`: all or nothing. A refused value names its attribute ' +
        '(400 ERR_ATTRIBUTE_INVALID); an unknown role, group or attribute is 404. A new phone_number is unverified ' +
        'unless phone_number_verified is set with it. Audited as admin.user.directory_changed (names, not values).',
      tag: 'users',
      scope: 'admin:write',
      params: UserIdParams,
      body: PersonDirectoryChangesBody,
      success: { status: 200, description: 'The directory entry as changed', schema: PersonDirectorySchema },
      errors: [
        'ERR_ACCOUNT_NOT_FOUND',
        'ERR_ROLE_NOT_FOUND',
        'ERR_GROUP_NOT_FOUND',
        'ERR_ATTRIBUTE_NOT_FOUND',
        'ERR_ATTRIBUTE_INVALID',
      ],
      async handle({ params, body, caller }) {
        const entry = await personEntries.updateById(
          params.id,
          {
            addRoles: body.add_roles,
            removeRoles: body.remove_roles,
            addGroups: body.add_groups,
            removeGroups: body.remove_groups,
            set: body.set,
            unset: body.unset,
          },
          actorOf(caller),
        );
        return { body: personDirectoryView(entry) };
      },
    }),
  ];
}
