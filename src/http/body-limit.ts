import type { Context, Middleware, Next } from 'koa';
import { readBoundedBody, replaceRequestBody } from './request-body.js';

/** Nothing Gatehouse accepts comes near this: forms and token requests are a few KiB. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Every request body is at most `maxBytes`, or the request gets 413 at once (ASVS 4.0 §13.1.3 /
 * 5.0 §4.1: bounded input). A declared Content-Length is checked before anyone reads. A body sent
 * without one (chunked) is read here, counting, up to the limit, then handed on with its length
 * declared: no parser after us (ours, oidc-provider's) can meet an unbounded stream, and none has
 * to give up half-way through one (which answered a bare 500 and reset the connection).
 */
export function bodyLimit(maxBytes = MAX_BODY_BYTES): Middleware {
  const readChunked = async (ctx: Context, next: Next) => {
    const body = await readBoundedBody(ctx.req, maxBytes);
    if (!body) tooLarge(ctx, maxBytes);
    replaceRequestBody(ctx, body);
    await next();
  };
  // Not async unless there is a chunked body to read: every request comes by.
  return (ctx, next) => {
    const declared = ctx.get('Content-Length');
    if (declared) {
      if (Number(declared) > maxBytes) tooLarge(ctx, maxBytes, Number(declared));
      return next();
    }
    return ctx.get('Transfer-Encoding') ? readChunked(ctx, next) : next();
  };
}

function tooLarge(ctx: Context, maxBytes: number, declared?: number): never {
  ctx.state.log?.warn({ maxBytes, declared, path: ctx.path }, 'request body too large');
  // The unread rest of the body must not be taken for the next request: close after answering.
  return ctx.throw(413, `request body is larger than ${maxBytes} bytes`, {
    error: 'invalid_request',
    headers: { Connection: 'close' },
  });
}
