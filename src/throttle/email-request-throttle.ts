import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from '../db/create-prisma.js';

/** Requests that send mail (password reset, registration): a fixed budget per window. */
export interface RequestBudget {
  readonly points: number;
  readonly windowSeconds: number;
}

/** Per client address: enough for a household or an office, not for a mail bomb. */
export const PER_ADDRESS: RequestBudget = Object.freeze({ points: 10, windowSeconds: 15 * 60 });
/** Per email typed: a person who lost a mail asks again; nobody needs more than this in an hour. */
export const PER_EMAIL: RequestBudget = Object.freeze({ points: 3, windowSeconds: 60 * 60 });

/**
 * Throttles requests that make the server send mail, per client address and per email typed
 * (ASVS 4.0 §2.5.x, §11.1.4). The email is counted whether or not an account has it, so the answer
 * (429 or not) says nothing about which addresses have accounts. Counters live in the database.
 */
export function createEmailRequestThrottle(db: Db, name: string, perAddress: RequestBudget = PER_ADDRESS, perEmail: RequestBudget = PER_EMAIL) {
  const common = { storeClient: db, tableName: 'rateLimiterFlexible' };
  const byAddress = new RateLimiterPrisma({ ...common, keyPrefix: `${name}-ip`, points: perAddress.points, duration: perAddress.windowSeconds });
  const byEmail = new RateLimiterPrisma({ ...common, keyPrefix: `${name}-email`, points: perEmail.points, duration: perEmail.windowSeconds });
  const consume = async (limiter: RateLimiterPrisma, key: string): Promise<number> => {
    try {
      await limiter.consume(key);
      return 0;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw refusal;
    }
  };
  return {
    /** Counts one request; returns 0 when allowed, else the seconds until the next one is. */
    async take(ip: string, email: string): Promise<number> {
      const [address, mailbox] = await Promise.all([consume(byAddress, ip), consume(byEmail, email)]);
      return Math.max(address, mailbox);
    },
  };
}

export type EmailRequestThrottle = ReturnType<typeof createEmailRequestThrottle>;
