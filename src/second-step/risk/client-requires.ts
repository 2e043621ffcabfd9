import type { RiskRule } from './signals.js';

/** The app is registered as needing a second factor, whatever the risk. */
export const clientRequires: RiskRule = (facts) => (facts.clientRequires ? 'client_requires' : undefined);
