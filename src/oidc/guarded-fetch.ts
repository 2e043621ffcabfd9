// oidc-provider's own SSRF guard (the dispatcher it hands every outbound call of its own, and its
// list of special-use addresses); its helpers module has no types, hence oidc-provider-internals.d.ts.
// An internal path on purpose: oidc-provider 9's public entry exports only Provider, errors,
// interactionPolicy and ExternalSigningKey, and its configured `fetch` sees the guarded dispatcher
// only on the provider's own calls (none may have happened before an upstream sign-in). Reusing
// its guard keeps one list of special-use addresses instead of a copy of our own. The package has no
// `exports` map, so the path resolves; test/oidc/oidc-provider-internals.test.ts fails if it moves,
// or if a public export appears to use instead.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { applySSRFProtection, isSpecialUseIP } from 'oidc-provider/lib/helpers/fetch_request.js';
import { createOutboundFetch } from './outbound-fetch.js';

/** undici's Agent, as Node's fetch uses it (Node does not export it); known once fetch has run in this realm. */
function undiciAgent(): (new () => object) | undefined {
  const global = globalThis as unknown as Record<symbol, { constructor: new () => object } | undefined>;
  return (global[Symbol.for('undici.globalDispatcher.2')] ?? global[Symbol.for('undici.globalDispatcher.1')])
    ?.constructor;
}

/** Without the dispatcher (another realm, as under a test runner's VM): every address the name resolves to is checked first. */
async function assertPublicHost(url: string): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  if (addresses.length === 0 || addresses.some((address) => isSpecialUseIP(address)))
    throw new TypeError('fetch failed', { cause: new Error('hostname resolves to a special-use IP address') });
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
  let dispatcher: object | undefined;
  return async (url: string, options: RequestInit): Promise<Response> => {
    const signal = options.signal
      ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);
    if (allowPrivateNetworks) return outbound(url, { ...options, signal });
    if (!dispatcher) {
      const Agent = undiciAgent();
      if (Agent) dispatcher = applySSRFProtection(new Agent());
    }
    if (!dispatcher) await assertPublicHost(url);
    return outbound(url, { ...options, signal, ...(dispatcher ? { dispatcher } : {}) });
  };
}

export type GuardedFetch = ReturnType<typeof createGuardedFetch>;
