import type { KnownDevice } from '../throttle/device-cookies.js';
import type { PasswordCheck, PasswordCheckResult } from './password-check.js';

export interface SignInAttempt {
  readonly email: string;
  readonly password: string;
  readonly ip: string;
  readonly userAgent?: string;
  readonly clientId?: string;
  /** The browser's verified device cookie, if it holds one. */
  readonly device?: KnownDevice;
}

export type SignInResult = PasswordCheckResult;

/** Sign-in with email and password: the shared password check (throttle, gate, decoy hash, rehash, audit). */
export function createSignInService(check: PasswordCheck) {
  return {
    signIn: (attempt: SignInAttempt): Promise<SignInResult> => check({ purpose: 'signin', ...attempt }),
  };
}

export type SignInService = ReturnType<typeof createSignInService>;
