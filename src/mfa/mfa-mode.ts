/**
 * How often a second factor is asked: never, when risk says so, or every time. The server's
 * MFA_POLICY and a client's own `mfa_policy` metadata (which wins) both take one of these; the
 * decision itself is src/second-step/decide-second-step.ts.
 */
export const MFA_MODES = ['off', 'adaptive', 'always'] as const;
export type MfaMode = (typeof MFA_MODES)[number];

/** Why a client's `mfa_policy` metadata is unacceptable, if it is. */
export const mfaPolicyProblem = (value: unknown) =>
  value === undefined || MFA_MODES.includes(value as MfaMode)
    ? undefined
    : `mfa_policy must be one of ${MFA_MODES.join(', ')}`;
