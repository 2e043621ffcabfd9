/** Thrown when more work is queued than the gate admits: answer 503 and let the client retry. */
export class GateFullError extends Error {
  readonly code = 'ERR_BUSY';
  readonly retryAfterSeconds = 1;
  constructor() {
    super('too many sign-ins in progress; try again in a moment');
  }
}

/**
 * Runs at most `concurrency` tasks at once with at most `queueLimit` waiting. argon2 already runs
 * off the event loop; this bounds how much memory a flood of sign-ins can make it hold.
 */
export function createConcurrencyGate(concurrency: number, queueLimit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running >= concurrency) {
      if (waiting.length >= queueLimit) throw new GateFullError();
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    running += 1;
    try {
      return await task();
    } finally {
      release();
    }
  };
}

export type ConcurrencyGate = ReturnType<typeof createConcurrencyGate>;
