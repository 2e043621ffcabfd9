import type Database from 'better-sqlite3';
import pg from 'pg';
import type { DriverConnection } from './create-prisma.js';

/**
 * Shared by the few hot statements that run prepared on Prisma's own connection
 * (src/oidc/prepared-oidc-records.ts, src/resources/prepared-resource-lookups.ts,
 * src/accounts/prepared-account-lookups.ts, src/throttle/prepared-throttle-counters.ts): the value
 * formats Prisma's adapters use, so rows written by either path read the same through both.
 */

/**
 * Statements prepared once per better-sqlite3 connection, and again if Prisma's adapter ever
 * hands out a new one: `prepare` runs on first use, not when the module loads.
 */
export function preparedOnConnection<Statements>(connection: () => Promise<Database.Database>, prepare: (db: Database.Database) => Statements): () => Promise<Statements> {
  let statements: Statements | undefined;
  let preparedOn: Database.Database | undefined;
  return async () => {
    const db = await connection();
    if (statements === undefined || preparedOn !== db) {
      statements = prepare(db);
      preparedOn = db;
    }
    return statements;
  };
}

/** What @prisma/adapter-better-sqlite3 writes for a Date (its default `iso8601` format). */
export const sqliteDate = (date: Date) => date.toISOString().replace('Z', '+00:00');

/** What @prisma/adapter-pg writes for a Date into `timestamp(3)`: UTC wall-clock time. */
export const pgDate = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '');

/** Reads `timestamp` (oid 1114) as the UTC time Prisma stored, not as local time (pg's default). */
const TIMESTAMP_OID = 1114;
export const timestampsAsUtc: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => (oid === TIMESTAMP_OID
    ? (text: string) => new Date(`${text.replace(' ', 'T')}Z`)
    : pg.types.getTypeParser(oid, format as 'text'))) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * A single-row select by parameters, prepared once per connection. SQL is written with `$1…` and
 * rewritten to `?` for SQLite. SQLite hands back integers as BigInt (Prisma's adapter turns on
 * safe integers; booleans are 0 and 1) and dates as text; `columns` says which to turn into numbers,
 * booleans and Dates.
 */
export function preparedRow<Row>(
  driver: DriverConnection,
  name: string,
  sql: string,
  columns: { integers?: readonly string[]; booleans?: readonly string[]; dates?: readonly string[] } = {},
): (...values: (string | number | null)[]) => Promise<Row | undefined> {
  if (driver.store === 'postgresql') {
    return async (...values) => (await driver.pool.query({ name, text: sql, values, types: timestampsAsUtc })).rows[0] as Row | undefined;
  }
  const sqliteSql = sql.replace(/\$\d+/g, '?');
  const statement = preparedOnConnection(driver.connection, (db) => db.prepare(sqliteSql));
  return async (...values) => {
    const row = (await statement()).get(...values) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    for (const column of columns.integers ?? []) if (typeof row[column] === 'bigint') row[column] = Number(row[column]);
    for (const column of columns.booleans ?? []) if (typeof row[column] === 'bigint' || typeof row[column] === 'number') row[column] = Number(row[column]) !== 0;
    for (const column of columns.dates ?? []) if (typeof row[column] === 'string') row[column] = new Date(row[column]);
    return row as Row;
  };
}
