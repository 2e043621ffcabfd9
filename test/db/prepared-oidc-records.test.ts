import Database from 'better-sqlite3';
import { createMigratedDatabase } from '../support/test-database.js';
import type { Db, DriverConnection } from '../../src/db/create-prisma.js';
import { Prisma } from '../../src/generated/sqlite/client.js';
import type { OidcRecordInput, PreparedOidcRecords } from '../../src/db/oidc-record-queries.js';
import { createPreparedOidcRecords } from '../../src/db/prepared-oidc-records.js';

// The hot OidcRecord statements are the only implementation of their queries, prepared on
// Prisma's own connection. They must read and write the table exactly as Prisma's model API
// does, every column of the model: these tests pin that, and the adapter internals the
// statements rely on, on the store DATABASE_URL selects.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;
let driver: DriverConnection;
let prepared: PreparedOidcRecords;
// The real time, not a frozen one: these rows are compared with those Prisma stamps itself
// (@default(now()), @updatedAt), which reads the system time.
const realTime = () => Date.now();

beforeAll(async () => {
  store = await createMigratedDatabase();
  ({ db, driver } = store);
  prepared = createPreparedOidcRecords(driver, realTime);
});

afterAll(() => store.close());

const record = (id: string, overrides: Partial<OidcRecordInput> = {}): OidcRecordInput => ({
  model: 'AccessToken',
  id,
  payload: JSON.stringify({ kind: 'AccessToken', scope: 'openid ü ✓' }),
  grantId: 'grant-1',
  userCode: 'WDJB-MJHT',
  uid: 'uid-1',
  accountId: 'acct-1',
  expiresAt: new Date(Date.UTC(2099, 0, 2, 3, 4, 5, 678)),
  ...overrides,
});

const row = (id: string, model = 'AccessToken') =>
  db.oidcRecord.findUniqueOrThrow({ where: { model_id: { model, id } } });
const liveOf = ({
  payload,
  consumedAt,
  expiresAt,
}: {
  payload: string;
  consumedAt: Date | null;
  expiresAt: Date | null;
}) => ({ payload, consumedAt, expiresAt });

/** How many statements `run` has the pool send on PostgreSQL (each still sent, untouched); 0 on SQLite. */
async function statementsSent(run: () => Promise<unknown>): Promise<number> {
  if (driver.store !== 'postgresql') return (await run(), 0);
  const { pool } = driver;
  const query = pool.query;
  let sent = 0;
  pool.query = ((...args: Parameters<typeof query>) => {
    sent += 1;
    return query.apply(pool, args);
  }) as typeof query;
  try {
    await run();
    return sent;
  } finally {
    pool.query = query;
  }
}

describe('prepared OidcRecord statements against the schema', () => {
  it("write every column of the model as Prisma's model API writes it (timestamps included)", async () => {
    const before = Date.now();
    await db.oidcRecord.create({ data: record('by-prisma') });
    await prepared.upsert(record('by-prepared'));
    const [ours, theirs] = [await row('by-prepared'), await row('by-prisma')];
    expect(Object.keys(ours).sort()).toEqual(Object.keys(Prisma.OidcRecordScalarFieldEnum).sort());
    expect({ ...ours, id: 'x', createdAt: 0, updatedAt: 0 }).toEqual({
      ...theirs,
      id: 'x',
      createdAt: 0,
      updatedAt: 0,
    });
    expect(ours).toMatchObject({ ...record('by-prepared'), consumedAt: null });
    expect(ours.expiresAt?.toISOString()).toBe('2099-01-02T03:04:05.678Z');
    for (const at of [ours.createdAt, ours.updatedAt]) expect(Math.abs(at.getTime() - before)).toBeLessThan(10_000);
    // The stored text itself, where the store keeps dates as text: same format, byte for byte.
    if (driver.store === 'sqlite') {
      const raw = await db.$queryRawUnsafe<{ id: string; expiresAt: string; createdAt: string; updatedAt: string }[]>(
        'SELECT "id", "expiresAt" || \'\' AS "expiresAt", "createdAt" || \'\' AS "createdAt", "updatedAt" || \'\' AS "updatedAt" FROM "OidcRecord" WHERE "id" IN (\'by-prisma\', \'by-prepared\') ORDER BY "id"',
      );
      expect(raw[0]?.expiresAt).toBe(raw[1]?.expiresAt);
      for (const r of raw)
        for (const at of [r.createdAt, r.updatedAt])
          expect(String(at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    }
  });

  it("read a record Prisma's model API wrote as Prisma reads it, and Prisma reads the consumption they record, to the millisecond", async () => {
    await db.oidcRecord.create({ data: record('shared', { grantId: null, userCode: null }) });
    const now = new Date(Date.UTC(2030, 5, 6, 7, 8, 9, 123));
    expect(await prepared.findLive('AccessToken', 'shared', now)).toEqual(liveOf(await row('shared')));
    expect(await prepared.markConsumed('AccessToken', 'shared', now, now)).toBe(true);
    expect(await prepared.markConsumed('AccessToken', 'shared', now, now)).toBe(false);
    const consumed = await row('shared');
    expect(consumed.consumedAt?.toISOString()).toBe('2030-06-06T07:08:09.123Z');
    expect(consumed.updatedAt).toEqual(now);
    expect(await prepared.findLive('AccessToken', 'shared', now)).toEqual(liveOf(consumed));
  });

  it('keep a consumed record until keepUntil at least, never shortening it', async () => {
    const now = new Date(Date.UTC(2030, 0, 1));
    const soon = new Date(now.getTime() + 1000);
    const later = new Date(now.getTime() + 60_000);
    await db.oidcRecord.createMany({
      data: [record('short', { expiresAt: soon }), record('long', { expiresAt: later })],
    });
    expect(await prepared.markConsumed('AccessToken', 'short', now, later)).toBe(true);
    expect(await prepared.markConsumed('AccessToken', 'long', now, soon)).toBe(true);
    expect((await row('short')).expiresAt).toEqual(later);
    expect((await row('long')).expiresAt).toEqual(later);
  });

  it('agree with the schema on what is live: a record expires at its expiresAt, and one without never does', async () => {
    const expiresAt = new Date(Date.UTC(2031, 0, 1, 0, 0, 0, 500));
    await db.oidcRecord.createMany({
      data: [record('expiring', { expiresAt }), record('forever', { expiresAt: null })],
    });
    for (const [at, live] of [
      [expiresAt.getTime() - 1, true],
      [expiresAt.getTime(), false],
      [expiresAt.getTime() + 1, false],
    ] as const) {
      const now = new Date(at);
      expect(Boolean(await prepared.findLive('AccessToken', 'expiring', now))).toBe(live);
      // The same question through Prisma's model API.
      expect(
        await db.oidcRecord.count({
          where: { model: 'AccessToken', id: 'expiring', OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        }),
      ).toBe(live ? 1 : 0);
    }
    expect(await prepared.findLive('AccessToken', 'forever', new Date(Date.UTC(2999, 0, 1)))).toEqual(
      liveOf(await row('forever')),
    );
    // An expired record cannot be consumed either (a replayed code after its lifetime).
    const after = new Date(expiresAt.getTime() + 1);
    expect(await prepared.markConsumed('AccessToken', 'expiring', after, after)).toBe(false);
  });

  it('re-saving a consumed record starts it over unconsumed and keeps createdAt, as an upsert through Prisma would', async () => {
    await db.oidcRecord.create({ data: record('resaved') });
    const first = await row('resaved');
    await prepared.markConsumed('AccessToken', 'resaved', new Date(), new Date());
    await prepared.upsert(
      record('resaved', { payload: '{"kind":"AccessToken","v":2}', grantId: null, expiresAt: null }),
    );
    const again = await row('resaved');
    expect(again).toMatchObject({
      payload: '{"kind":"AccessToken","v":2}',
      grantId: null,
      expiresAt: null,
      consumedAt: null,
      createdAt: first.createdAt,
    });
    expect(again.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
  });

  it("find one id's live records under several models in one statement, as findLive finds each", async () => {
    const now = new Date(Date.UTC(2030, 0, 1));
    await db.oidcRecord.createMany({
      data: [
        record('kinds'),
        { ...record('kinds', { model: 'RefreshToken' }), consumedAt: now },
        record('kinds', { model: 'ClientCredentials', expiresAt: now }),
      ],
    });
    const models = ['AccessToken', 'ClientCredentials', 'RefreshToken'];
    const found = await prepared.findLiveAmong(models, 'kinds', now);
    expect([...found.keys()].sort()).toEqual(['AccessToken', 'RefreshToken']);
    expect(found.get('RefreshToken')).toEqual(liveOf(await row('kinds', 'RefreshToken')));
    for (const model of models) expect(found.get(model) ?? null).toEqual(await prepared.findLive(model, 'kinds', now));
    expect(await prepared.findLiveAmong(['RefreshToken'], 'kinds', now)).toEqual(
      new Map([['RefreshToken', await prepared.findLive('RefreshToken', 'kinds', now)]]),
    );
    expect((await prepared.findLiveAmong(models, 'no-such-id', now)).size).toBe(0);
  });

  it('answer the look-ups among models asked in one turn each as it is answered alone (on PostgreSQL in one statement)', async () => {
    const now = new Date(Date.UTC(2030, 0, 1));
    await db.oidcRecord.createMany({
      data: [
        record('among-1'),
        record('among-1', { model: 'RefreshToken' }),
        record('among-2', { model: 'ClientCredentials' }),
        record('among-3', { model: 'RefreshToken', expiresAt: now }),
      ],
    });
    const models = ['AccessToken', 'ClientCredentials', 'RefreshToken'];
    const asked: [string[], string][] = [
      [models, 'among-1'],
      [['RefreshToken'], 'among-1'],
      [models, 'among-2'],
      [models, 'among-3'],
      [models, 'no-such-id'],
    ];
    let together: Map<string, unknown>[] = [];
    const sent = await statementsSent(async () => {
      together = await Promise.all(asked.map(([m, id]) => prepared.findLiveAmong(m, id, now)));
    });
    if (driver.store === 'postgresql') expect(sent).toBe(1);
    const alone = [];
    for (const [m, id] of asked) alone.push(await prepared.findLiveAmong(m, id, now));
    expect(together).toEqual(alone);
    expect(together.map((found) => [...found.keys()].sort())).toEqual([
      ['AccessToken', 'RefreshToken'],
      ['RefreshToken'],
      ['ClientCredentials'],
      [],
      [],
    ]);
  });

  it('find a live record with the live grant its grantId names in one statement, each as findLive finds it', async () => {
    const now = new Date(Date.UTC(2030, 0, 1));
    const later = new Date(Date.UTC(2030, 0, 2));
    await db.oidcRecord.createMany({
      data: [
        record('g-live', { model: 'Grant', grantId: null }),
        record('g-expires', { model: 'Grant', grantId: null, expiresAt: later }),
        { ...record('with-grant', { model: 'RefreshToken', grantId: 'g-live' }), consumedAt: now },
        record('with-expiring-grant', { model: 'RefreshToken', grantId: 'g-expires' }),
        record('with-lost-grant', { model: 'RefreshToken', grantId: 'g-gone' }),
        record('without-grant', { model: 'RefreshToken', grantId: null }),
        record('expired', { model: 'RefreshToken', grantId: 'g-live', expiresAt: now }),
        // Another model's record of the same id names no grant of this one.
        record('with-grant', { model: 'AccessToken', grantId: 'g-expires' }),
      ],
    });
    const found = await prepared.findLiveWithGrant('RefreshToken', 'with-grant', now);
    expect(found).toEqual({
      record: await prepared.findLive('RefreshToken', 'with-grant', now),
      grantId: 'g-live',
      grant: await prepared.findLive('Grant', 'g-live', now),
    });
    expect(found.record).toEqual(liveOf(await row('with-grant', 'RefreshToken')));
    expect(found.grant).toEqual(liveOf(await row('g-live', 'Grant')));
    expect((await prepared.findLiveWithGrant('AccessToken', 'with-grant', now)).grant).toEqual(
      liveOf(await row('g-expires', 'Grant')),
    );
    // The grant expired, gone or never named: the record alone; the record expired: nothing.
    expect(await prepared.findLiveWithGrant('RefreshToken', 'with-expiring-grant', later)).toEqual({
      record: await prepared.findLive('RefreshToken', 'with-expiring-grant', later),
      grantId: 'g-expires',
      grant: null,
    });
    expect(await prepared.findLiveWithGrant('RefreshToken', 'with-lost-grant', now)).toMatchObject({
      grantId: 'g-gone',
      grant: null,
    });
    const without = await prepared.findLiveWithGrant('RefreshToken', 'without-grant', now);
    expect(without).toMatchObject({ grantId: null, grant: null });
    expect(without.record).not.toBeNull();
    const nothing = { record: null, grantId: null, grant: null };
    expect(await prepared.findLiveWithGrant('RefreshToken', 'expired', now)).toEqual(nothing);
    expect(await prepared.findLiveWithGrant('RefreshToken', 'no-such-id', now)).toEqual(nothing);
  });

  it('answer the look-ups with grants, by uid and by id asked in one turn each as alone (on PostgreSQL one statement each)', async () => {
    const now = new Date(Date.UTC(2030, 0, 1));
    await db.oidcRecord.createMany({
      data: [
        record('turn-grant', { model: 'Grant', grantId: null }),
        record('turn-rt-1', { model: 'RefreshToken', grantId: 'turn-grant' }),
        record('turn-rt-2', { model: 'RefreshToken', grantId: 'turn-grant-gone' }),
        record('turn-session-1', { model: 'Session', uid: 'turn-uid-1' }),
        record('turn-session-2', { model: 'Session', uid: 'turn-uid-2', expiresAt: now }),
      ],
    });
    const asked = {
      withGrant: ['turn-rt-1', 'turn-rt-2', 'turn-rt-none'].map(
        (id) => () => prepared.findLiveWithGrant('RefreshToken', id, now),
      ),
      byUid: ['turn-uid-1', 'turn-uid-2', 'turn-uid-1'].map(
        (uid) => () => prepared.findLiveBy('Session', 'uid', uid, now),
      ),
      byId: ['turn-grant', 'turn-rt-1', 'nothing'].map((id) => () => prepared.findLive('Grant', id, now)),
    };
    const answers: Record<string, unknown[]> = {};
    for (const [what, lookUps] of Object.entries(asked)) {
      const sent = await statementsSent(async () => {
        answers[what] = await Promise.all(lookUps.map((lookUp) => lookUp()));
      });
      if (driver.store === 'postgresql') expect([what, sent]).toEqual([what, 1]);
      const alone = [];
      for (const lookUp of lookUps) alone.push(await lookUp());
      expect(answers[what]).toEqual(alone);
    }
    const [first, second, none] = answers.withGrant as Awaited<ReturnType<typeof prepared.findLiveWithGrant>>[];
    expect(first).toMatchObject({ grantId: 'turn-grant', grant: liveOf(await row('turn-grant', 'Grant')) });
    expect(second).toMatchObject({ grantId: 'turn-grant-gone', grant: null });
    expect(none).toEqual({ record: null, grantId: null, grant: null });
    expect((answers.byUid as ({ payload: string } | null)[]).map((found) => found?.payload ?? null)).toEqual([
      record('x').payload,
      null,
      record('x').payload,
    ]);
    expect((answers.byId as unknown[]).map((found) => found !== null)).toEqual([true, false, false]);
  });

  it('find a live record by uid or user code within its model only, as Prisma finds it, and nothing once it expired', async () => {
    const now = new Date(Date.UTC(2030, 0, 1));
    await db.oidcRecord.createMany({
      data: [
        record('by-uid', { model: 'Session', uid: 'session-uid', userCode: null }),
        record('by-code', { model: 'DeviceCode', uid: null, userCode: 'ABCD-EFGH' }),
        record('gone', { model: 'Session', uid: 'old-uid', userCode: null, expiresAt: now }),
      ],
    });
    expect(await prepared.findLiveBy('Session', 'uid', 'session-uid', now)).toEqual(
      liveOf(await row('by-uid', 'Session')),
    );
    expect(await prepared.findLiveBy('DeviceCode', 'userCode', 'ABCD-EFGH', now)).toEqual(
      liveOf(await row('by-code', 'DeviceCode')),
    );
    // Scoped by model: the same uid under another model is not this one's.
    expect(await prepared.findLiveBy('Interaction', 'uid', 'session-uid', now)).toBeNull();
    expect(await prepared.findLiveBy('Session', 'uid', 'old-uid', now)).toBeNull();
    expect(await prepared.findLiveBy('Session', 'uid', 'old-uid', new Date(now.getTime() - 1))).not.toBeNull();
  });

  it('destroy one record of one model only, as deleteMany by (model, id) did, and nothing when it is gone', async () => {
    await prepared.upsert(record('doomed'));
    await prepared.upsert(record('doomed', { model: 'Grant' }));
    await prepared.destroy('AccessToken', 'doomed');
    expect(await db.oidcRecord.findUnique({ where: { model_id: { model: 'AccessToken', id: 'doomed' } } })).toBeNull();
    expect(await row('doomed', 'Grant')).toMatchObject({ model: 'Grant', id: 'doomed' });
    await expect(prepared.destroy('AccessToken', 'doomed')).resolves.toBeUndefined();
  });

  it('sweep only expired rows, at most `limit` a statement, whatever their model', async () => {
    // Before every other test's expiry (theirs are 2030 and later, or the real time): only these rows are due.
    const now = new Date(Date.UTC(2001, 5, 1, 12));
    const at = (ms: number) => new Date(now.getTime() + ms);
    const expired = ['Session', 'AccessToken', 'Grant', 'RefreshToken', 'ClientCredentials', 'Session'].map(
      (model, i) => record(`sweep-old-${i}`, { model, expiresAt: at(-1000 * i) }), // the first at `now` exactly
    );
    const kept = [
      record('sweep-live', { expiresAt: at(1) }),
      record('sweep-forever', { model: 'Client', expiresAt: null }),
    ];
    for (const r of [...expired, ...kept]) await db.oidcRecord.create({ data: r });
    const swept = () => db.oidcRecord.count({ where: { id: { startsWith: 'sweep-' }, expiresAt: { lte: now } } });

    expect(await prepared.sweepExpired(now, 4)).toBe(4);
    expect(await swept()).toBe(2);
    expect(await prepared.sweepExpired(now, 4)).toBe(2);
    expect(await prepared.sweepExpired(now, 4)).toBe(0);
    const left = await db.oidcRecord.findMany({ where: { id: { startsWith: 'sweep-' } }, select: { id: true } });
    expect(left.map(({ id }) => id).sort()).toEqual(['sweep-forever', 'sweep-live']);
  });

  it('save the records asked for in one turn as each would be saved alone (on PostgreSQL in one statement)', async () => {
    const records = [
      record('turn-1'),
      record('turn-2', { grantId: null, userCode: null, uid: null, accountId: null, expiresAt: null }),
      record('turn-3', { model: 'RefreshToken', payload: '{"quote":"\\"it\'s\\", {a,b}"}' }),
      record('turn-4', { expiresAt: new Date(Date.UTC(2031, 5, 6, 7, 8, 9, 10)) }),
    ];
    const sent = await statementsSent(() => Promise.all(records.map((r) => prepared.upsert(r))));
    if (driver.store === 'postgresql') expect(sent).toBe(1);
    for (const r of records) expect(await row(r.id, r.model)).toMatchObject({ ...r, consumedAt: null });
  });

  it('fail only the save that cannot be stored when others of its turn can', async () => {
    const bad = { ...record('turn-bad'), payload: null as unknown as string };
    const results = await Promise.allSettled([
      prepared.upsert(record('turn-good-1')),
      prepared.upsert(bad),
      prepared.upsert(record('turn-good-2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await row('turn-good-1')).toMatchObject({ id: 'turn-good-1' });
    expect(await row('turn-good-2')).toMatchObject({ id: 'turn-good-2' });
    expect(await db.oidcRecord.count({ where: { id: 'turn-bad' } })).toBe(0);
  });

  it('apply the saves of one record in one turn in the order they were asked', async () => {
    const saves = Array.from({ length: 12 }, (_, n) => record('turn-twice', { payload: `{"n":${n}}` }));
    await Promise.all([...saves.map((r) => prepared.upsert(r)), prepared.upsert(record('turn-other'))]);
    expect((await row('turn-twice')).payload).toBe('{"n":11}');
    expect(await row('turn-other')).toMatchObject({ id: 'turn-other' });
  });

  it('run on the very connection Prisma uses (the adapter internals they rely on)', async () => {
    if (driver.store === 'sqlite') {
      const connection = await driver.outsideTransaction((db) => db);
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
