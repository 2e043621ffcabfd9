import type { Logger } from '../http/logger.js';

export interface PeriodicJob {
  /** What the log lines call it ("expiry sweep"). */
  readonly name: string;
  readonly intervalMs: number;
  /** One run; resolves to how many rows it removed (logged when not zero). */
  run(): Promise<number>;
}

/**
 * Runs a housekeeping job every `intervalMs`, never two runs at once; a failed run is logged and
 * retried at the next tick. Every instance may run one: the jobs are idempotent deletes. The timer
 * does not keep the process alive. Returns the function that stops it.
 */
export function startPeriodicJob(job: PeriodicJob, logger: Logger): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const removed = await job.run();
      if (removed) logger.info({ removed, job: job.name }, `${job.name}: removed ${removed}`);
    } catch (error) {
      logger.warn({ err: error, job: job.name }, `${job.name} failed; will retry`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, job.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
