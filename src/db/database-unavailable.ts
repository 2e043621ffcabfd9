import { GatehouseError } from '../kernel/gatehouse-error.js';
import { UnstorableTextError, isUnstorableText } from './unstorable-text.js';

/** Seconds a client is told to wait (Retry-After) while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * The database cannot be reached or cannot write right now (PostgreSQL down or restarting, a
 * connection dropped, the pool exhausted, an SQLite file that is read-only or on a full disk).
 * Shaped as an exposed HTTP error, so that oidc-provider's own error handlers and ours answer
 * 503 with the OAuth error `temporarily_unavailable` (RFC 6749 §4.1.2.1) as JSON or as the error
 * page, never a 500 with internals, with `Retry-After` (RFC 9110 §10.2.3; src/http/retry-after.ts adds
 * it to oidc-provider's answers, which set no headers).
 */
export class DatabaseUnavailableError extends GatehouseError<'ERR_DATABASE_UNAVAILABLE'> {
  /** oidc-provider reads `statusCode` (ours reads `status`). */
  readonly statusCode = 503;
  readonly error = 'temporarily_unavailable';
  readonly error_description = 'The service is temporarily unavailable. Please try again in a moment.';
  constructor(cause: unknown) {
    // oidc-provider uses an exposed error's message as the OAuth `error` code.
    super('ERR_DATABASE_UNAVAILABLE', 'temporarily_unavailable', {
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      cause,
    });
  }
}

/** Prisma's codes for "cannot reach / lost / timed out / pool exhausted". */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** Driver-adapter error kinds with the same meaning (@prisma/driver-adapter-utils). */
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionAlreadyClosed',
]);
/** PostgreSQL SQLSTATEs: connection exceptions (08…), shutting down or starting up (57P01–57P03). */
const PG_STATES = /^(08\d{3}|57P0[123])$/;
/** SQLite result codes: busy/locked past the timeout, read-only, disk I/O error, disk full, cannot open. */
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN)/;
const NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
]);

interface ErrorLike {
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: unknown } };
}

/** Whether `error` (or what it wraps) says the database is unavailable rather than the request is wrong. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  if (error instanceof DatabaseUnavailableError) return true;
  const e = error as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : typeof e.originalCode === 'string' ? e.originalCode : '';
  if (PRISMA_CODES.has(code) || PG_STATES.test(code) || SQLITE_CODES.test(code) || NODE_CODES.has(code)) return true;
  if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
  // Prisma wraps the driver's error; SQLite reports some conditions only in the message.
  if (
    typeof e.message === 'string' &&
    /readonly database|database or disk is full|disk I\/O error|database is locked|Can't reach database server|Connection terminated/i.test(
      e.message,
    )
  )
    return true;
  return (
    isDatabaseUnavailable(e.meta?.driverAdapterError?.cause, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1)
  );
}

/**
 * `error` as a DatabaseUnavailableError when it is one in substance, as an UnstorableTextError
 * when the request sent a NUL character (a 400, not the database's fault); otherwise unchanged.
 */
export function asDatabaseUnavailable(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError || error instanceof UnstorableTextError) return error;
  if (isDatabaseUnavailable(error)) return new DatabaseUnavailableError(error);
  return isUnstorableText(error) ? new UnstorableTextError(error) : error;
}
