import type { OidcRecordQueries } from '../db/oidc-record-queries.js';
import { hashClientSecret, isHashedSecret } from './client-secret.js';

/**
 * The upgrade of clients registered before secrets were hashed: each secret still in the clear is
 * replaced by its hash (client-secret.ts), so the secret the client holds keeps working. Runs with
 * the migrations (`gatehouse migrate`, and at every start); idempotent. Returns the ids upgraded.
 */
export async function hashLegacyClientSecrets(records: OidcRecordQueries): Promise<string[]> {
  const upgraded: string[] = [];
  for (const { id, payload } of await records.listPermanent('Client')) {
    const metadata = JSON.parse(payload) as { client_secret?: unknown };
    if (typeof metadata.client_secret !== 'string' || isHashedSecret(metadata.client_secret)) continue;
    const hashed = { ...metadata, client_secret: hashClientSecret(metadata.client_secret) };
    if (await records.replacePayload('Client', id, JSON.stringify(hashed))) upgraded.push(id);
  }
  return upgraded;
}
