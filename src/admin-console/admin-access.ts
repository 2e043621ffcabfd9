import type { AccountRow } from '../accounts/account-queries.js';
import type { PersonDirectory } from '../directory/person-directory.js';
import { ADMIN_ROLE } from '../directory/role-service.js';
import { hasSecondFactor } from '../mfa/authentication-context.js';
import type { Clock } from '../kernel/clock.js';

/** What the provider session says about who is signed in (oidc-provider's Session fields). */
export interface SessionFacts {
  readonly accountId?: string;
  readonly amr?: readonly string[];
  /** When the person last proved who they are, in seconds since the epoch. */
  readonly loginTs?: number;
}

/**
 * The admin console's one decision about a request, in the order it is made:
 * - `sign-in`: nobody (or a deleted or disabled account) is signed in;
 * - `forbidden`: signed in without the built-in `admin` role: the same answer for every URL;
 * - `second-factor`: an administrator whose session has no second factor (password alone is not
 *   enough: a stolen password must not open the console);
 * - `reauthenticate`: a change asked with a sign-in older than ADMIN_SESSION_MAX_AGE_SECONDS;
 * - `allowed`, with the administrator's account.
 */
export type AdminAccess =
  | { readonly kind: 'sign-in' }
  | { readonly kind: 'forbidden'; readonly account: AccountRow }
  | { readonly kind: 'second-factor'; readonly account: AccountRow }
  | { readonly kind: 'reauthenticate'; readonly account: AccountRow }
  | { readonly kind: 'allowed'; readonly account: AccountRow };

export interface AdminAccessDeps {
  readonly accounts: { findById(id: string): Promise<AccountRow | null> };
  readonly personDirectory: Pick<PersonDirectory, 'entryOf'>;
  readonly clock: Clock;
  /** ADMIN_SESSION_MAX_AGE_SECONDS. */
  readonly maxAgeSeconds: number;
}

export function createAdminAccess({ accounts, personDirectory, clock, maxAgeSeconds }: AdminAccessDeps) {
  return {
    /** `change`: the request changes something (a POST), so the sign-in must also be recent. */
    async decide(session: SessionFacts, change: boolean): Promise<AdminAccess> {
      if (!session.accountId) return { kind: 'sign-in' };
      const account = await accounts.findById(session.accountId);
      if (!account || account.disabled) return { kind: 'sign-in' };
      // The role is read on every request, so removing it (CLI or API) takes effect at once.
      const { roles } = await personDirectory.entryOf(account.id);
      if (!roles.includes(ADMIN_ROLE)) return { kind: 'forbidden', account };
      if (!hasSecondFactor(session.amr)) return { kind: 'second-factor', account };
      if (change) {
        const age = Math.floor(clock() / 1000) - (session.loginTs ?? 0);
        if (age > maxAgeSeconds) return { kind: 'reauthenticate', account };
      }
      return { kind: 'allowed', account };
    },
  };
}

export type AdminAccessService = ReturnType<typeof createAdminAccess>;
