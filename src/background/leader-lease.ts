import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../kernel/logger.js';
import type { LeaseQueries } from './lease-queries.js';
import type { Clock } from '../kernel/clock.js';

export interface Leadership {
  /** True while this instance holds the lease with time to spare; jobs check it before each run. */
  isLeader(): boolean;
}

export interface LeaderLease extends Leadership {
  readonly holder: string;
  /** Tries to take or renew the lease now (the timer does this every third of the lease). */
  renew(): Promise<boolean>;
  /** Stops renewing; `release` (the default) gives the lease up for another instance at once. */
  stop(options?: { release?: boolean }): Promise<void>;
}

export interface LeaderLeaseOptions {
  readonly queries: LeaseQueries;
  readonly leaseMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The lease's row name: one per duty; every background job shares "background". */
  readonly name?: string;
  readonly onChange?: (leader: boolean) => void;
}

/**
 * Elects one instance of a cluster to run the background jobs (expiry sweep, audit retention,
 * outbox delivery) with a lease row in the database, which works alike on SQLite and PostgreSQL
 * and needs no connection held open. The holder renews every third of the lease; if it crashes,
 * the row lapses and the next instance to try takes it, so a dead leader is replaced within one
 * lease plus one renewal period. A leader that cannot renew (database unreachable) stops calling
 * itself leader before its lease lapses (with a third of it to spare), so two instances never
 * both believe they lead, as long as their clocks agree within that margin (run NTP).
 */
export function startLeaderLease(options: LeaderLeaseOptions): LeaderLease {
  const { queries, leaseMs, clock, logger, onChange } = options;
  const name = options.name ?? 'background';
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const renewMs = Math.max(1, Math.floor(leaseMs / 3));
  // Until when we may act as leader: the lease's end less a safety margin for a slow renewal.
  let leaderUntil = 0;
  let wasLeader = false;
  let inFlight: Promise<boolean> | undefined;

  const isLeader = () => clock() < leaderUntil;
  const report = () => {
    const leader = isLeader();
    if (leader === wasLeader) return;
    wasLeader = leader;
    logger.info(
      { holder, lease: name },
      leader ? 'this instance now runs background jobs' : 'this instance no longer runs background jobs',
    );
    onChange?.(leader);
  };

  const renew = () => {
    inFlight ??= (async () => {
      const started = clock();
      try {
        const held = await queries.acquire(name, holder, new Date(started), new Date(started + leaseMs));
        leaderUntil = held ? started + leaseMs - renewMs : 0;
      } catch (error) {
        // Keep what is left of the current lease (minus the margin); the next renewal retries.
        logger.warn({ err: error, lease: name }, 'could not renew the background-job lease; will retry');
      } finally {
        inFlight = undefined;
      }
      report();
      return isLeader();
    })();
    return inFlight;
  };

  void renew();
  const timer = setInterval(() => void renew(), renewMs);
  timer.unref();

  return {
    holder,
    isLeader,
    renew,
    async stop({ release = true } = {}) {
      clearInterval(timer);
      await inFlight;
      const held = isLeader();
      leaderUntil = 0;
      report();
      if (release && held) {
        await queries
          .release(name, holder)
          .catch((error: unknown) => logger.warn({ err: error }, 'could not release the background-job lease'));
      }
    },
  };
}
