import { errors, type Adapter, type AdapterFactory, type AdapterPayload } from 'oidc-provider';
import type { OidcRecordQueries } from './oidc-record-queries.js';
import { uncachedClients, type ClientRecordCache } from './client-record-cache.js';

export type Clock = () => number;

/** Models listed per account in the console and the CLI (sessions, connected apps). */
const ACCOUNT_INDEXED = new Set(['Session', 'Grant']);

function parse(record: { payload: string; consumedAt: Date | null } | null): AdapterPayload | undefined {
  if (!record) return undefined;
  const payload = JSON.parse(record.payload) as AdapterPayload;
  return record.consumedAt ? { ...payload, consumed: Math.floor(record.consumedAt.getTime() / 1000) } : payload;
}

/**
 * oidc-provider's storage contract on Prisma (see oidc-provider's example/my_adapter.js):
 * one adapter per model, `find*` return nothing for missing or expired records. Clients, looked up
 * on every token request, are found through `clients` (client-record-cache.ts).
 */
export function createPrismaAdapter(records: OidcRecordQueries, clock: Clock = () => Date.now(), clients: ClientRecordCache = uncachedClients): AdapterFactory {
  const now = () => new Date(clock());

  return (model: string): Adapter => ({
    async upsert(id, payload, expiresIn) {
      await records.upsert({
        model,
        id,
        payload: JSON.stringify(payload),
        grantId: payload.grantId ?? null,
        userCode: payload.userCode ?? null,
        uid: payload.uid ?? null,
        accountId: ACCOUNT_INDEXED.has(model) ? payload.accountId ?? null : null,
        expiresAt: expiresIn ? new Date(clock() + expiresIn * 1000) : null,
      });
    },

    async find(id) {
      const at = now();
      if (model === 'Client') return parse(await clients.find(id, at, () => records.findLive(model, id, at)));
      return parse(await records.findLive(model, id, at));
    },

    async findByUid(uid) {
      return parse(await records.findLiveBy(model, 'uid', uid, now()));
    },

    async findByUserCode(userCode) {
      return parse(await records.findLiveBy(model, 'userCode', userCode, now()));
    },

    async consume(id) {
      if (await records.markConsumed(model, id, now())) return;
      // Lost a race with a concurrent use of the same code or token: oidc-provider read it as
      // unconsumed a moment ago. Treat it as the replay it is (RFC 6749 §4.1.2, RFC 9700 §4.14.2):
      // refuse, and revoke what the winner was issued by ending the grant.
      const row = await records.grantIdOf(model, id);
      if (row?.grantId) await records.destroyGrant(row.grantId);
      throw new errors.InvalidGrant(`${model} already consumed`);
    },

    async destroy(id) {
      await records.destroy(model, id);
    },

    async revokeByGrantId(grantId) {
      await records.destroyByGrantId(model, grantId);
    },
  });
}
