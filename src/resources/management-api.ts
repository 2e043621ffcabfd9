/**
 * The management API (src/admin-api) is an API like any other (RFC 8707): clients are granted it
 * with `gatehouse client add --resource {ISSUER}/admin/api` and get JWT access tokens for it. It
 * exists from the first start (ensureManagementApi in resource-service.ts), and it is built in: it
 * cannot be removed, and its scopes and token format are fixed, since the code checks them.
 */
export const MANAGEMENT_API_PATH = '/admin/api';

/** Reading (lists, audit, keys) and changing (every write): RFC 6749 §3.3 scope tokens. */
export const MANAGEMENT_SCOPES = ['admin:read', 'admin:write'] as const;
export type ManagementScope = (typeof MANAGEMENT_SCOPES)[number];

/** `{ISSUER}/admin/api`: under the issuer, so no two Gatehouse deployments share it. */
export const managementApiIdentifier = (issuer: string): string =>
  `${issuer.replace(/\/+$/, '')}${MANAGEMENT_API_PATH}`;

/**
 * Which identifiers this process must treat as the management API. The server knows its issuer,
 * and so its API. A CLI command without ISSUER knows only the default guess, and the server's API
 * may be any `…/admin/api` in the database: every one is then built in, so a shell without ISSUER
 * can neither remove nor re-scope a server's API, nor grant it to a public client.
 */
export const managementApiMatcher = (issuer: string, issuerKnown: boolean): ((identifier: string) => boolean) => {
  const own = managementApiIdentifier(issuer);
  return (identifier) => identifier === own || (!issuerKnown && identifier.endsWith(MANAGEMENT_API_PATH));
};
