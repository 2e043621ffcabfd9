/**
 * The one place that turns the factors a person used into what tokens say about it: `amr`
 * (RFC 8176 §2) and `acr` (OIDC Core §2), in ID tokens, userinfo, introspection and JWT access tokens.
 */
export const PASSWORD_ACR = 'urn:gatehouse:acr:password';
/** Password and a second factor; the name says `mfa` so RPs can read it without a table. */
export const MFA_ACR = 'urn:gatehouse:acr:mfa';
/** What discovery advertises (`acr_values_supported`), weakest first. */
export const SUPPORTED_ACRS = [PASSWORD_ACR, MFA_ACR] as const;

export type Factor = 'password' | 'totp' | 'recovery_code';

/** `pwd` for the password; `otp` for a code from the app or a one-time recovery code; `mfa` when both. */
export function authenticationContext(factors: readonly Factor[]): { amr: string[]; acr: string } {
  const amr = new Set<string>();
  if (factors.includes('password')) amr.add('pwd');
  if (factors.includes('totp') || factors.includes('recovery_code')) amr.add('otp');
  const multi = amr.size > 1;
  if (multi) amr.add('mfa');
  return { amr: [...amr], acr: multi ? MFA_ACR : PASSWORD_ACR };
}

/** Whether a session's `amr` already includes a second factor. */
export const hasSecondFactor = (amr: readonly string[] | undefined) => Boolean(amr?.includes('otp'));
