import type { RiskRule } from './signals.js';

/**
 * The request demands the MFA ACR (an essential `acr` claim, OIDC Core §5.5.1.1, or `acr_values` naming
 * no weaker supported value, §3.1.2.1; see requestedAcr in src/second-step/second-step-gate.ts): never
 * answer with less. A demand for the phishing-resistant ACR has its own reason (passkey-requested.ts).
 */
export const acrRequested: RiskRule = (facts) =>
  facts.acrRequested && !facts.passkeyRequested ? 'acr_requested' : undefined;
