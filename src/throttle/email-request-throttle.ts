import type { ThrottleDeps } from './failure-counter.js';

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
 * (429 or not) says nothing about which addresses have accounts. Counters live in the database,
 * each request one atomic count per key (throttle-counters.ts).
 */
export function createEmailRequestThrottle(
  { counters, clock }: ThrottleDeps,
  name: string,
  perAddress: RequestBudget = PER_ADDRESS,
  perEmail: RequestBudget = PER_EMAIL,
) {
  // Keys as rate-limiter-flexible wrote them (`${prefix}:${key}`), so windows carry over an upgrade.
  const consume = async (budget: RequestBudget, key: string, now: number): Promise<number> => {
    const { points, expire } = await counters.add(key, new Date(now), new Date(now + budget.windowSeconds * 1000));
    if (points <= budget.points) return 0;
    return Math.max(1, Math.ceil(((expire?.getTime() ?? now) - now) / 1000));
  };
  return {
    /** Counts one request; returns 0 when allowed, else the seconds until the next one is. */
    async take(ip: string, email: string): Promise<number> {
      const now = clock();
      const [address, mailbox] = await Promise.all([
        consume(perAddress, `${name}-ip:${ip}`, now),
        consume(perEmail, `${name}-email:${email}`, now),
      ]);
      return Math.max(address, mailbox);
    },
  };
}

export type EmailRequestThrottle = ReturnType<typeof createEmailRequestThrottle>;
