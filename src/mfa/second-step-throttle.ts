import { createFailureCounter, type ThrottleDeps, type ThrottlePolicy } from '../throttle/failure-counter.js';
import { beginAttempt } from '../throttle/throttled-attempt.js';
import type { SecondStepThrottle } from './mfa-service.js';

/**
 * Wrong second-step codes per account: a 6-digit code has a million values, so after a few typos
 * each failure blocks the account's second step for a growing while (NIST SP 800-63B §5.2.2).
 */
export const SECOND_STEP_POLICY: ThrottlePolicy = Object.freeze({
  freeFailures: 5,
  windowSeconds: 15 * 60,
  baseBlockSeconds: 30,
  maxBlockSeconds: 15 * 60,
});

/**
 * The same counters as sign-in (src/throttle/failure-counter.ts). Each code is counted before it is
 * checked (throttled-attempt.ts), so codes sent in parallel get no more checks than the same codes
 * one after another: at most freeFailures + 1 per block.
 *
 * Codes from any browser are counted per account, except from the owner's remembered browser
 * (a live TrustedDevice row, issued only after a second step passed there): it is counted only per
 * (account, device), with the same policy. This is OWASP's device-cookie model ("Slow Down Online
 * Guessing Attacks with Device Cookies") applied to the second step: someone who has the password
 * can block the second step of every other browser, but not of one the owner has proven. The plain
 * device cookie gives no such allowance, since it is issued after the password alone.
 */
export function createSecondStepThrottle(
  { counters, clock }: ThrottleDeps,
  policy = SECOND_STEP_POLICY,
): SecondStepThrottle {
  const account = createFailureCounter(counters, 'mfa', 'account', policy, clock);
  const device = createFailureCounter(counters, 'mfa', 'device', policy, clock);
  return {
    begin: (accountId, rememberedDevice) =>
      beginAttempt(
        counters,
        clock(),
        rememberedDevice
          ? // JSON keeps the two ids apart whatever they hold.
            [device, JSON.stringify([accountId, rememberedDevice])]
          : [account, accountId],
      ),
  };
}
