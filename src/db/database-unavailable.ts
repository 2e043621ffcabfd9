import { GatehouseError } from '../kernel/gatehouse-error.js';
import { inDatabaseErrorChain, type DatabaseErrorLike } from './database-error-chain.js';

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

/** Whether `error` (or what it wraps) says the database is unavailable rather than the request is wrong. */
export const isDatabaseUnavailable = (error: unknown): boolean => inDatabaseErrorChain(error, saysUnavailable);

function saysUnavailable(e: DatabaseErrorLike): boolean {
  if (e instanceof DatabaseUnavailableError) return true;
  const code = typeof e.code === 'string' ? e.code : typeof e.originalCode === 'string' ? e.originalCode : '';
  if (PRISMA_CODES.has(code) || PG_STATES.test(code) || SQLITE_CODES.test(code) || NODE_CODES.has(code)) return true;
  if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
  // SQLite reports some conditions only in the message.
  return (
    typeof e.message === 'string' &&
    /readonly database|database or disk is full|disk I\/O error|database is locked|Can't reach database server|Connection terminated/i.test(
      e.message,
    )
  );
}
