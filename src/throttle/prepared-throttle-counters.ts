import type { DriverConnection } from '../db/create-prisma.js';
import { preparedStatement } from '../db/prepared-statements.js';
import {
  FORGET_KEYS,
  LIVE_KEYS,
  paddedKeys,
  TAKE_BACK_KEYS,
  type CounterRow,
  type ThrottleCounters,
} from './throttle-counters.js';

const TABLE = '"RateLimiterFlexible"';
const COUNTER = { integers: ['points'], dates: ['expire'] } as const;

/** `keys` padded to `length` with `pad` (an IN list of fixed length; no counter's key is empty). */
const padded = (keys: readonly string[], length: number, pad: string) =>
  Array.from({ length }, (_, i) => keys[i] ?? pad);

/**
 * The throttle counters (RateLimiterFlexible) as cached prepared statements on the connection
 * Prisma's driver adapter holds: a sign-in counts its three counters in one upsert that reads
 * their blocks itself, and a passed one settles them in one statement, where
 * rate-limiter-flexible's Prisma store ran a statement per key through Prisma's model API (about
 * 0.3–0.5 ms of CPU each, docs/benchmarks.md).
 *
 * A failure is one upsert: the row's own expiry decides, inside the statement, whether it counts
 * on (points + 1) or starts a new window (1 point, a new expiry); a sign-in's three counters are
 * counted in one such upsert of three rows (`addEach`). Both stores run INSERT … ON
 * CONFLICT DO UPDATE atomically against concurrent writers (SQLite holds the write lock;
 * PostgreSQL locks the row and re-reads its latest version), so no failure is ever lost, from any
 * instance. A block is claimed with one conditional upsert that writes only when no live block
 * is there, so concurrent attempts cannot all pass one look at the block. Values are written as
 * Prisma's adapters write them (prepared-statements.ts), so rows written by the old store read
 * the same (test/throttle/failure-counter.test.ts).
 */
export function createPreparedThrottleCounters(driver: DriverConnection): ThrottleCounters {
  const statement = <Row = never>(name: string, sql: string) =>
    preparedStatement<Row>(driver, `gatehouse_throttle_${name}`, sql, COUNTER);
  const live = statement<CounterRow>(
    'live',
    `SELECT "key", "points", "expire" FROM ${TABLE} WHERE "key" IN ($1, $2, $3) AND ("expire" IS NULL OR "expire" > $4)`,
  );
  // A row that is there counts on, or starts a new window where its own ran out (`now` is `$n`).
  const countOn = (now: string) => `ON CONFLICT ("key") DO UPDATE SET
      "points" = CASE WHEN ${TABLE}."expire" <= ${now} THEN 1 ELSE ${TABLE}."points" + 1 END,
      "expire" = CASE WHEN ${TABLE}."expire" <= ${now} THEN excluded."expire" ELSE ${TABLE}."expire" END
    RETURNING "key", "points", "expire"`;
  const add = statement<CounterRow>(
    'add',
    `INSERT INTO ${TABLE} ("key", "points", "expire") VALUES ($1, 1, $2) ${countOn('$3')}`,
  );
  // `addEach`, one statement per number of keys (1 to LIVE_KEYS), which must differ (an upsert
  // may not touch one row twice): `n` rows of (key, window end), then the LIVE_KEYS keys that stop
  // it and the points that make a row there a stop, then `now`. The rows come from a VALUES list,
  // whose values PostgreSQL types on their own: the window end is cast to the column's type there.
  const addEachFor = (n: number) => {
    const timestamp = driver.store === 'postgresql' ? '::timestamp(3)' : '';
    const rows = Array.from({ length: n }, (_, i) => `($${2 * i + 1}, $${2 * i + 2}${timestamp})`).join(', ');
    const stops = Array.from({ length: LIVE_KEYS }, (_, i) => `$${2 * n + i + 1}`).join(', ');
    const [points, now] = [`$${2 * n + LIVE_KEYS + 1}`, `$${2 * n + LIVE_KEYS + 2}`];
    return statement<CounterRow>(
      `add_each_${n}`,
      `INSERT INTO ${TABLE} ("key", "points", "expire")
    SELECT "column1", 1, "column2" FROM (VALUES ${rows}) AS "counted"
    WHERE NOT EXISTS (
      SELECT 1 FROM ${TABLE} WHERE "key" IN (${stops}) AND "points" >= ${points} AND "expire" > ${now}
    )
    ${countOn(now)}`,
    );
  };
  const addEachs = Array.from({ length: LIVE_KEYS }, (_, i) => addEachFor(i + 1));
  const set = statement(
    'set',
    `INSERT INTO ${TABLE} ("key", "points", "expire") VALUES ($1, $2, $3) ON CONFLICT ("key") DO UPDATE SET "points" = excluded."points", "expire" = excluded."expire"`,
  );
  // PostgreSQL locks the conflicting row and checks the WHERE against its latest committed
  // version, so a block written by a concurrent claim is seen and this one writes nothing. The
  // row it returns is the one it wrote: none when a live block was there.
  const claim = statement<{ key: string }>(
    'claim',
    `INSERT INTO ${TABLE} ("key", "points", "expire") VALUES ($1, $2, $3)
    ON CONFLICT ("key") DO UPDATE SET "points" = excluded."points", "expire" = excluded."expire"
    WHERE ${TABLE}."points" < excluded."points" OR ${TABLE}."expire" IS NULL OR ${TABLE}."expire" <= $4
    RETURNING "key"`,
  );
  const subtract = statement(
    'subtract',
    `UPDATE ${TABLE} SET "points" = "points" - 1 WHERE "key" = $1 AND "points" > 0 AND "expire" > $2`,
  );
  const remove = statement('remove', `DELETE FROM ${TABLE} WHERE "key" = $1`);
  // On PostgreSQL a passed attempt is settled in one statement: its rows are locked first, in key
  // order, and the delete and the update each touch only rows already locked (keys $1–$4 are
  // forgotten, $5–$6 taken back; the two lists share no key). SQLite has no writes inside WITH and
  // runs one writer at a time: there it is a delete and an update, each a local call, no round trip.
  const forget = `"key" IN ($1, $2, $3, $4)`;
  // Both return the rows they forgot, as they were when deleted.
  const settleAtOnce = statement<CounterRow>(
    'settle',
    `WITH "locked" AS MATERIALIZED (
      SELECT "key" FROM ${TABLE} WHERE "key" IN ($1, $2, $3, $4, $5, $6) ORDER BY "key" FOR UPDATE
    ), "forgotten" AS (
      DELETE FROM ${TABLE} USING "locked" WHERE ${TABLE}."key" = "locked"."key" AND ${TABLE}.${forget}
      RETURNING ${TABLE}."key", ${TABLE}."points", ${TABLE}."expire"
    ), "taken_back" AS (
      UPDATE ${TABLE} SET "points" = ${TABLE}."points" - 1 FROM "locked"
      WHERE ${TABLE}."key" = "locked"."key" AND ${TABLE}."key" IN ($5, $6)
        AND ${TABLE}."points" > 0 AND ${TABLE}."expire" > $7
    )
    SELECT "key", "points", "expire" FROM "forgotten"`,
  );
  const forgetEach = statement<CounterRow>(
    'forget',
    `DELETE FROM ${TABLE} WHERE ${forget} RETURNING "key", "points", "expire"`,
  );
  const takeBackEach = statement(
    'take_back',
    `UPDATE ${TABLE} SET "points" = "points" - 1 WHERE "key" IN ($1, $2) AND "points" > 0 AND "expire" > $3`,
  );
  // On PostgreSQL the sweep skips rows another statement holds: an attempt's upsert (`addEach`)
  // holds several rows, expired ones among them, and a sweep that waited on one while holding
  // another could deadlock with it. What it skips, a later sweep takes. (SQLite runs one writer
  // at a time: nothing to skip.)
  const sweep = statement(
    'sweep',
    `DELETE FROM ${TABLE} WHERE "key" IN (SELECT "key" FROM ${TABLE} WHERE "expire" <= $1 LIMIT $2${
      driver.store === 'postgresql' ? ' FOR UPDATE SKIP LOCKED' : ''
    })`,
  );
  return {
    live: (keys, now) => live.rows(...paddedKeys(keys), now),
    add: async (key, now, windowEnds) => (await add.rows(key, windowEnds, now))[0] as CounterRow,
    addEach: async (windows, now, unless) => {
      const keys = windows.map((w) => w.key);
      if (keys.length === 0 || keys.length > LIVE_KEYS || new Set(keys).size !== keys.length)
        throw new Error(`addEach takes 1 to ${LIVE_KEYS} different keys`);
      const statement = addEachs[keys.length - 1] as (typeof addEachs)[number];
      // PostgreSQL locks the rows in the order of VALUES: key order, whoever calls, so that two
      // attempts counting on some of the same rows cannot each hold one the other waits for.
      const ordered = [...windows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const rows = await statement.rows(
        ...ordered.flatMap((w) => [w.key, w.windowEnds]),
        ...paddedKeys(unless.keys),
        unless.points,
        now,
      );
      // Nothing counted: a stop was there (the statement writes every row or none).
      if (rows.length === 0) return undefined;
      // RETURNING promises no order. Every row is written, so every key comes back: a missing one
      // would leave an attempt uncounted, so it fails the attempt rather than admit it.
      return keys.map((key) => {
        const row = rows.find((returned) => returned.key === key);
        if (!row) throw new Error(`the counter upsert returned no row for ${key}`);
        return row;
      });
    },
    set: async (key, points, until) => {
      await set.run(key, points, until);
    },
    claim: async (key, points, now, until) => (await claim.rows(key, points, until, now)).length === 1,
    subtract: async (key, now) => {
      await subtract.run(key, now);
    },
    remove: async (key) => {
      await remove.run(key);
    },
    settle: async (forgotten, takenBack, now) => {
      if (forgotten.length === 0 || forgotten.length > FORGET_KEYS || takenBack.length > TAKE_BACK_KEYS)
        throw new Error(`settle forgets 1 to ${FORGET_KEYS} keys and takes back 0 to ${TAKE_BACK_KEYS}`);
      if (takenBack.some((key) => forgotten.includes(key))) throw new Error('settle cannot forget a key it takes back');
      const forgetKeys = padded(forgotten, FORGET_KEYS, forgotten[0] as string);
      const takeBackKeys = padded(takenBack, TAKE_BACK_KEYS, '');
      if (driver.store === 'postgresql') return settleAtOnce.rows(...forgetKeys, ...takeBackKeys, now);
      const forgottenRows = await forgetEach.rows(...forgetKeys);
      if (takenBack.length > 0) await takeBackEach.run(...takeBackKeys, now);
      return forgottenRows;
    },
    sweepExpired: (now, limit) => sweep.run(now, limit),
  };
}
