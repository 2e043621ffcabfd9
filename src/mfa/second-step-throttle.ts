import { RateLimiterPrisma } from 'rate-limiter-flexible';
import type { Db } from '../db/create-prisma.js';
import { blockSeconds, type ThrottlePolicy } from '../throttle/sign-in-throttle.js';
import type { SecondStepThrottle } from './mfa-service.js';

/**
 * Wrong second-step codes per account: a 6-digit code has a million values, so after a few typos
 * each failure blocks the account's second step for a growing while (NIST SP 800-63B §5.2.2).
 */
export const SECOND_STEP_POLICY: ThrottlePolicy = Object.freeze({ freeFailures: 5, windowSeconds: 15 * 60, baseBlockSeconds: 30, maxBlockSeconds: 15 * 60 });

export function createSecondStepThrottle(db: Db, policy = SECOND_STEP_POLICY): SecondStepThrottle {
  // Shared by every instance through the database, like the sign-in counters.
  const common = { storeClient: db, tableName: 'rateLimiterFlexible' };
  const failures = new RateLimiterPrisma({ ...common, keyPrefix: 'mfa-fail', points: 1_000_000, duration: policy.windowSeconds });
  const blocks = new RateLimiterPrisma({ ...common, keyPrefix: 'mfa-block', points: 1, duration: 1, clearExpiredByTimeout: false });
  return {
    async retryAfter(accountId) {
      const res = await blocks.get(accountId);
      return res && res.consumedPoints > 1 && res.msBeforeNext > 0 ? Math.ceil(res.msBeforeNext / 1000) : 0;
    },
    async recordFailure(accountId) {
      const res = await failures.penalty(accountId, 1);
      const seconds = blockSeconds(policy, res.consumedPoints);
      if (seconds > 0) await blocks.block(accountId, seconds);
      return seconds;
    },
    async recordSuccess(accountId) {
      await Promise.all([failures.delete(accountId), blocks.delete(accountId)]);
    },
  };
}
