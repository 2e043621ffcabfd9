import pg from 'pg';
import { createTestDatabaseOn, postgresBase, type TestDatabase } from '../support/test-database.js';
import { migrate } from '../../src/db/migrate.js';
import { createDatabase } from '../../src/db/create-prisma.js';
import { createPreparedThrottleCounters } from '../../src/throttle/prepared-throttle-counters.js';

// PostgreSQL may end an idle connection at any time (a restart, a failover, an operator's
// pg_terminate_backend). The pool drops it; the process must not fall over an unhandled 'error'
// event, even before Prisma has connected (the prepared statements use the pool on their own).

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabaseOn('postgresql');
  await migrate(database.url);
});
afterAll(() => database.drop());

it('an idle connection that the server ends is dropped quietly, and the next statement opens a fresh one', async () => {
  const { driver, close } = createDatabase(database.url);
  const counters = createPreparedThrottleCounters(driver);
  const now = new Date(Date.UTC(2026, 11, 4));
  await counters.add('idle-test', now, new Date(now.getTime() + 60_000));
  if (driver.store !== 'postgresql') throw new Error('expected PostgreSQL');
  const unhandled: unknown[] = [];
  const onUncaught = (error: unknown) => unhandled.push(error);
  process.on('uncaughtException', onUncaught);
  try {
    const admin = new pg.Client({ connectionString: postgresBase() });
    await admin.connect();
    const { rowCount } = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [new URL(database.url).pathname.slice(1)],
    );
    await admin.end();
    expect(rowCount).toBeGreaterThan(0);
    // The pool hears of it on its next read from the socket.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { points } = await counters.add('idle-test', now, new Date(now.getTime() + 60_000));
    expect(points).toBe(2);
    expect(unhandled).toEqual([]);
  } finally {
    process.off('uncaughtException', onUncaught);
    await close();
  }
});
