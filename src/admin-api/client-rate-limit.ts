import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { ThrottleCounters } from '../throttle/throttle-counters.js';

const WINDOW_MS = 60_000;

/**
 * At most `perMinute` requests per client per minute, across every instance: one atomic add on the
 * shared throttle table (src/throttle), so a parallel burst is counted exactly. Over the limit is
 * 429 with Retry-After (RFC 6585 §4) until the window ends.
 */
export function createClientRateLimit(counters: Pick<ThrottleCounters, 'add'>, clock: Clock, perMinute: number) {
  return async function take(clientId: string): Promise<void> {
    const now = clock();
    const row = await counters.add(`admin-api:${clientId}`, new Date(now), new Date(now + WINDOW_MS));
    if (row.points <= perMinute) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(((row.expire?.getTime() ?? now + WINDOW_MS) - now) / 1000));
    throw new GatehouseError('ERR_THROTTLED', `more than ${perMinute} requests this minute: slow down`, {
      retryAfterSeconds,
    });
  };
}
