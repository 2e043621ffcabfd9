import type { Middleware } from 'koa';

/**
 * Once everything after it has passed on a request, turns Koa's bare "Not Found" and a router's
 * bare "Method Not Allowed" (a GET to a form's address, say) into errors of the same shape as
 * every other: page or JSON. The 405 keeps the router's `Allow` header (RFC 9110 §15.5.6).
 */
export function notFound(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.body != null) return;
    if (ctx.status === 404) ctx.throw(404, 'There is nothing at this address.', { error: 'not_found' });
    if (ctx.status === 405) {
      ctx.throw(405, `This address does not take ${ctx.method} requests.`, {
        error: 'invalid_request',
        headers: { Allow: ctx.response.get('Allow') },
      });
    }
  };
}
