import type { Context } from 'koa';
import { errorCodeEntry } from '../src/kernel/error-codes.js';
import { GatehouseError } from '../src/kernel/gatehouse-error.js';
import type { ErrorCode } from '../src/kernel/error-codes.js';
import type { MessageKey } from '../src/i18n/message-catalogue.js';
import { waitOf } from '../src/kernel/wait-in-words.js';
import { t } from './page/translate.js';

/**
 * The refusals a person meets while signing in, in the page's language, by the error's stable code.
 * The service's message is English; a code without a key here is shown with it.
 */
const REFUSALS: Partial<Record<ErrorCode, MessageKey>> = {
  ERR_MFA_CODE_INVALID: 'refusal.ERR_MFA_CODE_INVALID',
  ERR_MFA_ALREADY_ENROLLED: 'refusal.ERR_MFA_ALREADY_ENROLLED',
  ERR_MFA_NOT_ENROLLED: 'refusal.ERR_MFA_NOT_ENROLLED',
  ERR_MFA_THROTTLED: 'refusal.ERR_MFA_THROTTLED',
  ERR_PASSKEY_CHALLENGE: 'refusal.ERR_PASSKEY_CHALLENGE',
};

/** The words for a refusal: its code's message in the page's language, else the service's own. */
export function refusalText(error: GatehouseError): string {
  const key = Object.hasOwn(REFUSALS, error.code) ? REFUSALS[error.code as ErrorCode] : undefined;
  if (key) return t(key, waitOf(error.retryAfterSeconds ?? 0));
  return error.message || t('refusal.fallback');
}

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
