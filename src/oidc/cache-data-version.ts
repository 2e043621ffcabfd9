import type { sqliteStatementBatch } from '../db/sqlite-statement-batch.js';
import { preparedOnConnection } from '../db/prepared-statements.js';
import type { CacheWatch } from './cache-watch.js';

/** The data version is a read: the batch it joins need not take the write lock for it. */
const writesNothing = () => false;

/**
 * The SQLite watch of the caches: `PRAGMA data_version` moves whenever another connection (a CLI
 * command, `sqlite3`) commits to the file, so any move empties every cache before it is used. It
 * does not move for this connection's own commits: the process's own writes to clients, APIs and
 * connections forget them directly (client-cache-invalidation.ts, resource-cache.ts,
 * src/connections/connection-list-cache.ts).
 *
 * The version is read with the other statements of the turn (sqlite-statement-batch.ts), and one
 * read answers every use of a cache asked for before it ran: each of them asked in that turn, so
 * the version is read after the use was asked for and a cache is never older than the request
 * that uses it. A use asked once the read has run waits for a read of its own.
 */
export function cacheDataVersion(batched: ReturnType<typeof sqliteStatementBatch>): CacheWatch {
  let changed: () => void = () => undefined;
  // A new connection has a data version of its own: the first read on it counts as a change.
  let seen: unknown;
  let pending: Promise<boolean> | undefined;
  const statement = preparedOnConnection((db) => {
    seen = undefined;
    return db.prepare('PRAGMA data_version').pluck();
  });
  const read = (): Promise<boolean> => {
    const reading = batched((db) => {
      pending = undefined;
      return statement(db).get();
    }, writesNothing).then(
      (version) => {
        if (version !== seen) {
          changed();
          seen = version;
        }
        return true;
      },
      (error: unknown) => {
        // A read that never ran (the connection closed) must not answer every later use.
        if (pending === reading) pending = undefined;
        throw error;
      },
    );
    return reading;
  };
  return {
    start(onChange) {
      changed = () => onChange();
    },
    usable: () => (pending ??= read()),
    close: async () => undefined,
  };
}
