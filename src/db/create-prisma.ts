import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { parse as parsePgUrl } from 'pg-connection-string';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from '../generated/postgresql/client.js';
import { sqlitePath, storeOf } from '../config/load-config.js';
import { secureSqliteFiles } from './secure-sqlite-files.js';
import { observeQueries, timedQuery, type QueryObserver } from './query-metrics.js';
import { sqliteStatementBatch } from './sqlite-statement-batch.js';
import { createTurnEnd } from './turn-end.js';
import { sqliteTransactionGate, type SqliteTransactionGate } from './sqlite-transaction-gate.js';

export { sqlitePath };

/**
 * The Prisma client type the queries layer is written against. Both generated clients come from
 * one data model (prisma/schema.prisma), so their model APIs are identical.
 */
export type Db = SqliteClient;

/** How long a SQLite writer waits for the lock before failing with SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;
/**
 * While PostgreSQL is unreachable, a request must fail fast (503) rather than hang: a new
 * connection gives up after this, and so does a query whose answer never comes (a dead peer).
 */
const PG_CONNECT_TIMEOUT_MS = 3000;
const PG_QUERY_TIMEOUT_MS = 10_000;

/** The pg pool settings for a URL (see createAdapter for why fields, not a connectionString). */
export function pgConfig(databaseUrl: string): pg.PoolConfig {
  const { database, host, port, user, password, ssl } = parsePgUrl(databaseUrl);
  return {
    database: database ?? undefined,
    host: host ?? undefined,
    port: port ? Number(port) : undefined,
    user,
    password,
    ssl: ssl as boolean | undefined,
    max: 10,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    query_timeout: PG_QUERY_TIMEOUT_MS,
    // A connection the server dropped (restart, failover) errors once and leaves the pool; the
    // next query opens a fresh one, so the pool reconnects by itself.
    keepAlive: true,
  };
}

/** The driver-adapter factory for a URL; the migration engine uses the same ones. */
export function createAdapter(databaseUrl: string) {
  if (storeOf(databaseUrl) === 'sqlite') {
    const path = sqlitePath(databaseUrl);
    // prepareDatabase reports what it tightened at start; here it only guarantees the modes.
    secureSqliteFiles(path);
    return new PrismaBetterSqlite3({ url: path, timeout: SQLITE_BUSY_TIMEOUT_MS });
  }
  // Parsed into fields rather than passed as connectionString: the adapter derives its migration
  // shadow database by overriding `database`, which a connectionString would silently win over.
  return new PrismaPg(pgConfig(databaseUrl));
}

/**
 * The connection under Prisma's driver adapter, for the few hot statements that run as cached
 * prepared statements (src/db/prepared-oidc-records.ts). Same connection, so both paths see the
 * same data at once; on SQLite a statement runs only outside any transaction Prisma holds open on
 * it (sqlite-transaction-gate.ts), as Prisma's own statements then do. A test pins the adapter
 * internals this relies on (test/db/prepared-oidc-records.test.ts, and
 * test/db/sqlite-transaction-gate.test.ts for the transactions).
 */
export type DriverConnection =
  | {
      readonly store: 'sqlite';
      outsideTransaction: SqliteTransactionGate['outsideTransaction'];
      /** A prepared statement, run with the others of its turn of the event loop (sqlite-statement-batch.ts). */
      batched: ReturnType<typeof sqliteStatementBatch>;
    }
  | {
      readonly store: 'postgresql';
      readonly pool: pg.Pool;
      /** What a prepared statement waits for before it is sent (turn-end.ts). */
      readonly turnEnd: () => Promise<void>;
    };

/**
 * The SQLite adapter keeps its better-sqlite3 connection as `client` on the adapter that
 * connect() returns (@prisma/adapter-better-sqlite3 7.x). Refuse to run if that ever changes,
 * rather than open a second connection that could wait on the first's lock. Each connection is
 * gated: no statement runs inside another's transaction.
 */
class GatedSqliteAdapter extends PrismaBetterSqlite3 {
  connection?: { readonly client: Database.Database; readonly gate: SqliteTransactionGate };

  override async connect() {
    const adapter = await super.connect();
    const client = (adapter as unknown as { client?: unknown }).client;
    if (!(client instanceof Database))
      throw new Error(
        '@prisma/adapter-better-sqlite3 no longer exposes its connection as `client`: the prepared statements cannot share it',
      );
    this.connection = { client, gate: sqliteTransactionGate(adapter, client) };
    return adapter;
  }
}

/**
 * A Prisma client with the connection under it. `close` releases both: Prisma ends the pg pool it
 * was lent only if it ever connected, and the prepared statements may have used the pool alone.
 */
export function createDatabase(
  databaseUrl: string,
  options: PrismaOptions = {},
): { db: Db; driver: DriverConnection; close(): Promise<void> } {
  if (storeOf(databaseUrl) === 'sqlite') {
    const path = sqlitePath(databaseUrl);
    secureSqliteFiles(path);
    const adapter = new GatedSqliteAdapter({ url: path, timeout: SQLITE_BUSY_TIMEOUT_MS });
    const db = observed(new SqliteClient({ adapter }), options);
    const outsideTransaction: SqliteTransactionGate['outsideTransaction'] = async (statement) => {
      if (!adapter.connection) await db.$connect();
      if (!adapter.connection?.client.open) throw new Error('the database connection is closed');
      return adapter.connection.gate.outsideTransaction(statement);
    };
    return {
      db,
      driver: { store: 'sqlite', outsideTransaction, batched: sqliteStatementBatch(outsideTransaction) },
      close: () => db.$disconnect(),
    };
  }
  // Our pool, lent to Prisma (which ends it on $disconnect): both use the same connections.
  const pool = new pg.Pool(pgConfig(databaseUrl));
  // An idle connection the server ends (a restart, a failover, the database dropped while the pool
  // winds down) has already left the pool when it errors; the next query opens a fresh one. Without
  // a listener of our own, that error would be thrown as an unhandled 'error' event whenever Prisma
  // has not (yet) attached its own: the prepared statements use the pool before Prisma connects.
  pool.on('error', () => undefined);
  const db = observed(
    new PostgresClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) }) as unknown as Db,
    options,
  );
  const close = async () => {
    await db.$disconnect();
    if (!(pool as pg.Pool & { ending?: boolean }).ending) await pool.end();
  };
  return { db, driver: { store: 'postgresql', pool, turnEnd: createTurnEnd() }, close };
}

export interface PrismaOptions {
  /** Told about every operation (src/metrics); see also timedQuery for raw SQL. */
  readonly onQuery?: QueryObserver;
}

/** A Prisma client alone (migrations, tools); on SQLite gated as createDatabase's is. */
export function createPrisma(databaseUrl: string, options: PrismaOptions = {}): Db {
  if (storeOf(databaseUrl) === 'sqlite') {
    const path = sqlitePath(databaseUrl);
    secureSqliteFiles(path);
    const adapter = new GatedSqliteAdapter({ url: path, timeout: SQLITE_BUSY_TIMEOUT_MS });
    return observed(new SqliteClient({ adapter }), options);
  }
  return observed(new PostgresClient({ adapter: createAdapter(databaseUrl) }) as unknown as Db, options);
}

/**
 * A query extension sees every model operation and raw query, inside transactions too: it times
 * them, and turns "database unreachable" into the one error every layer answers 503 for. The
 * prepared statements of the hot path get the same through instrumentPrepared.
 */
function observed(base: Db, { onQuery }: PrismaOptions): Db {
  const db = base.$extends({
    query: {
      $allOperations({ model, operation, args, query }) {
        return timedQuery(db, model ? `${model}.${operation}` : operation, () => query(args));
      },
    },
  }) as unknown as Db;
  if (onQuery) observeQueries(db, onQuery);
  return db;
}
