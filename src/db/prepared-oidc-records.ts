import type { DriverConnection } from './create-prisma.js';
import { pgStatement, preparedStatement, type PreparedStatement } from './prepared-statements.js';
import { turnMergedLookup } from './turn-merged-lookup.js';
import { turnMergedCalls } from './turn-merged-calls.js';
import type { LiveRecord, LookupField, PreparedOidcRecords } from './oidc-record-queries.js';

/**
 * The sweep's delete of at most `limit` rows expired at $1 (createPreparedOidcRecords says why the
 * limit is literal). On SQLite each row goes by rowid and the outer statement has no other term: with
 * `AND "expiresAt" <= $1` there too, SQLite's planner, from STAT4 samples taken by an ANALYZE when
 * few rows had expired, chose to walk every expired row for the outer delete and test each against
 * the batch's keys: about a second per batch at 200,000 expired rows among a million, where the
 * rowid plan takes 10 ms (docs/benchmarks.md, "Flat as data grows"). It needs no such re-check: the
 * statement runs whole under SQLite's one write lock, so no expiry can move between its two halves.
 */
export const sweepExpiredSql = (limit: number, store: DriverConnection['store']) =>
  store === 'sqlite'
    ? `DELETE FROM "OidcRecord" WHERE rowid IN
    (SELECT rowid FROM "OidcRecord" WHERE "expiresAt" <= $1 ORDER BY "expiresAt" LIMIT ${limit})`
    : `DELETE FROM "OidcRecord" WHERE ("model", "id") IN
    (SELECT "model", "id" FROM "OidcRecord" WHERE "expiresAt" <= $1 ORDER BY "expiresAt" LIMIT ${limit})
    AND "expiresAt" <= $1`;

/** findLiveAmong's statement takes this many models (its `IN` list); fewer are padded by repeating one. */
export const AMONG_MODELS = 3;
const padded = (models: readonly string[]): [string, string, string] => {
  if (models.length === 0 || models.length > AMONG_MODELS)
    throw new Error(`findLiveAmong takes 1 to ${AMONG_MODELS} models`);
  return Array.from({ length: AMONG_MODELS }, (_, i) => models[Math.min(i, models.length - 1)] as string) as [
    string,
    string,
    string,
  ];
};

const LIVE = { dates: ['consumedAt', 'expiresAt'] } as const;
const COLUMNS =
  '"model", "id", "payload", "grantId", "userCode", "uid", "accountId", "expiresAt", "consumedAt", "createdAt", "updatedAt"';
import type { Clock } from '../kernel/clock.js';

/**
 * A live record by `uid` (a session: userinfo and sign-in look one up) or `userCode` (a device
 * code). Each uses its partial index on (model, column): `= $2` implies IS NOT NULL, which both
 * stores see (test/oidc/oidc-record-indexes.test.ts checks the plans).
 */
export const FIND_LIVE_BY_SQL: Record<LookupField, string> = {
  uid: 'SELECT "payload", "consumedAt", "expiresAt" FROM "OidcRecord" WHERE "model" = $1 AND "uid" = $2 AND ("expiresAt" IS NULL OR "expiresAt" > $3) LIMIT 1',
  userCode:
    'SELECT "payload", "consumedAt", "expiresAt" FROM "OidcRecord" WHERE "model" = $1 AND "userCode" = $2 AND ("expiresAt" IS NULL OR "expiresAt" > $3) LIMIT 1',
};

/**
 * A live record (`which` 0, with its grantId column) and the live Grant that column names (`which`
 * 1), each half by primary key (test/oidc/oidc-record-indexes.test.ts checks the plans): the
 * grant's id comes from the record's own row, so the two are read as of one moment.
 */
export const FIND_LIVE_WITH_GRANT_SQL = `SELECT 0 AS "which", "payload", "consumedAt", "expiresAt", "grantId" FROM "OidcRecord"
      WHERE "model" = $1 AND "id" = $2 AND ("expiresAt" IS NULL OR "expiresAt" > $3)
    UNION ALL
    SELECT 1 AS "which", "payload", "consumedAt", "expiresAt", "grantId" FROM "OidcRecord"
      WHERE "model" = 'Grant' AND ("expiresAt" IS NULL OR "expiresAt" > $3) AND "id" = (
        SELECT "grantId" FROM "OidcRecord" WHERE "model" = $1 AND "id" = $2 AND ("expiresAt" IS NULL OR "expiresAt" > $3))`;

const UPSERT_SET = `ON CONFLICT ("model", "id") DO UPDATE SET "payload" = excluded."payload", "grantId" = excluded."grantId",
        "userCode" = excluded."userCode", "uid" = excluded."uid", "accountId" = excluded."accountId",
        "expiresAt" = excluded."expiresAt", "consumedAt" = NULL, "updatedAt" = excluded."updatedAt"`;
const UPSERT_SQL = `INSERT INTO "OidcRecord" (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $9)
      ${UPSERT_SET}`;
/** The same for many rows at once (PostgreSQL): each placeholder an array, one element per row. */
export const UPSERT_MANY_SQL = `INSERT INTO "OidcRecord" (${COLUMNS})
      SELECT "model", "id", "payload", "grantId", "userCode", "uid", "accountId", "expiresAt", NULL, "at", "at"
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
        $8::timestamp(3)[], $9::timestamp(3)[])
        AS r("model", "id", "payload", "grantId", "userCode", "uid", "accountId", "expiresAt", "at")
      ${UPSERT_SET}`;

/** model, id, payload, grantId, userCode, uid, accountId, expiresAt, and the time of the write. */
type UpsertRow = [
  string,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  Date | null,
  Date,
];

/**
 * Saving a record: on PostgreSQL the saves of one turn go as one statement (turn-merged-calls.ts),
 * on SQLite each is a prepared statement of the turn's transaction (sqlite-statement-batch.ts).
 */
function upsertOf(driver: DriverConnection): (row: UpsertRow) => Promise<unknown> {
  if (driver.store === 'sqlite') {
    const upsert = preparedStatement(driver, 'gatehouse_oidc_upsert', UPSERT_SQL);
    return (row) => upsert.run(...row);
  }
  const one = pgStatement(driver.pool, 'gatehouse_oidc_upsert', UPSERT_SQL);
  const many = pgStatement(driver.pool, 'gatehouse_oidc_upsert_many', UPSERT_MANY_SQL);
  return turnMergedCalls<UpsertRow, unknown>({
    turnEnd: driver.turnEnd,
    one,
    async many(rows) {
      await many(rows[0]?.map((_, column) => rows.map((row) => row[column] ?? null)) ?? []);
      return rows.map(() => undefined);
    },
    // An upsert cannot change one row twice in one statement: saves of one record go one after the other, as asked.
    mergeable: (rows) => new Set(rows.map(([model, id]) => `${model}\u0000${id}`)).size === rows.length,
  });
}

/** One id's live records among up to three models (findLiveAmong; the models padded to three). */
export const FIND_AMONG_SQL =
  'SELECT "model", "payload", "consumedAt", "expiresAt" FROM "OidcRecord" WHERE "id" = $1 AND "model" IN ($2, $3, $4) AND ("expiresAt" IS NULL OR "expiresAt" > $5)';

/**
 * The OidcRecord statements every token request runs (find a live record, save one, consume one),
 * as cached prepared statements on the connection Prisma's driver adapter holds. Through Prisma's
 * model API one primary-key select cost about 320 µs of CPU, a prepared one about 13 µs; these
 * statements were most of the server's time per token (docs/benchmarks.md).
 *
 * The rows are Prisma's: same table, same columns, same value formats as its adapters write
 * (src/db/prepared-statements.ts), with `createdAt` and `updatedAt` set as Prisma sets them, so
 * each path reads what the other wrote. test/db/prepared-oidc-records.test.ts pins that on both
 * stores against rows Prisma's model API wrote, column by column. On SQLite the statements run on
 * Prisma's one connection: like Prisma's own queries outside a transaction, they would join one
 * Prisma had open (only the MFA queries open any, briefly).
 */
export function createPreparedOidcRecords(driver: DriverConnection, clock: Clock): PreparedOidcRecords {
  // Each look-up's key is its first two values (or the id and three models); the last, the instant.
  const find = turnMergedLookup<LiveRecord>(
    driver,
    'gatehouse_oidc_find_live',
    'SELECT "payload", "consumedAt", "expiresAt" FROM "OidcRecord" WHERE "model" = $1 AND "id" = $2 AND ("expiresAt" IS NULL OR "expiresAt" > $3) LIMIT 1',
    2,
    LIVE,
  );
  const findBy = {
    uid: turnMergedLookup<LiveRecord>(driver, 'gatehouse_oidc_find_live_by_uid', FIND_LIVE_BY_SQL.uid, 2, LIVE),
    userCode: turnMergedLookup<LiveRecord>(
      driver,
      'gatehouse_oidc_find_live_by_user_code',
      FIND_LIVE_BY_SQL.userCode,
      2,
      LIVE,
    ),
  };
  const findAmong = turnMergedLookup<LiveRecord & { model: string }>(
    driver,
    'gatehouse_oidc_find_live_among',
    FIND_AMONG_SQL,
    4,
    LIVE,
  );
  const findWithGrant = turnMergedLookup<LiveRecord & { which: number; grantId: string | null }>(
    driver,
    'gatehouse_oidc_find_live_with_grant',
    FIND_LIVE_WITH_GRANT_SQL,
    2,
    { ...LIVE, integers: ['which'] },
  );
  const upsert = upsertOf(driver);
  // On SQLite dates are text in one format on both sides of `<`, so the text comparison is the time comparison.
  const consume = preparedStatement(
    driver,
    'gatehouse_oidc_consume',
    `UPDATE "OidcRecord" SET "consumedAt" = $1, "updatedAt" = $1, "expiresAt" = CASE WHEN "expiresAt" < $4 THEN $4 ELSE "expiresAt" END
      WHERE "model" = $2 AND "id" = $3 AND "consumedAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" > $1)`,
  );
  const destroy = preparedStatement(
    driver,
    'gatehouse_oidc_destroy',
    'DELETE FROM "OidcRecord" WHERE "model" = $1 AND "id" = $2',
  );
  // One bounded delete per sweep batch (src/oidc/expiry-sweeper.ts): the subquery walks the
  // expiresAt index, oldest first, to at most `limit` keys, and each is deleted by primary key, so a
  // batch costs the same on a table of a thousand rows or a million. The limit is written into the
  // SQL, one statement per limit (the sweeper uses one): with `LIMIT $2` PostgreSQL's generic plan
  // cannot tell 500 rows from 73,000 and, at 200,000 live rows, chose a sequential scan for the
  // subquery and a hash join over every expired row for the delete, 80 ms a batch against 3 ms.
  // On PostgreSQL the outer condition keeps a row whose expiry moved in between (markConsumed's
  // keepUntil) in another transaction.
  const sweeps = new Map<number, PreparedStatement<unknown>>();
  const sweepOf = (limit: number) => {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`sweepExpired: bad limit ${limit}`);
    let statement = sweeps.get(limit);
    if (!statement) {
      statement = preparedStatement(
        driver,
        `gatehouse_oidc_sweep_expired_${limit}`,
        sweepExpiredSql(limit, driver.store),
      );
      sweeps.set(limit, statement);
    }
    return statement;
  };

  return {
    async findLive(model, id, now) {
      return (await find(model, id, now))[0] ?? null;
    },
    async findLiveBy(model, field, value, now) {
      return (await findBy[field](model, value, now))[0] ?? null;
    },
    async findLiveAmong(models, id, now) {
      const rows = await findAmong(id, ...padded(models), now);
      return new Map(
        rows.map(({ model, payload, consumedAt, expiresAt }) => [model, { payload, consumedAt, expiresAt }]),
      );
    },
    async findLiveWithGrant(model, id, now) {
      const rows = await findWithGrant(model, id, now);
      const [recordRow, grantRow] = [0, 1].map((which) => rows.find((r) => r.which === which));
      const live = (row: typeof recordRow) =>
        row ? { payload: row.payload, consumedAt: row.consumedAt, expiresAt: row.expiresAt } : null;
      return { record: live(recordRow), grantId: recordRow?.grantId ?? null, grant: live(grantRow) };
    },
    async upsert(r) {
      // createdAt and updatedAt as Prisma's @default(now()) and @updatedAt set them: the time of the write.
      await upsert([
        r.model,
        r.id,
        r.payload,
        r.grantId,
        r.userCode,
        r.uid,
        r.accountId,
        r.expiresAt,
        new Date(clock()),
      ]);
    },
    async markConsumed(model, id, now, keepUntil) {
      return (await consume.run(now, model, id, keepUntil)) === 1;
    },
    async destroy(model, id) {
      await destroy.run(model, id);
    },
    sweepExpired(now, limit) {
      return sweepOf(limit).run(now);
    },
  };
}
