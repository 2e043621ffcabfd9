/** Token lifetimes in seconds. One place, so key retirement can reason about the longest. */
export const ID_TOKEN_TTL = 60 * 60;
export const ACCESS_TOKEN_TTL = 60 * 60;
export const AUTHORIZATION_CODE_TTL = 60;
export const INTERACTION_TTL = 60 * 60;
/** The cap on any signed token (ID tokens, JWT access tokens): keys retired stay published this long. */
export const MAX_SIGNED_TOKEN_TTL = 24 * 60 * 60;
/** Allowed clock difference between us and those who verify our signatures. */
export const CLOCK_SKEW = 5 * 60;
