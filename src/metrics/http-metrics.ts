import type { Context, Middleware } from 'koa';
import type { Metrics } from './create-metrics.js';

interface RoutedContext {
  /** Set by @koa/router: the path template that matched ("/interaction/:uid/login"). */
  _matchedRoute?: unknown;
  /** Set by oidc-provider on the shared context: its route name ("token", "authorization"). */
  oidc?: { route?: string };
}

/** The route template a request matched, never its raw path (which would carry ids and grow without bound). */
export function routeOf(ctx: Context): string {
  const routed = ctx as unknown as RoutedContext;
  const providerRoute = routed.oidc?.route;
  if (typeof providerRoute === 'string' && /^[a-z_]{1,40}$/.test(providerRoute)) return `oidc:${providerRoute}`;
  if (typeof routed._matchedRoute === 'string' && routed._matchedRoute.length <= 80) return routed._matchedRoute;
  return ctx.status === 404 ? 'unmatched' : 'other';
}

/** Whether an introspection answer (RFC 7662 JSON, or an RFC 9701 JWT) says the token is active. */
function introspectionActive(body: unknown): boolean {
  if (body && typeof body === 'object') return (body as { active?: unknown }).active === true;
  if (typeof body === 'string') {
    try {
      const payload = JSON.parse(Buffer.from(body.split('.')[1] ?? '', 'base64url').toString()) as {
        token_introspection?: { active?: unknown };
      };
      return payload.token_introspection?.active === true;
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * Times every request by route template and status, and counts introspection (RFC 7662) and
 * revocation (RFC 7009) answers by result, whichever part answered (the provider for opaque
 * tokens, structured-token-endpoints.ts for JWTs). Runs outermost, so errors are counted too.
 */
export function httpMetrics(metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(ctx);
      metrics.httpRequest(ctx.method, route, ctx.status, seconds);
      if (ctx.method === 'POST' && route === 'oidc:introspection') {
        metrics.introspection(ctx.status !== 200 ? 'refused' : introspectionActive(ctx.body) ? 'active' : 'inactive');
      } else if (ctx.method === 'POST' && route === 'oidc:revocation') {
        metrics.revocation('token', ctx.status === 200 ? 'revoked' : 'refused');
      }
    }
  };
}
