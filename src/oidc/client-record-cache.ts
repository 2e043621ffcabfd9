import type { LiveRecord } from '../db/oidc-record-queries.js';

/**
 * Says, before each use of the cache, whether it may be used now. It is what makes a cached client
 * as current as the database: on PostgreSQL a LISTEN connection that hears of every change
 * (client-change-notifications.ts), on SQLite the file's data version (client-data-version.ts).
 */
export interface CacheGuard {
  /**
   * Starts watching (once, on first use; a CLI command that never looks up a client never opens a
   * connection for it). `changed` forgets every cached client (`id` unknown) or one.
   */
  start(changed: (id?: string) => void): void;
  /** False while changes could go unseen (not yet listening, connection lost): bypass the cache. */
  usable(): boolean | Promise<boolean>;
  /** After this process changed clients: resolves once every other cache has heard of it. */
  announce?(): Promise<void>;
  close(): Promise<void>;
}

export type CacheLookup = 'hit' | 'miss' | 'bypass';

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
 * kept in memory (least recently used first out) while a guard says no change can go unseen. The
 * record is kept as stored, so the adapter parses it afresh and oidc-provider validates it as it
 * does any record. Removals are never delayed by a lifetime: each change forgets the client at once,
 * and whenever the guard cannot vouch for the cache it is emptied and bypassed.
 *
 * `generation` closes the race of a look-up that read the row just before a change and returns
 * just after it: whatever it read is not kept if anything was forgotten in between.
 */
export function createClientRecordCache(
  guard: CacheGuard,
  options: { size?: number; onLookup?: (result: CacheLookup) => void } = {},
): ClientRecordCache {
  const size = options.size ?? CLIENT_CACHE_SIZE;
  const entries = new Map<string, LiveRecord>();
  let generation = 0;
  let started = false;

  const changed = (id?: string) => {
    generation += 1;
    if (id === undefined) entries.clear();
    else entries.delete(id);
  };

  return {
    async find(id, now, load) {
      if (!started) {
        started = true;
        guard.start(changed);
      }
      if (!(await guard.usable())) {
        changed();
        options.onLookup?.('bypass');
        return load();
      }
      const cached = entries.get(id);
      if (cached) {
        // A Map iterates in insertion order: re-inserting makes this the most recently used.
        entries.delete(id);
        if (isLive(cached, now)) {
          entries.set(id, cached);
          options.onLookup?.('hit');
          return cached;
        }
      }
      const before = generation;
      const record = await load();
      options.onLookup?.('miss');
      if (record && generation === before && (await guard.usable()) && generation === before) {
        entries.delete(id);
        entries.set(id, record);
        if (entries.size > size) entries.delete(entries.keys().next().value as string);
      }
      return record;
    },
    async changed(id) {
      changed(id);
      await guard.announce?.();
    },
    close: () => guard.close(),
  };
}

/** No cache: every look-up reads the database (an adapter built without one: tests, tools). */
export const uncachedClients: ClientRecordCache = {
  find: (_id, _now, load) => load(),
  changed: async () => undefined,
  close: async () => undefined,
};
