import Database from 'better-sqlite3';
import { createMigratedDatabase } from '../support/test-database.js';
import type { Db, DriverConnection } from '../../src/db/create-prisma.js';
import { createOidcRecordQueries, type OidcRecordInput } from '../../src/oidc/oidc-record-queries.js';
import { createPreparedOidcRecords } from '../../src/oidc/prepared-oidc-records.js';

// The hot OidcRecord statements leave Prisma's model API for prepared statements on Prisma's own
// connection. Both paths must read each other's rows exactly: these tests pin every column and
// the adapter internals the prepared path relies on, on the store DATABASE_URL selects.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;
let driver: DriverConnection;
let viaPrisma: ReturnType<typeof createOidcRecordQueries>;
let viaPrepared: ReturnType<typeof createOidcRecordQueries>;
// The real time, not a frozen one: these rows are compared with those Prisma stamps itself
// (@default(now()), @updatedAt), which reads the system time.
const realTime = () => Date.now();

beforeAll(async () => {
  store = await createMigratedDatabase();
  ({ db, driver } = store);
  viaPrisma = createOidcRecordQueries(db);
  viaPrepared = createOidcRecordQueries(db, createPreparedOidcRecords(driver, realTime));
});

afterAll(() => store.close());

const record = (id: string, overrides: Partial<OidcRecordInput> = {}): OidcRecordInput => ({
  model: 'AccessToken', id, payload: JSON.stringify({ kind: 'AccessToken', scope: 'openid ü ✓' }),
  grantId: 'grant-1', userCode: null, uid: 'uid-1', accountId: null,
  expiresAt: new Date(Date.UTC(2099, 0, 2, 3, 4, 5, 678)), ...overrides,
});

const row = (id: string) => db.oidcRecord.findUniqueOrThrow({ where: { model_id: { model: 'AccessToken', id } } });

describe('prepared OidcRecord statements beside Prisma', () => {
  it('write every column as Prisma writes it (timestamps included), so Prisma reads them back equal', async () => {
    const before = Date.now();
    await viaPrisma.upsert(record('by-prisma'));
    await viaPrepared.upsert(record('by-prepared'));
    const [ours, theirs] = [await row('by-prepared'), await row('by-prisma')];
    expect({ ...ours, id: 'x', createdAt: 0, updatedAt: 0 }).toEqual({ ...theirs, id: 'x', createdAt: 0, updatedAt: 0 });
    expect(ours.expiresAt?.toISOString()).toBe('2099-01-02T03:04:05.678Z');
    for (const at of [ours.createdAt, ours.updatedAt]) expect(Math.abs(at.getTime() - before)).toBeLessThan(10_000);
    expect(ours.consumedAt).toBeNull();
    // The stored text itself, where the store keeps dates as text: same format, byte for byte.
    if (driver.store === 'sqlite') {
      const raw = await db.$queryRawUnsafe<{ id: string; expiresAt: string; createdAt: string; updatedAt: string }[]>(
        'SELECT "id", "expiresAt" || \'\' AS "expiresAt", "createdAt" || \'\' AS "createdAt", "updatedAt" || \'\' AS "updatedAt" FROM "OidcRecord" WHERE "id" IN (\'by-prisma\', \'by-prepared\') ORDER BY "id"',
      );
      expect(raw[0]?.expiresAt).toBe(raw[1]?.expiresAt);
      for (const r of raw) for (const at of [r.createdAt, r.updatedAt]) expect(String(at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    }
  });

  it('read a record Prisma wrote, and Prisma reads the consumption they record, to the millisecond', async () => {
    await viaPrisma.upsert(record('shared'));
    const now = new Date(Date.UTC(2030, 5, 6, 7, 8, 9, 123));
    expect(await viaPrepared.findLive('AccessToken', 'shared', now)).toEqual(await viaPrisma.findLive('AccessToken', 'shared', now));
    expect(await viaPrepared.markConsumed('AccessToken', 'shared', now)).toBe(true);
    expect(await viaPrepared.markConsumed('AccessToken', 'shared', now)).toBe(false);
    expect(await viaPrisma.markConsumed('AccessToken', 'shared', now)).toBe(false);
    expect((await row('shared')).consumedAt?.toISOString()).toBe('2030-06-06T07:08:09.123Z');
    const live = { payload: record('shared').payload, consumedAt: now, expiresAt: record('shared').expiresAt };
    expect(await viaPrepared.findLive('AccessToken', 'shared', now)).toEqual(live);
    expect(await viaPrisma.findLive('AccessToken', 'shared', now)).toEqual(live);
  });

  it('agree with Prisma on what is live: a record expires at its expiresAt, on both paths', async () => {
    const expiresAt = new Date(Date.UTC(2031, 0, 1, 0, 0, 0, 500));
    await viaPrepared.upsert(record('expiring', { expiresAt }));
    for (const [at, live] of [[expiresAt.getTime() - 1, true], [expiresAt.getTime(), false], [expiresAt.getTime() + 1, false]] as const) {
      const now = new Date(at);
      expect(Boolean(await viaPrepared.findLive('AccessToken', 'expiring', now))).toBe(live);
      expect(Boolean(await viaPrisma.findLive('AccessToken', 'expiring', now))).toBe(live);
    }
    // An expired record cannot be consumed either (a replayed code after its lifetime).
    expect(await viaPrepared.markConsumed('AccessToken', 'expiring', new Date(expiresAt.getTime() + 1))).toBe(false);
  });

  it('re-saving a consumed record starts it over unconsumed and keeps createdAt, as Prisma’s upsert does', async () => {
    await viaPrisma.upsert(record('resaved'));
    const first = await row('resaved');
    await viaPrepared.markConsumed('AccessToken', 'resaved', new Date());
    await viaPrepared.upsert(record('resaved', { payload: '{"kind":"AccessToken","v":2}', grantId: null, expiresAt: null }));
    const again = await row('resaved');
    expect(again).toMatchObject({ payload: '{"kind":"AccessToken","v":2}', grantId: null, expiresAt: null, consumedAt: null, createdAt: first.createdAt });
    expect(again.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
  });

  it('find one id\'s live records under several models in one statement, as findLive finds each', async () => {
    const prepared = createPreparedOidcRecords(driver, realTime);
    const now = new Date(Date.UTC(2030, 0, 1));
    await viaPrisma.upsert(record('kinds'));
    await viaPrisma.upsert(record('kinds', { model: 'RefreshToken' }));
    await viaPrisma.upsert(record('kinds', { model: 'ClientCredentials', expiresAt: now }));
    await viaPrepared.markConsumed('RefreshToken', 'kinds', now);
    const models = ['AccessToken', 'ClientCredentials', 'RefreshToken'];
    const found = await prepared.findLiveAmong(models, 'kinds', now);
    expect([...found.keys()].sort()).toEqual(['AccessToken', 'RefreshToken']);
    for (const model of models) expect(found.get(model) ?? null).toEqual(await viaPrisma.findLive(model, 'kinds', now));
    expect(await prepared.findLiveAmong(['RefreshToken'], 'kinds', now)).toEqual(new Map([['RefreshToken', await viaPrisma.findLive('RefreshToken', 'kinds', now)]]));
    expect((await prepared.findLiveAmong(models, 'no-such-id', now)).size).toBe(0);
  });

  it('run on the very connection Prisma uses (the adapter internals they rely on)', async () => {
    if (driver.store === 'sqlite') {
      const connection = await driver.connection();
      expect(connection).toBeInstanceOf(Database);
      // A TEMP table exists only on the connection that made it: Prisma sees ours.
      connection.exec('CREATE TEMP TABLE "probe_same_connection" (x INTEGER)');
      await expect(db.$queryRawUnsafe('SELECT count(*) AS n FROM "probe_same_connection"')).resolves.toBeDefined();
      connection.exec('DROP TABLE "probe_same_connection"');
    } else {
      // Prisma was handed our pool: its queries check out our connections.
      const before = driver.pool.totalCount;
      await db.$queryRawUnsafe('SELECT 1');
      expect(driver.pool.totalCount).toBeGreaterThanOrEqual(Math.max(1, before));
      const { rows } = await driver.pool.query('SELECT current_database() AS name');
      expect(store.database.url).toContain(rows[0].name as string);
    }
  });
});
