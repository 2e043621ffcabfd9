import type { Middleware } from 'koa';

/** Nothing Gatehouse accepts comes near this: forms and token requests are a few KiB. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Refuses a declared-oversized body before anyone reads it. Bodies without a length are still
 * bounded by each parser's own limit (oidc-provider's and ours).
 */
export function bodyLimit(maxBytes = MAX_BODY_BYTES): Middleware {
  return async (ctx, next) => {
    const declared = Number(ctx.get('Content-Length') || 0);
    if (declared > maxBytes) {
      ctx.throw(413, `request body is larger than ${maxBytes} bytes`, { error: 'invalid_request' });
    }
    await next();
  };
}
