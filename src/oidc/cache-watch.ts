import type { CacheGuard } from './guarded-cache.js';

/**
 * The tables whose rows are kept in memory: the token path's clients (OidcRecord) and APIs, and
 * the sign-in page's list of connections (src/connections/connection-list-cache.ts).
 */
export type CachedTable = 'Client' | 'Resource' | 'Connection';

/**
 * Watches the store for every cache at once: one LISTEN connection on PostgreSQL
 * (cache-change-notifications.ts), one data version on SQLite (cache-data-version.ts). It reports a
 * change to one row of a table (`table` and `id`), to any row of one (`table` alone), or to
 * anything (neither: the data version moved, LISTEN was found or lost).
 */
export interface CacheWatch {
  start(changed: (table?: CachedTable, id?: string) => void): void;
  usable(): boolean | Promise<boolean>;
  announce?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The guard each cache is given: its table's changes from the one watch, started with the first
 * cache that is used and closed with the first that closes (they close together).
 */
export function guardsOf(watch: CacheWatch): (table: CachedTable) => CacheGuard {
  const listeners: { table: CachedTable; changed: (id?: string) => void }[] = [];
  let started = false;
  let closed: Promise<void> | undefined;
  const dispatch = (table?: CachedTable, id?: string) => {
    for (const listener of listeners) {
      if (table === undefined) listener.changed();
      else if (listener.table === table) listener.changed(id);
    }
  };
  return (table) => ({
    start(changed) {
      listeners.push({ table, changed });
      if (started) return;
      started = true;
      watch.start(dispatch);
    },
    usable: () => watch.usable(),
    announce: async () => watch.announce?.(),
    close: () => (closed ??= watch.close()),
  });
}
