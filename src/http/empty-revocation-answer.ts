import type { Context } from 'koa';

/**
 * RFC 7009 §2.2: a successful revocation is a 200 whose body is ignored. The provider answers with
 * an empty string, which Koa labels text/plain; browser libraries that check the type of every
 * answer (oidc-client-ts' revokeTokens) then fail after the token was in fact revoked. An empty
 * body carries no Content-Type at all.
 */
export function emptyRevocationAnswer(ctx: Context): void {
  if (ctx.status === 200 && ctx.body === '' && ctx.path === '/token/revocation') ctx.remove('Content-Type');
}
