import pg from 'pg';
import { createTestDatabaseOn } from '../support/test-database.js';
import { eventually } from '../support/eventually.js';
import { frozenClock } from '../support/frozen-clock.js';
import { migrate } from '../../src/db/migrate.js';
import { createDatabase } from '../../src/db/create-prisma.js';
import { createFailureCounter, type ThrottlePolicy } from '../../src/throttle/failure-counter.js';
import { createPreparedThrottleCounters } from '../../src/throttle/prepared-throttle-counters.js';
import type { ThrottleCounters } from '../../src/throttle/throttle-counters.js';
import { beginAttempt, type ThrottledAttempt } from '../../src/throttle/throttled-attempt.js';

const POLICY: ThrottlePolicy = { freeFailures: 5, windowSeconds: 900, baseBlockSeconds: 30, maxBlockSeconds: 900 };
const clock = frozenClock(Date.UTC(2026, 11, 7, 12, 0, 0));

const admittedOf = (attempt: ThrottledAttempt) => {
  if (!attempt.admitted) throw new Error(`refused for ${attempt.retryAfter} s`);
  return attempt;
};

describe('a throttled attempt', () => {
  it('that passes forgets the block a wrong attempt of its window claimed while it settled, though the settle began before the claim (PostgreSQL)', async () => {
    // Always on PostgreSQL, whichever store this run is on: a statement there reads from the
    // snapshot it took as it began, before it waited on any row lock, so it cannot see a row
    // inserted meanwhile. (SQLite runs one writer at a time: a claim lands before or after the
    // settle, never inside it.) The interleaving is staged: a row lock holds the settle after its
    // snapshot while the wrong attempt claims its block and fails, as a busy machine sometimes
    // orders them unaided (the parallel recovery codes of test/mfa/mfa-service.test.ts).
    const database = await createTestDatabaseOn('postgresql');
    await migrate(database.url);
    const { driver, close } = createDatabase(database.url);
    const holder = new pg.Client({ connectionString: database.url });
    const watcher = new pg.Client({ connectionString: database.url });
    await Promise.all([holder.connect(), watcher.connect()]);
    try {
      const counters = createPreparedThrottleCounters(driver);
      const counter = createFailureCounter(counters, 'test', 'race', POLICY, clock);
      const key = 'owner';
      // The wrong attempt's claim waits for the test, so the settle can start first.
      let claimReached!: () => void;
      let letClaim!: () => void;
      const reached = new Promise<void>((resolve) => (claimReached = resolve));
      const released = new Promise<void>((resolve) => (letClaim = resolve));
      const gated: ThrottleCounters = {
        ...counters,
        claim: async (...args) => {
          claimReached();
          await released;
          return counters.claim(...args);
        },
      };
      const gatedCounter = createFailureCounter(gated, 'test', 'race', POLICY, clock);

      for (let i = 0; i < POLICY.freeFailures - 1; i += 1)
        expect(await admittedOf(await beginAttempt(counters, clock(), [counter, key])).failed()).toBe(0);
      const right = admittedOf(await beginAttempt(counters, clock(), [counter, key]));
      // The sixth in the window: counted, then it claims the block it earns should it fail.
      const wrong = beginAttempt(gated, clock(), [gatedCounter, key]);
      await reached;

      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM "RateLimiterFlexible" WHERE "key" = $1 FOR UPDATE`, [counter.countKey(key)]);
      const settled = right.succeeded();
      await eventually(
        async () =>
          (
            await watcher.query(
              `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            )
          ).rowCount === 1,
        5000,
      );
      letClaim();
      const claimant = admittedOf(await wrong);
      // It looks before the settle commits: the count is still there, so it keeps its block.
      expect(await claimant.failed()).toBe(POLICY.baseBlockSeconds);
      await holder.query('COMMIT');
      await settled;

      expect(await counter.retryAfter(key)).toBe(0);
      const next = admittedOf(await beginAttempt(counters, clock(), [counter, key]));
      expect(await next.failed()).toBe(0);
    } finally {
      await Promise.all([holder.end(), watcher.end()]);
      await close();
      await database.drop();
    }
  });
});
