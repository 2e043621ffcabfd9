import type { SignalReason, SignInFacts } from './risk/signals.js';
import { unrememberedDevice } from './risk/unremembered-device.js';
import { newNetwork } from './risk/new-network.js';
import { recentFailures } from './risk/recent-failures.js';
import { clientRequires } from './risk/client-requires.js';
import { acrRequested } from './risk/acr-requested.js';
import { passkeyRequested } from './risk/passkey-requested.js';
import { linkPending } from './risk/link-pending.js';

import type { MfaMode } from '../mfa/mfa-mode.js';

export type DecisionReason = SignalReason | 'policy_always';

export interface SecondStepDecision {
  /** Ask for the second step. */
  readonly ask: boolean;
  /** The person has no authenticator yet and must set one up inside this sign-in. */
  readonly enrol: boolean;
  /** Every signal that held (even when the mode means they changed nothing), for the audit trail. */
  readonly reasons: readonly DecisionReason[];
  readonly mode: MfaMode;
  /** Only a passkey answers: the request demands the phishing-resistant ACR. */
  readonly passkey: boolean;
}

const DEMANDS = [clientRequires, acrRequested, passkeyRequested, linkPending];
const RISKS = [unrememberedDevice, newNetwork, recentFailures];

/**
 * The adaptive policy: `mode` is the client's own (`--mfa`) or else the global `MFA_POLICY`.
 * A demand (the client requires it, the request asks for the MFA or phishing-resistant ACR, or an
 * identity at another provider waits for this step to be linked) is
 * always met, by enrolment if need be; `enrolled` says whether the person has a factor that can meet
 * it; otherwise `always` asks every enrolled person, `adaptive` asks when any
 * risk signal holds, and `off` never asks.
 */
export function decideSecondStep(mode: MfaMode, enrolled: boolean, facts: SignInFacts): SecondStepDecision {
  const demands = DEMANDS.map((rule) => rule(facts)).filter((r): r is SignalReason => r !== undefined);
  const risks = RISKS.map((rule) => rule(facts)).filter((r): r is SignalReason => r !== undefined);
  const reasons: DecisionReason[] = [...(mode === 'always' ? ['policy_always' as const] : []), ...demands, ...risks];
  const demanded = demands.length > 0 || mode === 'always';
  const passkey = facts.passkeyRequested;
  if (!enrolled) return { ask: demanded, enrol: demanded, reasons: demanded ? reasons : [], mode, passkey };
  const ask = demanded || (mode === 'adaptive' && risks.length > 0);
  return { ask, enrol: false, reasons, mode, passkey };
}
