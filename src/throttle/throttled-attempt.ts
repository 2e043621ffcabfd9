import { BLOCKED, longestBlock, type FailureCounter } from './failure-counter.js';
import type { CounterRow, ThrottleCounters } from './throttle-counters.js';

/** An attempt the throttle let through (its check may run) or refused for `retryAfter` seconds. */
export type ThrottledAttempt =
  | { readonly admitted: false; readonly retryAfter: number }
  | {
      readonly admitted: true;
      /** The check failed: the attempt stays counted; returns the block it earned (0 within the free failures). */
      failed(): Promise<number>;
      /** The check passed: the first counter forgets its count and block, the others take this attempt back. */
      succeeded(): Promise<void>;
      /** The check could not run (e.g. the hashing gate was full): the attempt is taken back everywhere. */
      abandoned(): Promise<void>;
    };

/** A counter and the subject's key on it. The first is the subject's own (cleared on success). */
export type Counted = readonly [FailureCounter, string];

/**
 * Counts one attempt on every counter before it is checked, and decides from the new counts
 * (failure-counter.ts `enter`), so a burst of concurrent attempts, on one instance or several, is
 * held to what the policies allow one after another. The count is one statement that counts
 * nothing while any of the counters holds a live block: a refused attempt is not counted, as
 * before, and only then are its blocks read, for how long it must wait.
 */
export async function beginAttempt(
  counters: ThrottleCounters,
  now: number,
  own: Counted,
  ...others: Counted[]
): Promise<ThrottledAttempt> {
  const all = [own, ...others];
  const blockKeys = all.map(([counter, key]) => counter.blockKey(key));
  // Every counter counted in one statement (a sign-in's three were three round trips, after a
  // read of their blocks), each deciding from its own new count as `enter` does.
  const counts = await counters.addEach(
    all.map(([counter, key]) => counter.window(key, now)),
    new Date(now),
    { keys: blockKeys, points: BLOCKED },
  );
  // A block that ran out between the two statements still refuses this one attempt, for a second.
  if (!counts) return { admitted: false, retryAfter: Math.max(1, await longestBlock(counters, now, blockKeys)) };
  const entries = await Promise.all(
    all.map(([counter, key], i) => counter.admit(key, (counts[i] as CounterRow).points, now)),
  );
  const refused = Math.max(0, ...entries.map((entry) => entry.refused));
  // Taken back from every counter: the attempt was not checked after all.
  const withdrawAll = () =>
    Promise.all(all.map(([counter, key], i) => counter.withdraw(key, entries[i] ?? { earned: 0, refused: 0 }, now)));
  if (refused > 0) {
    // Not checked, so not a failure: the counts stay what the checked attempts made them.
    await withdrawAll();
    return { admitted: false, retryAfter: refused };
  }
  return {
    admitted: true,
    failed: async () =>
      Math.max(
        0,
        ...(await Promise.all(
          all.map(([counter, key], i) => counter.failed(key, entries[i] ?? { earned: 0, refused: 0 }, now)),
        )),
      ),
    // One statement: the subject's own count and block are forgotten, every other count takes
    // this attempt back, and a block it claimed on another counter goes, as `withdraw` does.
    succeeded: async () => {
      const [counter, key] = own;
      const claimed = others.filter((_, i) => (entries[i + 1]?.earned ?? 0) > 0);
      const forgotten = await counters.settle(
        [counter.countKey(key), counter.blockKey(key), ...claimed.map(([c, k]) => c.blockKey(k))],
        others.map(([c, k]) => c.countKey(k)),
        new Date(now),
      );
      // An attempt counted past the free failures in the window just forgotten may be claiming
      // its block right now. On PostgreSQL the settle reads from a snapshot taken as it began,
      // before any row lock it waited on, so a block inserted since is not deleted; and that
      // attempt, failing, keeps its block if it looked at the count before the settle committed
      // (failure-counter.ts `failed`). A delete started after the settle sees every block
      // committed by then; one committed later belongs to an attempt that will find the count
      // gone and drop it itself. Only a window that reached a block costs this statement.
      const count = forgotten.find((row) => row.key === counter.countKey(key));
      if (count && counter.claimsBlockAt(count.points)) await counters.remove(counter.blockKey(key));
    },
    abandoned: async () => {
      await withdrawAll();
    },
  };
}
