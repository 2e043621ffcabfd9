import type { KoaContextWithOIDC, Session } from 'oidc-provider';
import type { Clock } from '../kernel/clock.js';

export interface SessionTimeouts {
  readonly idleSeconds: number;
  readonly absoluteSeconds: number;
}

/**
 * oidc-provider re-saves the session (and its cookie) with this TTL on every request that uses
 * it, so inactivity ends a session after `idleSeconds`; `absoluteSeconds` after sign-in it ends
 * whatever the activity (ASVS 4.0 §3.3.1–3.3.2).
 */
export function sessionTtl({ idleSeconds, absoluteSeconds }: SessionTimeouts, clock: Clock) {
  return (_ctx: KoaContextWithOIDC, session: Session): number => {
    const now = Math.floor(clock() / 1000);
    const signedInAt = session.loginTs ?? now;
    return Math.max(0, Math.min(idleSeconds, signedInAt + absoluteSeconds - now));
  };
}
