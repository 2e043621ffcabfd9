import type { Logger } from '../http/logger.js';
import { startPeriodicJob } from '../background/start-periodic-job.js';
import type { Outbox } from './outbox.js';
import type { OutboxDelivery } from './outbox-delivery.js';

/**
 * Runs outbox delivery every `intervalMs` through the shared periodic-job runner, and at once
 * whenever this process writes to the outbox, never two passes at once. Returns the stop function, which waits for a pass in flight.
 */
export function startOutboxDelivery(outbox: Outbox, delivery: OutboxDelivery, intervalMs: number, logger: Logger): () => Promise<void> {
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
  outbox.onEnqueued(() => {
    if (stopped) return;
    pass().catch((error: unknown) => logger.warn({ err: error }, 'outbox delivery failed; will retry'));
  });
  const stop = startPeriodicJob({ name: 'outbox delivery', intervalMs, run: async () => { await pass(); return 0; } }, logger);
  // Stopping waits for a pass in flight, so the database is not closed under it.
  return async () => {
    stopped = true;
    stop();
    await running?.catch(() => undefined);
  };
}
