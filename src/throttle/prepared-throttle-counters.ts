import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { DriverConnection } from '../db/create-prisma.js';
import { pgDate, preparedOnConnection, sqliteDate, timestampsAsUtc } from '../db/prepared-statements.js';
import { paddedKeys, type CounterRow, type ThrottleCounters } from './throttle-counters.js';

const TABLE = '"RateLimiterFlexible"';

interface SqliteRow { key: string; points: number | bigint; expire: string | null }
const fromSqlite = (row: SqliteRow): CounterRow => ({ key: row.key, points: Number(row.points), expire: row.expire === null ? null : new Date(row.expire) });

function sqliteCounters(connection: () => Promise<Database.Database>): ThrottleCounters {
  const statementsFor = preparedOnConnection(connection, (db) => ({
    live: db.prepare<string[], SqliteRow>(`SELECT "key", "points", "expire" FROM ${TABLE} WHERE "key" IN (?, ?, ?) AND ("expire" IS NULL OR "expire" > ?)`),
    add: db.prepare<string[], SqliteRow>(
      `INSERT INTO ${TABLE} ("key", "points", "expire") VALUES (?, 1, ?)
       ON CONFLICT ("key") DO UPDATE SET
         "points" = CASE WHEN ${TABLE}."expire" <= ? THEN 1 ELSE ${TABLE}."points" + 1 END,
         "expire" = CASE WHEN ${TABLE}."expire" <= ? THEN excluded."expire" ELSE ${TABLE}."expire" END
       RETURNING "key", "points", "expire"`,
    ),
    set: db.prepare(`INSERT INTO ${TABLE} ("key", "points", "expire") VALUES (?, ?, ?) ON CONFLICT ("key") DO UPDATE SET "points" = excluded."points", "expire" = excluded."expire"`),
    claim: db.prepare<unknown[], { key: string }>(
      `INSERT INTO ${TABLE} ("key", "points", "expire") VALUES (?, ?, ?)
       ON CONFLICT ("key") DO UPDATE SET "points" = excluded."points", "expire" = excluded."expire"
       WHERE ${TABLE}."points" < excluded."points" OR ${TABLE}."expire" IS NULL OR ${TABLE}."expire" <= ?
       RETURNING "key"`,
    ),
    subtract: db.prepare(`UPDATE ${TABLE} SET "points" = "points" - 1 WHERE "key" = ? AND "points" > 0 AND "expire" > ?`),
    remove: db.prepare(`DELETE FROM ${TABLE} WHERE "key" IN (?, ?)`),
    sweep: db.prepare(`DELETE FROM ${TABLE} WHERE "key" IN (SELECT "key" FROM ${TABLE} WHERE "expire" <= ? LIMIT ?)`),
  }));
  return {
    async live(keys, now) {
      return (await statementsFor()).live.all(...paddedKeys(keys), sqliteDate(now)).map(fromSqlite);
    },
    async add(key, now, windowEnds) {
      const at = sqliteDate(now);
      return fromSqlite((await statementsFor()).add.get(key, sqliteDate(windowEnds), at, at) as SqliteRow);
    },
    async set(key, points, until) {
      (await statementsFor()).set.run(key, points, sqliteDate(until));
    },
    async claim(key, points, now, until) {
      return (await statementsFor()).claim.get(key, points, sqliteDate(until), sqliteDate(now)) !== undefined;
    },
    async subtract(key, now) {
      (await statementsFor()).subtract.run(key, sqliteDate(now));
    },
    async remove(keys) {
      (await statementsFor()).remove.run(...pairOf(keys));
    },
    async sweepExpired(now, limit) {
      return (await statementsFor()).sweep.run(sqliteDate(now), limit).changes;
    },
  };
}

const pairOf = (keys: readonly string[]) => {
  if (keys.length === 0 || keys.length > 2) throw new Error('remove takes 1 or 2 keys');
  return [keys[0] as string, keys[keys.length - 1] as string];
};

function postgresCounters(pool: pg.Pool): ThrottleCounters {
  // Named statements: pg prepares each once per connection, then only sends the values.
  return {
    async live(keys, now) {
      const { rows } = await pool.query<CounterRow>({
        name: 'gatehouse_throttle_live',
        text: `SELECT "key", "points", "expire" FROM ${TABLE} WHERE "key" IN ($1, $2, $3) AND ("expire" IS NULL OR "expire" > $4)`,
        values: [...paddedKeys(keys), pgDate(now)],
        types: timestampsAsUtc,
      });
      return rows;
    },
    async add(key, now, windowEnds) {
      const { rows } = await pool.query<CounterRow>({
        name: 'gatehouse_throttle_add',
        text: `INSERT INTO ${TABLE} ("key", "points", "expire") VALUES ($1, 1, $2)
          ON CONFLICT ("key") DO UPDATE SET
            "points" = CASE WHEN ${TABLE}."expire" <= $3 THEN 1 ELSE ${TABLE}."points" + 1 END,
            "expire" = CASE WHEN ${TABLE}."expire" <= $3 THEN excluded."expire" ELSE ${TABLE}."expire" END
          RETURNING "key", "points", "expire"`,
        values: [key, pgDate(windowEnds), pgDate(now)],
        types: timestampsAsUtc,
      });
      return rows[0] as CounterRow;
    },
    async set(key, points, until) {
      await pool.query({
        name: 'gatehouse_throttle_set',
        text: `INSERT INTO ${TABLE} ("key", "points", "expire") VALUES ($1, $2, $3) ON CONFLICT ("key") DO UPDATE SET "points" = excluded."points", "expire" = excluded."expire"`,
        values: [key, points, pgDate(until)],
      });
    },
    async claim(key, points, now, until) {
      // PostgreSQL locks the conflicting row and checks the WHERE against its latest committed
      // version, so a block written by a concurrent claim is seen and this one writes nothing.
      const { rowCount } = await pool.query({
        name: 'gatehouse_throttle_claim',
        text: `INSERT INTO ${TABLE} ("key", "points", "expire") VALUES ($1, $2, $3)
          ON CONFLICT ("key") DO UPDATE SET "points" = excluded."points", "expire" = excluded."expire"
          WHERE ${TABLE}."points" < excluded."points" OR ${TABLE}."expire" IS NULL OR ${TABLE}."expire" <= $4`,
        values: [key, points, pgDate(until), pgDate(now)],
      });
      return rowCount === 1;
    },
    async subtract(key, now) {
      await pool.query({
        name: 'gatehouse_throttle_subtract',
        text: `UPDATE ${TABLE} SET "points" = "points" - 1 WHERE "key" = $1 AND "points" > 0 AND "expire" > $2`,
        values: [key, pgDate(now)],
      });
    },
    async remove(keys) {
      await pool.query({ name: 'gatehouse_throttle_remove', text: `DELETE FROM ${TABLE} WHERE "key" IN ($1, $2)`, values: pairOf(keys) });
    },
    async sweepExpired(now, limit) {
      const { rowCount } = await pool.query({
        name: 'gatehouse_throttle_sweep',
        text: `DELETE FROM ${TABLE} WHERE "key" IN (SELECT "key" FROM ${TABLE} WHERE "expire" <= $1 LIMIT $2)`,
        values: [pgDate(now), limit],
      });
      return rowCount ?? 0;
    },
  };
}

/**
 * The throttle counters (RateLimiterFlexible) as cached prepared statements on the connection
 * Prisma's driver adapter holds: a sign-in reads all its blocks in one select and clears its own
 * count in one delete, where rate-limiter-flexible's Prisma store ran a statement per key through
 * Prisma's model API (about 0.3–0.5 ms of CPU each, docs/benchmarks.md).
 *
 * A failure is one upsert: the row's own expiry decides, inside the statement, whether it counts
 * on (points + 1) or starts a new window (1 point, a new expiry). Both stores run INSERT … ON
 * CONFLICT DO UPDATE atomically against concurrent writers (SQLite holds the write lock;
 * PostgreSQL locks the row and re-reads its latest version), so no failure is ever lost, from any
 * instance. A block is claimed with one conditional upsert that writes only when no live block
 * is there, so concurrent attempts cannot all pass one look at the block. Values are written as
 * Prisma's adapters write them (prepared-statements.ts), so rows written by the old store read
 * the same (test/throttle/failure-counter.test.ts).
 */
export function createPreparedThrottleCounters(driver: DriverConnection): ThrottleCounters {
  return driver.store === 'sqlite' ? sqliteCounters(driver.connection) : postgresCounters(driver.pool);
}
