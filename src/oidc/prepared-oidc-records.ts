import type Database from 'better-sqlite3';
import type pg from 'pg';
import type { DriverConnection } from '../db/create-prisma.js';
import { pgDate, preparedOnConnection, sqliteDate, timestampsAsUtc } from '../db/prepared-statements.js';
import type { LiveRecord, OidcRecordInput } from './oidc-record-queries.js';
import type { Clock } from '../clock.js';

/**
 * The OidcRecord statements every token request runs (find a live record, save one, consume one),
 * as cached prepared statements on the connection Prisma's driver adapter holds. Through Prisma's
 * model API one primary-key select cost about 320 µs of CPU, a prepared one about 13 µs; these
 * statements were most of the server's time per token (docs/benchmarks.md).
 *
 * The rows are Prisma's: same table, same columns, same value formats as its adapters write
 * (SQLite: DateTime as ISO 8601 text ending `+00:00`; PostgreSQL: UTC `timestamp(3)`), with
 * `createdAt` and `updatedAt` set as Prisma sets them, so each path reads what the other wrote.
 * test/oidc/prepared-oidc-records.test.ts pins that on both stores, column by column.
 */
export interface PreparedOidcRecords {
  findLive(model: string, id: string, now: Date): Promise<LiveRecord | null>;
  /**
   * The live records of one id under up to AMONG_MODELS models, in one statement, by model
   * (introspection looks a token up as three kinds at once: batched-token-finds.ts).
   */
  findLiveAmong(models: readonly string[], id: string, now: Date): Promise<Map<string, LiveRecord>>;
  upsert(record: OidcRecordInput): Promise<void>;
  /** Also keeps the record until `keepUntil` at least (oidc-record-queries.ts). */
  markConsumed(model: string, id: string, now: Date, keepUntil: Date): Promise<boolean>;
}

/** The statement takes this many models (its `IN` list); fewer are padded by repeating one. */
export const AMONG_MODELS = 3;
const padded = (models: readonly string[]) => {
  if (models.length === 0 || models.length > AMONG_MODELS) throw new Error(`findLiveAmong takes 1 to ${AMONG_MODELS} models`);
  return Array.from({ length: AMONG_MODELS }, (_, i) => models[Math.min(i, models.length - 1)] as string);
};
const byModel = <R extends { model: string }>(rows: R[], record: (row: R) => LiveRecord) => new Map(rows.map((row) => [row.model, record(row)]));

const sqliteDateOrNull = (text: string | null) => (text === null ? null : new Date(text));

const COLUMNS = '"model", "id", "payload", "grantId", "userCode", "uid", "accountId", "expiresAt", "consumedAt", "createdAt", "updatedAt"';

interface SqliteLiveRow { payload: string; consumedAt: string | null; expiresAt: string | null }

function sqliteRecords(connection: () => Promise<Database.Database>, clock: Clock): PreparedOidcRecords {
  const statementsFor = preparedOnConnection(connection, (db) => ({
    find: db.prepare<[string, string, string], SqliteLiveRow>(
      'SELECT "payload", "consumedAt", "expiresAt" FROM "OidcRecord" WHERE "model" = ? AND "id" = ? AND ("expiresAt" IS NULL OR "expiresAt" > ?) LIMIT 1',
    ),
    findAmong: db.prepare<string[], SqliteLiveRow & { model: string }>(
      `SELECT "model", "payload", "consumedAt", "expiresAt" FROM "OidcRecord" WHERE "id" = ? AND "model" IN (?, ?, ?) AND ("expiresAt" IS NULL OR "expiresAt" > ?)`,
    ),
    upsert: db.prepare(
      `INSERT INTO "OidcRecord" (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
       ON CONFLICT ("model", "id") DO UPDATE SET "payload" = excluded."payload", "grantId" = excluded."grantId",
         "userCode" = excluded."userCode", "uid" = excluded."uid", "accountId" = excluded."accountId",
         "expiresAt" = excluded."expiresAt", "consumedAt" = NULL, "updatedAt" = excluded."updatedAt"`,
    ),
    consume: db.prepare(
      // Same text format on both sides of `<`, so the text comparison is the time comparison.
      `UPDATE "OidcRecord" SET "consumedAt" = ?, "updatedAt" = ?, "expiresAt" = CASE WHEN "expiresAt" < ? THEN ? ELSE "expiresAt" END
       WHERE "model" = ? AND "id" = ? AND "consumedAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" > ?)`,
    ),
  }));

  const live = (row: SqliteLiveRow): LiveRecord => ({ payload: row.payload, consumedAt: sqliteDateOrNull(row.consumedAt), expiresAt: sqliteDateOrNull(row.expiresAt) });

  return {
    async findLive(model, id, now) {
      const row = (await statementsFor()).find.get(model, id, sqliteDate(now));
      return row ? live(row) : null;
    },
    async findLiveAmong(models, id, now) {
      return byModel((await statementsFor()).findAmong.all(id, ...padded(models), sqliteDate(now)), live);
    },
    async upsert(r) {
      const now = sqliteDate(new Date(clock()));
      (await statementsFor()).upsert.run(r.model, r.id, r.payload, r.grantId, r.userCode, r.uid, r.accountId, r.expiresAt && sqliteDate(r.expiresAt), now, now);
    },
    async markConsumed(model, id, now, keepUntil) {
      const at = sqliteDate(now);
      const until = sqliteDate(keepUntil);
      return (await statementsFor()).consume.run(at, at, until, until, model, id, at).changes === 1;
    },
  };
}

function postgresRecords(pool: pg.Pool, clock: Clock): PreparedOidcRecords {
  // Named statements: pg prepares each once per connection, then only sends the values.
  return {
    async findLive(model, id, now) {
      const { rows } = await pool.query<LiveRecord>({
        name: 'gatehouse_oidc_find_live',
        text: 'SELECT "payload", "consumedAt", "expiresAt" FROM "OidcRecord" WHERE "model" = $1 AND "id" = $2 AND ("expiresAt" IS NULL OR "expiresAt" > $3) LIMIT 1',
        values: [model, id, pgDate(now)],
        types: timestampsAsUtc,
      });
      return rows[0] ?? null;
    },
    async findLiveAmong(models, id, now) {
      const { rows } = await pool.query<LiveRecord & { model: string }>({
        name: 'gatehouse_oidc_find_live_among',
        text: `SELECT "model", "payload", "consumedAt", "expiresAt" FROM "OidcRecord" WHERE "id" = $1 AND "model" IN ($2, $3, $4) AND ("expiresAt" IS NULL OR "expiresAt" > $5)`,
        values: [id, ...padded(models), pgDate(now)],
        types: timestampsAsUtc,
      });
      return byModel(rows, ({ payload, consumedAt, expiresAt }) => ({ payload, consumedAt, expiresAt }));
    },
    async upsert(r) {
      const now = pgDate(new Date(clock()));
      await pool.query({
        name: 'gatehouse_oidc_upsert',
        text: `INSERT INTO "OidcRecord" (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $9)
          ON CONFLICT ("model", "id") DO UPDATE SET "payload" = excluded."payload", "grantId" = excluded."grantId",
            "userCode" = excluded."userCode", "uid" = excluded."uid", "accountId" = excluded."accountId",
            "expiresAt" = excluded."expiresAt", "consumedAt" = NULL, "updatedAt" = excluded."updatedAt"`,
        values: [r.model, r.id, r.payload, r.grantId, r.userCode, r.uid, r.accountId, r.expiresAt && pgDate(r.expiresAt), now],
      });
    },
    async markConsumed(model, id, now, keepUntil) {
      const at = pgDate(now);
      const { rowCount } = await pool.query({
        name: 'gatehouse_oidc_consume',
        text: `UPDATE "OidcRecord" SET "consumedAt" = $1, "updatedAt" = $1, "expiresAt" = CASE WHEN "expiresAt" < $4 THEN $4 ELSE "expiresAt" END
          WHERE "model" = $2 AND "id" = $3 AND "consumedAt" IS NULL AND ("expiresAt" IS NULL OR "expiresAt" > $1)`,
        values: [at, model, id, pgDate(keepUntil)],
      });
      return rowCount === 1;
    },
  };
}

/**
 * On SQLite the statements run on Prisma's one connection: like Prisma's own queries outside a
 * transaction, they would join one Prisma had open (only the MFA queries open any, briefly).
 */
export function createPreparedOidcRecords(driver: DriverConnection, clock: Clock): PreparedOidcRecords {
  return driver.store === 'sqlite' ? sqliteRecords(driver.connection, clock) : postgresRecords(driver.pool, clock);
}
