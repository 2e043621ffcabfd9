import type { PasswordCheck } from '../accounts/password-check.js';
import { ThrottledError } from '../accounts/password-check.js';
import type { KnownDevice } from '../throttle/device-cookies.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';

/** A sign-in older than this asks for the password again before a factor changes (ASVS 4.0 §3.7.1). */
export const REAUTH_WINDOW_SECONDS = 5 * 60;

export interface FreshAuthentication {
  readonly accountId: string;
  readonly signedInSecondsAgo: number;
  readonly password: string | undefined;
  readonly ip: string;
  readonly userAgent?: string;
  readonly device?: KnownDevice;
  /** What it is for, in the audit trail (`mfa_enrol`, `passkey_add`, `passkey_remove`). */
  readonly action: string;
}

/**
 * The rule every factor change in the console follows: a sign-in within REAUTH_WINDOW_SECONDS is
 * fresh enough; an older one must confirm the password first, through the same throttled and
 * audited check as sign-in. Throws the refusal the person sees.
 */
export function freshAuthentication(passwordCheck: PasswordCheck) {
  return async (attempt: FreshAuthentication): Promise<void> => {
    if (attempt.signedInSecondsAgo <= REAUTH_WINDOW_SECONDS) return;
    const confirmed = await passwordCheck({
      purpose: 'reauth',
      accountId: attempt.accountId,
      password: attempt.password ?? '',
      ip: attempt.ip,
      userAgent: attempt.userAgent,
      device: attempt.device,
      detail: { action: attempt.action },
    });
    if (!confirmed.ok && confirmed.reason === 'throttled') throw new ThrottledError(confirmed.retryAfterSeconds);
    if (!confirmed.ok) throw new GatehouseError('ERR_PASSWORD_MISMATCH', 'The password is not correct.');
  };
}

/**
 * The same window for a change that no password can confirm, because the account may have none (it
 * signs in only at another provider): linking another provider from the console. An older sign-in
 * is refused with ERR_SIGN_IN_AGAIN, and the console sends the person to sign in again.
 */
export function requireRecentSignIn(signedInSecondsAgo: number): void {
  if (signedInSecondsAgo <= REAUTH_WINDOW_SECONDS) return;
  throw new GatehouseError('ERR_SIGN_IN_AGAIN', 'Sign in again to link another provider.');
}
