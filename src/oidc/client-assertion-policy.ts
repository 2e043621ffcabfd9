import { errors, type Configuration } from 'oidc-provider';
import type { Clock } from '../kernel/clock.js';

type AssertClaims = NonNullable<Configuration['assertJwtClientAuthClaimsAndHeader']>;

/** oidc-provider's default clockTolerance (we leave it unchanged), granted to `exp` as well. */
const CLOCK_TOLERANCE_SECONDS = 15;

/**
 * Narrows which private_key_jwt / client_secret_jwt assertions authenticate a client, beyond the
 * provider's own checks (signature, iss = sub = client_id, exp, single-use jti):
 *
 * - `aud` names this authorization server: its issuer, or its token endpoint as RFC 7523 §3 also
 *   allows, both built from the issuer. Not the URL of whichever endpoint received the assertion,
 *   which the provider would accept too: draft-ietf-oauth-rfc7523bis §4 (audience injection) wants
 *   the issuer alone, so an assertion a client made for another endpoint or server is useless here.
 * - `aud` is one value. A JSON string, as the draft requires of clients; a one-element array is
 *   tolerated because it names exactly one audience (the attack needs a second, attacker-chosen
 *   one), and some JWT libraries always write arrays. Any longer array is refused.
 * - `exp` lies at most `maxLifetimeSeconds` ahead: an assertion is made for one request (RFC 7523
 *   §3 lets the server limit its lifetime; RFC 9700 §2.7 asks for short-lived ones), which also
 *   bounds how long its `jti` must be remembered against replay.
 */
export function clientAssertionPolicy(maxLifetimeSeconds: number, clock: Clock): AssertClaims {
  return (ctx, claims) => {
    const { provider } = ctx.oidc;
    const accepted = [provider.issuer, provider.urlFor('token')];
    const aud: unknown = claims.aud;
    const single = Array.isArray(aud) && aud.length === 1 ? aud[0] : aud;
    if (typeof single !== 'string' || !accepted.includes(single)) {
      throw new errors.InvalidClientAuth(
        `the client assertion's aud must be the issuer identifier (${provider.issuer}), as a single string`,
      );
    }
    const now = Math.floor(clock() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp > now + maxLifetimeSeconds + CLOCK_TOLERANCE_SECONDS) {
      throw new errors.InvalidClientAuth(`the client assertion must expire within ${maxLifetimeSeconds} seconds`);
    }
  };
}
