import { createGuardedCache, forgetAfter, type CacheGuard, type CacheLookup } from '../oidc/guarded-cache.js';
import type { ConnectionQueries, ConnectionRow, PreparedConnectionList } from './connection-queries.js';

export interface ConnectionListCache {
  /** `prepared`'s list answered from memory while the guard vouches for it. */
  list(prepared: PreparedConnectionList): PreparedConnectionList;
  /** Every write this process makes to the Connection table forgets the list, here and everywhere. */
  forgetOnWrite(queries: ConnectionQueries): ConnectionQueries;
}

/** The one entry: the list is read and forgotten whole. */
const LIST = 'all';

/** Shared by every request from now on: nobody may change what one request was given. */
const frozen = (rows: readonly ConnectionRow[]): readonly ConnectionRow[] => {
  for (const row of rows) Object.freeze(row);
  return Object.freeze(rows);
};

/**
 * Every connection, kept in memory: the sign-in page lists them ("Continue with …") on each of its
 * requests and home-realm discovery reads them again on each password sign-in, while the table
 * holds a handful of rows that change rarely. It sits behind the same guard as the clients and APIs
 * (src/oidc/guarded-cache.ts), which bypasses it whenever a change could go unseen: on PostgreSQL
 * the Connection table's trigger notifies every instance, on SQLite the data version moves for other
 * writers, and this process's own writes forget it directly. So a change made through Gatehouse (this
 * process, the CLI, another instance) shows at the very next sign-in page everywhere; SQL by hand
 * does too on SQLite, and on PostgreSQL once its notification arrives. Only the list is cached: one
 * connection (`findById`, `findByName`: an upstream trip, a change) is read from the table.
 */
export function createConnectionListCache(
  guard: CacheGuard,
  options: { onLookup?: (result: CacheLookup) => void } = {},
): ConnectionListCache {
  const cache = createGuardedCache<readonly ConnectionRow[]>(guard, { size: 1, onLookup: options.onLookup });
  return {
    list: (prepared) => ({
      list: async () => (await cache.find(LIST, async () => frozen(await prepared.list()))) ?? [],
    }),
    forgetOnWrite: (queries) => ({
      ...queries,
      insert: forgetAfter(cache, queries.insert),
      update: forgetAfter(cache, queries.update),
      remove: forgetAfter(cache, queries.remove),
    }),
  };
}
