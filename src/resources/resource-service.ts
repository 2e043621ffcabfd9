import { createHash } from 'node:crypto';
import type { AuditService } from '../audit/audit-service.js';
import type { ClientService, ChangeOptions } from '../clients/client-service.js';
import { AS_PART_OF_ANOTHER_CHANGE, CLI_OPERATOR, recordOperatorChange } from '../clients/operator-audit.js';
import { ACCESS_TOKEN_TTL, MAX_SIGNED_TOKEN_TTL } from '../kernel/token-lifetimes.js';
import {
  CHANGEABLE_FIELDS,
  type ResourceQueries,
  type ResourceRow,
  type ResourceSettings,
} from './resource-queries.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { MANAGEMENT_SCOPES } from './management-api.js';
import { checkDynamicScopes, dynamicCeiling } from './dynamic-ceiling.js';
import { checkResourceName, mergeScopeDescriptions, readScopeDescriptions } from './scope-descriptions.js';

export const TOKEN_FORMATS = ['jwt', 'opaque'] as const;
export type TokenFormat = (typeof TOKEN_FORMATS)[number];

/** Below a minute, clock skew between us and the API eats most of the token's life. */
export const MIN_ACCESS_TOKEN_TTL = 60;
/** A signed (JWT) access token must never outlive the publication of its key after retirement. */
export const MAX_ACCESS_TOKEN_TTL = MAX_SIGNED_TOKEN_TTL;

/** These belong to OpenID Connect and the refresh-token policy, never to an API. */
const RESERVED_SCOPES = new Set(['openid', 'offline_access']);

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The person claims an API may ask its access tokens to carry besides `scope` (`--token-claims`). */
export const TOKEN_CLAIMS = ['roles', 'groups'] as const;
export type TokenClaim = (typeof TOKEN_CLAIMS)[number];

export interface NewResource {
  readonly identifier: string;
  /** Space-delimited. */
  readonly scope: string;
  readonly tokenFormat?: TokenFormat;
  readonly accessTokenTtl?: number;
  /** Role-based access control; off unless asked, so existing set-ups keep working. */
  readonly rbac?: boolean;
  readonly tokenClaims?: readonly string[];
  /** Open to self-registered and metadata-document clients (off unless asked). */
  readonly dynamicClients?: boolean;
  /** Space-delimited ceiling for those clients; absent or empty: all of the API's scopes. */
  readonly dynamicScopes?: string;
  /** What people see for the API ("Notes API"). */
  readonly name?: string;
  /** Scope → what it lets an app do, for people ("Read your notes"). */
  readonly scopeDescriptions?: Readonly<Record<string, string>>;
}

export interface ResourceChanges {
  readonly scope?: string;
  readonly tokenFormat?: TokenFormat;
  readonly accessTokenTtl?: number;
  readonly rbac?: boolean;
  /** Replaces the list; empty clears it. */
  readonly tokenClaims?: readonly string[];
  readonly dynamicClients?: boolean;
  /** Replaces the ceiling; empty: all of the API's scopes. */
  readonly dynamicScopes?: string;
  /** Replaces the display name; empty clears it. */
  readonly name?: string;
  /** Merged into the descriptions; a description of "" removes that scope's. */
  readonly scopeDescriptions?: Readonly<Record<string, string>>;
}

export interface Resource {
  readonly identifier: string;
  readonly scopes: string[];
  readonly tokenFormat: TokenFormat;
  readonly accessTokenTtl: number;
  /** The resource server's own client: it authenticates with it at introspection. */
  readonly clientId: string;
  /**
   * Role-based access control: a person's token for this API carries only the scopes their roles
   * permit (src/directory); client_credentials tokens are unaffected.
   */
  readonly rbac: boolean;
  /** Person claims its access tokens carry besides `scope`, sorted: some of "groups", "roles". */
  readonly tokenClaims: TokenClaim[];
  /**
   * Clients the operator did not register (RFC 7591 registration, client ID metadata documents)
   * may get tokens for it, with at most `dynamicScopes` (the ceiling, always within `scopes`).
   * Never the management API.
   */
  readonly dynamicClients: boolean;
  readonly dynamicScopes: string[];
  /** What people see for the API; absent: they see its identifier. */
  readonly name?: string;
  /** Scope → what it lets an app do, in words for people (consent, connected apps). */
  readonly scopeDescriptions: Record<string, string>;
  readonly createdAt: string;
}

/** RFC 8707 §2: an absolute URI without a fragment; https, except on this machine. */
function checkIdentifier(identifier: string): void {
  let url: URL;
  try {
    url = new URL(identifier);
  } catch {
    throw new GatehouseError('ERR_RESOURCE_INVALID', `identifier "${identifier}" is not an absolute URL`);
  }
  if (identifier.includes('#')) {
    throw new GatehouseError('ERR_RESOURCE_INVALID', 'identifier must not contain a fragment (RFC 8707 §2)');
  }
  const local = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !local) {
    throw new GatehouseError('ERR_RESOURCE_INVALID', 'identifier must be an https URL (http only for localhost)');
  }
}

function parseScopes(scope: string): string[] {
  const scopes = [...new Set(scope.split(/\s+/).filter(Boolean))];
  if (scopes.length === 0) throw new GatehouseError('ERR_RESOURCE_INVALID', 'scope must name at least one scope');
  for (const s of scopes) {
    if (!SCOPE_TOKEN.test(s))
      throw new GatehouseError('ERR_RESOURCE_INVALID', `scope "${s}" has characters RFC 6749 §3.3 does not allow`);
    if (RESERVED_SCOPES.has(s))
      throw new GatehouseError('ERR_RESOURCE_INVALID', `scope "${s}" is reserved for OpenID Connect`);
  }
  return scopes;
}

function parseTokenClaims(claims: readonly string[]): TokenClaim[] {
  const unique = [...new Set(claims.map((c) => c.trim()).filter(Boolean))].sort();
  for (const claim of unique) {
    if (!(TOKEN_CLAIMS as readonly string[]).includes(claim))
      throw new GatehouseError(
        'ERR_RESOURCE_INVALID',
        `token claim "${claim}" is not one of ${TOKEN_CLAIMS.join(', ')}`,
      );
  }
  return unique as TokenClaim[];
}

function checkTtl(ttl: number): void {
  if (!Number.isInteger(ttl) || ttl < MIN_ACCESS_TOKEN_TTL || ttl > MAX_ACCESS_TOKEN_TTL) {
    throw new GatehouseError(
      'ERR_RESOURCE_INVALID',
      `ttl must be a whole number of seconds between ${MIN_ACCESS_TOKEN_TTL} and ${MAX_ACCESS_TOKEN_TTL}`,
    );
  }
}

const toResource = (row: ResourceRow): Resource => ({
  identifier: row.identifier,
  scopes: row.scopes.split(' ').filter(Boolean),
  tokenFormat: row.tokenFormat === 'opaque' ? 'opaque' : 'jwt',
  accessTokenTtl: row.accessTokenTtl,
  clientId: row.clientId,
  rbac: row.rbac,
  tokenClaims: row.tokenClaims
    .split(' ')
    .filter((c): c is TokenClaim => (TOKEN_CLAIMS as readonly string[]).includes(c)),
  dynamicClients: row.dynamicClients,
  dynamicScopes: dynamicCeiling(row),
  ...(row.name ? { name: row.name } : {}),
  scopeDescriptions: readScopeDescriptions(row.scopeDescriptions),
  createdAt: row.createdAt.toISOString(),
});

/** An API's version: a hash of its settings, so any change to them is a new version. */
const versionOf = (row: ResourceSettings): string =>
  createHash('sha256')
    .update(JSON.stringify(CHANGEABLE_FIELDS.map((field) => row[field])))
    .digest('base64url')
    .slice(0, 22);

const stale = () =>
  new GatehouseError('ERR_PRECONDITION_FAILED', 'the resource changed since it was read: read it again');

/** Changes made with no version named are made again on what a concurrent change left, this often at most. */
const MAX_ATTEMPTS = 5;

export interface ResourceServiceOptions {
  /**
   * Whether a directory claim scope has this name (src/directory): an API scope may not share a
   * name with one, since the name alone would not say whether a request asks for access or claims.
   */
  readonly claimScopeNamed?: (scope: string) => Promise<boolean>;
  /**
   * The management API's identifier (management-api.ts): made by ensureManagementApi, never
   * removed, and only its token lifetime may change.
   */
  readonly builtIn?: string;
  /**
   * Which identifiers are treated as built in (management-api.ts's matcher); `builtIn` alone when
   * absent. A CLI without ISSUER treats every `…/admin/api` so, since the server's may be any of them.
   */
  readonly isBuiltIn?: (identifier: string) => boolean;
  /** Where admins' changes are recorded (absent in prepare-database.ts, which only makes the built-in API). */
  readonly audit?: Pick<AuditService, 'record'>;
}

/** APIs (resource servers, RFC 8707) that clients may ask access tokens for. */
export function createResourceService(
  resources: ResourceQueries,
  clients: Pick<ClientService, 'add' | 'remove' | 'forgetResource'>,
  {
    claimScopeNamed = async () => false,
    builtIn,
    isBuiltIn = (identifier: string) => identifier === builtIn,
    audit,
  }: ResourceServiceOptions = {},
) {
  const record = (
    actor: Parameters<typeof recordOperatorChange>[1],
    type: Parameters<typeof recordOperatorChange>[2],
    detail: Record<string, unknown>,
  ) => recordOperatorChange(audit, actor, type, detail);
  const notFound = (identifier: string) =>
    new GatehouseError('ERR_RESOURCE_NOT_FOUND', `no resource with identifier ${identifier}`);

  const checkNoClaimScope = async (scopes: string[]) => {
    for (const scope of scopes) {
      if (await claimScopeNamed(scope))
        throw new GatehouseError(
          'ERR_RESOURCE_INVALID',
          `scope "${scope}" is a claim scope (gatehouse scope list): give the API's scope another name`,
        );
    }
  };
  const refuseBuiltIn = (identifier: string, what: string) => {
    if (!isBuiltIn(identifier)) return;
    if (identifier === builtIn)
      throw new GatehouseError('ERR_RESOURCE_BUILT_IN', `${identifier} is the built-in management API: ${what}`);
    throw new GatehouseError(
      'ERR_RESOURCE_BUILT_IN',
      `${identifier} may be a server's built-in management API: set ISSUER to your server's issuer URL and run this again`,
    );
  };

  /** Registers the row and its own client; undefined when the identifier is taken (the client is then removed). */
  const register = async (row: Omit<Parameters<ResourceQueries['insert']>[0], 'clientId'>) => {
    const client = await clients.add(
      { name: `Resource server ${row.identifier}`, noGrants: true, authMethod: 'client_secret_basic' },
      { actor: AS_PART_OF_ANOTHER_CHANGE },
    );
    let inserted = false;
    try {
      inserted = await resources.insert({ ...row, clientId: client.client_id });
    } finally {
      // Lost a race for the identifier, or the insert failed: leave no orphan client behind.
      if (!inserted) await clients.remove(client.client_id, { actor: AS_PART_OF_ANOTHER_CHANGE });
    }
    return inserted ? client : undefined;
  };

  return {
    /**
     * Makes the management API if it is missing (every start; prepare-database.ts runs it under
     * the migration lock on PostgreSQL, and a lost insert race is the outcome wanted anyway). Its
     * identifier is the issuer's, so it is not held to checkIdentifier (an issuer may be plain http
     * inside a private network). Like every API it gets its own client, which the row requires;
     * that client's secret is dropped here: Gatehouse verifies management tokens in-process, and
     * an operator who wants a gateway to introspect them can rotate it (`client rotate-secret`).
     * Resolves true when it was made now.
     */
    async ensureManagementApi(): Promise<boolean> {
      if (!builtIn || (await resources.find(builtIn))) return false;
      const made = await register({
        identifier: builtIn,
        scopes: MANAGEMENT_SCOPES.join(' '),
        tokenFormat: 'jwt',
        accessTokenTtl: ACCESS_TOKEN_TTL,
        rbac: false,
        tokenClaims: '',
        dynamicClients: false,
        dynamicScopes: '',
        name: '',
        scopeDescriptions: '{}',
      });
      return made !== undefined;
    },

    /** Registers an API and its own confidential client; the secret is returned once. */
    async add(
      input: NewResource,
      { actor = CLI_OPERATOR }: Pick<ChangeOptions, 'actor'> = {},
    ): Promise<{ identifier: string; client_id: string; client_secret: string }> {
      checkIdentifier(input.identifier);
      const scopes = parseScopes(input.scope);
      const tokenFormat = input.tokenFormat ?? 'jwt';
      if (!TOKEN_FORMATS.includes(tokenFormat))
        throw new GatehouseError('ERR_RESOURCE_INVALID', `token format must be one of ${TOKEN_FORMATS.join(', ')}`);
      const accessTokenTtl = input.accessTokenTtl ?? ACCESS_TOKEN_TTL;
      checkTtl(accessTokenTtl);
      const tokenClaims = parseTokenClaims(input.tokenClaims ?? []);
      await checkNoClaimScope(scopes);
      const taken = () =>
        new GatehouseError('ERR_RESOURCE_EXISTS', `a resource with identifier ${input.identifier} already exists`);
      if (await resources.find(input.identifier)) throw taken();

      const client = await register({
        identifier: input.identifier,
        scopes: scopes.join(' '),
        tokenFormat,
        accessTokenTtl,
        rbac: input.rbac ?? false,
        tokenClaims: tokenClaims.join(' '),
        dynamicClients: input.dynamicClients ?? false,
        dynamicScopes: checkDynamicScopes(input.dynamicScopes ?? '', scopes.join(' ')),
        name: checkResourceName(input.name ?? ''),
        scopeDescriptions: mergeScopeDescriptions({}, input.scopeDescriptions ?? {}, scopes),
      });
      if (!client) throw taken();
      await record(actor, 'admin.resource.created', { resource: input.identifier, client: client.client_id });
      return {
        identifier: input.identifier,
        client_id: client.client_id,
        client_secret: client.client_secret as string,
      };
    },

    /**
     * Changes an API's scopes, token format, lifetime, RBAC or token claims; its identifier and
     * credentials stay. Clients keep their grants, narrowed at token time to the scopes the API
     * still has (token-configuration.ts); a scope dropped also leaves every role's permissions
     * (resource-queries.ts). Tokens already issued keep what they carry until they expire.
     */
    async update(
      identifier: string,
      changes: ResourceChanges,
      { actor = CLI_OPERATOR, ifVersion }: ChangeOptions = {},
    ): Promise<Resource> {
      if (changes.scope !== undefined || changes.tokenFormat !== undefined)
        refuseBuiltIn(identifier, 'its scopes and token format are fixed (only its ttl may change)');
      if (changes.dynamicClients || changes.dynamicScopes)
        refuseBuiltIn(identifier, 'it is never open to clients that registered themselves');
      const data: {
        scopes?: string;
        tokenFormat?: TokenFormat;
        accessTokenTtl?: number;
        rbac?: boolean;
        tokenClaims?: string;
        dynamicClients?: boolean;
        dynamicScopes?: string;
        name?: string;
        scopeDescriptions?: string;
      } = {};
      // Checked before the first read, so a bad name is refused without touching the row.
      if (changes.name !== undefined) checkResourceName(changes.name);
      if (changes.scope !== undefined) {
        const scopes = parseScopes(changes.scope);
        await checkNoClaimScope(scopes);
        data.scopes = scopes.join(' ');
      }
      if (changes.rbac !== undefined) data.rbac = changes.rbac;
      if (changes.dynamicClients !== undefined) data.dynamicClients = changes.dynamicClients;
      if (changes.tokenClaims !== undefined) data.tokenClaims = parseTokenClaims(changes.tokenClaims).join(' ');
      if (changes.tokenFormat !== undefined) {
        if (!TOKEN_FORMATS.includes(changes.tokenFormat))
          throw new GatehouseError('ERR_RESOURCE_INVALID', `token format must be one of ${TOKEN_FORMATS.join(', ')}`);
        data.tokenFormat = changes.tokenFormat;
      }
      if (changes.accessTokenTtl !== undefined) {
        checkTtl(changes.accessTokenTtl);
        data.accessTokenTtl = changes.accessTokenTtl;
      }
      // A compare-and-set on the settings read: with a version named, a change in between is 412;
      // without, this change is made again on top of it (the CLI), so neither is lost.
      for (let attempt = 1; ; attempt += 1) {
        const current = await resources.find(identifier);
        if (!current) throw notFound(identifier);
        if (ifVersion !== undefined && versionOf(current) !== ifVersion) throw stale();
        if (changes.dynamicScopes !== undefined)
          data.dynamicScopes = checkDynamicScopes(changes.dynamicScopes, data.scopes ?? current.scopes);
        // Descriptions follow the scopes: new ones merged in, those of a dropped scope gone with it.
        if (changes.scopeDescriptions !== undefined || data.scopes !== undefined) {
          const descriptions = mergeScopeDescriptions(
            readScopeDescriptions(current.scopeDescriptions),
            changes.scopeDescriptions ?? {},
            (data.scopes ?? current.scopes).split(' ').filter(Boolean),
          );
          // Only a real change is one (the audit trail names what changed).
          if (descriptions !== current.scopeDescriptions) data.scopeDescriptions = descriptions;
          else delete data.scopeDescriptions;
        }
        if (changes.name !== undefined) {
          const name = checkResourceName(changes.name);
          if (name !== current.name) data.name = name;
          else delete data.name;
        }
        const row = await resources.updateIf(identifier, current, data);
        if (row) {
          await record(actor, 'admin.resource.updated', { resource: identifier, changed: Object.keys(data) });
          return toResource(row);
        }
        if (attempt >= MAX_ATTEMPTS)
          throw new GatehouseError('ERR_BUSY', 'the resource is being changed by others: try again', {
            retryAfterSeconds: 1,
          });
      }
    },

    async list(): Promise<Resource[]> {
      return (await resources.list()).map(toResource);
    },

    async find(identifier: string): Promise<Resource | undefined> {
      const row = await resources.find(identifier);
      return row ? toResource(row) : undefined;
    },

    /** One page of `list`, oldest first, after the API `after` (its createdAt and identifier). */
    async page(after: { createdAt: Date; identifier: string } | undefined, limit: number): Promise<Resource[]> {
      return (await resources.page(after, limit)).map(toResource);
    },

    /** One API and its version, for a later conditional change; ERR_RESOURCE_NOT_FOUND when there is none. */
    async read(identifier: string): Promise<{ resource: Resource; version: string }> {
      const row = await resources.find(identifier);
      if (!row) throw notFound(identifier);
      return { resource: toResource(row), version: versionOf(row) };
    },

    /** The resource whose own client this is, if any. */
    async findByClientId(clientId: string): Promise<Resource | undefined> {
      const row = await resources.findByClientId(clientId);
      return row ? toResource(row) : undefined;
    },

    /**
     * Removes the API, its client, and every client's grant for it (an API registered later under
     * the same identifier starts with no client allowed). Tokens already issued for it stay valid
     * until they expire.
     */
    async remove(
      identifier: string,
      { actor = CLI_OPERATOR, ifVersion }: ChangeOptions = {},
    ): Promise<{ identifier: string; client_id: string }> {
      refuseBuiltIn(identifier, 'it cannot be removed');
      let row: ResourceRow | null;
      if (ifVersion === undefined) {
        row = await resources.delete(identifier);
        if (!row) throw notFound(identifier);
      } else {
        const current = await resources.find(identifier);
        if (!current) throw notFound(identifier);
        if (versionOf(current) !== ifVersion) throw stale();
        row = await resources.deleteIf(identifier, current);
        if (!row) throw (await resources.find(identifier)) ? stale() : notFound(identifier);
      }
      await record(actor, 'admin.resource.deleted', { resource: identifier, client: row.clientId });
      await clients.forgetResource(identifier);
      try {
        await clients.remove(row.clientId, { actor: AS_PART_OF_ANOTHER_CHANGE });
      } catch (error) {
        // Someone removed the client by hand already: the outcome is the one asked for.
        if ((error as { code?: unknown }).code !== 'ERR_CLIENT_NOT_FOUND') throw error;
      }
      return { identifier, client_id: row.clientId };
    },
  };
}

export type ResourceService = ReturnType<typeof createResourceService>;
