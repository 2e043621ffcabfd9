import { startExpirySweeper, SWEEP_BATCH, type ExpiringRows } from '../../src/oidc/expiry-sweeper.js';
import { createLogger } from '../../src/kernel/logger.js';

// On SQLite a sweep batch is synchronous (better-sqlite3): a sweeper that awaited batch after batch
// would only ever queue microtasks, and the requests waiting on the event loop would wait for the
// whole backlog. These pin that it deletes in full batches until one comes back short, and rests
// between them (a timer, as long as the batch took) so the event loop runs what was waiting.

const logger = createLogger('silent');
const clock = () => Date.UTC(2030, 0, 1);

it('sweeps each table in batches until one comes back short, resting between batches so waiting work runs', async () => {
  const backlog = SWEEP_BATCH * 3 + 7;
  let left = backlog;
  const ranBetween: boolean[] = [];
  let macrotaskRan = false;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  let stop: () => void = () => undefined;
  const table: ExpiringRows = {
    sweepExpired(now, limit) {
      expect(now).toEqual(new Date(clock()));
      expect(limit).toBe(SWEEP_BATCH);
      ranBetween.push(macrotaskRan);
      macrotaskRan = false;
      // What a waiting request is: a macrotask queued while the batch ran.
      setImmediate(() => {
        macrotaskRan = true;
      });
      const removed = Math.min(limit, left);
      left -= removed;
      if (removed < limit) {
        // No later tick may start another run (a loaded machine can take longer than the interval).
        stop();
        setImmediate(finished);
      }
      return Promise.resolve(removed); // resolved at once, as a synchronous SQLite batch is
    },
  };
  stop = startExpirySweeper([table], clock, 5, logger);
  try {
    await done;
  } finally {
    stop();
  }
  expect(left).toBe(0);
  expect(ranBetween).toEqual([false, true, true, true]);
});
