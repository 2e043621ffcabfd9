/** Stable codes for what the second factor's owner (or operator) can be told and fix. */
export type MfaErrorCode =
  | 'ERR_MFA_ALREADY_ENROLLED'
  | 'ERR_MFA_NOT_ENROLLED'
  | 'ERR_MFA_NO_ENROLMENT'
  | 'ERR_MFA_CODE_INVALID'
  | 'ERR_MFA_THROTTLED';

export class MfaError extends Error {
  constructor(readonly code: MfaErrorCode, message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }
}
