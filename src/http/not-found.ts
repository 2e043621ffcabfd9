import type { Middleware } from 'koa';

/**
 * Once everything after it has passed on a request (routers may still answer 405), turns Koa's
 * bare "Not Found" text into a 404 of the same shape as every other error: page or JSON.
 */
export function notFound(): Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.status === 404 && ctx.body == null) ctx.throw(404, 'There is nothing at this address.', { error: 'not_found' });
  };
}
