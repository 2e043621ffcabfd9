import { z } from 'zod';
import {
  MAX_ACCESS_TOKEN_TTL,
  MIN_ACCESS_TOKEN_TTL,
  TOKEN_CLAIMS,
  TOKEN_FORMATS,
  type Resource,
} from '../resources/resource-service.js';
import { MAX_RESOURCE_NAME, MAX_SCOPE_DESCRIPTION } from '../resources/scope-descriptions.js';
import { pageOf, pageQuery } from './common-schemas.js';
import { scopeToken } from './client-schemas.js';

/**
 * An API (resource server, RFC 8707) as the management API shows it, never its client's secret.
 * A new setting of a resource is one more property here, in ResourceChangesBody and in resourceView.
 */
export const ResourceSchema = z
  .object({
    identifier: z.string().meta({ description: 'What clients send as `resource` and tokens carry as `aud`' }),
    scopes: z.array(z.string()),
    token_format: z.enum(TOKEN_FORMATS),
    access_token_ttl: z.number().int(),
    client_id: z.string().meta({ description: "The API's own client, for the introspection endpoint" }),
    rbac: z
      .boolean()
      .meta({ description: "Role-based access control: a person's token carries only what their roles permit" }),
    token_claims: z
      .array(z.enum(TOKEN_CLAIMS))
      .meta({ description: 'Person claims its access tokens carry besides scope (some of roles, groups)' }),
    dynamic_clients: z.boolean().meta({
      description: 'Open to apps that registered themselves or came by a metadata document (never the management API)',
    }),
    dynamic_scopes: z
      .array(z.string())
      .meta({ description: 'The most such apps may get of its scopes (the ceiling); all of them unless narrowed' }),
    name: z.string().nullable().meta({
      description: 'What people see for the API on consent and among their connected apps; null: the identifier',
    }),
    scope_descriptions: z
      .record(z.string(), z.string())
      .meta({ description: 'Scope → what it lets an app do, as people read it ("Read your notes")' }),
    built_in: z.boolean().meta({ description: 'The management API itself: never removed, its scopes fixed' }),
    created_at: z.string(),
  })
  .meta({ id: 'Resource' });

export const resourceView = (r: Resource, builtIn: string): z.infer<typeof ResourceSchema> => ({
  identifier: r.identifier,
  scopes: r.scopes,
  token_format: r.tokenFormat,
  access_token_ttl: r.accessTokenTtl,
  client_id: r.clientId,
  rbac: r.rbac,
  token_claims: r.tokenClaims,
  dynamic_clients: r.dynamicClients,
  dynamic_scopes: r.dynamicScopes,
  name: r.name ?? null,
  scope_descriptions: r.scopeDescriptions,
  built_in: r.identifier === builtIn,
  created_at: r.createdAt,
});

export const ResourcePageSchema = pageOf(ResourceSchema, 'ResourcePage');
export const ResourceListQuery = z.strictObject({ ...pageQuery });
export const ResourceParams = z.strictObject({
  identifier: z.string().min(1).max(2000).meta({ description: "The API's identifier, percent-encoded in the path" }),
});

const scopes = z.array(scopeToken).min(1).max(100);
const ttl = z
  .number()
  .int()
  .min(MIN_ACCESS_TOKEN_TTL)
  .max(MAX_ACCESS_TOKEN_TTL)
  .meta({ description: 'Seconds an access token for it lives' });
const rbac = z.boolean().meta({
  description: "Role-based access control (default false): a person's token carries only the scopes their roles permit",
});
const tokenClaims = z
  .array(z.enum(TOKEN_CLAIMS))
  .max(TOKEN_CLAIMS.length)
  .meta({ description: 'Person claims its access tokens carry besides scope; replaces the list, [] clears it' });

const dynamicClients = z.boolean().meta({
  description: 'Open to apps that registered themselves or came by a metadata document (default false)',
});
const dynamicScopes = z
  .array(scopeToken)
  .max(100)
  .meta({ description: "The ceiling for such apps, among the API's scopes; [] (default) means all of them" });

const name = z
  .string()
  .max(MAX_RESOURCE_NAME)
  .meta({ description: 'What people see for the API ("Notes API"); "" clears it' });
const scopeDescriptions = z
  .record(scopeToken, z.string().max(MAX_SCOPE_DESCRIPTION))
  .refine((map) => Object.keys(map).length <= 100, { message: 'at most 100 scope descriptions' })
  .meta({
    description:
      'Scope → what it lets an app do ("Read your notes"), for the API\'s own scopes; merged on change, "" removes one',
  });

/** `gatehouse resource add`'s options, as JSON. */
export const NewResourceBody = z
  .strictObject({
    identifier: z
      .string()
      .min(1)
      .max(2000)
      .meta({ description: 'An absolute https URL (http only for localhost) without a fragment' }),
    scopes,
    token_format: z.enum(TOKEN_FORMATS).optional().meta({ description: 'Default jwt (RFC 9068)' }),
    access_token_ttl: ttl.optional(),
    rbac: rbac.optional(),
    token_claims: tokenClaims.optional(),
    dynamic_clients: dynamicClients.optional(),
    dynamic_scopes: dynamicScopes.optional(),
    name: name.optional(),
    scope_descriptions: scopeDescriptions.optional(),
  })
  .meta({ id: 'NewResource' });

/** `gatehouse resource update`'s options: only what is given changes; `scopes` replaces them all. */
export const ResourceChangesBody = z
  .strictObject({
    scopes: scopes.optional(),
    token_format: z.enum(TOKEN_FORMATS).optional(),
    access_token_ttl: ttl.optional(),
    rbac: rbac.optional(),
    token_claims: tokenClaims.optional(),
    dynamic_clients: dynamicClients.optional(),
    dynamic_scopes: dynamicScopes.optional(),
    name: name.optional(),
    scope_descriptions: scopeDescriptions.optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message:
      'nothing to change: give scopes, token_format, access_token_ttl, rbac, token_claims, dynamic_clients, dynamic_scopes, name or scope_descriptions',
  })
  .meta({ id: 'ResourceChanges' });

export const CreatedResourceSchema = ResourceSchema.extend({
  client_secret: z.string().meta({
    description:
      "The API's own client's secret, for introspection: in this answer only (and a replay under the same Idempotency-Key)",
  }),
}).meta({ id: 'CreatedResource' });

export const RemovedResourceSchema = z
  .object({ identifier: z.string(), client_id: z.string(), removed: z.literal(true) })
  .meta({ id: 'RemovedResource' });
