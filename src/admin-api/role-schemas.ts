import { z } from 'zod';
import type { Role } from '../directory/role-service.js';

/** A role's names travel in `roles` claims and permissions; see directory-names.ts for the rule. */
export const directoryName = z
  .string()
  .min(1)
  .max(64)
  .meta({ description: '1 to 64 letters, digits or _ . : - (starting with a letter or digit)' });

const description = z.string().max(500).meta({ description: 'One line of plain text' });

export const PermissionSchema = z
  .object({
    resource: z.string().meta({ description: "The API's identifier (RFC 8707)" }),
    scope: z.string(),
  })
  .meta({ id: 'Permission' });

/** A role: a named set of permissions, each a scope of a registered API (README "Roles and claims"). */
export const RoleSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    built_in: z.boolean().meta({ description: 'The admin role: never removed' }),
    permissions: z.array(PermissionSchema),
    members: z.number().int().meta({ description: 'How many people hold it' }),
    created_at: z.string(),
  })
  .meta({ id: 'Role' });

export const roleView = (role: Role): z.infer<typeof RoleSchema> => ({
  name: role.name,
  description: role.description,
  built_in: role.builtIn,
  permissions: role.permissions.map((p) => ({ resource: p.resource, scope: p.scope })),
  members: role.members,
  created_at: role.createdAt,
});

/** Operator-declared lists are small: they come whole, without pages. */
export const RoleListSchema = z.object({ items: z.array(RoleSchema) }).meta({ id: 'RoleList' });

export const RoleParams = z.strictObject({ name: directoryName });
export const PermissionParams = z.strictObject({
  name: directoryName,
  resource: z.string().min(1).max(2000).meta({ description: "The API's identifier, percent-encoded in the path" }),
  scope: z.string().min(1).max(200).meta({ description: 'One of the API’s scopes' }),
});

/** `gatehouse role add`'s options, as JSON. */
export const NewRoleBody = z.strictObject({ name: directoryName, description: description.optional() }).meta({
  id: 'NewRole',
});

/** `gatehouse role update --description`: a role's name never changes (tokens and permissions refer to it). */
export const RoleChangesBody = z.strictObject({ description }).meta({ id: 'RoleChanges' });
