import type { RiskRule } from './signals.js';

/**
 * The request demands the phishing-resistant ACR (requestedAcr in src/second-step/second-step-gate.ts):
 * only a passkey answers it, whatever second factor the session already has.
 */
export const passkeyRequested: RiskRule = (facts) => (facts.passkeyRequested ? 'passkey_requested' : undefined);
