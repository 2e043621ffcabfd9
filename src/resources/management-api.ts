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
