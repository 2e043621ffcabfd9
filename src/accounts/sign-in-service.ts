import type { KnownDevice } from '../throttle/device-cookies.js';
import type { PasswordCheck, PasswordCheckResult } from './password-check.js';
import { REMEMBERED_BROWSER_KEY, rememberedBrowserTag } from '../audit/remembered-browser-tag.js';

export interface SignInAttempt {
  readonly email: string;
  readonly password: string;
  readonly ip: string;
  readonly userAgent?: string;
  readonly clientId?: string;
  /** The browser's verified device cookie, if it holds one. */
  readonly device?: KnownDevice;
  /** The id in the browser's signed remembered-device cookie, if it holds one. */
  readonly rememberedDevice?: string;
}

export type SignInResult = PasswordCheckResult;

/** Sign-in with email and password: the shared password check (throttle, gate, decoy hash, rehash, audit). */
export function createSignInService(check: PasswordCheck) {
  return {
    signIn: ({ rememberedDevice, ...attempt }: SignInAttempt): Promise<SignInResult> =>
      check({
        purpose: 'signin',
        ...attempt,
        // A wrong password typed in a remembered browser is attributed to it: there it still makes
        // the next sign-in ask for the second step (src/second-step/second-step-policy.ts).
        ...(rememberedDevice ? { detail: { [REMEMBERED_BROWSER_KEY]: rememberedBrowserTag(rememberedDevice) } } : {}),
      }),
  };
}

export type SignInService = ReturnType<typeof createSignInService>;
