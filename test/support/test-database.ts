import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config/load-config.js';
import { migrate } from '../../src/db/migrate.js';
import { createDatabase, type Db, type DriverConnection } from '../../src/db/create-prisma.js';

export interface TestDatabase {
  readonly url: string;
  readonly store: 'sqlite' | 'postgresql';
  config(env?: Record<string, string>): Config;
  drop(): Promise<void>;
}

/** The PostgreSQL server of this run (DATABASE_URL when it names one, else the local default). */
export const postgresBase = (): string =>
  /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '')
    ? (process.env.DATABASE_URL as string)
    : 'postgresql://postgres@127.0.0.1:5432/test';

/** A fresh database on the given store, whichever store this run is on. */
export const createTestDatabaseOn = (store: 'sqlite' | 'postgresql') =>
  createTestDatabase(store === 'sqlite' ? 'file:' : postgresBase());

/**
 * A brand-new, empty database for one test file, on the store DATABASE_URL names: a fresh SQLite
 * file by default, or a fresh database on that PostgreSQL server.
 */
export async function createTestDatabase(base = process.env.DATABASE_URL ?? ''): Promise<TestDatabase> {
  const make = (url: string, store: TestDatabase['store'], drop: () => Promise<void>): TestDatabase => ({
    url,
    store,
    config: (env = {}) => loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', ...env }),
    drop,
  });

  if (!/^postgres(ql)?:\/\//.test(base)) {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
    return make(`file:${join(dir, 'gatehouse.db')}`, 'sqlite', async () =>
      rmSync(dir, { recursive: true, force: true }),
    );
  }

  const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return make(url.toString(), 'postgresql', async () => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });
}

/**
 * A fresh database with every migration applied, a Prisma client on it, and the connection under
 * that client (what the prepared statements of the hot path use).
 */
export async function createMigratedDatabase(): Promise<{
  database: TestDatabase;
  db: Db;
  driver: DriverConnection;
  close(): Promise<void>;
}> {
  const database = await createTestDatabase();
  await migrate(database.url);
  const { db, driver, close } = createDatabase(database.url);
  return {
    database,
    db,
    driver,
    async close() {
      await close();
      await database.drop();
    },
  };
}
