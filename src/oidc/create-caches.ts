import type { DriverConnection } from '../db/create-prisma.js';
import { pgConfig } from '../db/create-prisma.js';
import type { Logger } from '../kernel/logger.js';
import { createClientRecordCache, type ClientRecordCache } from './client-record-cache.js';
import type { CacheGuard, CacheLookup } from './guarded-cache.js';
import { cacheChangeNotifications } from './cache-change-notifications.js';
import { cacheDataVersion } from './cache-data-version.js';
import { guardsOf, type CacheWatch } from './cache-watch.js';
import { createResourceCache, type ResourceCache } from './resource-cache.js';

export interface CacheDeps {
  readonly driver: DriverConnection;
  readonly databaseUrl: string;
  readonly logger?: Logger;
  readonly onClientLookup?: (result: CacheLookup) => void;
  readonly onResourceLookup?: (result: CacheLookup) => void;
  /** How many clients it keeps (CLIENT_CACHE_SIZE). */
  readonly clientCacheSize?: number;
}

export interface Caches {
  readonly clients: ClientRecordCache;
  readonly resources: ResourceCache;
  /**
   * The guard for the sign-in page's list of connections: the cache itself is built where the
   * connections are (src/connections/connection-list-cache.ts), a floor above this one.
   */
  readonly connectionGuard: CacheGuard;
  close(): Promise<void>;
}

/** How the LISTEN connection names itself in pg_stat_activity. */
export const CLIENT_CACHE_APPLICATION = 'gatehouse client cache';

/**
 * The watch for the store: on PostgreSQL a LISTEN connection of its own (named in
 * pg_stat_activity, so an operator can tell it from the pool's), on SQLite the file's data version.
 */
function watchFor({ driver, databaseUrl, logger }: CacheDeps): CacheWatch {
  if (driver.store === 'postgresql') {
    const { max: _max, ...connection } = pgConfig(databaseUrl);
    return cacheChangeNotifications({ ...connection, application_name: CLIENT_CACHE_APPLICATION }, logger);
  }
  return cacheDataVersion(driver.batched);
}

/**
 * The clients and APIs of the token path in memory, and the guard of the connections the sign-in
 * page lists, all behind one watch of the store.
 */
export function createCaches(deps: CacheDeps): Caches {
  const guardFor = guardsOf(watchFor(deps));
  const clients = createClientRecordCache(guardFor('Client'), {
    onLookup: deps.onClientLookup,
    size: deps.clientCacheSize,
  });
  const resources = createResourceCache(guardFor('Resource'), { onLookup: deps.onResourceLookup });
  return {
    clients,
    resources,
    connectionGuard: guardFor('Connection'),
    // The caches share one watch (cache-watch.ts): closing any cache's guard closes it.
    close: () => clients.close(),
  };
}
