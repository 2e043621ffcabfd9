import type { Context } from 'koa';
import { errorCodeEntry } from '../src/kernel/error-codes.js';
import { GatehouseError } from '../src/kernel/gatehouse-error.js';
import { refusalText } from './refusal-text.js';

export interface RefusalContext {
  /**
   * The person is proving who they are (a sign-in's second step, a password reset): a wrong secret
   * is answered with its code's `whileAuthenticating` status (401) instead of its usual one.
   */
  readonly authenticating?: boolean;
}

/**
 * A refusal the person can act on, answered on the page they came from: the status its stable
 * `code` has in the one registry (src/kernel/error-codes.ts), and `Retry-After` when the error says
 * when to come back (throttled, RFC 6585 §4; busy, RFC 9110 §10.2.3). Returns the message to show,
 * or undefined when the error is none of these (the caller rethrows it: a bug, or a fault the error
 * handler answers). A database outage is the error handler's too: the page itself needs the database.
 */
export function answerRefusal(
  ctx: Context,
  error: unknown,
  { authenticating = false }: RefusalContext = {},
): string | undefined {
  if (!(error instanceof GatehouseError) || !error.expose || error.code === 'ERR_DATABASE_UNAVAILABLE')
    return undefined;
  ctx.status = (authenticating ? errorCodeEntry(error.code).whileAuthenticating : undefined) ?? error.status;
  if (error.retryAfterSeconds) ctx.set('Retry-After', String(error.retryAfterSeconds));
  return refusalText(error);
}
