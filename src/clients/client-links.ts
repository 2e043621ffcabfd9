import type { ClientMetadata } from 'oidc-provider';

/**
 * What an app tells people about itself (OIDC Dynamic Client Registration §2, RFC 7591 §2): its
 * logo, privacy policy, terms of service and home page, shown on the consent page.
 */
export const CLIENT_LINK_FIELDS = ['logo_uri', 'policy_uri', 'tos_uri', 'client_uri'] as const;
export type ClientLinkField = (typeof CLIENT_LINK_FIELDS)[number];
export type ClientLinks = Partial<Record<ClientLinkField, string>>;

/**
 * Each link must be https: the consent page loads the logo into a page where people decide what
 * to share, and sends them to the others; over plain http either could be swapped on the way.
 * Unlike redirect URIs there is no loopback exception: nothing is delivered back to the app here.
 */
export function assertClientLinksAllowed(metadata: ClientLinks, fail: (message: string) => Error): void {
  for (const field of CLIENT_LINK_FIELDS) {
    const value = metadata[field];
    if (value === undefined) continue;
    if (URL.parse(value)?.protocol !== 'https:') throw fail(`${field} must be an https URL, not ${value}`);
  }
}

/** The client's links that are set (and https: a self-registered client's are not ours to vouch for). */
export function clientLinksOf(metadata: ClientMetadata | Record<string, unknown>): ClientLinks {
  const links: ClientLinks = {};
  for (const field of CLIENT_LINK_FIELDS) {
    const value = metadata[field];
    if (typeof value === 'string' && URL.parse(value)?.protocol === 'https:') links[field] = value;
  }
  return links;
}
