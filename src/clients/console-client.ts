/**
 * The account console (/account) signs people in as a first-party public client of this very
 * server, registered statically in the provider configuration.
 */
export const CONSOLE_CLIENT_ID = 'gatehouse-account';
export const consoleRedirectUri = (issuer: string) => `${issuer}/account/callback`;
/** The admin console (/admin) signs administrators in as the same client, back to its own address. */
export const adminConsoleRedirectUri = (issuer: string) => `${issuer}/admin/callback`;
