import type { OidcRecordQueries } from '../db/oidc-record-queries.js';
import type { ClientRecordCache } from './client-record-cache.js';

const CLIENT = 'Client';

/**
 * The records, with every write this process makes to a Client record forgetting that client in
 * the cache once it is done (or failed: forgetting too much is harmless), and returning only once
 * every other instance has heard of it (client-cache-sync.ts): what the CLI changed holds
 * everywhere by the time it returns. On SQLite the forgetting here is the only word of it for this
 * process (its connection's own commits do not move the data version).
 * Writes that name no model (grant and expiry sweeps) never touch Client rows, which have no
 * grant, and an expired client is never served from the cache (client-record-cache.ts).
 */
export function invalidateClientsOnWrite(records: OidcRecordQueries, cache: ClientRecordCache): OidcRecordQueries {
  const forgetting =
    <A extends unknown[], R>(
      write: (...args: A) => Promise<R>,
      modelAndId: (...args: A) => [string, string | undefined],
    ) =>
    (...args: A): Promise<R> => {
      const [model, id] = modelAndId(...args);
      // The token path (every other model) goes straight through.
      if (model !== CLIENT) return write(...args);
      return (async () => {
        try {
          return await write(...args);
        } finally {
          await cache.changed(id);
        }
      })();
    };
  return {
    ...records,
    upsert: forgetting(records.upsert, (record) => [record.model, record.id]),
    markConsumed: forgetting(records.markConsumed, (model, id) => [model, id]),
    destroy: forgetting(records.destroy, (model, id) => [model, id]),
    replacePayload: forgetting(records.replacePayload, (model, id) => [model, id]),
    replacePayloadIf: forgetting(records.replacePayloadIf, (model, id) => [model, id]),
    destroyIf: forgetting(records.destroyIf, (model, id) => [model, id]),
    destroyByGrantId: forgetting(records.destroyByGrantId, (model) => [model, undefined]),
    destroyByUid: forgetting(records.destroyByUid, (model) => [model, undefined]),
  };
}
