import type { DriverConnection } from '../db/create-prisma.js';
import { pgConfig } from '../db/create-prisma.js';
import type { Logger } from '../kernel/logger.js';
import { createClientRecordCache, type CacheLookup, type ClientRecordCache } from './client-record-cache.js';
import { clientChangeNotifications } from './client-change-notifications.js';
import { clientDataVersion } from './client-data-version.js';

export interface ClientCacheDeps {
  readonly driver: DriverConnection;
  readonly databaseUrl: string;
  readonly logger?: Logger;
  readonly onLookup?: (result: CacheLookup) => void;
  /** How many clients it keeps (CLIENT_CACHE_SIZE). */
  readonly size?: number;
}

/** How the LISTEN connection names itself in pg_stat_activity. */
export const CLIENT_CACHE_APPLICATION = 'gatehouse client cache';

/**
 * The client cache for the store: on PostgreSQL guarded by a LISTEN connection of its own (named
 * in pg_stat_activity, so an operator can tell it from the pool's), on SQLite by the file's data
 * version.
 */
export function createClientCache({ driver, databaseUrl, logger, onLookup, size }: ClientCacheDeps): ClientRecordCache {
  if (driver.store === 'postgresql') {
    const { max: _max, ...connection } = pgConfig(databaseUrl);
    return createClientRecordCache(
      clientChangeNotifications({ ...connection, application_name: CLIENT_CACHE_APPLICATION }, logger),
      { onLookup, size },
    );
  }
  return createClientRecordCache(clientDataVersion(driver.outsideTransaction), { onLookup, size });
}
