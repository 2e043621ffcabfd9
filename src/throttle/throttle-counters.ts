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

/** `settle` forgets up to this many keys and takes a point back from up to TAKE_BACK_KEYS more. */
export const FORGET_KEYS = 4;
export const TAKE_BACK_KEYS = 2;

/** A key to count on, and when its window ends should this count start a new one. */
export interface CountWindow {
  readonly key: string;
  readonly windowEnds: Date;
}

/** The statements the throttles run, each one statement (the server's are prepared-throttle-counters.ts). */
export interface ThrottleCounters {
  /** The rows among `keys` (1 to LIVE_KEYS) that are still live at `now`. */
  live(keys: readonly string[], now: Date): Promise<CounterRow[]>;
  /**
   * One more point on `key`, atomically: concurrent calls from any instance are all counted. A row
   * that is missing or expired at `now` starts a new window at 1 point, live until `windowEnds`.
   */
  add(key: string, now: Date, windowEnds: Date): Promise<CounterRow>;
  /**
   * `add` for each of `windows` (1 to LIVE_KEYS distinct keys) in one statement, unless one of
   * `unless.keys` (1 to LIVE_KEYS) holds a live row of at least `unless.points` at `now` (a block):
   * then nothing is counted and it returns undefined. Every row is counted atomically, as `add`
   * counts one. Rows come back in the order of `windows`. It locks its rows in key order, as
   * `settle` does, so no two of them wait on each other in a circle; every other write holds one
   * row, and the sweep skips locked rows rather than wait on them.
   */
  addEach(
    windows: readonly CountWindow[],
    now: Date,
    unless: { readonly keys: readonly string[]; readonly points: number },
  ): Promise<CounterRow[] | undefined>;
  /** `key` holds `points` until `until`, whatever it held before. */
  set(key: string, points: number, until: Date): Promise<void>;
  /**
   * `key` holds `points` until `until`, but only when it holds no live row of at least `points`
   * at `now`; true when this call wrote it. One conditional upsert, so of any number of concurrent
   * callers, from any instance, at most one takes a free slot (a throttle's block, failure-counter.ts).
   */
  claim(key: string, points: number, now: Date, until: Date): Promise<boolean>;
  /** One point off `key` while its window is live at `now` (an attempt counted but then not checked, or not failed). */
  subtract(key: string, now: Date): Promise<void>;
  /** Forgets `key` (a block that no longer stands). */
  remove(key: string): Promise<void>;
  /**
   * An attempt that passed, in one statement: forgets `forget` (1 to FORGET_KEYS keys: its own
   * count and block, and any block it claimed elsewhere) and takes one point off each of
   * `takeBack` (0 to TAKE_BACK_KEYS other keys) as `subtract` does. Its rows are locked in key
   * order, as `addEach` locks its own, so the two never wait on each other in a circle. Returns
   * the rows it forgot, as they stood when it deleted them.
   */
  settle(forget: readonly string[], takeBack: readonly string[], now: Date): Promise<CounterRow[]>;
  /** Deletes up to `limit` rows expired at `now`; returns how many it deleted. */
  sweepExpired(now: Date, limit: number): Promise<number>;
}
