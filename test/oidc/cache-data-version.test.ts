import Database from 'better-sqlite3';
import { createDatabase, type DriverConnection } from '../../src/db/create-prisma.js';
import { migrate } from '../../src/db/migrate.js';
import { cacheDataVersion } from '../../src/oidc/cache-data-version.js';
import { createTestDatabaseOn, type TestDatabase } from '../support/test-database.js';

// The SQLite watch of the caches (PostgreSQL's is LISTEN: cache-change-notifications.test.ts), so
// these run on a SQLite file in either store's run. Another connection writes as the CLI would.

type SqliteDriver = Extract<DriverConnection, { store: 'sqlite' }>;

let database: TestDatabase;
let driver: SqliteDriver;
let close: () => Promise<void>;
let other: Database.Database;

beforeAll(async () => {
  database = await createTestDatabaseOn('sqlite');
  await migrate(database.url);
  const opened = createDatabase(database.url);
  close = opened.close;
  if (opened.driver.store !== 'sqlite') throw new Error('expected SQLite');
  driver = opened.driver;
  other = new Database(database.url.slice('file:'.length));
  other.exec('CREATE TABLE "WatchProbe" ("n" INTEGER)');
});

afterAll(async () => {
  other.close();
  await close();
  await database.drop();
});

/** A watch whose reads are counted, and how often it said the store changed. */
function watched() {
  let reads = 0;
  let changes = 0;
  const watch = cacheDataVersion((statement, writes) => {
    reads += 1;
    return driver.batched(statement, writes);
  });
  watch.start(() => {
    changes += 1;
  });
  return { watch, reads: () => reads, changes: () => changes };
}

const anotherProcessWrites = () => other.prepare('INSERT INTO "WatchProbe" ("n") VALUES (1)').run();

describe('the SQLite watch of the caches', () => {
  it('answers every use of a cache asked in one turn with one read of the data version', async () => {
    const { watch, reads } = watched();
    await watch.usable();
    const before = reads();
    expect(await Promise.all([watch.usable(), watch.usable(), watch.usable()])).toEqual([true, true, true]);
    expect(reads() - before).toBe(1);
  });

  it('reads again for a use asked after the last read ran', async () => {
    const { watch, reads } = watched();
    await watch.usable();
    await watch.usable();
    expect(reads()).toBe(2);
  });

  it('sees a commit by another connection made after a use was asked, within the same turn', async () => {
    const { watch, changes } = watched();
    await watch.usable();
    const first = changes();
    const asked = watch.usable();
    anotherProcessWrites();
    // A second use in the same turn shares the read, which runs at the turn's end: after the commit.
    const again = watch.usable();
    await Promise.all([asked, again]);
    expect(changes()).toBe(first + 1);
  });

  it('says nothing changed when nobody else wrote', async () => {
    const { watch, changes } = watched();
    await watch.usable();
    const first = changes();
    await watch.usable();
    await watch.usable();
    expect(changes()).toBe(first);
  });

  it('reads again after a read that failed, instead of failing every later use', async () => {
    let fail = true;
    const watch = cacheDataVersion((statement, writes) =>
      fail ? Promise.reject(new Error('the connection is closed')) : driver.batched(statement, writes),
    );
    watch.start(() => undefined);
    await expect(watch.usable()).rejects.toThrow('the connection is closed');
    fail = false;
    await expect(watch.usable()).resolves.toBe(true);
  });
});
