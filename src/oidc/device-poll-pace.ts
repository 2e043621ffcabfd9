import { createHash } from 'node:crypto';
import type { Middleware } from 'koa';
import type { ProviderHost } from './provider-host.js';
import type { ThrottleCounters } from '../throttle/throttle-counters.js';
import type { Clock } from '../kernel/clock.js';
import { MAX_BODY_BYTES } from '../http/body-limit.js';
import { readBoundedBody, replaceRequestBody } from '../http/request-body.js';
import { DEVICE_CODE_GRANT, POLL_INTERVAL_SECONDS } from './device-flow.js';

export interface DevicePollPaceDeps {
  readonly providers: ProviderHost;
  readonly throttleCounters: ThrottleCounters;
  readonly clock: Clock;
}

/**
 * `slow_down` (RFC 8628 §3.5) for a device that polls the token endpoint again within the interval:
 * oidc-provider defines the error but never sends it. Each poll is one atomic count on the device
 * code's key (a hash: the code itself is a credential), in a window of one interval from the first
 * poll; a second count inside it is answered slow_down before anything else runs. Other token
 * requests only have their body read and handed on.
 */
export function devicePollPace({ providers, throttleCounters, clock }: DevicePollPaceDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || !ctx.is('application/x-www-form-urlencoded')) return next();
    if (ctx.path !== new URL(providers.current().provider.urlFor('token')).pathname) return next();
    const body = await readBoundedBody(ctx.req, MAX_BODY_BYTES);
    if (!body)
      return ctx.throw(413, `request body is larger than ${MAX_BODY_BYTES} bytes`, { error: 'invalid_request' });
    replaceRequestBody(ctx, body);
    const params = new URLSearchParams(body.toString('utf8'));
    const deviceCode = params.get('device_code');
    if (params.get('grant_type') !== DEVICE_CODE_GRANT || !deviceCode) return next();
    const now = clock();
    const key = `device-poll:${createHash('sha256').update(deviceCode).digest('base64url').slice(0, 32)}`;
    const { points } = await throttleCounters.add(key, new Date(now), new Date(now + POLL_INTERVAL_SECONDS * 1000));
    if (points <= 1) return next();
    ctx.status = 400;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      error: 'slow_down',
      error_description: `poll at most once every ${POLL_INTERVAL_SECONDS} seconds, and ${POLL_INTERVAL_SECONDS} more after each slow_down`,
    };
  };
}
