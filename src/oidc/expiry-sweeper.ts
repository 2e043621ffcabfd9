import type { OidcRecordQueries } from './oidc-record-queries.js';
import type { Logger } from '../http/logger.js';
import { startPeriodicJob, type PeriodicJobOptions } from '../background/start-periodic-job.js';

const BATCH = 500;

/**
 * `find` already ignores expired rows; this keeps the table bounded by deleting them in batches.
 * In a cluster one instance sweeps at a time (the background-job lease), though the deletes are
 * idempotent anyway.
 */
export function startExpirySweeper(records: OidcRecordQueries, intervalMs: number, logger: Logger, options?: PeriodicJobOptions): () => void {
  return startPeriodicJob({
    name: 'expiry sweep',
    intervalMs,
    async run() {
      let removed = 0;
      for (let batch = BATCH; batch === BATCH;) {
        batch = await records.sweepExpired(new Date(), BATCH);
        removed += batch;
      }
      return removed;
    },
  }, logger, options);
}
