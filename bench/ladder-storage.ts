// Rung 2 of the ladder (bench/ladder-provider.ts): the bare provider's storage moved from a Map to
// the database, through the same prepared statements Gatehouse's hot path runs
// (src/db/prepared-oidc-records.ts over src/db/prepared-statements.ts, with Gatehouse's batching of
// introspection's three look-ups), on a database migrated as Gatehouse migrates its own. The adapter
// around them is the least oidc-provider's storage contract needs: none of Gatehouse's client cache,
// code-replay handling or account index, so the step from rung 1 is the physical cost of durable storage.
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { createDatabase } from '../src/db/create-prisma.js';
import { migrate } from '../src/db/migrate.js';
import { createOidcRecordQueries, type LiveRecord } from '../src/db/oidc-record-queries.js';
import { createPreparedOidcRecords } from '../src/db/prepared-oidc-records.js';
import { batchTokenFinds } from '../src/oidc/batched-token-finds.js';
import { instrumentPrepared } from '../src/db/instrument-prepared.js';
import type { Clock } from '../src/kernel/clock.js';
import type { QueryObserver } from '../src/db/query-metrics.js';

function parse(record: LiveRecord | null): AdapterPayload | undefined {
  if (!record) return undefined;
  const payload = JSON.parse(record.payload) as AdapterPayload;
  return record.consumedAt ? { ...payload, consumed: Math.floor(record.consumedAt.getTime() / 1000) } : payload;
}

export interface LadderStorage {
  readonly adapter: AdapterFactory;
  readonly records: ReturnType<typeof createOidcRecordQueries>;
  close(): Promise<void>;
}

/**
 * `onQuery` (rung 5, metrics) times every statement as Gatehouse's container does: Prisma's query
 * extension and instrumentPrepared around the prepared statements.
 */
export async function createLadderStorage(databaseUrl: string, clock: Clock, onQuery?: QueryObserver) {
  await migrate(databaseUrl);
  const { db, driver, close } = createDatabase(databaseUrl, { onQuery });
  const statements = createPreparedOidcRecords(driver, clock);
  const prepared = batchTokenFinds(onQuery ? instrumentPrepared(db, 'OidcRecord', statements) : statements);
  // The hot statements (destroy too) are `prepared`'s; the rest go through Prisma's
  // model API exactly as in Gatehouse, and run only around sign-ins and revocations.
  const records = createOidcRecordQueries(db, prepared);
  const now = () => new Date(clock());

  const adapter: AdapterFactory = (model: string): Adapter => ({
    async upsert(id, payload, expiresIn) {
      await records.upsert({
        model,
        id,
        payload: JSON.stringify(payload),
        grantId: payload.grantId ?? null,
        userCode: payload.userCode ?? null,
        uid: payload.uid ?? null,
        accountId: null,
        expiresAt: expiresIn ? new Date(clock() + expiresIn * 1000) : null,
      });
    },
    async find(id) {
      return parse(await records.findLive(model, id, now()));
    },
    async findByUid(uid) {
      return parse(await records.findLiveBy(model, 'uid', uid, now()));
    },
    async findByUserCode(userCode) {
      return parse(await records.findLiveBy(model, 'userCode', userCode, now()));
    },
    async consume(id) {
      const at = now();
      await records.markConsumed(model, id, at, at);
    },
    async destroy(id) {
      await records.destroy(model, id);
    },
    async revokeByGrantId(grantId) {
      await records.destroyByGrantId(model, grantId);
    },
  });
  return { adapter, records, close } satisfies LadderStorage;
}
