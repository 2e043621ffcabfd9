import pg from 'pg';
import { createMigratedDatabase, createTestDatabaseOn } from '../support/test-database.js';
import { migrate } from '../../src/db/migrate.js';
import { frozenClock } from '../support/frozen-clock.js';
import { createDatabase, type Db } from '../../src/db/create-prisma.js';
import { createLogger } from '../../src/kernel/logger.js';
import { startExpirySweeper } from '../../src/oidc/expiry-sweeper.js';
import { createFailureCounter, type FailureCounter, type ThrottlePolicy } from '../../src/throttle/failure-counter.js';
import { createPreparedThrottleCounters } from '../../src/throttle/prepared-throttle-counters.js';
import { createSignInThrottle, DEFAULT_POLICIES } from '../../src/throttle/sign-in-throttle.js';
import { createEmailRequestThrottle } from '../../src/throttle/email-request-throttle.js';
import type { ThrottleCounters } from '../../src/throttle/throttle-counters.js';
import { beginAttempt } from '../../src/throttle/throttled-attempt.js';
import { Prisma } from '../../src/generated/sqlite/client.js';

// The throttles' counters run as prepared statements on Prisma's connection: they must count every
// failure, read the rows rate-limiter-flexible's Prisma store wrote (an upgrade keeps every count
// and block), and let windows and blocks run out.

let store: Awaited<ReturnType<typeof createMigratedDatabase>>;
let db: Db;
/** A second server on the same database: its own Prisma client and connection. */
let other: ReturnType<typeof createDatabase>;

beforeAll(async () => {
  store = await createMigratedDatabase();
  ({ db } = store);
  other = createDatabase(store.database.url);
});

afterAll(async () => {
  await other.close();
  await store.close();
});

const POLICY: ThrottlePolicy = {
  freeFailures: 5,
  windowSeconds: 15 * 60,
  baseBlockSeconds: 30,
  maxBlockSeconds: 15 * 60,
};
const pointsOf = async (key: string) => (await db.rateLimiterFlexible.findUnique({ where: { key } }))?.points;
let n = 0;

describe('throttle counters', () => {
  let counters: ThrottleCounters;
  let othersCounters: ThrottleCounters;
  const clock = frozenClock(Date.UTC(2026, 10, 27, 12, 0, 0));
  const subject = () => `203.0.113.${(n += 1)}`;
  beforeAll(() => {
    counters = createPreparedThrottleCounters(store.driver);
    othersCounters = createPreparedThrottleCounters(other.driver);
  });

  it("read every column of rows Prisma's model API wrote exactly as Prisma reads them, and write rows Prisma reads back as they returned them", async () => {
    const key = subject();
    const expire = new Date(Date.UTC(2030, 1, 2, 3, 4, 5, 678));
    await db.rateLimiterFlexible.createMany({
      data: [
        { key: `schema-a:${key}`, points: 7, expire },
        { key: `schema-b:${key}`, points: 2_000_000, expire: null },
      ],
    });
    const keys = [`schema-a:${key}`, `schema-b:${key}`, `schema-none:${key}`];
    const viaPrisma = await db.rateLimiterFlexible.findMany({ where: { key: { in: keys } }, orderBy: { key: 'asc' } });
    const viaStatement = (await counters.live(keys, new Date(clock()))).sort((a, b) => a.key.localeCompare(b.key));
    expect(viaStatement).toEqual(viaPrisma);
    expect(viaStatement).toHaveLength(2);
    // Every column of the model, so a column added to the schema cannot go unread here.
    for (const row of viaStatement)
      expect(Object.keys(row).sort()).toEqual(Object.keys(Prisma.RateLimiterFlexibleScalarFieldEnum).sort());
    expect(typeof viaStatement[1]?.points).toBe('number');

    const added = await counters.add(`schema-c:${key}`, new Date(clock()), expire);
    expect(added).toEqual({ key: `schema-c:${key}`, points: 1, expire });
    expect(await db.rateLimiterFlexible.findUnique({ where: { key: `schema-c:${key}` } })).toEqual(added);
    await counters.set(`schema-d:${key}`, 2, expire);
    expect(await db.rateLimiterFlexible.findUnique({ where: { key: `schema-d:${key}` } })).toEqual({
      key: `schema-d:${key}`,
      points: 2,
      expire,
    });
  });

  it('count every one of many concurrent failures, from two servers at once, and block from the sixth on', async () => {
    const [mine, theirs] = [counters, othersCounters].map((c) =>
      createFailureCounter(c, 'test', 'race', POLICY, clock),
    ) as [FailureCounter, FailureCounter];
    const key = subject();
    const blocks = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? theirs : mine).fail(key)));
    expect(await pointsOf(`test-fail-race:${key}`)).toBe(20);
    expect(blocks.filter((seconds) => seconds === 0)).toHaveLength(5);
    expect(Math.max(...blocks)).toBe(POLICY.maxBlockSeconds);
    expect(await theirs.retryAfter(key)).toBeGreaterThan(0);
  });

  it('let exactly one of many concurrent claims on a free block take it, from two servers at once, and none while it lives', async () => {
    const key = `test-block-claim:${subject()}`;
    const now = new Date(clock());
    const until = new Date(clock() + 30_000);
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? othersCounters : counters).claim(key, 2, now, until)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await counters.claim(key, 2, new Date(clock() + 29_999), until)).toBe(false);
    // Once it has run out, the slot is free again.
    expect(await othersCounters.claim(key, 2, until, new Date(clock() + 60_000))).toBe(true);
  });

  it('admit at most freeFailures + 1 of a burst of concurrent attempts, from two servers at once, and count only those checked', async () => {
    const [mine, theirs] = [counters, othersCounters].map((c) =>
      createFailureCounter(c, 'test', 'burst', POLICY, clock),
    ) as [FailureCounter, FailureCounter];
    const key = subject();
    const attempts = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        beginAttempt(i % 2 ? othersCounters : counters, clock(), [i % 2 ? theirs : mine, key]),
      ),
    );
    const admitted = attempts.filter((attempt) => attempt.admitted);
    expect(admitted).toHaveLength(POLICY.freeFailures + 1);
    const blocks = await Promise.all(admitted.map((attempt) => (attempt.admitted ? attempt.failed() : 0)));
    expect(blocks.filter((seconds) => seconds > 0)).toHaveLength(1);
    // The refused ones took their points back: the count is what one after another would make it.
    expect(await pointsOf(`test-fail-burst:${key}`)).toBe(POLICY.freeFailures + 1);
    expect(await mine.retryAfter(key)).toBeGreaterThan(0);
  });

  it('take back a success from the counts it does not clear, and release the block it claimed there', async () => {
    const throttle = createSignInThrottle({ counters, clock }, DEFAULT_POLICIES);
    const ip = subject();
    await db.rateLimiterFlexible.create({
      data: { key: `signin-fail-ip:${ip}`, points: 20, expire: new Date(clock() + 600_000) },
    });
    const owner = await throttle.begin({ account: `owner-${ip}@example.com`, ip });
    expect(owner.admitted).toBe(true);
    if (owner.admitted) await owner.succeeded();
    expect(await pointsOf(`signin-fail-ip:${ip}`)).toBe(20);
    expect(await pointsOf(`signin-block-ip:${ip}`)).toBeUndefined();
  });

  it("count a sign-in's three counters in one statement, settle a success in one more, and a burst of them from two servers exactly, without deadlock", async () => {
    const statements: string[] = [];
    const spied = (c: ThrottleCounters): ThrottleCounters => ({
      ...c,
      live: (...args) => {
        statements.push('live');
        return c.live(...args);
      },
      add: (...args) => {
        statements.push('add');
        return c.add(...args);
      },
      addEach: (...args) => {
        statements.push(`addEach(${args[0].length})`);
        return c.addEach(...args);
      },
      subtract: (...args) => {
        statements.push('subtract');
        return c.subtract(...args);
      },
      remove: (...args) => {
        statements.push('remove');
        return c.remove(...args);
      },
      settle: (...args) => {
        statements.push(`settle(${args[0].length}, ${args[1].length})`);
        return c.settle(...args);
      },
    });
    // The shared counters allow the whole burst: every attempt is counted on them before its own
    // counter decides, and those its own counter refuses are taken back only after, so at once 30
    // attempts can cross the account-wide 20 for a moment and block the account for everyone
    // (stricter than one after another, never looser). This burst is about the per-address count.
    const roomy = { freeFailures: 45 };
    const policies = {
      ...DEFAULT_POLICIES,
      account: { ...DEFAULT_POLICIES.account, ...roomy },
      ip: { ...DEFAULT_POLICIES.ip, ...roomy },
    };
    const [mine, theirs] = [counters, othersCounters].map((c) =>
      createSignInThrottle({ counters: spied(c), clock }, policies),
    ) as [ReturnType<typeof createSignInThrottle>, ReturnType<typeof createSignInThrottle>];
    const ip = subject();
    const owner = { account: `owner-${ip}@example.com`, ip };

    const first = await mine.begin(owner);
    if (first.admitted) await first.succeeded();
    // Three counts in one upsert, which reads the blocks itself; on success, one statement clears
    // its own count and block and takes the attempt back from the two others.
    expect(statements).toEqual(['addEach(3)', 'settle(2, 2)']);
    expect(await pointsOf(`signin-fail-account-unknown:${owner.account}`)).toBe(0);

    // Wrong guesses at once from two servers, by three subjects that share counters: the owner's
    // (account, address), the same account from elsewhere, another account from the same address.
    // Each (account, address) counter admits six (five free, then one that claims the block), and
    // every shared count is what one after another makes it.
    const elsewhere = { account: owner.account, ip: subject() };
    const neighbour = { account: `neighbour-${ip}@example.com`, ip };
    const subjects = [owner, elsewhere, neighbour];
    const burst = await Promise.all(
      Array.from({ length: 45 }, async (_, i) => {
        const who = subjects[i % 3] as typeof owner;
        return { who, attempt: await (i % 2 ? theirs : mine).begin(who) };
      }),
    );
    const free = DEFAULT_POLICIES.accountAddress.freeFailures + 1;
    for (const who of subjects) expect(burst.filter((b) => b.who === who && b.attempt.admitted)).toHaveLength(free);
    await Promise.all(burst.map(({ attempt }) => (attempt.admitted ? attempt.failed() : 0)));
    const pair = (who: typeof owner) => `signin-fail-account-address:${JSON.stringify([who.account, who.ip])}`;
    for (const who of subjects) expect(await pointsOf(pair(who))).toBe(free);
    expect(await pointsOf(`signin-fail-account-unknown:${owner.account}`)).toBe(2 * free);
    expect(await pointsOf(`signin-fail-ip:${ip}`)).toBe(2 * free);
    expect(await mine.retryAfter(owner)).toBeGreaterThan(0);

    // The next guess is refused by the block: nothing is counted, and only then are the blocks read.
    statements.length = 0;
    const refused = await mine.begin(owner);
    expect(refused).toEqual({ admitted: false, retryAfter: expect.any(Number) });
    expect(statements).toEqual(['addEach(3)', 'live']);
    expect(await pointsOf(pair(owner))).toBe(free);
  });

  it('count several keys in one statement as add counts each, starting a new window where one ran out, and refuse a key twice', async () => {
    const [live, expired, fresh] = [subject(), subject(), subject()].map((k) => `test-each:${k}`) as [
      string,
      string,
      string,
    ];
    const now = new Date(clock());
    const windowEnds = new Date(clock() + 60_000);
    // A stop that ran out, one below the points that stop, and one that never expires stop nothing.
    const [ranOut, low, forever] = ['ran-out', 'low', 'forever'].map((k) => `test-each-stop-${k}:${live}`) as [
      string,
      string,
      string,
    ];
    await db.rateLimiterFlexible.createMany({
      data: [
        { key: live, points: 4, expire: new Date(clock() + 30_000) },
        { key: expired, points: 9, expire: new Date(clock() - 1) },
        { key: ranOut, points: 2, expire: new Date(clock() - 1) },
        { key: low, points: 1, expire: new Date(clock() + 30_000) },
        { key: forever, points: 2, expire: null },
      ],
    });
    const rows = await counters.addEach(
      [fresh, live, expired].map((key) => ({ key, windowEnds })),
      now,
      { keys: [ranOut, low, forever], points: 2 },
    );
    expect(rows?.map((row) => [row.key, row.points, row.expire?.getTime()])).toEqual([
      [fresh, 1, windowEnds.getTime()],
      [live, 5, clock() + 30_000],
      [expired, 1, windowEnds.getTime()],
    ]);
    await expect(
      counters.addEach(
        [
          { key: fresh, windowEnds },
          { key: fresh, windowEnds },
        ],
        now,
        { keys: [ranOut], points: 2 },
      ),
    ).rejects.toThrow(/different keys/);
    await Promise.all([counters.subtract(live, now), counters.subtract(expired, now)]);
    expect([await pointsOf(live), await pointsOf(expired)]).toEqual([4, 0]);

    // A live stop among the keys: nothing is counted, not even a key that had no row.
    const [stop, unseen] = [`test-each-stop:${live}`, `test-each-unseen:${live}`];
    await db.rateLimiterFlexible.create({ data: { key: stop, points: 2, expire: new Date(clock() + 1000) } });
    expect(
      await counters.addEach(
        [live, unseen].map((key) => ({ key, windowEnds })),
        now,
        { keys: [low, stop], points: 2 },
      ),
    ).toBeUndefined();
    expect([await pointsOf(live), await pointsOf(unseen)]).toEqual([4, undefined]);
  });

  it('read the counts and blocks rate-limiter-flexible wrote, under the same keys', async () => {
    const key = subject();
    const now = clock();
    // As its Prisma store wrote them: `${prefix}:${key}`, a block as its limit of 1 plus one.
    await db.rateLimiterFlexible.create({
      data: { key: `signin-fail-ip:${key}`, points: 20, expire: new Date(now + 600_000) },
    });
    await db.rateLimiterFlexible.create({
      data: { key: `signin-block-ip:${key}`, points: 2, expire: new Date(now + 90_500) },
    });
    const throttle = createSignInThrottle({ counters, clock }, DEFAULT_POLICIES);
    const unknownBrowser = { account: `old-${key}@example.com`, ip: key };
    expect(await throttle.retryAfter(unknownBrowser)).toBe(91);
    // Once that block has run out, the 21st failure of that window earns the per-address policy's first block.
    clock.advance(91_000);
    const attempt = await throttle.begin(unknownBrowser);
    expect(attempt.admitted && (await attempt.failed())).toBe(30);
    expect(await pointsOf(`signin-fail-ip:${key}`)).toBe(21);
    expect(await throttle.retryAfter(unknownBrowser)).toBe(30);

    const mail = createEmailRequestThrottle({ counters, clock }, 'password-reset');
    const email = `mail-${key}@example.com`;
    await db.rateLimiterFlexible.create({
      data: { key: `password-reset-email:${email}`, points: 3, expire: new Date(clock() + 120_000) },
    });
    expect(await mail.take(key, email)).toBe(120);
  });

  it('start a new window once the old one has expired, and lift a block when it runs out', async () => {
    const counter = createFailureCounter(counters, 'test', 'window', POLICY, clock);
    const key = subject();
    for (let i = 0; i < 5; i += 1) expect(await counter.fail(key)).toBe(0);
    expect(await counter.fail(key)).toBe(30);
    clock.advance(29_000);
    expect(await counter.retryAfter(key)).toBe(1);
    clock.advance(1_000);
    expect(await counter.retryAfter(key)).toBe(0);
    clock.advance(POLICY.windowSeconds * 1000 - 30_000);
    expect(await counter.fail(key)).toBe(0);
    expect(await pointsOf(`test-fail-window:${key}`)).toBe(1);
  });

  it('settle a passed attempt in one statement: forget its own keys, take a live point back from the others', async () => {
    const counter = createFailureCounter(counters, 'test', 'settle', POLICY, clock);
    const key = subject();
    for (let i = 0; i < 6; i += 1) await counter.fail(key);
    const [live, expired, spent] = ['live', 'expired', 'spent'].map((k) => `test-settle-${k}:${key}`) as [
      string,
      string,
      string,
    ];
    await db.rateLimiterFlexible.createMany({
      data: [
        { key: live, points: 3, expire: new Date(clock() + 30_000) },
        { key: expired, points: 3, expire: new Date(clock() - 1) },
        { key: spent, points: 0, expire: new Date(clock() + 30_000) },
      ],
    });
    const forgotten = await counters.settle(
      [counter.countKey(key), counter.blockKey(key)],
      [live, expired],
      new Date(clock()),
    );
    expect([await pointsOf(counter.countKey(key)), await pointsOf(counter.blockKey(key))]).toEqual([
      undefined,
      undefined,
    ]);
    // It says what it forgot: the count past the free failures tells a block may be in flight.
    expect(forgotten.map(({ key: k, points }) => [k, points]).sort()).toEqual(
      [
        [counter.blockKey(key), 2],
        [counter.countKey(key), 6],
      ].sort(),
    );
    // Only a live window gives a point back, and a count never goes below zero.
    expect([await pointsOf(live), await pointsOf(expired)]).toEqual([2, 3]);
    await counters.settle([`test-settle-none:${key}`], [spent], new Date(clock()));
    expect(await pointsOf(spent)).toBe(0);
    // A device's attempt has no other counter: its own keys alone.
    await counters.settle([live], [], new Date(clock()));
    expect(await pointsOf(live)).toBeUndefined();
    await expect(counters.settle([live], [live], new Date(clock()))).rejects.toThrow(
      /cannot forget a key it takes back/,
    );
    await expect(counters.settle([], [], new Date(clock()))).rejects.toThrow(/forgets 1 to 4 keys/);
  });

  it('settle successes amid failures from two servers at once without deadlock, leaving shared counts exact', async () => {
    const [mine, theirs] = [counters, othersCounters].map((c) =>
      createSignInThrottle({ counters: c, clock }, DEFAULT_POLICIES),
    ) as [ReturnType<typeof createSignInThrottle>, ReturnType<typeof createSignInThrottle>];
    const ip = subject();
    const owner = { account: `settled-${ip}@example.com`, ip };
    const elsewhere = { account: owner.account, ip: subject() };
    const neighbour = { account: `settled-neighbour-${ip}@example.com`, ip };
    const subjects = [owner, elsewhere, neighbour];
    // Every third admitted attempt passes: each settles while others count, claim and fail on the
    // same rows, from the other server too.
    const outcomes = await Promise.all(
      Array.from({ length: 36 }, async (_, i) => {
        const who = subjects[i % 3] as typeof owner;
        const attempt = await (i % 2 ? theirs : mine).begin(who);
        if (!attempt.admitted) return { who, failed: false };
        if (i % 4 === 0) {
          await attempt.succeeded();
          return { who, failed: false };
        }
        await attempt.failed();
        return { who, failed: true };
      }),
    );
    const failures = (...of: (typeof owner)[]) => outcomes.filter((o) => o.failed && of.includes(o.who)).length;
    expect(failures(owner, elsewhere, neighbour)).toBeGreaterThan(0);
    // A failure stays counted on the shared counters, a success or a refusal is taken back.
    expect((await pointsOf(`signin-fail-account-unknown:${owner.account}`)) ?? 0).toBe(failures(owner, elsewhere));
    expect((await pointsOf(`signin-fail-ip:${ip}`)) ?? 0).toBe(failures(owner, neighbour));
  });

  it('read several blocks in one statement', async () => {
    const key = subject();

    let reads = 0;
    const counted = {
      ...counters,
      live: (...args: Parameters<ThrottleCounters['live']>) => {
        reads += 1;
        return counters.live(...args);
      },
    };
    const throttle = createSignInThrottle({ counters: counted, clock }, DEFAULT_POLICIES);
    await db.rateLimiterFlexible.create({
      data: { key: `signin-block-account-unknown:${key}`, points: 2, expire: new Date(clock() + 60_000) },
    });
    expect(await throttle.retryAfter({ account: key, ip: '198.51.100.1' })).toBe(60);
    expect(reads).toBe(1);
  });

  it('are swept on PostgreSQL past an expired row that an attempt holds, which a later sweep takes', async () => {
    // Always on PostgreSQL (whichever store this run is on): an attempt's upsert holds several
    // rows at once, so a sweep that waited on one of them could deadlock with it.
    const database = await createTestDatabaseOn('postgresql');
    await migrate(database.url);
    const { driver, close } = createDatabase(database.url);
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      const swept = createPreparedThrottleCounters(driver);
      await holder.query(
        `INSERT INTO "RateLimiterFlexible" ("key", "points", "expire") VALUES ('held', 1, '2000-01-01'), ('free', 1, '2000-01-01')`,
      );
      await holder.query('BEGIN');
      await holder.query(`SELECT "key" FROM "RateLimiterFlexible" WHERE "key" = 'held' FOR UPDATE`);
      expect(await swept.sweepExpired(new Date(), 10)).toBe(1);
      await holder.query('ROLLBACK');
      expect(await swept.sweepExpired(new Date(), 10)).toBe(1);
      expect((await holder.query('SELECT count(*)::int AS n FROM "RateLimiterFlexible"')).rows[0]).toEqual({ n: 0 });
    } finally {
      await holder.end();
      await close();
      await database.drop();
    }
  });

  it('are swept once expired, by the expiry sweeper', async () => {
    const key = subject();
    const now = clock();
    await db.rateLimiterFlexible.createMany({
      data: [
        { key: `sweep-expired:${key}`, points: 3, expire: new Date(now - 1000) },
        { key: `sweep-live:${key}`, points: 3, expire: new Date(now + 600_000) },
        { key: `sweep-forever:${key}`, points: 3, expire: null },
      ],
    });
    const swept = new Promise<void>((resolve) => {
      const stop = startExpirySweeper([counters], clock, 20, createLogger('silent'), {
        observe: () => {
          stop();
          resolve();
        },
      });
    });
    await swept;
    expect(await pointsOf(`sweep-expired:${key}`)).toBeUndefined();
    expect(await pointsOf(`sweep-live:${key}`)).toBe(3);
    expect(await pointsOf(`sweep-forever:${key}`)).toBe(3);
  });
});
