import type { RiskRule } from './signals.js';

/**
 * Someone got the password or a code wrong since the account last signed in: maybe not its owner.
 * In a remembered browser only its own failures count (src/second-step/second-step-policy.ts).
 */
export const recentFailures: RiskRule = (facts) => (facts.failuresSinceLastSignIn > 0 ? 'failed_attempts' : undefined);
