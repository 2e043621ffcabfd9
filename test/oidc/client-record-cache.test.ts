import { createMigratedDatabase } from '../support/test-database.js';
import { frozenClock } from '../support/frozen-clock.js';
import { createDatabase } from '../../src/db/create-prisma.js';
import { createOidcRecordQueries, type OidcRecordQueries } from '../../src/db/oidc-record-queries.js';
import { createPreparedOidcRecords } from '../../src/db/prepared-oidc-records.js';
import { createPrismaAdapter } from '../../src/oidc/prisma-adapter.js';
import { createCaches } from '../../src/oidc/create-caches.js';
import { invalidateClientsOnWrite } from '../../src/oidc/client-cache-invalidation.js';
import type { CacheLookup, ClientRecordCache } from '../../src/oidc/client-record-cache.js';
import { eventually } from '../support/eventually.js';
import { clientRecord } from '../support/client-record.js';

// The client cache on the store DATABASE_URL selects, with its real guard: the file's data version
// on SQLite, a LISTEN connection and the migration's trigger on PostgreSQL. "Another writer" is a
// second connection (a CLI command or another instance would be one); "this process" writes
// through the same records the server's adapter reads.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let other: ReturnType<typeof createDatabase>;
let elsewhere: OidcRecordQueries;
let cache: ClientRecordCache;
let records: OidcRecordQueries;
let lookups: CacheLookup[];
const clock = frozenClock(Date.now());
let find: (id: string) => Promise<{ client_name?: unknown } | undefined>;

/** Looks the client up until one answer comes from memory (the PostgreSQL guard listens first). */
async function cached(id: string): Promise<void> {
  await eventually(async () => {
    lookups = [];
    await find(id);
    return lookups[0] === 'hit';
  }, 5000);
}

beforeAll(async () => {
  store = await createMigratedDatabase();
  cache = createCaches({
    driver: store.driver,
    databaseUrl: store.database.url,
    clientCacheSize: 3,
    onClientLookup: (result) => lookups.push(result),
  }).clients;
  records = invalidateClientsOnWrite(
    createOidcRecordQueries(store.db, createPreparedOidcRecords(store.driver, clock)),
    cache,
  );
  const adapter = createPrismaAdapter(records, clock, cache)('Client');
  find = (id) => adapter.find(id) as Promise<{ client_name?: unknown } | undefined>;
  other = createDatabase(store.database.url);
  elsewhere = createOidcRecordQueries(other.db, createPreparedOidcRecords(other.driver, clock));
});

beforeEach(() => {
  lookups = [];
});

afterAll(async () => {
  await cache.close();
  await other.close();
  await store.close();
});

describe(`the client cache on ${process.env.DATABASE_URL?.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'}`, () => {
  it('answers a client from memory once read, and reads it again once another writer changes it', async () => {
    await elsewhere.upsert(clientRecord('renamed', 'Before'));
    await cached('renamed');
    expect(await find('renamed')).toMatchObject({ client_name: 'Before' });

    await elsewhere.replacePayload('Client', 'renamed', JSON.stringify({ client_id: 'renamed', client_name: 'After' }));
    if (store.driver.store === 'sqlite') {
      // The data version moved: the very next look-up reads the database.
      expect(await find('renamed')).toMatchObject({ client_name: 'After' });
    } else {
      await eventually(async () => (await find('renamed'))?.client_name === 'After');
    }
  });

  it('refuses a client another writer removed', async () => {
    await elsewhere.upsert(clientRecord('removed', 'Soon gone'));
    await cached('removed');
    await elsewhere.destroy('Client', 'removed');
    if (store.driver.store === 'sqlite') expect(await find('removed')).toBeUndefined();
    else await eventually(async () => (await find('removed')) === undefined);
  });

  it("sees this process's own changes at once (SQLite's data version does not move for them)", async () => {
    await records.upsert(clientRecord('own', 'Mine'));
    await cached('own');
    await records.replacePayload('Client', 'own', JSON.stringify({ client_id: 'own', client_name: 'Still mine' }));
    expect(await find('own')).toMatchObject({ client_name: 'Still mine' });
    await records.destroy('Client', 'own');
    expect(await find('own')).toBeUndefined();
  });

  it('does not keep what a look-up read just before the client changed', async () => {
    await records.upsert(clientRecord('raced', 'Old'));
    // The change lands while the look-up that read the old row is still on its way back.
    const old = await cache.find('raced', new Date(clock()), async () => {
      const row = await records.findLive('Client', 'raced', new Date(clock()));
      await records.replacePayload('Client', 'raced', JSON.stringify({ client_id: 'raced', client_name: 'New' }));
      return row;
    });
    expect(JSON.parse(old?.payload ?? '{}')).toMatchObject({ client_name: 'Old' });
    expect(await find('raced')).toMatchObject({ client_name: 'New' });
  });

  it('keeps at most its size in clients, the least recently used leaving first', async () => {
    for (const id of ['a', 'b', 'c', 'd']) await records.upsert(clientRecord(id, id));
    for (const id of ['a', 'b', 'c']) await cached(id);
    await find('a');
    await find('d');
    lookups = [];
    for (const id of ['a', 'c', 'd', 'b']) await find(id);
    expect(lookups).toEqual(['hit', 'hit', 'hit', 'miss']);
  });

  it('never answers a client past its expiry from memory', async () => {
    await records.upsert({ ...clientRecord('expiring', 'Brief'), expiresAt: new Date(clock() + 60_000) });
    await cached('expiring');
    clock.advance(60_000);
    expect(await find('expiring')).toBeUndefined();
  });

  it('answers an unknown client with nothing, and keeps nothing for it', async () => {
    expect(await find('never-registered')).toBeUndefined();
    await elsewhere.upsert(clientRecord('never-registered', 'Registered now'));
    if (store.driver.store === 'sqlite')
      expect(await find('never-registered')).toMatchObject({ client_name: 'Registered now' });
    else await eventually(async () => (await find('never-registered'))?.client_name === 'Registered now');
  });
});
