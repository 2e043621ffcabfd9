import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { parse as parsePgUrl } from 'pg-connection-string';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from '../generated/postgresql/client.js';
import { sqlitePath, storeOf } from '../config/load-config.js';
import { secureSqliteFiles } from './secure-sqlite-files.js';

export { sqlitePath };

/**
 * The Prisma client type the queries layer is written against. Both generated clients come from
 * one data model (prisma/schema.prisma), so their model APIs are identical.
 */
export type Db = SqliteClient;

/** How long a SQLite writer waits for the lock before failing with SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

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
  });
}

export function createPrisma(databaseUrl: string): Db {
  const adapter = createAdapter(databaseUrl);
  if (adapter instanceof PrismaBetterSqlite3) return new SqliteClient({ adapter });
  return new PostgresClient({ adapter }) as unknown as Db;
}
