import type Provider from 'oidc-provider';

/**
 * Makes every URL the provider builds for a request (discovery's endpoints, the audiences it accepts
 * in client assertions, DPoP `htu`, interaction return addresses) derive from the issuer, as
 * `provider.urlFor` does, instead of from the request's Host and scheme. issuer-host.ts already
 * refuses foreign hosts; this also keeps the scheme right behind a proxy that forwards no (or a
 * wrong) X-Forwarded-Proto. OIDC Discovery §3: the endpoints are the issuer's.
 */
export function urlsFromIssuer(provider: Provider): void {
  provider.OIDCContext.prototype.urlFor = (name, options) => provider.urlFor(name, options);
}
