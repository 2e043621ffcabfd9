/**
 * The time of day, in milliseconds since the epoch. Every factory that reads the time takes one,
 * so tests can freeze and advance it (test/support/frozen-clock.ts); logic never reads the
 * system time itself.
 */
export type Clock = () => number;

/**
 * The real time. Only the composition roots name it (src/boot/container.ts's callers: src/boot/server.ts,
 * src/cli/open-container.ts, and the CLI's `migrate`); everything below gets it passed in.
 */
export const systemClock: Clock = () => Date.now();
