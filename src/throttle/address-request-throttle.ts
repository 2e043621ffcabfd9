import type { ThrottleDeps } from './failure-counter.js';
import type { RequestBudget } from './email-request-throttle.js';

/**
 * A fixed budget of requests per client address and window, for requests that create something
 * (self-registered clients). Each request is one atomic count (throttle-counters.ts `add`), and
 * the decision is made from the new count, so a parallel burst from one address, on one instance
 * or several, gets exactly the budget through.
 */
export function createAddressRequestThrottle({ counters, clock }: ThrottleDeps, name: string, budget: RequestBudget) {
  return {
    /** Counts one request; returns 0 when allowed, else the seconds until the next one is. */
    async take(ip: string): Promise<number> {
      const now = clock();
      const { points, expire } = await counters.add(
        `${name}-ip:${ip}`,
        new Date(now),
        new Date(now + budget.windowSeconds * 1000),
      );
      if (points <= budget.points) return 0;
      return Math.max(1, Math.ceil(((expire?.getTime() ?? now) - now) / 1000));
    },
  };
}

export type AddressRequestThrottle = ReturnType<typeof createAddressRequestThrottle>;
