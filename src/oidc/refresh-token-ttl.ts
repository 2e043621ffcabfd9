export interface RefreshTokenLifetime {
  /** Since the first token of the chain was issued (its `iiat`): the chain dies then, used or not. */
  readonly absoluteSeconds: number;
  /** Since the token was issued: an unused refresh token dies then. */
  readonly idleSeconds: number;
}

/**
 * Seconds a refresh token issued now may live. Every use rotates the token (RFC 9700 §4.14.2), so
 * each new one restarts the idle window, but none outlives the chain's absolute cap.
 * `iiat` and `now` are epoch seconds. Never below 1: the provider refuses a non-positive TTL, and a
 * chain at its cap is already refused as expired before a new token is made.
 */
export function refreshTokenTtl(lifetime: RefreshTokenLifetime, iiat: number, now: number): number {
  return Math.max(1, Math.min(lifetime.idleSeconds, iiat + lifetime.absoluteSeconds - now));
}
