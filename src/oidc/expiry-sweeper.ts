import type { OidcRecordQueries } from './oidc-record-queries.js';
import type { Logger } from '../http/logger.js';

const BATCH = 500;

/**
 * `find` already ignores expired rows; this keeps the table bounded by deleting them in batches.
 * Every instance may sweep: the deletes are idempotent.
 */
export function startExpirySweeper(records: OidcRecordQueries, intervalMs: number, logger: Logger): () => void {
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      let removed = 0;
      for (let batch = BATCH; batch === BATCH;) {
        batch = await records.sweepExpired(new Date(), BATCH);
        removed += batch;
      }
      if (removed) logger.info({ removed }, 'swept expired records');
    } catch (error) {
      logger.warn({ err: error }, 'expiry sweep failed; will retry');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
