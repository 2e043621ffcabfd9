import { z } from 'zod';
import { ATTRIBUTE_TYPES, type AttributeDefinition } from '../directory/attribute-value.js';
import type { ClaimScope } from '../directory/claim-scope-service.js';
import type { Group } from '../directory/group-service.js';
import type { PersonEntry } from '../directory/person-entry-service.js';
import { directoryName } from './role-schemas.js';

const description = z.string().max(500).meta({ description: 'One line of plain text' });
const names = z.array(directoryName).max(100);

/** Lists of what operators declare are small: they come whole, without pages. */
const listOf = <T extends z.ZodType>(item: T, id: string) => z.object({ items: z.array(item) }).meta({ id });

export const NameParams = z.strictObject({ name: z.string().min(1).max(64) });

// Groups: flat sets of people, released in the `groups` claim.

export const GroupSchema = z
  .object({ name: z.string(), description: z.string(), members: z.number().int(), created_at: z.string() })
  .meta({ id: 'Group' });
export const groupView = (g: Group): z.infer<typeof GroupSchema> => ({
  name: g.name,
  description: g.description,
  members: g.members,
  created_at: g.createdAt,
});
export const GroupListSchema = listOf(GroupSchema, 'GroupList');
export const NewGroupBody = z
  .strictObject({ name: directoryName, description: description.optional() })
  .meta({ id: 'NewGroup' });

/** What a removal answers: the name, and how many held it (roles, groups) or its stored values (attributes). */
export const RemovedSchema = z
  .object({
    name: z.string(),
    members: z.number().int().optional(),
    values: z.number().int().optional(),
    scopes: z.array(z.string()).optional().meta({ description: 'The claim scopes it was taken out of' }),
    removed: z.literal(true),
  })
  .meta({ id: 'Removed' });

// Declared attributes (`gatehouse attribute add`).

const enumValue = z.union([z.string().max(1024), z.number()]);

export const AttributeSchema = z
  .object({
    name: z.string(),
    type: z.enum(ATTRIBUTE_TYPES),
    pattern: z.string().nullable().meta({ description: 'Matched against the whole of every string (or item)' }),
    enum: z.array(enumValue).nullable().meta({ description: 'The only values allowed (items, for a string_list)' }),
    self_editable: z.boolean().meta({ description: 'People change their own value in their account console' }),
    description: z.string(),
  })
  .meta({ id: 'Attribute' });
export const attributeView = (a: AttributeDefinition): z.infer<typeof AttributeSchema> => ({
  name: a.name,
  type: a.type,
  pattern: a.pattern,
  enum: a.allowed === null ? null : [...a.allowed],
  self_editable: a.selfEditable,
  description: a.description,
});
export const AttributeListSchema = listOf(AttributeSchema, 'AttributeList');
export const NewAttributeBody = z
  .strictObject({
    name: z.string().min(1).max(64).meta({ description: 'Lower-case letters, digits or _; becomes the claim name' }),
    type: z.enum(ATTRIBUTE_TYPES),
    pattern: z.string().max(500).optional().meta({ description: 'For string and string_list' }),
    enum: z.array(enumValue).max(100).optional(),
    self_editable: z.boolean().optional().meta({ description: 'Default false' }),
    description: description.optional(),
  })
  .meta({ id: 'NewAttribute' });

// Claim scopes (`gatehouse scope add`): custom OpenID scopes releasing claims (OIDC Core §5.4).

export const ClaimScopeSchema = z
  .object({ name: z.string(), claims: z.array(z.string()), description: z.string(), created_at: z.string() })
  .meta({ id: 'ClaimScope' });
export const claimScopeView = (s: ClaimScope): z.infer<typeof ClaimScopeSchema> => ({
  name: s.name,
  claims: [...s.claims],
  description: s.description,
  created_at: s.createdAt,
});
export const ClaimScopeListSchema = listOf(ClaimScopeSchema, 'ClaimScopeList');
export const NewClaimScopeBody = z
  .strictObject({
    name: directoryName,
    claims: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(100)
      .meta({ description: 'Declared attributes, standard claims we hold, roles or groups' }),
    description: description.optional(),
  })
  .meta({ id: 'NewClaimScope' });

// A person's place in the directory (`gatehouse user show` / `user update --add-role … --set …`).

const attributeValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

export const PersonDirectorySchema = z
  .object({
    id: z.string(),
    email: z.string(),
    roles: z.array(z.string()),
    groups: z.array(z.string()),
    attributes: z.record(z.string(), attributeValue).meta({ description: 'Declared attribute → value' }),
    claims: z
      .record(z.string(), z.union([z.string(), z.boolean()]))
      .meta({ description: 'The standard profile claims held (OIDC Core §5.1)' }),
  })
  .meta({ id: 'PersonDirectory' });
export const personDirectoryView = (entry: PersonEntry): z.infer<typeof PersonDirectorySchema> => ({
  id: entry.account.id,
  email: entry.account.email,
  roles: [...entry.roles],
  groups: [...entry.groups],
  attributes: Object.fromEntries(
    Object.entries(entry.attributes).map(([name, value]) => [name, Array.isArray(value) ? [...value] : value]),
  ) as Record<string, z.infer<typeof attributeValue>>,
  claims: entry.claims,
});

export const PersonDirectoryChangesBody = z
  .strictObject({
    add_roles: names.optional(),
    remove_roles: names.optional(),
    add_groups: names.optional(),
    remove_groups: names.optional(),
    set: z
      .record(z.string().min(1).max(64), attributeValue)
      .optional()
      .meta({
        description:
          'Declared attribute or standard claim → value. A string is read as `--set` reads it (a number, true/false, ' +
          'a comma-separated list); a JSON number, boolean or array is checked as it is.',
      }),
    unset: z.array(z.string().min(1).max(64)).max(100).optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined && Object.keys(v).length > 0), {
    message: 'nothing to change: give add_roles, remove_roles, add_groups, remove_groups, set or unset',
  })
  .meta({ id: 'PersonDirectoryChanges' });
