import type { RiskRule } from './signals.js';

/** A network this account has not completed a sign-in from in 90 days. */
export const newNetwork: RiskRule = (facts) => (facts.networkKnown ? undefined : 'new_network');
