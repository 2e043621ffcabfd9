import type { Context } from 'koa';
import { DATABASE_RETRY_AFTER_SECONDS } from '../db/database-unavailable.js';

/**
 * Every 503 says when to come back (RFC 9110 §10.2.3), including those oidc-provider's own error
 * handler wrote for a database outage (it sets no headers); a 503 that chose its own value keeps it.
 */
export function retryAfter(ctx: Context): void {
  if (ctx.status === 503 && !ctx.response.get('Retry-After'))
    ctx.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
}
