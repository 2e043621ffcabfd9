import type { Context } from 'koa';

/**
 * A refusal the person can act on, answered on the page they came from: the status its stable
 * `code` maps to in `statuses`, and `Retry-After` when the error says when to come back (throttled,
 * RFC 6585 §4; busy, RFC 9110 §10.2.3). Returns the message to show, or undefined when the error
 * is none of these (the caller rethrows it: a bug, or a fault the error handler answers).
 */
export function answerRefusal(ctx: Context, error: unknown, statuses: Readonly<Record<string, number>>): string | undefined {
  const { code, retryAfterSeconds, message } = (error ?? {}) as { code?: unknown; retryAfterSeconds?: number; message?: string };
  const status = typeof code === 'string' ? statuses[code] : undefined;
  if (!status) return undefined;
  ctx.status = status;
  if (retryAfterSeconds) ctx.set('Retry-After', String(retryAfterSeconds));
  return message ?? 'This request cannot be completed.';
}
