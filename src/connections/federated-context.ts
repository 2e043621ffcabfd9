import { authenticationContext, MFA_ACR, type Acr, type Factor } from '../mfa/authentication-context.js';
import type { Connection } from './connection-service.js';
import type { UpstreamProfile } from './upstream-profile.js';

/**
 * RFC 8176 has no value for "signed in at another identity provider", so Gatehouse says `fed`
 * (README, "Sign in with another provider"). What the upstream did there counts as a second factor
 * only when the operator trusts this connection to say so (--trust-upstream-mfa, off by default):
 * its `amr` includes `mfa`, or its `acr` is the one configured (--mfa-acr). Otherwise the adaptive
 * second step (src/second-step) decides, exactly as after a password.
 */
export function federatedContext(
  connection: Pick<Connection, 'trustUpstreamMfa' | 'mfaAcr'>,
  profile: Pick<UpstreamProfile, 'amr' | 'acr'>,
  /** Factors proven here in the same flow (the password, when linking to an existing account). */
  local: readonly Factor[] = [],
): { amr: string[]; acr: Acr } {
  const context = authenticationContext([...local, 'federated']);
  const upstreamMfa =
    connection.trustUpstreamMfa &&
    (profile.amr.includes('mfa') || (connection.mfaAcr !== null && profile.acr === connection.mfaAcr));
  if (!upstreamMfa || context.amr.includes('mfa')) return context;
  return { amr: [...context.amr, 'mfa'], acr: MFA_ACR };
}
