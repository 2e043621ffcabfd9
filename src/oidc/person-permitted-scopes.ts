import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { PersonDirectory } from '../directory/person-directory.js';

/**
 * The person a token for an API is being issued to, if any: the account of the code or refresh
 * token at the token endpoint (the provider has checked it is still there), or the signed-in
 * person at the authorization endpoint, where consent is asked. A client_credentials request has
 * no person, nor has an authorization request before sign-in (it asks again once signed in).
 */
export function tokenPerson(ctx: KoaContextWithOIDC): string | undefined {
  const { entities } = ctx.oidc;
  const source = entities.AuthorizationCode ?? entities.RefreshToken;
  if (source) return source.accountId;
  if (ctx.oidc.route === 'token') return undefined;
  return ctx.oidc.session?.accountId;
}

/**
 * The scopes a token endpoint request will put in the token: those named in `scope`, else the
 * code's or refresh token's (RFC 6749 §6). None at the authorization endpoint.
 */
function scopesAskedAtTokenEndpoint(ctx: KoaContextWithOIDC): Set<string> | undefined {
  const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
  if (!source) return undefined;
  return ctx.oidc.params?.scope ? ctx.oidc.requestParamScopes : source.scopes;
}

/**
 * For an API with role-based access control, narrows `allowed` (the API's scopes the client is
 * granted) to those the person's roles permit, read now: a role change takes effect at the next
 * token or refresh. The provider then keeps in the token only what was also asked and consented,
 * and asks consent for nothing else. An API without RBAC, and every client_credentials token, get
 * `allowed` unchanged (machine clients have their grants).
 *
 * A token request left with none of the scopes it asks is refused with invalid_scope (RFC 6749
 * §5.2: it exceeds what the resource owner may grant) rather than answered with a token for the API
 * that carries no scope: an API that checks only the audience would take that as access.
 */
export async function permittedForPerson(
  ctx: KoaContextWithOIDC,
  resource: { readonly identifier: string; readonly rbac: boolean },
  allowed: readonly string[],
  permittedScopes: PersonDirectory['permittedScopes'],
): Promise<string[]> {
  const person = resource.rbac ? tokenPerson(ctx) : undefined;
  if (person === undefined) return [...allowed];
  const permitted = await permittedScopes(person, resource.identifier);
  const scopes = allowed.filter((scope) => permitted.has(scope));
  const asked = scopesAskedAtTokenEndpoint(ctx);
  if (asked && !scopes.some((scope) => asked.has(scope))) {
    const wanted = [...asked].filter((scope) => allowed.includes(scope));
    throw new errors.InvalidScope(
      `the person's roles permit none of the requested scopes on ${resource.identifier}`,
      wanted.join(' '),
    );
  }
  return scopes;
}

/**
 * The API a refresh_token request will issue for, resolved as the provider does after rotating the
 * refresh token (its resolve_resource.js with our useGrantedResource, false): `resource` when
 * given, else the token's one API when the refresh asks no `openid` (with `openid`, the token is
 * for userinfo). Used to refuse before the rotation, so a refused refresh keeps its token.
 */
export function refreshTarget(ctx: KoaContextWithOIDC): string | undefined {
  const token = ctx.oidc.entities.RefreshToken;
  if (!token) return undefined;
  const param = ctx.oidc.params?.resource;
  if (typeof param === 'string') return param;
  if (param !== undefined) return undefined;
  const stored: unknown = token.resource;
  const single = Array.isArray(stored) ? (stored.length === 1 ? stored[0] : undefined) : stored;
  const scopes = scopesAskedAtTokenEndpoint(ctx);
  return typeof single === 'string' && !scopes?.has('openid') ? single : undefined;
}
