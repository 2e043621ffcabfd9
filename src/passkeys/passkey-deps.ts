import type { AccountQueries } from '../accounts/account-queries.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../kernel/clock.js';
import type { FactorChangeNotices } from '../mfa/factor-change-notices.js';
import type { MfaQueries } from '../mfa/mfa-queries.js';
import type { MfaActor, SecondStepThrottle } from '../mfa/mfa-service.js';
import type { PasskeyQueries } from './passkey-queries.js';
import type { RelyingParty } from './relying-party.js';
import type { WebAuthnChallengeQueries } from './webauthn-challenge-queries.js';

export interface PasskeyServiceDeps {
  readonly queries: PasskeyQueries;
  readonly challenges: WebAuthnChallengeQueries;
  readonly relyingParty: RelyingParty;
  readonly audit: AuditService;
  /** The second step's throttle (src/mfa/second-step-throttle.ts): a failed assertion counts like a wrong code. */
  readonly throttle: SecondStepThrottle;
  /** The other factors: whether an authenticator app is set up, and the recovery codes and remembered browsers. */
  readonly mfa: Pick<MfaQueries, 'findTotp' | 'replaceRecoveryCodes' | 'revokeTrustedDevices'>;
  /** The owner's address, for the notice when a passkey is removed. */
  readonly accounts: Pick<AccountQueries, 'findById'>;
  readonly clock: Clock;
  /** Mails the owner when a passkey is added or removed; absent when the server sends no mail. */
  readonly notices?: FactorChangeNotices;
}

/** Who acted, for the audit trail; `clientId` when it happens inside an app's sign-in. */
export type PasskeyActor = MfaActor & { readonly clientId?: string };

/** A challenge lives this long (the 5 minutes; WebAuthn §15.1 recommends 300 s for UV "preferred"). */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
