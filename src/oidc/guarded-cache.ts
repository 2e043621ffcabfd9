/**
 * Says, before each use of a cache, whether it may be used now. It is what makes a cached row as
 * current as the database: on PostgreSQL a LISTEN connection that hears of every change
 * (cache-change-notifications.ts), on SQLite the file's data version (cache-data-version.ts).
 */
export interface CacheGuard {
  /**
   * Starts watching (once, on first use; a CLI command that never looks anything up never opens a
   * connection for it). `changed` forgets every cached row (`key` unknown) or one.
   */
  start(changed: (key?: string) => void): void;
  /** False while changes could go unseen (not yet listening, connection lost): bypass the cache. */
  usable(): boolean | Promise<boolean>;
  /** After this process changed rows: resolves once every other cache has heard of it. */
  announce?(): Promise<void>;
  close(): Promise<void>;
}

export type CacheLookup = 'hit' | 'miss' | 'bypass';

export interface GuardedCache<V> {
  /**
   * The row `key` from memory when the guard allows and `fresh` (if given) accepts it, else from
   * `load`. Nothing is kept for a key `load` finds no row for.
   */
  find(key: string, load: () => Promise<V | null>, fresh?: (value: V) => boolean): Promise<V | null>;
  /**
   * A change this process committed (to every row when `key` is not known): forgets it here at
   * once (on SQLite this connection's own commits do not move the data version), then resolves
   * once every other instance's cache has heard of it too.
   */
  changed(key?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * `write`, after which `cache` forgets every row it keeps, here at once and, on PostgreSQL, once
 * every other instance has heard (GuardedCache.changed). Forgetting too much (a write that failed
 * or changed nothing) is harmless.
 */
export const forgetAfter =
  <A extends unknown[], R>(cache: Pick<GuardedCache<unknown>, 'changed'>, write: (...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> => {
    try {
      return await write(...args);
    } finally {
      await cache.changed();
    }
  };

/**
 * Rows kept in memory (least recently used first out) while a guard says no change can go unseen.
 * Removals are never delayed by a lifetime: each change forgets the row at once, and whenever the
 * guard cannot vouch for the cache it is emptied and bypassed.
 *
 * `generation` closes the race of a look-up that read the row just before a change and returns
 * just after it: whatever it read is not kept if anything was forgotten in between.
 */
export function createGuardedCache<V>(
  guard: CacheGuard,
  options: { size: number; onLookup?: (result: CacheLookup) => void },
): GuardedCache<V> {
  const { size, onLookup } = options;
  const entries = new Map<string, V>();
  let generation = 0;
  let started = false;

  const changed = (key?: string) => {
    generation += 1;
    if (key === undefined) entries.clear();
    else entries.delete(key);
  };

  return {
    async find(key, load, fresh) {
      if (!started) {
        started = true;
        guard.start(changed);
      }
      if (!(await guard.usable())) {
        changed();
        onLookup?.('bypass');
        return load();
      }
      const cached = entries.get(key);
      if (cached !== undefined) {
        // A Map iterates in insertion order: re-inserting makes this the most recently used.
        entries.delete(key);
        if (!fresh || fresh(cached)) {
          entries.set(key, cached);
          onLookup?.('hit');
          return cached;
        }
      }
      const before = generation;
      const value = await load();
      onLookup?.('miss');
      if (value !== null && generation === before && (await guard.usable()) && generation === before) {
        entries.delete(key);
        entries.set(key, value);
        if (entries.size > size) entries.delete(entries.keys().next().value as string);
      }
      return value;
    },
    async changed(key) {
      changed(key);
      await guard.announce?.();
    },
    close: () => guard.close(),
  };
}
