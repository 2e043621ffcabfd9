import { MFA_MODES, type MfaMode } from '../mfa/mfa-mode.js';

/**
 * A client's own second-step policy, from its metadata: `mfa_policy`, with the older `require_mfa`
 * flag meaning `always`. Undefined when the client follows the global MFA_POLICY.
 */
export function clientMfaMode(metadata: unknown): MfaMode | undefined {
  const { mfa_policy: policy, require_mfa: required } = (metadata ?? {}) as {
    mfa_policy?: string;
    require_mfa?: boolean;
  };
  if (MFA_MODES.includes(policy as MfaMode)) return policy as MfaMode;
  return required ? 'always' : undefined;
}
