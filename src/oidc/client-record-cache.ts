import type { LiveRecord } from '../db/oidc-record-queries.js';
import { createGuardedCache, type CacheGuard, type CacheLookup } from './guarded-cache.js';

export type { CacheGuard, CacheLookup };

export interface ClientRecordCache {
  /** The live Client record `id` as stored, from memory when the guard allows, else from `load`. */
  find(id: string, now: Date, load: () => Promise<LiveRecord | null>): Promise<LiveRecord | null>;
  /**
   * A change this process committed (to every client when `id` is not known): forgets it here at
   * once (on SQLite this connection's own commits do not move the data version), then resolves
   * once every other instance's cache has heard of it too.
   */
  changed(id?: string): Promise<void>;
  close(): Promise<void>;
}

/** Enough for every client of a large deployment; each entry is one client's JSON (about 1 KB). */
export const CLIENT_CACHE_SIZE = 2000;

const isLive = (record: LiveRecord, now: Date) => record.expiresAt === null || record.expiresAt > now;

/**
 * The Client records oidc-provider looks up on every token, introspection and revocation request,
 * kept in memory (guarded-cache.ts). The record is kept as stored, so the adapter parses it afresh
 * and oidc-provider validates it as it does any record; one past its expiry is never answered from
 * memory.
 */
export function createClientRecordCache(
  guard: CacheGuard,
  options: { size?: number; onLookup?: (result: CacheLookup) => void } = {},
): ClientRecordCache {
  const cache = createGuardedCache<LiveRecord>(guard, {
    size: options.size ?? CLIENT_CACHE_SIZE,
    onLookup: options.onLookup,
  });
  return {
    find: (id, now, load) => cache.find(id, load, (record) => isLive(record, now)),
    changed: (id) => cache.changed(id),
    close: () => cache.close(),
  };
}

/** No cache: every look-up reads the database (an adapter built without one: tests, tools). */
export const uncachedClients: ClientRecordCache = {
  find: (_id, _now, load) => load(),
  changed: async () => undefined,
  close: async () => undefined,
};
