// oidc-provider's own SSRF guard (the dispatcher it hands every outbound call of its own); its
// helpers module has no types of their own, hence the declaration beside this file.
import { applySSRFProtection } from 'oidc-provider/lib/helpers/fetch_request.js';
import { createOutboundFetch } from './outbound-fetch.js';

/** undici's Agent, as Node's fetch uses it (it is not exported by Node itself). */
function undiciAgent(): (new () => object) | undefined {
  const global = globalThis as unknown as Record<symbol, { constructor: new () => object } | undefined>;
  return (global[Symbol.for('undici.globalDispatcher.2')] ?? global[Symbol.for('undici.globalDispatcher.1')])
    ?.constructor;
}

/**
 * Outbound calls that do not come from oidc-provider itself (an upstream identity provider's
 * discovery, JWKS, token and userinfo endpoints) through the same guard as the provider's own:
 * a connection to a loopback, private or other special-use address is cut once it is made (so a
 * DNS answer that changes between look-up and connect is caught too), unless
 * OUTBOUND_ALLOW_PRIVATE_NETWORKS is on (outbound-fetch.ts). Every call has a deadline.
 */
export function createGuardedFetch(allowPrivateNetworks: boolean, timeoutMs = 5000) {
  const outbound = createOutboundFetch(allowPrivateNetworks);
  const Agent = undiciAgent();
  // Made once a first fetch has created Node's global dispatcher (so its class is known).
  let dispatcher: object | undefined = Agent ? applySSRFProtection(new Agent()) : undefined;
  return async (url: string, options: RequestInit): Promise<Response> => {
    if (!dispatcher) {
      const Late = undiciAgent();
      if (Late) dispatcher = applySSRFProtection(new Late());
    }
    const signal = options.signal
      ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);
    if (!dispatcher && !allowPrivateNetworks) {
      // Node's fetch has not run yet in this process: one harmless call makes its dispatcher exist.
      await globalThis.fetch('data:,').catch(() => undefined);
      const Late = undiciAgent();
      if (!Late) throw new Error('outbound calls cannot be guarded against SSRF in this runtime');
      dispatcher = applySSRFProtection(new Late());
    }
    return outbound(url, { ...options, signal, ...(dispatcher ? { dispatcher } : {}) });
  };
}

export type GuardedFetch = ReturnType<typeof createGuardedFetch>;
