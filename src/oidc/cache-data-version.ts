import type { SqliteTransactionGate } from '../db/sqlite-transaction-gate.js';
import { preparedOnConnection } from '../db/prepared-statements.js';
import type { CacheWatch } from './cache-watch.js';

/**
 * The SQLite watch of the caches: `PRAGMA data_version` moves whenever another connection (a CLI
 * command, `sqlite3`) commits to the file, so any move empties every cache before it is used. It
 * does not move for this connection's own commits: the process's own writes to clients, APIs and
 * connections forget them directly (client-cache-invalidation.ts, resource-cache.ts,
 * src/connections/connection-list-cache.ts).
 */
export function cacheDataVersion(outsideTransaction: SqliteTransactionGate['outsideTransaction']): CacheWatch {
  let changed: () => void = () => undefined;
  // A new connection has a data version of its own: the first read on it counts as a change.
  let seen: unknown;
  const statement = preparedOnConnection((db) => {
    seen = undefined;
    return db.prepare('PRAGMA data_version').pluck();
  });
  return {
    start(onChange) {
      changed = () => onChange();
    },
    async usable() {
      const version: unknown = await outsideTransaction((db) => statement(db).get());
      if (version !== seen) {
        changed();
        seen = version;
      }
      return true;
    },
    close: async () => undefined,
  };
}
