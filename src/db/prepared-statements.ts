import type Database from 'better-sqlite3';
import pg from 'pg';
import type { DriverConnection } from './create-prisma.js';

/**
 * Shared by the few hot statements that run prepared on Prisma's own connection
 * (src/db/prepared-oidc-records.ts, src/resources/prepared-resource-lookups.ts,
 * src/accounts/prepared-account-lookups.ts, src/throttle/prepared-throttle-counters.ts): each
 * statement's SQL is written once, in PostgreSQL's `$n` form, and its values and rows are turned
 * into and out of the formats Prisma's adapters use, so a row Prisma wrote reads the same here.
 */

/**
 * A statement prepared once per better-sqlite3 connection, and again if Prisma's adapter ever
 * hands out a new one: `prepare` runs on first use, not when the module loads. Synchronous, so it
 * can run inside the stretch in which `outsideTransaction` found no transaction open.
 */
export function preparedOnConnection<Statement>(
  prepare: (db: Database.Database) => Statement,
): (db: Database.Database) => Statement {
  let statement: Statement | undefined;
  let preparedOn: Database.Database | undefined;
  return (db) => {
    if (statement === undefined || preparedOn !== db) {
      statement = prepare(db);
      preparedOn = db;
    }
    return statement;
  };
}

/** What @prisma/adapter-better-sqlite3 writes for a Date (its default `iso8601` format). */
export const sqliteDate = (date: Date) => date.toISOString().replace('Z', '+00:00');

/** What @prisma/adapter-pg writes for a Date into `timestamp(3)`: UTC wall-clock time. */
export const pgDate = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '');

/** Reads `timestamp` (oid 1114) as the UTC time Prisma stored, not as local time (pg's default). */
const TIMESTAMP_OID = 1114;
export const timestampsAsUtc: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP_OID
      ? (text: string) => new Date(`${text.replace(' ', 'T')}Z`)
      : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** A statement's values: a Date is written as the store's adapter writes it. */
export type StatementValue = string | number | Date | null;

/**
 * The result columns SQLite hands back in another type than Prisma reads: integers come as BigInt
 * (Prisma's adapter turns on safe integers), booleans as 0 and 1, dates as text. PostgreSQL's own
 * types (and timestampsAsUtc) already read as Prisma reads them.
 */
export interface ResultColumns {
  readonly integers?: readonly string[];
  readonly booleans?: readonly string[];
  readonly dates?: readonly string[];
}

export interface PreparedStatement<Row> {
  /** Every row the statement returns (a select, or a write with RETURNING). */
  rows(...values: StatementValue[]): Promise<Row[]>;
  /** Runs a write without RETURNING; resolves to the number of rows it changed. */
  run(...values: StatementValue[]): Promise<number>;
}

const toPg = (value: StatementValue) => (value instanceof Date ? pgDate(value) : value);

/**
 * A named statement sent on one of the pool's connections at once (preparedStatement waits for the
 * turn's end first). A value may be an array (for `unnest`): its dates are written as pg's too.
 */
export function pgStatement(
  pool: pg.Pool,
  name: string,
  sql: string,
): (values: readonly (StatementValue | readonly StatementValue[])[]) => Promise<pg.QueryResult> {
  return (values) =>
    pool.query({
      name,
      text: sql,
      values: values.map((value) => (Array.isArray(value) ? value.map(toPg) : toPg(value as StatementValue))),
      types: timestampsAsUtc,
    });
}

/**
 * One statement, written once with PostgreSQL's numbered placeholders (`$1`, `$2`, … each may
 * appear more than once), prepared once per connection on either store: a named statement on pg
 * (prepared by the server on first use on each connection, then only the values are sent), a
 * better-sqlite3 statement on SQLite, where each `$n` becomes a `?` and the values are laid out in
 * the order the placeholders appear.
 */
export function preparedStatement<Row>(
  driver: DriverConnection,
  name: string,
  sql: string,
  columns: ResultColumns = {},
): PreparedStatement<Row> {
  if (driver.store === 'postgresql') {
    const send = pgStatement(driver.pool, name, sql);
    const query = async (values: StatementValue[]) => {
      await driver.turnEnd();
      return send(values);
    };
    return {
      rows: async (...values) => (await query(values)).rows as Row[],
      run: async (...values) => (await query(values)).rowCount ?? 0,
    };
  }
  const order: number[] = [];
  const sqliteSql = sql.replace(/\$(\d+)/g, (_, n: string) => {
    order.push(Number(n) - 1);
    return '?';
  });
  const statement = preparedOnConnection((db) => db.prepare(sqliteSql));
  // Whether it writes, as SQLite sees it: an UPDATE … RETURNING returns rows too.
  const writes = (db: Database.Database) => !statement(db).readonly;
  const laidOut = (values: StatementValue[]) =>
    order.map((i) => {
      const value = values[i];
      if (value === undefined) throw new Error(`${name}: no value for $${i + 1}`);
      return value instanceof Date ? sqliteDate(value) : value;
    });
  return {
    rows: async (...values) =>
      (await driver.batched((db) => statement(db).all(...laidOut(values)) as Record<string, unknown>[], writes)).map(
        (row) => fromSqlite<Row>(row, columns),
      ),
    run: (...values) => driver.batched((db) => statement(db).run(...laidOut(values)).changes, always),
  };
}

const always = () => true;

function fromSqlite<Row>(row: Record<string, unknown>, columns: ResultColumns): Row {
  for (const column of columns.integers ?? []) if (typeof row[column] === 'bigint') row[column] = Number(row[column]);
  for (const column of columns.booleans ?? [])
    if (typeof row[column] === 'bigint' || typeof row[column] === 'number') row[column] = Number(row[column]) !== 0;
  for (const column of columns.dates ?? []) if (typeof row[column] === 'string') row[column] = new Date(row[column]);
  return row as Row;
}

/** A single-row select by parameters (preparedStatement), undefined when there is none. */
export function preparedRow<Row>(
  driver: DriverConnection,
  name: string,
  sql: string,
  columns: ResultColumns = {},
): (...values: StatementValue[]) => Promise<Row | undefined> {
  const statement = preparedStatement<Row>(driver, name, sql, columns);
  return async (...values) => (await statement.rows(...values))[0];
}
