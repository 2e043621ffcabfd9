import { RateLimiterPrisma } from 'rate-limiter-flexible';
import type { Db } from '../db/create-prisma.js';

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

/**
 * One failure counter with growing blocks, kept in the database (rate-limiter-flexible's Prisma
 * store) so every instance sees it and a restart forgets nothing. Keys are `${scope}-fail-${name}`
 * and `${scope}-block-${name}` followed by the subject's key.
 */
export function createFailureCounter(db: Db, scope: string, name: string, policy: ThrottlePolicy) {
  const common = { storeClient: db, tableName: 'rateLimiterFlexible' };
  const failures = new RateLimiterPrisma({ ...common, keyPrefix: `${scope}-fail-${name}`, points: 1_000_000, duration: policy.windowSeconds });
  const blocks = new RateLimiterPrisma({ ...common, keyPrefix: `${scope}-block-${name}`, points: 1, duration: 1, clearExpiredByTimeout: false });
  return {
    async retryAfter(key: string): Promise<number> {
      const res = await blocks.get(key);
      return res && res.consumedPoints > 1 && res.msBeforeNext > 0 ? Math.ceil(res.msBeforeNext / 1000) : 0;
    },
    async fail(key: string): Promise<number> {
      const res = await failures.penalty(key, 1);
      const seconds = blockSeconds(policy, res.consumedPoints);
      if (seconds > 0) await blocks.block(key, seconds);
      return seconds;
    },
    async reset(key: string): Promise<void> {
      await Promise.all([failures.delete(key), blocks.delete(key)]);
    },
  };
}

export type FailureCounter = ReturnType<typeof createFailureCounter>;
