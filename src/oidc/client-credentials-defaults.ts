import { errors, type Client, type KoaContextWithOIDC } from 'oidc-provider';
import { resourceGrantsOf } from '../clients/resource-grants.js';

const isClientCredentials = (ctx: KoaContextWithOIDC) =>
  ctx.oidc.route === 'token' && ctx.oidc.params?.grant_type === 'client_credentials';

/**
 * The API a client_credentials request is for when it names none (RFC 8707 §2 lets the server use a
 * predefined default or require the parameter): the one API granted to the client. A client granted
 * several (or none) must say which with `resource`; a token for no API would be refused by every API.
 * Other requests keep no default: a sign-in without `resource` gets the token for userinfo.
 */
export function clientCredentialsResource(ctx: KoaContextWithOIDC, client: Client): string | undefined {
  if (!isClientCredentials(ctx)) return undefined;
  const granted = Object.keys(resourceGrantsOf(client));
  if (granted.length === 1) return granted[0];
  throw new errors.InvalidTarget(
    granted.length
      ? 'this client may use several APIs: name one with the resource parameter'
      : 'this client may not ask for any API',
  );
}

/**
 * RFC 6749 §3.3: a request without `scope` gets the documented default, every scope of the API that
 * the client is granted (`allowed`). Libraries send none unless told (requests-oauthlib), and a
 * token with no scope would only earn a 401 from the API. Runs while the provider resolves the
 * resource, before it reads the requested scopes.
 */
export function applyClientCredentialsDefaultScope(ctx: KoaContextWithOIDC, allowed: readonly string[]): void {
  if (!isClientCredentials(ctx) || ctx.oidc.params?.scope) return;
  (ctx.oidc.params as { scope?: string }).scope = allowed.join(' ');
}
