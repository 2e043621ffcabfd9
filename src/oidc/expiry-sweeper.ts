import type { Logger } from '../kernel/logger.js';
import type { Clock } from '../kernel/clock.js';
import { startPeriodicJob, type PeriodicJobOptions } from '../background/start-periodic-job.js';

/**
 * Rows per delete. On SQLite a batch runs synchronously on the event loop (better-sqlite3), so a
 * batch's time is added to every token request waiting behind it: this keeps one well under a
 * token's own p99 (docs/benchmarks.md, "Flat as data grows", measured the cost per batch size).
 */
export const SWEEP_BATCH = 200;

/**
 * The pause after a batch: three times as long as the batch took, at least 1 ms, so the sweep has
 * at most a quarter of the event loop. With as long as the batch (half the loop), token p99 under
 * load went from 26 to 121 ms while 200,000 rows among a million were swept, a batch taking 10 to
 * 16 ms there (docs/benchmarks.md, "Flat as data grows"). A setImmediate between batches was not enough: a token request needs several
 * turns of the loop (reading, the provider's awaits, writing), and a SQLite batch (synchronous,
 * better-sqlite3) ran in every turn, so under load tokens waited behind dozens of batches: p99
 * went from 88 ms to 1.2 s during a 20,000-row sweep (docs/benchmarks.md, "Flat as data grows").
 */
const rest = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(1, 3 * ms)));

/** A table whose rows expire: deletes up to `limit` of those expired at `now`, says how many. */
export interface ExpiringRows {
  sweepExpired(now: Date, limit: number): Promise<number>;
}

/**
 * Reads already ignore expired rows; this keeps the tables bounded (OIDC records, throttle
 * counters) by deleting them in batches. In a cluster one instance sweeps at a time (the
 * background-job lease), though the deletes are idempotent anyway.
 */
export function startExpirySweeper(
  tables: readonly ExpiringRows[],
  clock: Clock,
  intervalMs: number,
  logger: Logger,
  options?: PeriodicJobOptions,
): () => void {
  return startPeriodicJob(
    {
      name: 'expiry sweep',
      intervalMs,
      async run() {
        let removed = 0;
        for (const table of tables) {
          for (let batch = SWEEP_BATCH; batch === SWEEP_BATCH;) {
            const started = clock();
            batch = await table.sweepExpired(new Date(started), SWEEP_BATCH);
            removed += batch;
            // better-sqlite3 resolves at once: without a pause the batches would run back to back
            // and starve the requests queued behind them until the whole backlog was gone.
            if (batch === SWEEP_BATCH) await rest(clock() - started);
          }
        }
        return removed;
      },
    },
    logger,
    options,
  );
}
