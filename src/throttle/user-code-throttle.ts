import { createFailureCounter, type Entry, type ThrottleDeps, type ThrottlePolicy } from './failure-counter.js';

/**
 * Wrong device user codes per client address (RFC 8628 §5.1: the user code is short, so guessing
 * must be slowed). Ten free in a quarter of an hour covers a household's typos; beyond them each
 * wrong code blocks the address for a growing time, at most the window.
 */
export const USER_CODE_POLICY: ThrottlePolicy = Object.freeze({
  freeFailures: 10,
  windowSeconds: 15 * 60,
  baseBlockSeconds: 60,
  maxBlockSeconds: 15 * 60,
});

/** A code entry the throttle let through, to be settled once the provider has looked the code up. */
export interface AdmittedUserCode {
  readonly admitted: true;
  /** The code was wrong, expired or spent: the attempt stays counted. */
  rejected(): Promise<void>;
  /** The code was found, or never looked up: the attempt is taken back (never a reset: codes are cheap to mint). */
  settled(): Promise<void>;
}

export type UserCodeAttempt = AdmittedUserCode | { readonly admitted: false; readonly retryAfter: number };

/**
 * Counts a code entry before the code is looked up and decides from the new count (failure-counter.ts
 * `enter`), so a parallel burst from one address gets no more look-ups than the policy allows in a row.
 * A right code does not clear the count: anyone can mint a right code from a public device client,
 * and interleaving one would otherwise reset a guesser's budget.
 */
export function createUserCodeThrottle({ counters, clock }: ThrottleDeps, policy: ThrottlePolicy = USER_CODE_POLICY) {
  const counter = createFailureCounter(counters, 'device', 'user-code', policy, clock);
  return {
    async begin(ip: string): Promise<UserCodeAttempt> {
      const now = clock();
      const blocked = await counter.retryAfter(ip);
      if (blocked > 0) return { admitted: false, retryAfter: blocked };
      const entry: Entry = await counter.enter(ip, now);
      if (entry.refused > 0) {
        await counter.withdraw(ip, entry, now);
        return { admitted: false, retryAfter: entry.refused };
      }
      return {
        admitted: true,
        rejected: async () => {
          await counter.failed(ip, entry, now);
        },
        settled: () => counter.withdraw(ip, entry, now),
      };
    },
  };
}

export type UserCodeThrottle = ReturnType<typeof createUserCodeThrottle>;
