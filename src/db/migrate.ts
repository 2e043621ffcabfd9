import Database from 'better-sqlite3';
import pg from 'pg';
import { storeOf } from '../config/load-config.js';
import { createPrisma, sqlitePath } from './create-prisma.js';
import { secureSqliteFiles } from './secure-sqlite-files.js';
import { asNativeModuleMismatch } from './native-module-mismatch.js';
import { readMigrationHistory, readSchema } from './migration-history.js';
import { openSchemaEngine, withUnrefTimers } from './schema-engine.js';

const noFilters = { externalTables: [], externalEnums: [] };

// Any fixed number works; it only has to be the same in every Gatehouse instance.
const MIGRATION_LOCK_ID = 0x6761_7465; // "gate"

/**
 * Runs `fn` while holding a PostgreSQL session-level advisory lock, so that instances starting
 * at the same moment migrate one after the other (the later ones find nothing left to apply).
 */
export async function withPostgresLock<T>(databaseUrl: string, fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}

function enableWal(databaseUrl: string): void {
  // WAL lets readers proceed while one writer commits; the mode is stored in the file itself.
  const path = sqlitePath(databaseUrl);
  secureSqliteFiles(path);
  let db: Database.Database;
  try {
    db = new Database(path);
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
  } catch (error) {
    // better-sqlite3 loads its addon at the first open: one built for another Node fails here,
    // and that is no storage fault.
    const mismatch = asNativeModuleMismatch(error);
    if (mismatch) throw mismatch;
    // A WAL database needs its folder writable even to be read (the -shm index): say what to fix.
    const reason = (error as { code?: string }).code ?? 'unknown error';
    throw Object.assign(
      new Error(
        `cannot open the SQLite database ${path} for writing (${reason}): its folder and file must be writable by Gatehouse; is the volume read-only or full?`,
      ),
      { code: 'ERR_DATABASE_UNAVAILABLE', cause: error },
    );
  }
  db.close();
}

/** Names of migrations the database records as finished (none when it has no history yet). */
async function appliedMigrations(databaseUrl: string): Promise<Set<string>> {
  const db = createPrisma(databaseUrl);
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    return new Set(rows.map((row) => row.migration_name));
  } catch (error) {
    // No history table yet means nothing applied; an SQLite driver that cannot load is not that.
    const mismatch = asNativeModuleMismatch(error);
    if (mismatch) throw mismatch;
    return new Set();
  } finally {
    await db.$disconnect();
  }
}

/** The migrations of the store's history not yet applied to this database (nothing is changed). */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const { migrationDirectories } = await readMigrationHistory(storeOf(databaseUrl));
  const done = await appliedMigrations(databaseUrl);
  return migrationDirectories.map((dir) => dir.path).filter((path) => !done.has(path));
}

/**
 * Applies every pending migration of the store's history; returns the names applied.
 * `locked` says the caller already holds the PostgreSQL migration lock.
 */
export async function migrate(databaseUrl: string, { locked = false } = {}): Promise<string[]> {
  const store = storeOf(databaseUrl);
  const apply = async () => {
    const migrationsList = await readMigrationHistory(store);
    // Only wake the engine when there is work: on SQLite it takes the file in exclusive locking
    // mode, which it cannot get while a running server holds the database open.
    const done = await appliedMigrations(databaseUrl);
    if (migrationsList.migrationDirectories.every((dir) => done.has(dir.path))) return [];
    const { engine, close } = await openSchemaEngine(databaseUrl, await readSchema(store));
    try {
      const { appliedMigrationNames } = await withUnrefTimers(() =>
        engine.applyMigrations({ migrationsList, filters: noFilters }),
      );
      return appliedMigrationNames;
    } finally {
      await close();
    }
  };
  if (store === 'sqlite') {
    enableWal(databaseUrl);
    return apply();
  }
  return locked ? apply() : withPostgresLock(databaseUrl, apply);
}
