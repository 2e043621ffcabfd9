import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { parse as parsePgUrl } from 'pg-connection-string';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from '../generated/postgresql/client.js';
import { sqlitePath, storeOf } from '../config/load-config.js';
import { secureSqliteFiles } from './secure-sqlite-files.js';
import { observeQueries, timedQuery, type QueryObserver } from './query-metrics.js';

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
  const { database, host, port, user, password, ssl } = parsePgUrl(databaseUrl);
  return new PrismaPg({
    database: database ?? undefined, host: host ?? undefined, port: port ? Number(port) : undefined,
    user, password, ssl: ssl as boolean | undefined, max: 10,
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    query_timeout: PG_QUERY_TIMEOUT_MS,
    // A connection the server dropped (restart, failover) errors once and leaves the pool; the
    // next query opens a fresh one, so the pool reconnects by itself.
    keepAlive: true,
  });
}

export interface PrismaOptions {
  /** Told about every operation (src/metrics); see also timedQuery for raw SQL. */
  readonly onQuery?: QueryObserver;
}

export function createPrisma(databaseUrl: string, { onQuery }: PrismaOptions = {}): Db {
  const adapter = createAdapter(databaseUrl);
  const base = adapter instanceof PrismaBetterSqlite3 ? new SqliteClient({ adapter }) : new PostgresClient({ adapter }) as unknown as Db;
  // A query extension sees every model operation and raw query, inside transactions too: it times
  // them, and turns "database unreachable" into the one error every layer answers 503 for.
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
