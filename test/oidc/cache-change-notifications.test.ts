import pg from 'pg';
import { createTestDatabaseOn, postgresBase, type TestDatabase } from '../support/test-database.js';
import { migrate } from '../../src/db/migrate.js';
import { createDatabase, type DriverConnection, type Db } from '../../src/db/create-prisma.js';
import { createOidcRecordQueries, type OidcRecordQueries } from '../../src/db/oidc-record-queries.js';
import { createPreparedOidcRecords } from '../../src/db/prepared-oidc-records.js';
import { createPrismaAdapter } from '../../src/oidc/prisma-adapter.js';
import { CLIENT_CACHE_APPLICATION, createCaches } from '../../src/oidc/create-caches.js';
import { CLIENT_CHANNEL, CONNECTION_CHANNEL, RESOURCE_CHANNEL } from '../../src/oidc/cache-change-notifications.js';
import { invalidateClientsOnWrite } from '../../src/oidc/client-cache-invalidation.js';
import type { CacheLookup, ClientRecordCache } from '../../src/oidc/client-record-cache.js';
import { eventually } from '../support/eventually.js';
import { clientRecord } from '../support/client-record.js';
import { frozenClock } from '../support/frozen-clock.js';

// PostgreSQL only (whichever store the run is on): the trigger the migration installs, and the
// LISTEN connection that guards the client cache, lost and found again.

let database: TestDatabase;
let db: Db;
let driver: DriverConnection;
let close: () => Promise<void>;
let records: OidcRecordQueries;
let admin: pg.Client;

const dbName = () => new URL(database.url).pathname.slice(1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  database = await createTestDatabaseOn('postgresql');
  await migrate(database.url);
  ({ db, driver, close } = createDatabase(database.url));
  records = createOidcRecordQueries(db, createPreparedOidcRecords(driver, frozenClock(Date.now())));
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});

afterAll(async () => {
  await admin.end();
  await close();
  await database.drop();
});

describe('the client-change trigger (PostgreSQL)', () => {
  it('notifies every change to a Client record with its id, at commit, and nothing for other records', async () => {
    const heard: string[] = [];
    admin.on('notification', (message) => heard.push(message.payload ?? ''));
    await admin.query(`LISTEN ${CLIENT_CHANNEL}`);

    await records.upsert(clientRecord('c1', 'Added'));
    await records.upsert(clientRecord('c1', 'Saved again'));
    await records.replacePayload('Client', 'c1', JSON.stringify({ client_id: 'c1', client_name: 'Renamed' }));
    await records.upsert({
      ...clientRecord('t1', 'a token'),
      model: 'AccessToken',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await records.destroy('AccessToken', 't1');
    await records.destroy('Client', 'c1');
    // Nothing is heard before the writer commits.
    const writer = new pg.Client({ connectionString: database.url });
    await writer.connect();
    await writer.query('BEGIN');
    await writer.query(
      `INSERT INTO "OidcRecord" ("model", "id", "payload", "updatedAt") VALUES ('Client', 'c2', '{}', now())`,
    );
    await sleep(100);
    expect(heard).not.toContain('c2');
    await writer.query('COMMIT');
    await writer.query('TRUNCATE "OidcRecord"');
    await writer.end();

    await eventually(async () => heard.length >= 6, 5000);
    await admin.query(`UNLISTEN ${CLIENT_CHANNEL}`);
    expect(heard).toEqual(['c1', 'c1', 'c1', 'c1', 'c2', '']);
  });
});

describe('the resource-change trigger (PostgreSQL)', () => {
  it('notifies every statement that changes the Resource table, at commit, and nothing for other tables', async () => {
    const heard: string[] = [];
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    listener.on('notification', (message) => heard.push(message.channel));
    await listener.query(`LISTEN ${RESOURCE_CHANNEL}`);
    try {
      const api = (suffix: string) =>
        `('https://api.example.com/${suffix}', 'read', 'opaque', 600, 'client-${suffix}')`;
      const columns = '("identifier", "scopes", "tokenFormat", "accessTokenTtl", "clientId")';
      await admin.query(`INSERT INTO "Resource" ${columns} VALUES ${api('a')}, ${api('b')}`);
      await admin.query(`UPDATE "Resource" SET "accessTokenTtl" = 900`);
      await admin.query(`DELETE FROM "Resource" WHERE "identifier" = 'https://api.example.com/a'`);
      await records.upsert(clientRecord('not-an-api', 'Not an API'));
      await eventually(async () => heard.length >= 3, 5000);
      // Nothing is heard before the writer commits.
      await admin.query('BEGIN');
      await admin.query(`INSERT INTO "Resource" ${columns} VALUES ${api('c')}`);
      await sleep(100);
      expect(heard).toHaveLength(3);
      await admin.query('COMMIT');
      await admin.query('TRUNCATE "Resource" CASCADE');

      await eventually(async () => heard.length >= 5, 5000);
      expect(heard).toEqual(Array(5).fill(RESOURCE_CHANNEL));
    } finally {
      await listener.end();
    }
  });
});

describe('the connection-change trigger (PostgreSQL)', () => {
  it('notifies every statement that changes the Connection table, at commit, and nothing for other tables', async () => {
    const heard: string[] = [];
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    listener.on('notification', (message) => heard.push(message.channel));
    await listener.query(`LISTEN ${CONNECTION_CHANNEL}`);
    try {
      const connection = (name: string) =>
        `('${name}', '${name}', 'github', 'https://github.com', 'client', 'sealed', 'read:user', '${name}', now(), now())`;
      const columns =
        '("id", "name", "type", "issuer", "clientId", "clientSecretSealed", "scope", "buttonLabel", "createdAt", "updatedAt")';
      await admin.query(`INSERT INTO "Connection" ${columns} VALUES ${connection('a')}, ${connection('b')}`);
      await admin.query(`UPDATE "Connection" SET "buttonLabel" = 'Continue with B' WHERE "id" = 'b'`);
      await admin.query(`DELETE FROM "Connection" WHERE "id" = 'a'`);
      await records.upsert(clientRecord('not-a-connection', 'Not a connection'));
      await eventually(async () => heard.length >= 3, 5000);
      // Nothing is heard before the writer commits.
      await admin.query('BEGIN');
      await admin.query(`INSERT INTO "Connection" ${columns} VALUES ${connection('c')}`);
      await sleep(100);
      expect(heard).toHaveLength(3);
      await admin.query('COMMIT');
      await admin.query('TRUNCATE "Connection" CASCADE');

      await eventually(async () => heard.length >= 5, 5000);
      expect(heard).toEqual(Array(5).fill(CONNECTION_CHANNEL));
    } finally {
      await listener.end();
    }
  });
});

describe("the client cache's LISTEN connection", () => {
  let cache: ClientRecordCache;
  let lookups: CacheLookup[] = [];
  let find: (id: string) => Promise<{ client_name?: unknown } | undefined>;
  const listenerPids = async () =>
    (
      await admin.query<{ pid: number; query: string }>(
        'SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
        [CLIENT_CACHE_APPLICATION],
      )
    ).rows;
  const lastLookup = async (id: string) => {
    lookups = [];
    await find(id);
    return lookups[0];
  };

  beforeAll(() => {
    cache = createCaches({
      driver,
      databaseUrl: database.url,
      onClientLookup: (result) => lookups.push(result),
    }).clients;
    const adapter = createPrismaAdapter(records, frozenClock(Date.now()), cache)('Client');
    find = (id) => adapter.find(id) as Promise<{ client_name?: unknown } | undefined>;
  });

  afterAll(() => cache.close());

  it('is opened on the first look-up, apart from the pool, and the cache is bypassed until it listens', async () => {
    await records.upsert(clientRecord('app', 'App'));
    expect(await listenerPids()).toEqual([]);
    expect(await lastLookup('app')).toBe('bypass');
    await eventually(async () => (await lastLookup('app')) === 'hit', 5000);
    const listeners = await listenerPids();
    expect(listeners).toHaveLength(1);
    expect(listeners[0]?.query).toContain(`LISTEN ${CLIENT_CHANNEL}`);
  });

  it('when its connection is lost, the cache is emptied and bypassed, and used again once it listens anew', async () => {
    await eventually(async () => (await lastLookup('app')) === 'hit', 5000);
    const [listener] = await listenerPids();
    // Kept out until the test lets it back (the pool keeps the connections it holds).
    const server = new pg.Client({ connectionString: postgresBase() });
    await server.connect();
    await server.query(`ALTER DATABASE "${dbName()}" WITH ALLOW_CONNECTIONS false`);
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [listener?.pid]);
      await eventually(async () => (await lastLookup('app')) === 'bypass', 5000);

      // A change while nobody listens is not heard: it is seen all the same, the cache being bypassed.
      await records.replacePayload(
        'Client',
        'app',
        JSON.stringify({ client_id: 'app', client_name: 'Changed unheard' }),
      );
      expect(await find('app')).toMatchObject({ client_name: 'Changed unheard' });
      await sleep(300);
      expect(await lastLookup('app')).toBe('bypass');
    } finally {
      await server.query(`ALTER DATABASE "${dbName()}" WITH ALLOW_CONNECTIONS true`);
      await server.end();
    }

    // Back: a new connection listens, the cache fills again and hears the next change.
    await eventually(async () => (await lastLookup('app')) === 'hit', 15_000);
    expect((await listenerPids())[0]?.pid).not.toBe(listener?.pid);
    expect(await find('app')).toMatchObject({ client_name: 'Changed unheard' });
    await records.replacePayload(
      'Client',
      'app',
      JSON.stringify({ client_id: 'app', client_name: 'Changed and heard' }),
    );
    await eventually(async () => (await find('app'))?.client_name === 'Changed and heard', 1000);
  });

  it('closes with the cache', async () => {
    await cache.close();
    await eventually(async () => (await listenerPids()).length === 0, 5000);
  });
});

describe("a change written through Gatehouse's records (the CLI's path)", () => {
  const caches: ClientRecordCache[] = [];
  let writer: ClientRecordCache;
  const lookups: CacheLookup[][] = [[], []];
  const finders: ((id: string) => Promise<{ client_name?: unknown } | undefined>)[] = [];

  beforeAll(() => {
    for (const seen of lookups) {
      const cache = createCaches({
        driver,
        databaseUrl: database.url,
        onClientLookup: (result) => seen.push(result),
      }).clients;
      caches.push(cache);
      const adapter = createPrismaAdapter(records, frozenClock(Date.now()), cache)('Client');
      finders.push((id) => adapter.find(id) as Promise<{ client_name?: unknown } | undefined>);
    }
    // Like a CLI command: it writes, and never looks a client up (so never listens).
    writer = createCaches({ driver, databaseUrl: database.url }).clients;
  });

  afterAll(async () => {
    await Promise.all([...caches, writer].map((cache) => cache.close()));
  });

  it('returns only once every listening instance has forgotten it: the very next look-up anywhere sees it', async () => {
    const written = invalidateClientsOnWrite(records, writer);
    await written.upsert(clientRecord('shared', 'First'));
    for (const [i, find] of finders.entries()) {
      await eventually(async () => {
        lookups[i]?.splice(0);
        await find('shared');
        return lookups[i]?.[0] === 'hit';
      }, 5000);
    }
    for (const name of ['Second', 'Third', 'Fourth']) {
      await written.replacePayload('Client', 'shared', JSON.stringify({ client_id: 'shared', client_name: name }));
      for (const find of finders) expect(await find('shared')).toMatchObject({ client_name: name });
    }
  });

  it('waits for every listening connection, a second at most for one that never answers', async () => {
    const written = invalidateClientsOnWrite(records, writer);
    const started = Date.now();
    await written.replacePayload('Client', 'shared', JSON.stringify({ client_id: 'shared', client_name: 'Answered' }));
    expect(Date.now() - started).toBeLessThan(900);

    // A listener of the same name that never answers: the writer gives up on it after a second.
    const silent = new pg.Client({ connectionString: database.url, application_name: CLIENT_CACHE_APPLICATION });
    await silent.connect();
    try {
      const waited = Date.now();
      await written.replacePayload(
        'Client',
        'shared',
        JSON.stringify({ client_id: 'shared', client_name: 'Unanswered' }),
      );
      expect(Date.now() - waited).toBeGreaterThanOrEqual(900);
      expect(Date.now() - waited).toBeLessThan(3000);
    } finally {
      await silent.end();
    }
  });
});
