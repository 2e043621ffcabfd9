import type { SignInRow } from './console-queries.js';

export interface ActivityBucket {
  /** Where the bucket starts (ms since the epoch). */
  readonly start: number;
  readonly signIns: number;
  readonly failures: number;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/**
 * Sign-ins and failed sign-ins counted per bucket: 24 hours by the hour and 7 days by the day,
 * each ending now. A refused or blocked sign-in is a failure; a folded row counts its repeats.
 */
export function signInActivity(rows: readonly SignInRow[], now: number) {
  const bucket = (size: number, count: number): ActivityBucket[] => {
    const buckets = Array.from({ length: count }, (_, i) => ({
      start: now - (count - i) * size,
      signIns: 0,
      failures: 0,
    }));
    for (const row of rows) {
      // The newest bucket holds the last `size` ms up to and including now (and a moment ahead of
      // this instance's clock: another instance's clock may run a little fast).
      const age = Math.max(0, now - row.at.getTime());
      const target = buckets[count - 1 - Math.floor(age / size)];
      if (!target) continue;
      if (row.outcome === 'success') target.signIns += row.count;
      else target.failures += row.count;
    }
    return buckets;
  };
  return { day: bucket(HOUR, 24), week: bucket(DAY, 7) };
}

export const ACTIVITY_WINDOW_MS = 7 * DAY;
