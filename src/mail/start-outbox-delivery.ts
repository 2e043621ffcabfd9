import type { Logger } from '../kernel/logger.js';
import { startPeriodicJob, type PeriodicJobOptions } from '../background/start-periodic-job.js';
import type { Outbox } from './outbox.js';
import type { OutboxDelivery } from './outbox-delivery.js';

/** How long after a row is queued by this process its pass starts (well after the answer has left). */
const WAKE_DELAY_MS = 100;

/**
 * Runs outbox delivery every `intervalMs` through the shared periodic-job runner, and shortly after
 * this process writes to the outbox, never two passes at once. Returns the stop function, which
 * waits for a pass in flight.
 */
export function startOutboxDelivery(
  outbox: Outbox,
  delivery: OutboxDelivery,
  intervalMs: number,
  logger: Logger,
  background: PeriodicJobOptions = {},
): () => Promise<void> {
  // Like the other background jobs, delivery runs on the cluster's leader only (rows are also
  // claimed one by one, so even two passes would never send a message twice).
  const leading = () => background.leadership?.isLeader() ?? true;
  let running: Promise<void> | undefined;
  let again = false;
  const pass = async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await delivery.run();
        } while (again);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  let stopped = false;
  let soon: NodeJS.Timeout | undefined;
  outbox.onEnqueued(() => {
    if (stopped || soon) return;
    // Never inside the request that queued: a queued password-reset request is looked up by the
    // pass, and that work must not delay the answer (its timing would tell whether the address has
    // an account). A burst of rows shares one pass.
    soon = setTimeout(() => {
      soon = undefined;
      if (!stopped && leading())
        pass().catch((error: unknown) => logger.warn({ err: error }, 'outbox delivery failed; will retry'));
    }, WAKE_DELAY_MS);
    soon.unref();
  });
  const stop = startPeriodicJob(
    {
      name: 'outbox delivery',
      intervalMs,
      run: async () => {
        await pass();
        return 0;
      },
    },
    logger,
    background,
  );
  // Stopping waits for a pass in flight, so the database is not closed under it.
  return async () => {
    stopped = true;
    clearTimeout(soon);
    stop();
    await running?.catch(() => undefined);
  };
}
