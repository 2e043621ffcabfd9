import type { CountWindow, ThrottleCounters } from './throttle-counters.js';
import type { Clock } from '../kernel/clock.js';

/**
 * Failures allowed in a window before each further failure blocks for a growing time:
 * block = base × 2^(failures − free − 1), capped, so a lockout is always temporary and bounded.
 */
export interface ThrottlePolicy {
  readonly freeFailures: number;
  readonly windowSeconds: number;
  readonly baseBlockSeconds: number;
  readonly maxBlockSeconds: number;
}

export function blockSeconds(policy: ThrottlePolicy, failures: number): number {
  if (failures <= policy.freeFailures) return 0;
  return Math.min(policy.baseBlockSeconds * 2 ** (failures - policy.freeFailures - 1), policy.maxBlockSeconds);
}

/** What a block row holds (rate-limiter-flexible's `block` wrote its limit of 1, plus one). */
export const BLOCKED = 2;

/** Whole seconds left on a block row at `now` (epoch ms); 0 when it is none or has run out. */
const secondsLeft = (row: { points: number; expire: Date | null }, now: number) => {
  const ms = row.expire === null ? -1 : row.expire.getTime() - now;
  return row.points >= BLOCKED && ms > 0 ? Math.ceil(ms / 1000) : 0;
};

/** The longest block among these block keys (1 to LIVE_KEYS of them), in one statement. */
export async function longestBlock(
  counters: ThrottleCounters,
  now: number,
  blockKeys: readonly string[],
): Promise<number> {
  return Math.max(0, ...(await counters.live(blockKeys, new Date(now))).map((row) => secondsLeft(row, now)));
}

/**
 * One failure counter with growing blocks, kept in the database (the RateLimiterFlexible table) so
 * every instance sees it and a restart forgets nothing. Keys are `${scope}-fail-${name}` and
 * `${scope}-block-${name}`, a colon, then the subject's key: the keys rate-limiter-flexible wrote,
 * so counts and blocks carry over an upgrade. A failure window is fixed from its first failure;
 * each block that a failure earns replaces the one before, from that failure on.
 */
export function createFailureCounter(
  counters: ThrottleCounters,
  scope: string,
  name: string,
  policy: ThrottlePolicy,
  clock: Clock,
) {
  const failKey = (key: string) => `${scope}-fail-${name}:${key}`;
  const blockKey = (key: string) => `${scope}-block-${name}:${key}`;
  const windowOf = (key: string, now: number): CountWindow => ({
    key: failKey(key),
    windowEnds: new Date(now + policy.windowSeconds * 1000),
  });
  const admit = async (key: string, points: number, now: number): Promise<Entry> => {
    const seconds = blockSeconds(policy, points);
    if (seconds === 0) return { earned: 0, refused: 0 };
    if (await counters.claim(blockKey(key), BLOCKED, new Date(now), new Date(now + seconds * 1000)))
      return { earned: seconds, refused: 0 };
    return { earned: 0, refused: Math.max(1, await longestBlock(counters, now, [blockKey(key)])) };
  };
  return {
    /** Where failures on `key` are counted. */
    countKey: failKey,
    blockKey,
    /** Seconds until `key` may try again; 0 when it may now. */
    retryAfter(key: string): Promise<number> {
      return longestBlock(counters, clock(), [blockKey(key)]);
    },
    /** Counts a failure; returns the block it earned (0 within the free failures). */
    async fail(key: string): Promise<number> {
      const now = clock();
      const { points } = await counters.add(failKey(key), new Date(now), new Date(now + policy.windowSeconds * 1000));
      const seconds = blockSeconds(policy, points);
      if (seconds > 0) await counters.set(blockKey(key), BLOCKED, new Date(now + seconds * 1000));
      return seconds;
    },
    /**
     * Counts an attempt *before* it is checked, and decides from the new count whether it may be
     * checked: within the free failures it may; beyond them only by claiming the block slot, in
     * one conditional statement, with the block it earns should it fail. Of concurrent attempts
     * past the free failures, one claims it and the others are refused, so however many arrive at
     * once, at most freeFailures + 1 are checked (a read of the block, then a check, then a
     * recorded failure, would let all of them through).
     */
    async enter(key: string, now: number): Promise<Entry> {
      const { key: counted, windowEnds } = windowOf(key, now);
      const { points } = await counters.add(counted, new Date(now), windowEnds);
      return admit(key, points, now);
    },
    /** Where `enter` counts `key` at `now`: for several counters counted in one statement (throttled-attempt.ts). */
    window: windowOf,
    /** What `enter` decides once `key`'s count, this attempt included, is `points`. */
    admit,
    /** Whether an attempt counted at `points` claims a block (past the free failures). */
    claimsBlockAt: (points: number) => blockSeconds(policy, points) > 0,
    /**
     * The check of an entered attempt failed: its count and block stay, unless a success cleared
     * the count while this attempt was between its count and its claim. Then the block belongs to
     * a window that no longer exists: it goes, and this failure starts the new window instead.
     */
    async failed(key: string, entry: Entry, now: number): Promise<number> {
      if (entry.earned === 0) return 0;
      if ((await counters.live([failKey(key)], new Date(now))).length > 0) return entry.earned;
      await counters.remove(blockKey(key));
      await counters.add(failKey(key), new Date(now), new Date(now + policy.windowSeconds * 1000));
      return 0;
    },
    /** Takes back what `enter` counted, for an attempt that was not checked or did not fail. */
    async withdraw(key: string, entry: Entry, now: number): Promise<void> {
      await counters.subtract(failKey(key), new Date(now));
      if (entry.earned > 0) await counters.remove(blockKey(key));
    },
  };
}

export type FailureCounter = ReturnType<typeof createFailureCounter>;

/** What `enter` decided: the block this attempt set and keeps if it fails, or the seconds it must wait. */
export interface Entry {
  readonly earned: number;
  readonly refused: number;
}

/** What a throttle needs besides its policy: the counter statements (prepared-throttle-counters.ts) and the clock. */
export interface ThrottleDeps {
  readonly counters: ThrottleCounters;
  readonly clock: Clock;
}
