import { createHash } from 'node:crypto';
import type { ClientMetadata } from 'oidc-provider';
import type { OidcRecordQueries } from '../db/oidc-record-queries.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Actor } from '../sessions/session-service.js';
import { hashClientSecret, newClientSecret } from './client-secret.js';
import { newClientId } from './new-client-id.js';
import type { MfaMode } from '../mfa/mfa-mode.js';
import { RESOURCE_GRANTS, resourceGrantsOf, type ResourceGrants } from './resource-grants.js';
import { revokeClientTokens } from './revoke-client-tokens.js';
import { assertClientUrisAllowed } from './redirect-uri-policy.js';
import { ALLOWED_ORIGINS } from './web-origins.js';
import { PKCE_REQUIRED, type PkceMode } from './client-pkce.js';
import { clientFlows, type ResponseType } from './client-flows.js';
import { applyClientChanges, type ClientChanges } from './client-changes.js';
import { summarizeClient, type ClientSummary } from './client-summary.js';
import { assertClientLinksAllowed, type ClientLinks } from './client-links.js';
import { managementGrantRefusal } from './management-grant-policy.js';
import { CLI_OPERATOR, recordOperatorChange } from './operator-audit.js';
import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';

export { RESPONSE_TYPES, type ResponseType } from './client-flows.js';
export type { ClientSummary } from './client-summary.js';
export type { ClientChanges } from './client-changes.js';

export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];
/** OIDC Registration §2: `native` apps may use loopback redirects on any port (RFC 8252 §7.3). */
export const APPLICATION_TYPES = ['web', 'native'] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];
/** The ID token signature algorithms we hold keys for (see key-service.ts). */
export const ID_TOKEN_ALGS = ['RS256', 'ES256'] as const;
export type IdTokenAlg = (typeof ID_TOKEN_ALGS)[number];

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
  /** Its logo, policy, terms and home page for the consent page (client-links.ts), https only. */
  readonly links?: ClientLinks;
}

/** What the client service needs to know of a registered API (resource-service.ts). */
export interface GrantableResource {
  readonly identifier: string;
  readonly scopes: readonly string[];
}
export type FindResource = (identifier: string) => Promise<GrantableResource | undefined>;

/** Clients live in the provider's own `Client` model, so oidc-provider reads them as registered. */
const MODEL = 'Client';

const SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post']);

/** RFC 6749 §3.3: space-delimited. */
const splitScope = (scope: string) => [...new Set(scope.split(/\s+/).filter(Boolean))];

/** How a change is made: by whom (audited; the CLI unless said) and against which version. */
export interface ChangeOptions {
  readonly actor?: Actor;
  /**
   * The version the caller read (`read`): the change is made only if the client still has it
   * (ERR_PRECONDITION_FAILED otherwise). Without it, a change that loses a race with another is
   * made again on what the other left, so neither is lost.
   */
  readonly ifVersion?: string;
}

/** A client's version: a hash of its stored metadata, so any change to it is a new version. */
const versionOf = (payload: string): string => createHash('sha256').update(payload).digest('base64url').slice(0, 22);

/** A read-modify-write that keeps losing races this often is reported busy rather than spun forever. */
const MAX_ATTEMPTS = 5;

export function createClientService(
  records: OidcRecordQueries,
  validate: (metadata: ClientMetadata) => Promise<unknown>,
  findResource: FindResource,
  clock: Clock,
  options: {
    /** Where admins' changes are recorded (absent in prepare-database.ts, which only makes the built-in API). */
    readonly audit?: Pick<AuditService, 'record'>;
    /** Which APIs are the management API (management-api.ts): who may hold it is management-grant-policy.ts's call. */
    readonly isManagementApi?: (identifier: string) => boolean;
  } = {},
) {
  const { audit, isManagementApi } = options;
  const record = (actor: Actor, type: Parameters<typeof recordOperatorChange>[2], detail: Record<string, unknown>) =>
    recordOperatorChange(audit, actor, type, detail);

  const check = async (metadata: ClientMetadata) => {
    try {
      await validate(metadata);
    } catch (error) {
      const e = error as { error_description?: string; message?: string };
      throw new GatehouseError('ERR_CLIENT_INVALID', e.error_description ?? e.message ?? 'invalid client metadata');
    }
  };

  /** The client's stored payload, or ERR_CLIENT_NOT_FOUND. */
  const loadRow = async (clientId: string): Promise<string> => {
    const row = await records.findLive(MODEL, clientId, new Date(clock()));
    if (!row) throw new GatehouseError('ERR_CLIENT_NOT_FOUND', `no client with id ${clientId}`);
    return row.payload;
  };

  const stale = () =>
    new GatehouseError('ERR_PRECONDITION_FAILED', 'the client changed since it was read: read it again');

  /** Every grant of the client must be one it may hold (management-grant-policy.ts). */
  const assertGrantsAllowed = (metadata: ClientMetadata) => {
    if (!isManagementApi || !Object.keys(resourceGrantsOf(metadata)).some(isManagementApi)) return;
    const refusal = managementGrantRefusal(metadata);
    if (refusal) throw new GatehouseError('ERR_CLIENT_GRANT_REFUSED', refusal);
  };

  /**
   * Reads the client, makes `next` of it and writes it only if nobody wrote in between (a
   * compare-and-set on the payload): exactly one of two concurrent writers wins, and the other
   * gets ERR_PRECONDITION_FAILED when it named the version it read, or is made again otherwise.
   */
  const change = async (
    clientId: string,
    ifVersion: string | undefined,
    next: (metadata: ClientMetadata) => Promise<ClientMetadata>,
  ): Promise<{ metadata: ClientMetadata; version: string }> => {
    for (let attempt = 1; ; attempt += 1) {
      const payload = await loadRow(clientId);
      if (ifVersion !== undefined && versionOf(payload) !== ifVersion) throw stale();
      const metadata = await next(JSON.parse(payload) as ClientMetadata);
      assertGrantsAllowed(metadata);
      await check(metadata);
      const written = JSON.stringify(metadata);
      if (await records.replacePayloadIf(MODEL, clientId, payload, written))
        return { metadata, version: versionOf(written) };
      if (attempt >= MAX_ATTEMPTS)
        throw new GatehouseError('ERR_BUSY', 'the client is being changed by others: try again', {
          retryAfterSeconds: 1,
        });
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

  /** Each API named, with all of its scopes. */
  const allScopesOf = async (identifiers: readonly string[]): Promise<ResourceGrants> => {
    const grants: Record<string, string[]> = {};
    for (const identifier of identifiers) {
      const [key, scopes] = await grantable(identifier);
      grants[key] = scopes;
    }
    return grants;
  };

  /** The metadata with these grants; none at all leaves the property out. */
  const withGrants = (metadata: ClientMetadata, grants: ResourceGrants): ClientMetadata => {
    const { [RESOURCE_GRANTS]: _previous, ...rest } = metadata;
    return (Object.keys(grants).length ? { ...rest, [RESOURCE_GRANTS]: grants } : rest) as ClientMetadata;
  };

  const without = (grants: ResourceGrants, identifier: string): ResourceGrants =>
    Object.fromEntries(Object.entries(grants).filter(([key]) => key !== identifier));

  /** One client's settings (never its secret) and its version, for a later conditional change. */
  const read = async (clientId: string): Promise<{ client: ClientSummary; version: string }> => {
    const payload = await loadRow(clientId);
    return {
      client: summarizeClient(clientId, JSON.parse(payload) as ClientMetadata, undefined),
      version: versionOf(payload),
    };
  };

  return {
    async add(
      input: NewClient,
      { actor = CLI_OPERATOR }: Pick<ChangeOptions, 'actor'> = {},
    ): Promise<{ client_id: string; client_secret?: string }> {
      const grants = await allScopesOf(input.resources ?? []);
      const authMethod = input.authMethod ?? 'client_secret_basic';
      const protocol = input.noGrants
        ? { grant_types: [], response_types: [] }
        : clientFlows(input.grantTypes, input.responseTypes);
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
        ...Object.fromEntries(Object.entries(input.links ?? {}).filter(([, value]) => value)),
      };
      // Only the hash is stored (client-secret.ts); the secret itself is returned this once.
      const secret = SECRET_METHODS.has(authMethod) ? newClientSecret() : undefined;
      if (secret) metadata.client_secret = hashClientSecret(secret);
      assertGrantsAllowed(metadata);
      assertClientLinksAllowed(metadata, (message) => new GatehouseError('ERR_CLIENT_INVALID', message));
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
      await record(actor, 'admin.client.created', { client: metadata.client_id, name: input.name });
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
      { actor = CLI_OPERATOR, ifVersion }: ChangeOptions = {},
    ): Promise<{ client_id: string; resource: string; scopes: string[]; version: string }> {
      const [key, scopes] = await grantable(identifier, scope);
      const { version } = await change(clientId, ifVersion, async (metadata) =>
        withGrants(metadata, { ...resourceGrantsOf(metadata), [key]: scopes }),
      );
      await record(actor, 'admin.client.grant_set', { client: clientId, resource: key, scopes });
      return { client_id: clientId, resource: key, scopes, version };
    },

    /** The client may no longer ask tokens for this API (refresh tokens for it stop working too). */
    async revokeGrant(
      clientId: string,
      identifier: string,
      { actor = CLI_OPERATOR, ifVersion }: ChangeOptions = {},
    ): Promise<{ version: string }> {
      const { version } = await change(clientId, ifVersion, async (metadata) => {
        const grants = resourceGrantsOf(metadata);
        if (!Object.hasOwn(grants, identifier))
          throw new GatehouseError('ERR_CLIENT_GRANT_NOT_FOUND', `client ${clientId} has no grant for ${identifier}`);
        return withGrants(metadata, without(grants, identifier));
      });
      await record(actor, 'admin.client.grant_revoked', { client: clientId, resource: identifier });
      return { version };
    },

    /** Drops a removed API from every client's grants, so a later API of the same name starts ungranted. */
    async forgetResource(identifier: string): Promise<void> {
      for (const { id, payload } of await records.listPermanent(MODEL)) {
        const metadata = JSON.parse(payload) as ClientMetadata;
        if (!Object.hasOwn(resourceGrantsOf(metadata), identifier)) continue;
        await change(id, undefined, async (current) =>
          withGrants(current, without(resourceGrantsOf(current), identifier)),
        ).catch((error: unknown) => {
          // Removed meanwhile: nothing of it is left to forget.
          if ((error as { code?: unknown }).code !== 'ERR_CLIENT_NOT_FOUND') throw error;
        });
      }
    },

    /**
     * Changes what is given and keeps the rest, the client id and secret included. Grants given as
     * `resources` replace the client's grants (each API with all its scopes); tokens already issued
     * keep what they carry until they expire.
     */
    async update(
      clientId: string,
      changes: ClientChanges,
      { actor = CLI_OPERATOR, ifVersion }: ChangeOptions = {},
    ): Promise<{ client: ClientSummary; version: string }> {
      const grants = changes.resources ? await allScopesOf(changes.resources) : undefined;
      const { metadata, version } = await change(clientId, ifVersion, async (current) => {
        const next = applyClientChanges(current, changes);
        const result = grants ? withGrants(next, grants) : next;
        assertClientLinksAllowed(result, (message) => new GatehouseError('ERR_CLIENT_INVALID', message));
        assertClientUrisAllowed(result, (message) => new GatehouseError('ERR_CLIENT_INVALID', message));
        return result;
      });
      await record(actor, 'admin.client.updated', { client: clientId, changed: changedFields(changes) });
      return { client: summarizeClient(clientId, metadata, undefined), version };
    },

    read,

    /** One client's settings (never its secret). */
    async show(clientId: string): Promise<ClientSummary> {
      return (await read(clientId)).client;
    },

    /** A new secret, returned once; the old one stops working at once. */
    async rotateSecret(
      clientId: string,
      { actor = CLI_OPERATOR, ifVersion }: ChangeOptions = {},
    ): Promise<{ client_id: string; client_secret: string; version: string }> {
      const secret = newClientSecret();
      const { version } = await change(clientId, ifVersion, async (metadata) => {
        if (!SECRET_METHODS.has(String(metadata.token_endpoint_auth_method ?? 'client_secret_basic'))) {
          throw new GatehouseError(
            'ERR_CLIENT_INVALID',
            `client ${clientId} authenticates with ${metadata.token_endpoint_auth_method}, not a secret`,
          );
        }
        return { ...metadata, client_secret: hashClientSecret(secret) };
      });
      await record(actor, 'admin.client.secret_rotated', { client: clientId });
      return { client_id: clientId, client_secret: secret, version };
    },

    async list(): Promise<ClientSummary[]> {
      return (await records.listPermanent(MODEL)).map(({ id, payload, createdAt }) =>
        summarizeClient(id, JSON.parse(payload) as ClientMetadata, createdAt),
      );
    },

    /** One page of `list`, oldest first, after the client `after` (its created_at and id). */
    async page(after: { createdAt: Date; id: string } | undefined, limit: number): Promise<ClientSummary[]> {
      return (await records.pagePermanent(MODEL, after, limit)).map(({ id, payload, createdAt }) =>
        summarizeClient(id, JSON.parse(payload) as ClientMetadata, createdAt),
      );
    },

    /**
     * Removes the client, then every grant, code and token it holds: a removed client's tokens are
     * inactive at introspection from now on, not when they expire (RFC 7009 §2.1, RFC 7662 §2.2).
     */
    async remove(
      clientId: string,
      { actor = CLI_OPERATOR, ifVersion }: ChangeOptions = {},
    ): Promise<{ revoked: number }> {
      const payload = await loadRow(clientId);
      if (ifVersion !== undefined && versionOf(payload) !== ifVersion) throw stale();
      if (!(await records.destroyIf(MODEL, clientId, payload))) {
        // Changed or removed meanwhile: a conditional removal is refused, any other made again.
        if (ifVersion !== undefined) throw stale();
        await loadRow(clientId);
        await records.destroy(MODEL, clientId);
      }
      const revoked = await revokeClientTokens(records, clientId);
      await record(actor, 'admin.client.deleted', { client: clientId, revoked });
      return { revoked };
    },
  };
}

/** The names of the settings a change gives (never their values: URIs may name people's hosts). */
const changedFields = ({ links = {}, ...changes }: ClientChanges): string[] =>
  [...Object.entries(changes), ...Object.entries(links)].filter(([, value]) => value !== undefined).map(([key]) => key);

export type ClientService = ReturnType<typeof createClientService>;
