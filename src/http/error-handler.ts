import type { Middleware } from 'koa';
import type { RenderErrorPage } from './render-error-page.js';
import { asDatabaseError } from '../db/as-database-error.js';

interface HttpishError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  error?: string;
  error_description?: string;
  message?: string;
  headers?: Record<string, string>;
  /** Ours (GatehouseError): when to come back. */
  retryAfterSeconds?: number;
}

/**
 * The last line of defence for our own routes (oidc-provider answers its endpoints itself):
 * browsers get a readable page, API callers an OAuth-style JSON error, and a 5xx never shows
 * internals.
 */
export function errorHandler(renderErrorPage: RenderErrorPage): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (thrown) {
      // A database outage reached here unwrapped (a transaction's BEGIN, say): still a 503.
      const caught = asDatabaseError(thrown);
      const err = (caught ?? {}) as HttpishError;
      const status = err.status ?? err.statusCode ?? 500;
      // The status, `expose` and Retry-After of our own errors come from them (src/kernel/error-codes.ts). 503s
      // that say so (database unavailable, hashing queue full) are shown as they are.
      const exposed = (status < 500 || (status === 503 && err.expose === true)) && err.expose !== false;
      const error = exposed ? (err.error ?? (status === 404 ? 'not_found' : 'invalid_request')) : 'server_error';
      const description = exposed
        ? (err.error_description ?? err.message)
        : 'An unexpected error occurred. It has been logged.';
      if (status === 503) ctx.state.log?.warn({ err: caught }, 'service unavailable');
      else if (status >= 500) ctx.state.log?.error({ err: caught }, 'unhandled error');
      ctx.status = status;
      if (exposed && err.headers) ctx.set(err.headers);
      if (exposed && err.retryAfterSeconds) ctx.set('Retry-After', String(err.retryAfterSeconds));
      if (ctx.accepts('json', 'html') === 'html') {
        renderErrorPage(ctx, {
          error,
          description,
          // oidc-provider's errors carry an OAuth error_description: the app developer's, in English.
          forDeveloper: exposed && err.error_description !== undefined,
          title: status >= 500 ? 'Something went wrong' : 'This request cannot be completed',
        });
      } else {
        ctx.set('Cache-Control', 'no-store');
        ctx.body = { error, error_description: description };
      }
    }
  };
}
