/** Who the passkeys are for (W3C WebAuthn L3 §5.4.2 rp, §13.4.9 origin validation). */
export interface RelyingParty {
  /** The RP ID: the ISSUER's host. A passkey made for it works only on that host (and its subdomains' pages never see it). */
  readonly rpId: string;
  /** The origin every clientDataJSON must name: the ISSUER's scheme, host and port. */
  readonly origin: string;
  /** What the browser may show when it asks the person to create a passkey. */
  readonly rpName: string;
}

/**
 * The one place the RP ID and the expected origin are derived, both from ISSUER: a path in the
 * issuer (https://example.com/auth) belongs to neither, a port belongs to the origin only.
 */
export function relyingPartyOf(issuer: string, rpName?: string): RelyingParty {
  const url = new URL(issuer);
  return Object.freeze({ rpId: url.hostname, origin: url.origin, rpName: rpName ?? url.hostname });
}
