import type { Db } from '../db/create-prisma.js';

/**
 * One row of the RateLimiterFlexible table: a count (or a block marker) under a key, live until
 * `expire` (never when null). The table, its key format and its value formats are the ones
 * rate-limiter-flexible's Prisma store wrote, so counts and blocks survive an upgrade.
 */
export interface CounterRow {
  readonly key: string;
  readonly points: number;
  readonly expire: Date | null;
}

/** `live` takes up to this many keys (its `IN` list); fewer are padded by repeating one. */
export const LIVE_KEYS = 3;

export const paddedKeys = (keys: readonly string[]): string[] => {
  if (keys.length === 0 || keys.length > LIVE_KEYS) throw new Error(`live takes 1 to ${LIVE_KEYS} keys`);
  return Array.from({ length: LIVE_KEYS }, (_, i) => keys[Math.min(i, keys.length - 1)] as string);
};

/** The statements the throttles run, each one statement (the server's are prepared-throttle-counters.ts). */
export interface ThrottleCounters {
  /** The rows among `keys` (1 to LIVE_KEYS) that are still live at `now`. */
  live(keys: readonly string[], now: Date): Promise<CounterRow[]>;
  /**
   * One more point on `key`, atomically: concurrent calls from any instance are all counted. A row
   * that is missing or expired at `now` starts a new window at 1 point, live until `windowEnds`.
   */
  add(key: string, now: Date, windowEnds: Date): Promise<CounterRow>;
  /** `key` holds `points` until `until`, whatever it held before. */
  set(key: string, points: number, until: Date): Promise<void>;
  /** Forgets `keys` (up to two). */
  remove(keys: readonly string[]): Promise<void>;
  /** Deletes up to `limit` rows expired at `now`; returns how many it deleted. */
  sweepExpired(now: Date, limit: number): Promise<number>;
}

/**
 * The same statements through Prisma's model API, for a throttle built on a Prisma client alone
 * (tests, tools). `add` deletes an expired row first, then increments in the database (a native
 * upsert), so concurrent failures are all counted here too.
 */
export function createThrottleCounters(db: Db): ThrottleCounters {
  const table = db.rateLimiterFlexible;
  return {
    live: (keys, now) => table.findMany({ where: { key: { in: [...keys] }, OR: [{ expire: { gt: now } }, { expire: null }] } }),
    async add(key, now, windowEnds) {
      await table.deleteMany({ where: { key, expire: { lte: now } } });
      return table.upsert({ where: { key }, create: { key, points: 1, expire: windowEnds }, update: { points: { increment: 1 } } });
    },
    async set(key, points, until) {
      await table.upsert({ where: { key }, create: { key, points, expire: until }, update: { points, expire: until } });
    },
    async remove(keys) {
      await table.deleteMany({ where: { key: { in: [...keys] } } });
    },
    async sweepExpired(now, limit) {
      const expired = await table.findMany({ where: { expire: { lte: now } }, select: { key: true }, take: limit });
      if (expired.length === 0) return 0;
      const { count } = await table.deleteMany({ where: { key: { in: expired.map(({ key }) => key) }, expire: { lte: now } } });
      return count;
    },
  };
}
