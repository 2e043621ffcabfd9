/** What is known about one sign-in when the policy decides whether to ask for the second step. */
export interface SignInFacts {
  /** This browser holds a valid remembered-device cookie for this account. */
  readonly deviceRemembered: boolean;
  /** The sign-in's network (IPv4 /24, IPv6 /64) completed a sign-in for this account in the last 90 days. */
  readonly networkKnown: boolean;
  /**
   * Wrong passwords or codes on the account since its last completed sign-in; in a remembered
   * browser, only those made in that browser (second-step-policy.ts says why).
   */
  readonly failuresSinceLastSignIn: number;
  /** The client is registered with `--mfa always` (or `--require-mfa`). */
  readonly clientRequires: boolean;
  /** `acr_values` or an essential `acr` claim demands the MFA ACR or a stronger one. */
  readonly acrRequested: boolean;
  /** The demand is for the phishing-resistant ACR: only a passkey answers it. */
  readonly passkeyRequested: boolean;
  /**
   * An identity at another provider waits in this browser to be linked to this account, once its
   * second step is passed (src/connections/upstream-linking.ts).
   */
  readonly linkPending?: boolean;
}

/** Why the second step was asked; each rule in src/second-step/risk/ gives at most one. */
export type SignalReason =
  'new_device' | 'new_network' | 'failed_attempts' | 'client_requires' | 'acr_requested' | 'passkey_requested' | 'link';

export type RiskRule = (facts: SignInFacts) => SignalReason | undefined;

/** How each reason reads to the person in the console and to the operator in the audit trail. */
export const REASON_TEXT: Readonly<Record<SignalReason | 'policy_always', string>> = Object.freeze({
  new_device: 'new browser',
  new_network: 'new network',
  failed_attempts: 'failed attempts since the last sign-in',
  client_requires: 'the app requires it',
  acr_requested: 'the app asked for it',
  passkey_requested: 'the app asked for a passkey',
  link: 'linking a sign-in at another provider',
  policy_always: 'always required here',
});
