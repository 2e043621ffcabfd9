/**
 * How the provider calls out (back-channel logout, clients' jwks_uri). oidc-provider hands every
 * call a dispatcher that refuses loopback, private and other special-use addresses, against SSRF.
 * That is the default here too; an operator whose apps live on a private network turns it off with
 * OUTBOUND_ALLOW_PRIVATE_NETWORKS, since only they register the URIs Gatehouse calls.
 */
export function createOutboundFetch(allowPrivateNetworks: boolean) {
  return (url: URL | string, options: RequestInit & { dispatcher?: unknown }): Promise<Response> => {
    if (allowPrivateNetworks) {
      const { dispatcher: _ssrfGuard, ...rest } = options;
      return globalThis.fetch(url, rest);
    }
    return globalThis.fetch(url, options);
  };
}
