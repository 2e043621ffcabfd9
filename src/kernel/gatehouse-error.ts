import { errorCodeEntry, type ErrorCode } from './error-codes.js';

export interface GatehouseErrorOptions {
  /** When to try again, for `Retry-After` (RFC 6585 §4, RFC 9110 §10.2.3). */
  readonly retryAfterSeconds?: number;
  /** What exactly was refused, without words: see GatehouseError's `detail`. */
  readonly detail?: ErrorDetail;
  readonly cause?: unknown;
}

/**
 * A refusal's particulars as names and numbers (`{ attribute: 'team_size', rule: 'notANumber' }`),
 * never sentences: the pages word them in the person's language (interactions/refusal-text.ts),
 * while the message stays the English of logs, the CLI and the management API.
 */
export type ErrorDetail = Readonly<Record<string, string | number | readonly (string | number)[]>>;

/**
 * The one base of Gatehouse's own errors: a stable `code` from the registry (src/kernel/error-codes.ts),
 * the HTTP `status` that code is answered with, whether the message may be shown (`expose`), and
 * when to come back. The HTTP answer (src/http/error-handler.ts, interactions/answer-refusal.ts) and
 * the CLI's exit code (src/cli/cli-exit-code.ts) are read from here, never kept per route.
 */
export class GatehouseError<C extends ErrorCode = ErrorCode> extends Error {
  readonly status: number;
  /**
   * 4xx messages are written for the person or client who can fix the request. A 5xx message may
   * carry internals (paths, hosts, driver text), which must not reach them (OWASP ASVS 4.0 §7.4.1,
   * a generic message on an unexpected error), so it is not exposed unless its code says its
   * message was written for people: the line oidc-provider draws too (`expose = status < 500`).
   */
  readonly expose: boolean;
  readonly retryAfterSeconds?: number;
  readonly detail?: ErrorDetail;

  constructor(
    readonly code: C,
    message: string,
    options: GatehouseErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const entry = errorCodeEntry(code);
    this.status = entry.status;
    this.expose = entry.status < 500 || entry.expose === true;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
    if (options.detail !== undefined) this.detail = options.detail;
  }
}
