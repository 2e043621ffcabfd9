import { createFailureCounter, longestBlock, type ThrottleDeps, type ThrottlePolicy } from './failure-counter.js';
import { beginAttempt, type Counted, type ThrottledAttempt } from './throttled-attempt.js';

const WINDOW = 15 * 60;

/** A browser that signed in to this account before: the owner's typos, on a counter of its own. */
export const DEVICE_POLICY: ThrottlePolicy = Object.freeze({
  freeFailures: 5,
  windowSeconds: WINDOW,
  baseBlockSeconds: 30,
  maxBlockSeconds: WINDOW,
});
/** An unknown browser, per (account, address): one guesser is slowed to a crawl within minutes. */
export const ACCOUNT_ADDRESS_POLICY: ThrottlePolicy = Object.freeze({
  freeFailures: 5,
  windowSeconds: WINDOW,
  baseBlockSeconds: 30,
  maxBlockSeconds: WINDOW,
});
/**
 * All unknown browsers together, per account: the cap on how fast a guesser spread over many
 * addresses can go. Higher than per address so one guesser alone does not reach it, and each block
 * is longer.
 */
export const ACCOUNT_POLICY: ThrottlePolicy = Object.freeze({
  freeFailures: 20,
  windowSeconds: WINDOW,
  baseBlockSeconds: 60,
  maxBlockSeconds: WINDOW,
});
/** Per client address across accounts (credential stuffing); wide, so one office behind a NAT is not punished for one person's typos. */
export const IP_POLICY: ThrottlePolicy = Object.freeze({
  freeFailures: 20,
  windowSeconds: WINDOW,
  baseBlockSeconds: 30,
  maxBlockSeconds: WINDOW,
});

export interface ThrottlePolicies {
  readonly device: ThrottlePolicy;
  readonly accountAddress: ThrottlePolicy;
  readonly account: ThrottlePolicy;
  readonly ip: ThrottlePolicy;
}

export const DEFAULT_POLICIES: ThrottlePolicies = Object.freeze({
  device: DEVICE_POLICY,
  accountAddress: ACCOUNT_ADDRESS_POLICY,
  account: ACCOUNT_POLICY,
  ip: IP_POLICY,
});

/** Who is trying: the account (its email, or a fixed marker for input that is none), from where, and from which known browser. */
export interface ThrottleSubject {
  readonly account: string;
  readonly ip: string;
  /** Set only when the browser holds a valid device cookie for this very account. */
  readonly deviceId?: string;
}

/**
 * OWASP "Slow Down Online Guessing Attacks with Device Cookies": a known browser is counted only
 * per (account, device), so failures elsewhere never block it; unknown browsers are counted per
 * (account, address), per account across all of them, and per address across accounts.
 */
export function createSignInThrottle({ counters, clock }: ThrottleDeps, policies: ThrottlePolicies = DEFAULT_POLICIES) {
  const device = createFailureCounter(counters, 'signin', 'device', policies.device, clock);
  const accountAddress = createFailureCounter(counters, 'signin', 'account-address', policies.accountAddress, clock);
  const account = createFailureCounter(counters, 'signin', 'account-unknown', policies.account, clock);
  const ip = createFailureCounter(counters, 'signin', 'ip', policies.ip, clock);
  // JSON keeps the parts apart whatever characters the typed email holds.
  const pair = (...parts: string[]) => JSON.stringify(parts);

  const countersOf = (s: ThrottleSubject): [Counted, ...Counted[]] =>
    s.deviceId
      ? [[device, pair(s.account, s.deviceId)]]
      : [
          [accountAddress, pair(s.account, s.ip)],
          [account, s.account],
          [ip, s.ip],
        ];

  return {
    /** Seconds until this subject may try again; 0 when it may now. Its blocks are read in one statement. */
    retryAfter(subject: ThrottleSubject): Promise<number> {
      return longestBlock(
        counters,
        clock(),
        countersOf(subject).map(([d, key]) => d.blockKey(key)),
      );
    },
    /**
     * Counts an attempt on this subject's counters before its password is checked (throttled-attempt.ts):
     * a burst of concurrent attempts gets no more checks than the same attempts one after another.
     * A correct password clears this browser's own count (the device, or the account from this
     * address) and is taken back from the account-wide and per-address counts, which otherwise
     * stay: a success by the owner must not hand a guesser elsewhere a fresh allowance.
     */
    begin(subject: ThrottleSubject): Promise<ThrottledAttempt> {
      const [own, ...others] = countersOf(subject);
      return beginAttempt(counters, clock(), own, ...others);
    },
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
