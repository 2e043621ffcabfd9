import type Database from 'better-sqlite3';
import type { CacheGuard } from './client-record-cache.js';

/**
 * The SQLite guard of the client cache: `PRAGMA data_version` moves whenever another connection
 * (a CLI command, `sqlite3`) commits to the file, so any move empties the cache before it is used.
 * It does not move for this connection's own commits: the process's own writes to clients forget
 * them directly (client-cache-invalidation.ts).
 */
export function clientDataVersion(connection: () => Promise<Database.Database>): CacheGuard {
  let changed: (id?: string) => void = () => undefined;
  let statement: Database.Statement | undefined;
  let preparedOn: Database.Database | undefined;
  let seen: unknown;
  return {
    start(onChange) {
      changed = onChange;
    },
    async usable() {
      const db = await connection();
      if (!statement || preparedOn !== db) {
        statement = db.prepare('PRAGMA data_version').pluck();
        preparedOn = db;
        seen = undefined;
      }
      const version: unknown = statement.get();
      if (version !== seen) {
        changed();
        seen = version;
      }
      return true;
    },
    close: async () => undefined,
  };
}
