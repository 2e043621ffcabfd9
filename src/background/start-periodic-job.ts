import type { Logger } from '../kernel/logger.js';
import type { Leadership } from './leader-lease.js';

export interface PeriodicJob {
  /** What the log lines call it ("expiry sweep"). */
  readonly name: string;
  readonly intervalMs: number;
  /** One run; resolves to how many rows it removed (logged when not zero). */
  run(): Promise<number>;
}

export interface JobObserver {
  /** Called after every run the leader makes: how many rows it touched, or that it failed. */
  (job: string, outcome: { readonly removed: number } | { readonly failed: true }): void;
}

/** Every instance runs the job: for a single instance, and for tests. */
export const alwaysLeader: Leadership = { isLeader: () => true };

/**
 * Runs a housekeeping job every `intervalMs`, never two runs at once; a failed run is logged and
 * retried at the next tick. In a cluster only the instance holding the background-job lease runs
 * it (src/background/leader-lease.ts); the others skip their ticks until they take the lease over.
 * The timer does not keep the process alive. Returns the function that stops it.
 */
export interface PeriodicJobOptions {
  /** Who may run it; every instance when omitted. */
  readonly leadership?: Leadership;
  readonly observe?: JobObserver;
}

export function startPeriodicJob(
  job: PeriodicJob,
  logger: Logger,
  { leadership = alwaysLeader, observe }: PeriodicJobOptions = {},
): () => void {
  let running = false;
  const tick = async () => {
    if (running || !leadership.isLeader()) return;
    running = true;
    try {
      const removed = await job.run();
      observe?.(job.name, { removed });
      if (removed) logger.info({ removed, job: job.name }, `${job.name}: removed ${removed}`);
    } catch (error) {
      observe?.(job.name, { failed: true });
      logger.warn({ err: error, job: job.name }, `${job.name} failed; will retry`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, job.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
