import { randomBytes } from 'node:crypto';
import type { ClientMetadata } from 'oidc-provider';
import type { OidcRecordQueries } from '../db/oidc-record-queries.js';
import { hashClientSecret, newClientSecret } from './client-secret.js';
import type { MfaMode } from '../mfa/mfa-mode.js';
import { clientMfaMode } from './client-mfa-mode.js';
import { RESOURCE_GRANTS, resourceGrantsOf, type ResourceGrants } from './resource-grants.js';
import { revokeClientTokens } from './revoke-client-tokens.js';
import { assertClientUrisAllowed } from './redirect-uri-policy.js';
import { ALLOWED_ORIGINS, webOriginsOf } from './web-origins.js';
import { PKCE_REQUIRED, clientPkceMode, type PkceMode } from './client-pkce.js';
import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';

export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];
/** OIDC Registration §2: `native` apps may use loopback redirects on any port (RFC 8252 §7.3). */
export const APPLICATION_TYPES = ['web', 'native'] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];
/** The ID token signature algorithms we hold keys for (see key-service.ts). */
export const ID_TOKEN_ALGS = ['RS256', 'ES256'] as const;
export type IdTokenAlg = (typeof ID_TOKEN_ALGS)[number];

/** What an authorization request may ask for: a code (the default), or an ID token alone (OIDC Core §3.2). */
export const RESPONSE_TYPES = ['code', 'id_token'] as const;
export type ResponseType = (typeof RESPONSE_TYPES)[number];

export interface NewClient {
  readonly name: string;
  readonly redirectUris?: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly grantTypes?: readonly string[];
  readonly authMethod?: AuthMethod;
  readonly firstParty?: boolean;
  readonly requireMfa?: boolean;
  /** The client's own second-step policy; `requireMfa` is the same as `always`. Unset: the global MFA_POLICY. */
  readonly mfaPolicy?: MfaMode;
  readonly jwksUri?: string;
  readonly backchannelLogoutUri?: string;
  /** Defaults to `web`: redirect URIs must then match exactly, port included. */
  readonly applicationType?: ApplicationType;
  /** Defaults to RS256 (the provider's clientDefaults). */
  readonly idTokenAlg?: IdTokenAlg;
  /**
   * No grant types and no response types: the client can only authenticate at the introspection
   * and revocation endpoints (a resource server's own credentials, RFC 7662 §2.1).
   */
  readonly noGrants?: boolean;
  /** APIs (resource identifiers) the client may ask tokens for, each with all of its scopes. */
  readonly resources?: readonly string[];
  /** Browser origins a public client may call the token, userinfo and revocation endpoints from (default: its redirect URIs'). */
  readonly allowedOrigins?: readonly string[];
  /** Defaults to `code`; `id_token` (form_post apps such as express-openid-connect) adds the implicit grant type. */
  readonly responseTypes?: readonly ResponseType[];
  /** Defaults to `required`; `optional` only for confidential clients (client-pkce.ts). */
  readonly pkce?: PkceMode;
}

/** What `client update` may change; a list given replaces the whole list. The client id never changes. */
export interface ClientChanges {
  readonly name?: string;
  readonly redirectUris?: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly grantTypes?: readonly string[];
  readonly responseTypes?: readonly ResponseType[];
  /** The APIs it may ask tokens for, each with all of its scopes, in place of its current grants. */
  readonly resources?: readonly string[];
  readonly allowedOrigins?: readonly string[];
  readonly pkce?: PkceMode;
  readonly mfaPolicy?: MfaMode | 'default';
  readonly firstParty?: boolean;
}

/**
 * Grant types and response types that agree: `code` needs authorization_code, `id_token` the
 * implicit grant type (OIDC Registration §2). Without response types, a client with the
 * authorization_code grant gets `code`; without grant types, those its response types need, or
 * authorization_code.
 */
function flows(
  grantTypes: readonly string[] | undefined,
  responseTypes: readonly ResponseType[] | undefined,
): Pick<ClientMetadata, 'grant_types' | 'response_types'> {
  const responses = responseTypes?.length ? [...new Set(responseTypes)] : undefined;
  const grants = new Set(
    grantTypes?.length ? grantTypes : responses && !responses.includes('code') ? [] : ['authorization_code'],
  );
  const response_types: string[] = responses ?? (grants.has('authorization_code') ? ['code'] : []);
  if (response_types.includes('code')) grants.add('authorization_code');
  if (response_types.includes('id_token')) grants.add('implicit');
  return { grant_types: [...grants], response_types: response_types as ClientMetadata['response_types'] };
}

/** What the client service needs to know of a registered API (resource-service.ts). */
export interface GrantableResource {
  readonly identifier: string;
  readonly scopes: readonly string[];
}
export type FindResource = (identifier: string) => Promise<GrantableResource | undefined>;

export interface ClientSummary {
  readonly client_id: string;
  readonly client_name: string;
  readonly redirect_uris: string[];
  readonly post_logout_redirect_uris: string[];
  readonly backchannel_logout_uri?: string;
  /** Where a public client's browser calls may come from (CORS); empty for confidential clients. */
  readonly web_origins: string[];
  readonly grant_types: string[];
  readonly token_endpoint_auth_method: string;
  readonly first_party: boolean;
  readonly require_mfa: boolean;
  /** off, adaptive or always; `default` follows MFA_POLICY. */
  readonly mfa_policy: MfaMode | 'default';
  /** The APIs it may ask tokens for, with the scopes of each (RFC 8707). */
  readonly resources: ResourceGrants;
  readonly response_types: string[];
  readonly pkce: PkceMode;
  readonly application_type: string;
  readonly created_at?: string;
}

/** Clients live in the provider's own `Client` model, so oidc-provider reads them as registered. */
const MODEL = 'Client';

/**
 * 128 random bits, URL-safe, never starting with `-`: operators pass it as `--client-id ID`, and
 * the CLI's parser would take a leading dash for an option (one id in 64 otherwise).
 */
function newClientId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

const SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post']);

/** RFC 6749 §3.3: space-delimited. */
const splitScope = (scope: string) => [...new Set(scope.split(/\s+/).filter(Boolean))];

/** What the CLI shows of a client: every URI kind and policy, never its secret. */
function summarize(id: string, m: ClientMetadata, createdAt: Date | undefined): ClientSummary {
  return {
    client_id: id,
    client_name: String(m.client_name ?? ''),
    redirect_uris: [...(m.redirect_uris ?? [])],
    post_logout_redirect_uris: [...(m.post_logout_redirect_uris ?? [])],
    ...(m.backchannel_logout_uri ? { backchannel_logout_uri: String(m.backchannel_logout_uri) } : {}),
    web_origins: m.token_endpoint_auth_method === 'none' ? webOriginsOf(m) : [],
    grant_types: [...(m.grant_types ?? [])],
    token_endpoint_auth_method: m.token_endpoint_auth_method ?? 'client_secret_basic',
    first_party: Boolean(m.first_party),
    require_mfa: Boolean(m.require_mfa),
    mfa_policy: clientMfaMode(m) ?? 'default',
    resources: resourceGrantsOf(m),
    response_types: [...(m.response_types ?? [])],
    pkce: clientPkceMode(m),
    application_type: String(m.application_type ?? 'web'),
    ...(createdAt ? { created_at: createdAt.toISOString() } : {}),
  };
}

export function createClientService(
  records: OidcRecordQueries,
  validate: (metadata: ClientMetadata) => Promise<unknown>,
  findResource: FindResource,
  clock: Clock,
) {
  const check = async (metadata: ClientMetadata) => {
    try {
      await validate(metadata);
    } catch (error) {
      const e = error as { error_description?: string; message?: string };
      throw new GatehouseError('ERR_CLIENT_INVALID', e.error_description ?? e.message ?? 'invalid client metadata');
    }
  };

  const load = async (clientId: string): Promise<ClientMetadata> => {
    const row = await records.findLive(MODEL, clientId, new Date(clock()));
    if (!row) throw new GatehouseError('ERR_CLIENT_NOT_FOUND', `no client with id ${clientId}`);
    return JSON.parse(row.payload) as ClientMetadata;
  };

  const save = async (metadata: ClientMetadata) => {
    await check(metadata);
    if (!(await records.replacePayload(MODEL, metadata.client_id, JSON.stringify(metadata)))) {
      throw new GatehouseError('ERR_CLIENT_NOT_FOUND', `no client with id ${metadata.client_id}`);
    }
  };

  /** The scopes of a registered API to grant: all of them, or those named (each must be the API's). */
  const grantable = async (identifier: string, scope?: string): Promise<[string, string[]]> => {
    const resource = await findResource(identifier);
    if (!resource)
      throw new GatehouseError(
        'ERR_CLIENT_INVALID',
        `no resource with identifier ${identifier} (see gatehouse resource list)`,
      );
    if (scope === undefined) return [resource.identifier, [...resource.scopes]];
    const scopes = splitScope(scope);
    if (scopes.length === 0) throw new GatehouseError('ERR_CLIENT_INVALID', 'scope must name at least one scope');
    const unknown = scopes.filter((s) => !resource.scopes.includes(s));
    if (unknown.length)
      throw new GatehouseError(
        'ERR_CLIENT_INVALID',
        `${identifier} has no scope ${unknown.join(', ')}; it has ${resource.scopes.join(' ')}`,
      );
    return [resource.identifier, scopes];
  };

  /** The metadata with these grants; none at all leaves the property out. */
  const withGrants = (metadata: ClientMetadata, grants: ResourceGrants): ClientMetadata => {
    const { [RESOURCE_GRANTS]: _previous, ...rest } = metadata;
    return (Object.keys(grants).length ? { ...rest, [RESOURCE_GRANTS]: grants } : rest) as ClientMetadata;
  };

  const without = (grants: ResourceGrants, identifier: string): ResourceGrants =>
    Object.fromEntries(Object.entries(grants).filter(([key]) => key !== identifier));

  return {
    async add(input: NewClient): Promise<{ client_id: string; client_secret?: string }> {
      const grants: Record<string, string[]> = {};
      for (const identifier of input.resources ?? []) {
        const [key, scopes] = await grantable(identifier);
        grants[key] = scopes;
      }
      const authMethod = input.authMethod ?? 'client_secret_basic';
      const protocol = input.noGrants
        ? { grant_types: [], response_types: [] }
        : flows(input.grantTypes, input.responseTypes);
      const metadata: ClientMetadata = {
        client_id: newClientId(),
        client_name: input.name,
        client_id_issued_at: Math.floor(clock() / 1000),
        ...protocol,
        redirect_uris: [...(input.redirectUris ?? [])],
        post_logout_redirect_uris: [...(input.postLogoutRedirectUris ?? [])],
        token_endpoint_auth_method: authMethod,
        first_party: Boolean(input.firstParty),
        require_mfa: Boolean(input.requireMfa) || input.mfaPolicy === 'always',
        ...(input.mfaPolicy || input.requireMfa ? { mfa_policy: input.mfaPolicy ?? 'always' } : {}),
        ...(input.jwksUri ? { jwks_uri: input.jwksUri } : {}),
        // Logout tokens always carry `sid` (Back-Channel Logout §2.4), so an RP can end just that session.
        ...(input.backchannelLogoutUri
          ? { backchannel_logout_uri: input.backchannelLogoutUri, backchannel_logout_session_required: true }
          : {}),
        ...(input.applicationType ? { application_type: input.applicationType } : {}),
        ...(input.idTokenAlg ? { id_token_signed_response_alg: input.idTokenAlg } : {}),
        ...(Object.keys(grants).length ? { [RESOURCE_GRANTS]: grants } : {}),
        ...(input.allowedOrigins?.length ? { [ALLOWED_ORIGINS]: [...input.allowedOrigins] } : {}),
        ...(input.pkce === 'optional' ? { [PKCE_REQUIRED]: false } : {}),
      };
      // Only the hash is stored (client-secret.ts); the secret itself is returned this once.
      const secret = SECRET_METHODS.has(authMethod) ? newClientSecret() : undefined;
      if (secret) metadata.client_secret = hashClientSecret(secret);
      await check(metadata);
      assertClientUrisAllowed(metadata, (message) => new GatehouseError('ERR_CLIENT_INVALID', message));
      await records.upsert({
        model: MODEL,
        id: metadata.client_id,
        payload: JSON.stringify(metadata),
        grantId: null,
        userCode: null,
        uid: null,
        accountId: null,
        expiresAt: null,
      });
      return secret ? { client_id: metadata.client_id, client_secret: secret } : { client_id: metadata.client_id };
    },

    /**
     * Lets the client ask tokens for this API with these scopes (all of them when none are named),
     * in place of whatever it had for it. Tokens already issued keep their scopes until they expire.
     */
    async grant(
      clientId: string,
      identifier: string,
      scope?: string,
    ): Promise<{ client_id: string; resource: string; scopes: string[] }> {
      const metadata = await load(clientId);
      const [key, scopes] = await grantable(identifier, scope);
      await save(withGrants(metadata, { ...resourceGrantsOf(metadata), [key]: scopes }));
      return { client_id: clientId, resource: key, scopes };
    },

    /** The client may no longer ask tokens for this API (refresh tokens for it stop working too). */
    async revokeGrant(clientId: string, identifier: string): Promise<void> {
      const metadata = await load(clientId);
      const grants = resourceGrantsOf(metadata);
      if (!Object.hasOwn(grants, identifier))
        throw new GatehouseError('ERR_CLIENT_GRANT_NOT_FOUND', `client ${clientId} has no grant for ${identifier}`);
      await save(withGrants(metadata, without(grants, identifier)));
    },

    /** Drops a removed API from every client's grants, so a later API of the same name starts ungranted. */
    async forgetResource(identifier: string): Promise<void> {
      for (const { id, payload } of await records.listPermanent(MODEL)) {
        const metadata = JSON.parse(payload) as ClientMetadata;
        const grants = resourceGrantsOf(metadata);
        if (!Object.hasOwn(grants, identifier)) continue;
        await records.replacePayload(MODEL, id, JSON.stringify(withGrants(metadata, without(grants, identifier))));
      }
    },

    /**
     * Changes what is given and keeps the rest, the client id and secret included. Grants given as
     * `resources` replace the client's grants (each API with all its scopes); tokens already issued
     * keep what they carry until they expire.
     */
    async update(clientId: string, changes: ClientChanges): Promise<ClientSummary> {
      let metadata: ClientMetadata = await load(clientId);
      const set = (patch: Record<string, unknown>) => {
        metadata = { ...metadata, ...patch } as ClientMetadata;
      };
      if (changes.name !== undefined) set({ client_name: changes.name });
      if (changes.redirectUris) set({ redirect_uris: [...changes.redirectUris] });
      if (changes.postLogoutRedirectUris) set({ post_logout_redirect_uris: [...changes.postLogoutRedirectUris] });
      if (changes.grantTypes || changes.responseTypes) {
        // Implicit follows from the id_token response type (flows), so it is recomputed, not kept.
        const grants = changes.grantTypes ?? (metadata.grant_types ?? []).filter((g) => g !== 'implicit');
        const previous = (metadata.response_types ?? []) as ResponseType[];
        const responses = changes.responseTypes ?? [
          ...(grants.includes('authorization_code') ? ['code' as const] : []),
          ...previous.filter((r) => r === 'id_token'),
        ];
        set(flows(grants, responses));
      }
      if (changes.allowedOrigins) {
        const { [ALLOWED_ORIGINS]: _previous, ...rest } = metadata;
        metadata = (
          changes.allowedOrigins.length ? { ...rest, [ALLOWED_ORIGINS]: [...changes.allowedOrigins] } : rest
        ) as ClientMetadata;
      }
      if (changes.pkce) {
        const { [PKCE_REQUIRED]: _previous, ...rest } = metadata;
        metadata = (changes.pkce === 'optional' ? { ...rest, [PKCE_REQUIRED]: false } : rest) as ClientMetadata;
      }
      if (changes.mfaPolicy) {
        const { mfa_policy: _previous, ...rest } = metadata;
        metadata = {
          ...rest,
          require_mfa: changes.mfaPolicy === 'always',
          ...(changes.mfaPolicy === 'default' ? {} : { mfa_policy: changes.mfaPolicy }),
        } as ClientMetadata;
      }
      if (changes.firstParty !== undefined) set({ first_party: changes.firstParty });
      if (changes.resources) {
        const grants: Record<string, string[]> = {};
        for (const identifier of changes.resources) {
          const [key, scopes] = await grantable(identifier);
          grants[key] = scopes;
        }
        metadata = withGrants(metadata, grants);
      }
      assertClientUrisAllowed(metadata, (message) => new GatehouseError('ERR_CLIENT_INVALID', message));
      await save(metadata);
      return summarize(clientId, metadata, undefined);
    },

    /** One client's settings (never its secret). */
    async show(clientId: string): Promise<ClientSummary> {
      const row = await records.findLive(MODEL, clientId, new Date(clock()));
      if (!row) throw new GatehouseError('ERR_CLIENT_NOT_FOUND', `no client with id ${clientId}`);
      return summarize(clientId, JSON.parse(row.payload) as ClientMetadata, undefined);
    },

    /** A new secret, returned once; the old one stops working at once. */
    async rotateSecret(clientId: string): Promise<{ client_id: string; client_secret: string }> {
      const metadata = await load(clientId);
      if (!SECRET_METHODS.has(String(metadata.token_endpoint_auth_method ?? 'client_secret_basic'))) {
        throw new GatehouseError(
          'ERR_CLIENT_INVALID',
          `client ${clientId} authenticates with ${metadata.token_endpoint_auth_method}, not a secret`,
        );
      }
      const secret = newClientSecret();
      await save({ ...metadata, client_secret: hashClientSecret(secret) });
      return { client_id: clientId, client_secret: secret };
    },

    async list(): Promise<ClientSummary[]> {
      return (await records.listPermanent(MODEL)).map(({ id, payload, createdAt }) =>
        summarize(id, JSON.parse(payload) as ClientMetadata, createdAt),
      );
    },

    /**
     * Removes the client, then every grant, code and token it holds: a removed client's tokens are
     * inactive at introspection from now on, not when they expire (RFC 7009 §2.1, RFC 7662 §2.2).
     */
    async remove(clientId: string): Promise<{ revoked: number }> {
      await load(clientId);
      await records.destroy(MODEL, clientId);
      return { revoked: await revokeClientTokens(records, clientId) };
    },
  };
}

export type ClientService = ReturnType<typeof createClientService>;
