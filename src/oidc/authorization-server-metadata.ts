import type { Context, Middleware, Next } from 'koa';

/** RFC 8414 §3: the well-known URI suffix for OAuth 2.0 authorization server metadata. */
export const AUTHORIZATION_SERVER_METADATA = '/.well-known/oauth-authorization-server';
const OPENID_CONFIGURATION = '/.well-known/openid-configuration';

/**
 * The paths RFC 8414 §3.1 puts the metadata at for this issuer: the well-known suffix, followed by
 * the issuer's path when it has one (`https://host/tenant` → `/.well-known/oauth-authorization-server/tenant`).
 * The bare suffix is answered too: a proxy that strips the issuer's path forwards that.
 */
export function authorizationServerMetadataPaths(issuer: string): string[] {
  const path = new URL(issuer).pathname.replace(/\/+$/, '');
  return path ? [AUTHORIZATION_SERVER_METADATA + path, AUTHORIZATION_SERVER_METADATA] : [AUTHORIZATION_SERVER_METADATA];
}

/**
 * RFC 8414 authorization server metadata, as the MCP authorization spec asks of us. It is the
 * provider's own OpenID discovery document (OIDC Discovery §3, which RFC 8414 §3 says is the same
 * format), answered by the provider itself for this request, so the two can never disagree: same
 * issuer, endpoints, `code_challenge_methods_supported`, and `registration_endpoint` /
 * `client_id_metadata_document_supported` exactly when those are on.
 */
export function authorizationServerMetadata(issuer: string): Middleware {
  const paths = new Set(authorizationServerMetadataPaths(issuer));
  // Not async on the way past: every request goes by here, and only two paths stop.
  return (ctx, next) => (paths.has(ctx.path) ? answer(ctx, next) : next());
  async function answer(ctx: Context, next: Next) {
    const asked = ctx.path;
    ctx.path = OPENID_CONFIGURATION;
    try {
      await next();
    } finally {
      ctx.path = asked;
    }
  }
}
