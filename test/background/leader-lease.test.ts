import { createMigratedDatabase } from '../support/test-database.js';
import { startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { createPrisma, type Db } from '../../src/db/create-prisma.js';
import { createLeaseQueries } from '../../src/background/lease-queries.js';
import { startLeaderLease, type LeaderLease } from '../../src/background/leader-lease.js';
import { startPeriodicJob } from '../../src/background/start-periodic-job.js';
import { createLogger } from '../../src/kernel/logger.js';

const logger = createLogger('silent');
// Long enough that a first connection on a busy machine fits comfortably in a renewal period.
const LEASE_MS = 1500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let migrated: Awaited<ReturnType<typeof createMigratedDatabase>>;
const clients: Db[] = [];
const leases: LeaderLease[] = [];
const stops: (() => void)[] = [];

beforeAll(async () => {
  migrated = await createMigratedDatabase();
});

afterAll(async () => {
  for (const stop of stops) stop();
  for (const lease of leases) await lease.stop({ release: false });
  for (const db of clients) await db.$disconnect();
  await migrated.close();
});

/** An "instance": its own database client, lease and a job that counts its runs. */
function instance(name: string) {
  const db = createPrisma(migrated.database.url);
  clients.push(db);
  const lease = startLeaderLease({ queries: createLeaseQueries(db), leaseMs: LEASE_MS, clock: Date.now, logger, name });
  leases.push(lease);
  const runs = { count: 0 };
  stops.push(
    startPeriodicJob(
      {
        name: 'count',
        intervalMs: 20,
        run: async () => {
          runs.count += 1;
          return 0;
        },
      },
      logger,
      { leadership: lease },
    ),
  );
  return { lease, runs };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(10);
  }
  return Date.now() - started;
}

describe('background jobs run on one instance of a cluster at a time (lease row)', () => {
  it('of two instances on one database, exactly one runs the jobs; a crashed leader is replaced within one lease plus a renewal', async () => {
    const a = instance('cluster-1');
    await until(() => a.lease.isLeader(), 5000); // A asks first, so it wins.
    const b = instance('cluster-1');
    await sleep(LEASE_MS);
    expect(a.lease.isLeader()).toBe(true);
    expect(b.lease.isLeader()).toBe(false);
    expect(a.runs.count).toBeGreaterThan(5);
    expect(b.runs.count).toBe(0);

    // A "crashes": it stops renewing and never releases. B may take over only once A's lease has
    // lapsed (not before: A still believes it leads until a third before the end), and must within
    // the lease plus one renewal period.
    await a.lease.stop({ release: false });
    const crashedAt = Date.now();
    const waited = await until(() => b.lease.isLeader(), LEASE_MS + LEASE_MS / 3 + 500);
    expect(Date.now() - crashedAt).toBeGreaterThanOrEqual(LEASE_MS / 3);
    expect(waited).toBeLessThanOrEqual(LEASE_MS + LEASE_MS / 3 + 500);
    const before = b.runs.count;
    await sleep(200);
    expect(b.runs.count).toBeGreaterThan(before);
  });

  it('a leader shutting down releases the lease, so the next instance takes over at its next renewal', async () => {
    const a = instance('cluster-2');
    await until(() => a.lease.isLeader(), 5000);
    const b = instance('cluster-2');
    await sleep(LEASE_MS / 3);
    await a.lease.stop();
    const waited = await until(() => b.lease.isLeader(), LEASE_MS / 3 + 500);
    expect(waited).toBeLessThanOrEqual(LEASE_MS / 3 + 500);
    expect(await createLeaseQueries(migrated.db).holderOf('cluster-2', new Date())).toBe(b.lease.holder);
  });
});

describe('two `gatehouse serve` processes on one database', () => {
  const processes: ServeProcess[] = [];
  afterAll(async () => {
    for (const { child } of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('one runs the background jobs; when it is killed (SIGKILL) the other takes over within the lease', async () => {
    const env = {
      DATABASE_URL: migrated.database.url,
      LEADER_LEASE_SECONDS: '3',
      GATEHOUSE_KEK: Buffer.alloc(32, 7).toString('base64'),
    };
    const first = await startServeProcess(env);
    processes.push(first);
    await first.waitForLog('now runs background jobs', 5000);
    const second = await startServeProcess(env);
    processes.push(second);
    await sleep(1500); // more than one renewal period (1 s)
    expect(second.log.text).not.toContain('now runs background jobs');

    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    await second.waitForLog('now runs background jobs', 3000 + 1000 + 2000);
    expect(Date.now() - killedAt).toBeLessThanOrEqual(6000);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);
});
