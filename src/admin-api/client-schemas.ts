import { z } from 'zod';
import {
  APPLICATION_TYPES,
  AUTH_METHODS,
  ID_TOKEN_ALGS,
  RESPONSE_TYPES,
  type ClientSummary,
} from '../clients/client-service.js';
import { PKCE_MODES } from '../clients/client-pkce.js';
import { MFA_MODES } from '../mfa/mfa-mode.js';
import { pageOf, pageQuery } from './common-schemas.js';

/** Bounds on what a client's lists may hold: far above any real client, far below a body's limit. */
const uri = z.string().min(1).max(2000);
const uris = z.array(uri).max(100);
/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
export const scopeToken = z
  .string()
  .regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/, 'a scope is 1 to 128 characters, no spaces, quotes or backslashes');

/** A client as the API shows it (client-summary.ts): every URI kind and policy, never its secret. */
export const ClientSchema = z
  .object({
    client_id: z.string(),
    client_name: z.string(),
    redirect_uris: z.array(z.string()),
    post_logout_redirect_uris: z.array(z.string()),
    backchannel_logout_uri: z.string().optional(),
    web_origins: z
      .array(z.string())
      .meta({ description: "Origins a public client's browser may call from (CORS); empty for confidential ones" }),
    grant_types: z.array(z.string()),
    response_types: z.array(z.string()),
    token_endpoint_auth_method: z.string(),
    application_type: z.string(),
    first_party: z.boolean(),
    require_mfa: z.boolean(),
    mfa_policy: z.enum([...MFA_MODES, 'default']),
    pkce: z.enum(PKCE_MODES),
    resources: z
      .record(z.string(), z.array(z.string()))
      .meta({ description: 'The APIs it may ask tokens for (RFC 8707), each with the scopes granted' }),
    created_at: z.string().optional(),
    logo_uri: z.string().optional(),
    policy_uri: z.string().optional(),
    tos_uri: z.string().optional(),
    client_uri: z.string().optional(),
  })
  .meta({ id: 'Client' });

export const clientView = (c: ClientSummary): z.infer<typeof ClientSchema> => ({
  ...c,
  resources: Object.fromEntries(Object.entries(c.resources).map(([uri, scopes]) => [uri, [...scopes]])),
});

export const ClientPageSchema = pageOf(ClientSchema, 'ClientPage');
export const ClientListQuery = z.strictObject({ ...pageQuery });
export const ClientIdParams = z.strictObject({ id: z.string().min(1).max(200) });
export const ClientGrantParams = z.strictObject({
  id: z.string().min(1).max(200),
  resource: uri.meta({ description: "The API's identifier, percent-encoded in the path" }),
});

const settings = {
  redirect_uris: uris.optional().meta({ description: 'Matched exactly; a list given replaces the whole list' }),
  post_logout_redirect_uris: uris.optional(),
  grant_types: z.array(z.string().min(1).max(200)).max(10).optional(),
  response_types: z.array(z.enum(RESPONSE_TYPES)).max(2).optional(),
  resources: z
    .array(uri)
    .max(100)
    .optional()
    .meta({ description: 'APIs (resource identifiers) it may ask tokens for, each with all its scopes' }),
  allowed_origins: uris
    .optional()
    .meta({ description: "Browser origins of a public client, in place of its redirect URIs' origins" }),
  pkce: z.enum(PKCE_MODES).optional().meta({ description: '`optional` only for confidential clients' }),
  first_party: z.boolean().optional().meta({ description: 'Skips the consent screen' }),
};

/** A link the consent page shows (src/clients/client-links.ts): https only, refused here naming its field. */
const link = uri.refine((value) => URL.parse(value)?.protocol === 'https:', { message: 'must be an https URL' });
const links = {
  logo_uri: link.optional().meta({ description: 'The logo shown on the consent page (https)' }),
  policy_uri: link.optional().meta({ description: 'Its privacy policy, linked from the consent page (https)' }),
  tos_uri: link.optional().meta({ description: 'Its terms of service, linked from the consent page (https)' }),
  client_uri: link.optional().meta({ description: 'Its home page, linked from the consent page (https)' }),
};
const linkChanges = Object.fromEntries(
  Object.entries(links).map(([field, schema]) => [field, z.union([schema, z.literal('')])]),
) as { [K in keyof typeof links]: z.ZodUnion<[(typeof links)[K], z.ZodLiteral<''>]> };

/** `gatehouse client add`'s options, as JSON: the same choices, checked by the same service. */
export const NewClientBody = z
  .strictObject({
    client_name: z.string().min(1).max(200),
    ...settings,
    token_endpoint_auth_method: z
      .enum(AUTH_METHODS)
      .optional()
      .meta({ description: 'Default client_secret_basic; `none` (public clients) gets no secret' }),
    jwks_uri: uri.optional().meta({ description: 'Required for private_key_jwt' }),
    backchannel_logout_uri: uri.optional(),
    application_type: z.enum(APPLICATION_TYPES).optional(),
    id_token_signed_response_alg: z.enum(ID_TOKEN_ALGS).optional(),
    mfa_policy: z.enum(MFA_MODES).optional().meta({ description: 'Unset: the server-wide MFA_POLICY' }),
    ...links,
  })
  .meta({ id: 'NewClient' });

/** `gatehouse client update`'s options: only what is given changes. */
export const ClientChangesBody = z
  .strictObject({
    client_name: z.string().min(1).max(200).optional(),
    ...settings,
    mfa_policy: z
      .enum([...MFA_MODES, 'default'])
      .optional()
      .meta({ description: '`default` follows MFA_POLICY' }),
    // "" removes a link.
    ...linkChanges,
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'nothing to change: give at least one setting',
  })
  .meta({ id: 'ClientChanges' });

export const CreatedClientSchema = ClientSchema.extend({
  client_secret: z
    .string()
    .optional()
    .meta({ description: 'Shown in this answer only (and in a replay of it under the same Idempotency-Key)' }),
}).meta({ id: 'CreatedClient' });

export const ClientSecretSchema = z
  .object({
    client_id: z.string(),
    client_secret: z.string().meta({ description: 'Shown in this answer only; the old secret no longer works' }),
  })
  .meta({ id: 'ClientSecret' });

export const RemovedClientSchema = z
  .object({
    client_id: z.string(),
    removed: z.literal(true),
    revoked: z.number().int().meta({ description: 'How many grants, codes and tokens of it were revoked' }),
  })
  .meta({ id: 'RemovedClient' });

export const GrantBody = z
  .strictObject({
    scopes: z
      .array(scopeToken)
      .min(1)
      .max(100)
      .optional()
      .meta({ description: "Some of the API's scopes; without it, all of them" }),
  })
  .meta({ id: 'GrantChange' });

export const GrantSchema = z
  .object({ client_id: z.string(), resource: z.string(), scopes: z.array(z.string()) })
  .meta({ id: 'ClientGrant' });
