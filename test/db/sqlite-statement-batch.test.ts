import Database from 'better-sqlite3';
import { createDatabase, type Db, type DriverConnection } from '../../src/db/create-prisma.js';
import { migrate } from '../../src/db/migrate.js';
import type { OidcRecordInput, PreparedOidcRecords } from '../../src/db/oidc-record-queries.js';
import { createPreparedOidcRecords } from '../../src/db/prepared-oidc-records.js';
import { createTestDatabaseOn, type TestDatabase } from '../support/test-database.js';
import { frozenClock } from '../support/frozen-clock.js';

// Batching by turn is SQLite's alone (src/db/sqlite-statement-batch.ts): on PostgreSQL each statement
// already runs on a pooled connection of its own. So these run on a SQLite file in either store's run.

type SqliteDriver = Extract<DriverConnection, { store: 'sqlite' }>;

let database: TestDatabase;
let db: Db;
let driver: SqliteDriver;
let close: () => Promise<void>;
let records: PreparedOidcRecords;
/** A second connection to the same file, as another process (the CLI) would read it. */
let other: Database.Database;

const clock = frozenClock(Date.UTC(2030, 0, 1));
const now = new Date(clock());
const later = new Date(clock() + 3_600_000);

beforeAll(async () => {
  database = await createTestDatabaseOn('sqlite');
  await migrate(database.url);
  const opened = createDatabase(database.url);
  ({ db, close } = opened);
  if (opened.driver.store !== 'sqlite') throw new Error('expected SQLite');
  driver = opened.driver;
  records = createPreparedOidcRecords(driver, clock);
  other = new Database(database.url.slice('file:'.length), { readonly: true });
});

afterAll(async () => {
  other.close();
  await close();
  await database.drop();
});

const token = (id: string): OidcRecordInput => ({
  model: 'AccessToken',
  id,
  payload: JSON.stringify({ jti: id }),
  grantId: null,
  userCode: null,
  uid: null,
  accountId: null,
  expiresAt: later,
});

const reads = () => false;
const writes = () => true;

const storedElsewhere = (id: string) =>
  other.prepare('SELECT count(*) AS n FROM "OidcRecord" WHERE "model" = ? AND "id" = ?').get('AccessToken', id) as {
    n: number;
  };

describe('statements asked for in one turn of the event loop', () => {
  test('run together in one transaction, and a statement alone runs by itself', async () => {
    const together = await Promise.all([
      driver.batched((c) => c.inTransaction, reads),
      driver.batched((c) => c.inTransaction, writes),
      driver.batched((c) => c.inTransaction, reads),
    ]);
    const alone = await driver.batched((c) => c.inTransaction, writes);

    expect(together).toEqual([true, true, true]);
    expect(alone).toBe(false);
  });

  test('run in the order they were asked: a look-up asked after a write in the same turn finds it', async () => {
    const [, found, , gone] = await Promise.all([
      records.upsert(token('ordered')),
      records.findLive('AccessToken', 'ordered', now),
      records.destroy('AccessToken', 'ordered'),
      records.findLive('AccessToken', 'ordered', now),
    ]);

    expect(found?.payload).toBe(JSON.stringify({ jti: 'ordered' }));
    expect(gone).toBeNull();
  });

  test('that write are committed, for another connection to read, by the time each caller hears back', async () => {
    await Promise.all(['seen-1', 'seen-2', 'seen-3'].map((id) => records.upsert(token(id))));

    expect(['seen-1', 'seen-2', 'seen-3'].map((id) => storedElsewhere(id).n)).toEqual([1, 1, 1]);
  });

  test('each get their own result: of ten consumes of one code at once, exactly one wins', async () => {
    await records.upsert(token('code-once'));

    const consumed = await Promise.all(
      Array.from({ length: 10 }, () => records.markConsumed('AccessToken', 'code-once', now, later)),
    );

    expect(consumed.filter(Boolean)).toHaveLength(1);
  });
});

describe('a statement that fails inside a batch', () => {
  test('fails only its own caller: the writes beside it are stored', async () => {
    const results = await Promise.allSettled([
      records.upsert(token('beside-1')),
      driver.batched((c) => c.prepare('INSERT INTO "NoSuchTable" VALUES (1)').run(), writes),
      records.upsert(token('beside-2')),
    ]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_ERROR' });
    expect([storedElsewhere('beside-1').n, storedElsewhere('beside-2').n]).toEqual([1, 1]);
  });

  test('leaves no transaction open on the connection: the next writes and Prisma go on', async () => {
    await Promise.allSettled([
      driver.batched(() => {
        throw new Error('a statement that throws');
      }, writes),
      records.upsert(token('after-1')),
    ]);

    await records.upsert(token('after-2'));

    expect(await driver.outsideTransaction((c) => c.inTransaction)).toBe(false);
    expect(await db.oidcRecord.count({ where: { id: { in: ['after-1', 'after-2'] } } })).toBe(2);
  });
});
