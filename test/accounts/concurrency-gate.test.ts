import { createConcurrencyGate, GateFullError } from '../../src/accounts/concurrency-gate.js';

describe('the concurrency gate in front of password hashing', () => {
  it('runs at most N tasks at once, queues a bounded number, and refuses the rest with ERR_BUSY', async () => {
    const gate = createConcurrencyGate(2, 3);
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const task = () =>
      gate(
        () =>
          new Promise<void>((resolve) => {
            running += 1;
            peak = Math.max(peak, running);
            releases.push(() => {
              running -= 1;
              resolve();
            });
          }),
      );
    const admitted = Array.from({ length: 5 }, task);
    await expect(task()).rejects.toBeInstanceOf(GateFullError);
    await expect(task()).rejects.toMatchObject({ code: 'ERR_BUSY', retryAfterSeconds: 1 });
    while (releases.length) {
      releases.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(admitted);
    expect(peak).toBe(2);
  });
});
