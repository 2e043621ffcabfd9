import { STRUCTURED_MODEL, type OidcRecordQueries } from '../db/oidc-record-queries.js';

/**
 * What oidc-provider (and structured-access-tokens.ts) stores on behalf of a client, each with the
 * client's id in its payload. Sessions are left alone: they belong to the person, and the grant
 * they point to is removed here.
 */
const ISSUED_MODELS = [
  'Grant',
  'AuthorizationCode',
  'AccessToken',
  'RefreshToken',
  'ClientCredentials',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PushedAuthorizationRequest',
  'RegistrationAccessToken',
  STRUCTURED_MODEL,
] as const;

/**
 * Revokes every grant of a client and every code and token issued to it, opaque or JWT, so that
 * introspection answers `{"active": false}` for all of them (RFC 7662 §2.2) once the client is gone
 * (RFC 7009 §2.1: revoking a grant takes its tokens with it). Returns how many records went.
 */
export async function revokeClientTokens(records: OidcRecordQueries, clientId: string): Promise<number> {
  // The payload is JSON.stringify'd by the adapter, so this is how the property reads in it.
  const rows = await records.listContaining(ISSUED_MODELS, `"clientId":${JSON.stringify(clientId)}`);
  const mine = rows.filter(({ payload }) => (JSON.parse(payload) as { clientId?: unknown }).clientId === clientId);
  const grantIds = new Set<string>();
  for (const row of mine) {
    if (row.model === 'Grant') grantIds.add(row.id);
    else if (row.grantId) grantIds.add(row.grantId);
  }
  for (const grantId of grantIds) await records.destroyGrant(grantId);
  for (const { model, id } of mine) await records.destroy(model, id);
  return mine.length;
}
