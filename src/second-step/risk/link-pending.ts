import type { RiskRule } from './signals.js';

/**
 * Linking a sign-in at another provider to an existing account adds a way in, so it waits for the
 * account's own proof: the password, and its second factor when it has one (README, "Sign in with
 * another provider"). A demand, like the app's: a remembered browser, a known network or
 * MFA_POLICY=off must not skip it, or the link would silently never be made.
 */
export const linkPending: RiskRule = (facts) => (facts.linkPending ? 'link' : undefined);
