import { errors, type AccessToken, type Client, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import type { Resource, ResourceService } from '../resources/resource-service.js';
import type { PersonDirectory } from '../directory/person-directory.js';
import { grantedScopes } from '../clients/resource-grants.js';
import { dynamicKindOf } from '../clients/dynamic-client-policy.js';
import { MAX_SIGNED_TOKEN_TTL } from '../kernel/token-lifetimes.js';
import { applyClientCredentialsDefaultScope } from './client-credentials-defaults.js';
import { permittedForPerson } from './person-permitted-scopes.js';

export interface ResourceResolverDeps {
  readonly resources: Pick<ResourceService, 'find'>;
  readonly directory: Pick<PersonDirectory, 'permittedScopes' | 'entryOf'>;
}

/**
 * The scopes of an API this client may be given, for getResourceServerInfo. The provider keeps
 * only these in every token for the API (client credentials, code and refresh token alike) and
 * asks the user's consent for no others, so a user-facing app gets what is both granted to it and
 * consented to. RFC 8707 §2: an API nobody registered, or one this client was not granted, is
 * invalid_target, with the same words for both so no client can list the APIs it may not use.
 * RFC 6749 §3.3 lets the server quietly narrow a request; we refuse instead, with invalid_scope,
 * when a request names a scope of this API that the client was not granted, so the client learns
 * it asked for too much rather than receiving a token that fails later (RFC 9700 §2.3).
 */
function allowedScopes(
  ctx: KoaContextWithOIDC,
  resource: Resource | undefined,
  client: Client,
): { resource: Resource; scopes: string[] } {
  const granted = resource ? scopesOpenTo(client, resource) : undefined;
  if (!resource || !granted)
    throw new errors.InvalidTarget('resource indicator is missing, or unknown, or not allowed for this client');
  const allowed = resource.scopes.filter((scope) => granted.includes(scope));
  const requested = String(ctx.oidc.params?.scope ?? '')
    .split(' ')
    .filter(Boolean);
  const refused = requested.filter((scope) => resource.scopes.includes(scope) && !allowed.includes(scope));
  if (refused.length)
    throw new errors.InvalidScope(
      `requested scope is not allowed for this client on ${resource.identifier}`,
      refused.join(' '),
    );
  return { resource, scopes: allowed };
}

/**
 * What the client may be given of the API: its grant (`gatehouse client grant`), or, for a client
 * the operator did not register, the API's ceiling for such clients when the operator opened it
 * to them (`resource update --dynamic-clients allow`); such a client holds no grants of its own
 * (dynamic-client-policy.ts refuses them), and the management API is never opened to them
 * (resource-service.ts refuses it).
 */
function scopesOpenTo(client: Client, resource: Resource): readonly string[] | undefined {
  if (!dynamicKindOf(client)) return grantedScopes(client, resource.identifier);
  return resource.dynamicClients ? resource.dynamicScopes : undefined;
}

interface Resolved {
  readonly resource: Resource;
  readonly info: ResourceServer;
}

/**
 * getResourceServerInfo's answer, worked out once per request and API: a refresh is checked before
 * the provider rotates its token (rotateRefreshToken below) and resolved again after, and the
 * token's extra claims need the API's settings.
 */
export function createResourceResolver(deps: ResourceResolverDeps) {
  const resolved = new WeakMap<object, Map<string, Promise<Resolved>>>();
  async function resolve(ctx: KoaContextWithOIDC, indicator: string, client: Client): Promise<Resolved> {
    const { resource, scopes: allowed } = allowedScopes(ctx, await deps.resources.find(indicator), client);
    const scopes = await permittedForPerson(ctx, resource, allowed, deps.directory.permittedScopes);
    applyClientCredentialsDefaultScope(ctx, scopes);
    const info: ResourceServer = {
      scope: scopes.join(' '),
      audience: resource.identifier,
      accessTokenTTL: Math.min(resource.accessTokenTtl, MAX_SIGNED_TOKEN_TTL),
      accessTokenFormat: resource.tokenFormat,
    };
    // RFC 9068 §2.1: signed with our published keys; the provider adds `typ: at+jwt`. ES256
    // (RFC 7518 §3.4, P-256): a signature costs a small fraction of RS256's CPU, and the APIs
    // that verify these tokens are ours to configure. ID tokens keep RS256, the one algorithm
    // every relying party supports (OIDC Core §15.1), unless a client asks otherwise.
    return { resource, info: info.accessTokenFormat === 'jwt' ? { ...info, jwt: { sign: { alg: 'ES256' } } } : info };
  }
  return {
    resolve(ctx: KoaContextWithOIDC, indicator: string, client: Client): Promise<Resolved> {
      let byIndicator = resolved.get(ctx);
      if (!byIndicator) resolved.set(ctx, (byIndicator = new Map()));
      let answer = byIndicator.get(indicator);
      if (!answer) byIndicator.set(indicator, (answer = resolve(ctx, indicator, client)));
      return answer;
    },
    /** The API an access token is for, as resolved in this request (or looked up, should it not be). */
    async resourceOf(ctx: KoaContextWithOIDC, identifier: string): Promise<Resource | undefined> {
      const answer = resolved.get(ctx)?.get(identifier);
      return answer ? (await answer).resource : deps.resources.find(identifier);
    },
  };
}

export type ResourceResolver = ReturnType<typeof createResourceResolver>;

/**
 * The person claims an API asked its access tokens to carry (`--token-claims roles,groups`), as
 * they are now; for a person's token only. RFC 9068 §2.2.3.1 names `roles` and `groups` (from
 * SCIM, RFC 7643 §4.1.2) for exactly this; introspection answers (RFC 7662 §2.2) carry them too.
 */
export async function personTokenClaims(
  deps: ResourceResolverDeps,
  resources: ResourceResolver,
  ctx: KoaContextWithOIDC,
  token: AccessToken,
): Promise<Record<string, unknown> | undefined> {
  const { aud } = token as { aud?: string | string[] };
  const audience = Array.isArray(aud) ? aud[0] : aud;
  if (!token.accountId || audience === undefined) return undefined;
  const wanted = ((await resources.resourceOf(ctx, audience))?.tokenClaims ?? []).filter(
    (claim) => claim === 'roles' || claim === 'groups',
  );
  if (!wanted.length) return undefined;
  const entry = await deps.directory.entryOf(token.accountId);
  return Object.fromEntries(wanted.map((claim) => [claim, [...entry[claim]]]));
}
