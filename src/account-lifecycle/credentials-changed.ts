import type { EmailTokenQueries } from '../mail/email-token-queries.js';
import type { MfaQueries } from '../mfa/mfa-queries.js';
import type { Clock } from '../kernel/clock.js';

export interface CredentialsChangedDeps {
  readonly links: Pick<EmailTokenQueries, 'spendAllOfAccount'>;
  readonly devices: Pick<MfaQueries, 'revokeTrustedDevices'>;
  readonly clock: Clock;
}

/**
 * The one step every change of how an account proves itself runs (a password changed, set by an
 * operator or reset by link; the second factor turned off or reset): whoever held the old secret may
 * have asked for mail links (an email change to their own address, then "forgot password" there)
 * or had a browser remembered, so every pending link of the account (password reset, email
 * verification, email change) is spent and no browser skips the second step any more
 * (ASVS 4.0 §2.5.3 and §3.3.3: a credential change ends what the old credential opened).
 * Sessions and tokens are ended by the callers, which know which session to keep.
 */
export function createCredentialsChanged({ links, devices, clock }: CredentialsChangedDeps) {
  return async (accountId: string): Promise<{ links: number; devices: number }> => {
    const at = new Date(clock());
    return {
      links: await links.spendAllOfAccount(accountId, at),
      devices: await devices.revokeTrustedDevices(accountId, at),
    };
  };
}

export type CredentialsChanged = ReturnType<typeof createCredentialsChanged>;
