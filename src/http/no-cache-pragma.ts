import type { Context } from 'koa';

/**
 * Every answer that must not be stored (`Cache-Control: no-store`: token responses and errors,
 * introspection, userinfo, our error pages) also carries `Pragma: no-cache` for HTTP/1.0 caches,
 * which ignore Cache-Control. RFC 6749 §5.1 asks token responses for both; oidc-provider sends only
 * the first.
 */
export function noCachePragma(ctx: Context): void {
  if (/\bno-store\b/i.test(ctx.response.get('Cache-Control'))) ctx.set('Pragma', 'no-cache');
}
