import type { RiskRule } from './signals.js';

/**
 * The request demands the MFA ACR (an essential `acr` claim, OIDC Core §5.5.1.1, or `acr_values` naming
 * no other supported value, §3.1.2.1; see requestsMfaAcr in src/second-step/second-step-gate.ts): never answer with less.
 */
export const acrRequested: RiskRule = (facts) => (facts.acrRequested ? 'acr_requested' : undefined);
