import type { RiskRule } from './signals.js';

/** The request named the MFA ACR (OIDC Core §3.1.2.1 `acr_values`, §5.5.1.1 essential `acr`): never answer with less. */
export const acrRequested: RiskRule = (facts) => (facts.acrRequested ? 'acr_requested' : undefined);
