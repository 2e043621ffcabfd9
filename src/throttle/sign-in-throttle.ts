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

/** Per account: a handful of typos are free; a guessing run is slowed to a crawl within minutes. */
export const ACCOUNT_POLICY: ThrottlePolicy = Object.freeze({ freeFailures: 5, windowSeconds: 15 * 60, baseBlockSeconds: 30, maxBlockSeconds: 15 * 60 });
/** Per client IP: wider, so one office behind a NAT is not punished for one person's typos. */
export const IP_POLICY: ThrottlePolicy = Object.freeze({ freeFailures: 20, windowSeconds: 15 * 60, baseBlockSeconds: 30, maxBlockSeconds: 15 * 60 });

export function blockSeconds(policy: ThrottlePolicy, failures: number): number {
  if (failures <= policy.freeFailures) return 0;
  return Math.min(policy.baseBlockSeconds * 2 ** (failures - policy.freeFailures - 1), policy.maxBlockSeconds);
}

function dimension(db: Db, name: string, policy: ThrottlePolicy) {
  // Counters live in the database (rate-limiter-flexible's Prisma store), so every instance sees
  // them and a restart forgets nothing.
  const common = { storeClient: db, tableName: 'rateLimiterFlexible' };
  const failures = new RateLimiterPrisma({ ...common, keyPrefix: `signin-fail-${name}`, points: 1_000_000, duration: policy.windowSeconds });
  const blocks = new RateLimiterPrisma({ ...common, keyPrefix: `signin-block-${name}`, points: 1, duration: 1, clearExpiredByTimeout: false });
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

export function createSignInThrottle(db: Db, policies = { account: ACCOUNT_POLICY, ip: IP_POLICY }) {
  const account = dimension(db, 'account', policies.account);
  const ip = dimension(db, 'ip', policies.ip);
  return {
    /** Seconds until this email may try again from this address; 0 when it may now. */
    async retryAfter(email: string, address: string): Promise<number> {
      const [a, b] = await Promise.all([account.retryAfter(email), ip.retryAfter(address)]);
      return Math.max(a, b);
    },
    /** Counts a failure; returns the block it earned (0 when still within the free failures). */
    async recordFailure(email: string, address: string): Promise<number> {
      const [a, b] = await Promise.all([account.fail(email), ip.fail(address)]);
      return Math.max(a, b);
    },
    /** A correct password clears the account's record; the address keeps its count. */
    recordSuccess: (email: string) => account.reset(email),
  };
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>;
