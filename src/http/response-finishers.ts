import type { Context, Middleware } from 'koa';

/** Sets what every answer carries, once everything inside has run (its status, type and headers are final). */
export type ResponseFinisher = (ctx: Context) => void;

/**
 * The finishing touches every answer gets (security headers, Pragma beside no-store, Retry-After
 * on a 503, …), in the order given, after the error handler inside has turned any error into an
 * answer, and also when something escapes it. One layer for all of them rather than one each:
 * every layer is a promise and an async frame on every request, which the token endpoints paid
 * for (docs/benchmarks.md, "The ladder").
 */
export function responseFinishers(before: (ctx: Context) => void, finishers: readonly ResponseFinisher[]): Middleware {
  return async (ctx, next) => {
    before(ctx);
    try {
      await next();
    } finally {
      for (const finish of finishers) finish(ctx);
    }
  };
}
