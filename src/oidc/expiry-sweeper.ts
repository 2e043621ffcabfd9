import type { Logger } from '../kernel/logger.js';
import type { Clock } from '../kernel/clock.js';
import { startPeriodicJob, type PeriodicJobOptions } from '../background/start-periodic-job.js';

const BATCH = 500;

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
          for (let batch = BATCH; batch === BATCH;) {
            batch = await table.sweepExpired(new Date(clock()), BATCH);
            removed += batch;
          }
        }
        return removed;
      },
    },
    logger,
    options,
  );
}
