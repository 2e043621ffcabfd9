import { DatabaseUnavailableError, isDatabaseUnavailable } from './database-unavailable.js';
import { UnstorableTextError, isUnstorableText } from './unstorable-text.js';

/**
 * A database error as what it means for the request: a DatabaseUnavailableError (503, come back)
 * when the database cannot be reached or written, an UnstorableTextError (400) when the request
 * sent a NUL character, which PostgreSQL's text cannot hold; otherwise unchanged (a 500, logged).
 */
export function asDatabaseError(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError || error instanceof UnstorableTextError) return error;
  if (isDatabaseUnavailable(error)) return new DatabaseUnavailableError(error);
  return isUnstorableText(error) ? new UnstorableTextError(error) : error;
}
