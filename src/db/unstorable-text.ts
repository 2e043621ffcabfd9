import { GatehouseError } from '../kernel/gatehouse-error.js';
import { inDatabaseErrorChain } from './database-error-chain.js';

/**
 * A value with a NUL character (U+0000) sent to PostgreSQL, whose text cannot hold one (SQLSTATE
 * 22021, "invalid byte sequence for encoding "UTF8": 0x00"; https://www.postgresql.org/docs/current/datatype-character.html).
 * No stored value contains one, so the request that carried it is malformed: a client id, a token,
 * a path segment or a form field with `%00` in it. Shaped like DatabaseUnavailableError, so that
 * oidc-provider's error handlers and ours answer 400 `invalid_request` (RFC 6749 §5.2), never a
 * 500. SQLite stores such text, and no look-up finds it.
 */
export class UnstorableTextError extends GatehouseError<'ERR_TEXT_UNSTORABLE'> {
  /** oidc-provider reads `statusCode` (ours reads `status`). */
  readonly statusCode = 400;
  readonly error = 'invalid_request';
  readonly error_description = 'A value contains a NUL character (U+0000), which is not accepted.';
  constructor(cause: unknown) {
    // oidc-provider uses an exposed error's message as the OAuth `error` code.
    super('ERR_TEXT_UNSTORABLE', 'invalid_request', { cause });
  }
}

/** Whether `error` (or what it wraps) is PostgreSQL refusing a NUL character. */
export const isUnstorableText = (error: unknown): boolean =>
  inDatabaseErrorChain(
    error,
    (e) =>
      e instanceof UnstorableTextError ||
      e.code === '22021' ||
      e.originalCode === '22021' ||
      (typeof e.message === 'string' && e.message.includes('invalid byte sequence for encoding "UTF8": 0x00')),
  );
