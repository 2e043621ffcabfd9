import { createHash } from 'node:crypto';
import Provider, { errors, type Adapter, type AdapterFactory } from 'oidc-provider';
import type { ThrottleCounters } from '../throttle/throttle-counters.js';
import type { Clock } from '../kernel/clock.js';
import { POLL_INTERVAL_SECONDS } from './device-flow.js';

/** The provider's context of the request being served, when there is one (its AsyncLocalStorage). */
const routeNow = () => (Provider.ctx as { oidc?: { route?: string } } | undefined)?.oidc?.route;

/**
 * `slow_down` (RFC 8628 §3.5) for a device that polls the token endpoint again within the interval:
 * oidc-provider defines the error but never sends it. The device_code grant looks its code up once
 * per poll, after the client has authenticated; that look-up, on the token route, is where a poll
 * is counted: one atomic count on the code's key (a hash: the code is a credential), in a window of
 * one interval from the first poll, and a second count inside it is answered slow_down. Nothing
 * else the adapter does, and no other request, pays for it.
 */
export function paceDevicePolls(adapter: AdapterFactory, counters: ThrottleCounters, clock: Clock): AdapterFactory {
  return (model: string): Adapter => {
    const inner = adapter(model);
    if (model !== 'DeviceCode') return inner;
    return {
      ...inner,
      find: async (id) => {
        if (routeNow() === 'token') {
          const now = clock();
          const key = `device-poll:${createHash('sha256').update(id).digest('base64url').slice(0, 32)}`;
          const { points } = await counters.add(key, new Date(now), new Date(now + POLL_INTERVAL_SECONDS * 1000));
          if (points > 1)
            throw new errors.SlowDown(
              `poll at most once every ${POLL_INTERVAL_SECONDS} seconds, and ${POLL_INTERVAL_SECONDS} more after each slow_down`,
            );
        }
        return inner.find(id);
      },
    };
  };
}
