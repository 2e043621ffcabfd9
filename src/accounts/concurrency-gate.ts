import { GatehouseError } from '../kernel/gatehouse-error.js';

/** Thrown when more work is queued than the gate admits: answer 503 and let the client retry. */
export class GateFullError extends GatehouseError<'ERR_BUSY'> {
  constructor() {
    super('ERR_BUSY', 'too many sign-ins in progress; try again in a moment', { retryAfterSeconds: 1 });
  }
}

/**
 * Runs at most `concurrency` tasks at once with at most `queueLimit` waiting. argon2 already runs
 * off the event loop; this bounds how much memory a flood of sign-ins can make it hold.
 */
export interface GateObserver {
  /** How long a task waited for a slot (0 when one was free). */
  waited(seconds: number): void;
  /** A task was refused because the queue was full. */
  refused(): void;
}

export function createConcurrencyGate(concurrency: number, queueLimit: number, observer?: GateObserver) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running -= 1;
    waiting.shift()?.();
  };
  const run = async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running >= concurrency) {
      if (waiting.length >= queueLimit) {
        observer?.refused();
        throw new GateFullError();
      }
      const queued = process.hrtime.bigint();
      await new Promise<void>((resolve) => waiting.push(resolve));
      observer?.waited(Number(process.hrtime.bigint() - queued) / 1e9);
    } else {
      observer?.waited(0);
    }
    running += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
  /** How many tasks wait for a slot now (the metrics' queue length). */
  return Object.assign(run, { queued: () => waiting.length });
}

export type ConcurrencyGate = ReturnType<typeof createConcurrencyGate>;
