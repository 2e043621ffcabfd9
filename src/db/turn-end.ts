/**
 * The end of the current turn of the event loop, shared by every caller in that turn: one
 * `setImmediate`, which runs after the poll phase has read every request that was ready. The
 * PostgreSQL prepared statements wait for it before they are sent, so the turn's requests reach
 * their statements together and go on together, one stage at a time, as SQLite's do
 * (sqlite-statement-batch.ts; docs/benchmarks.md, "the statements of one turn run together on SQLite").
 */
export function createTurnEnd(): () => Promise<void> {
  let pending: Promise<void> | undefined;
  return () =>
    (pending ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        pending = undefined;
        resolve();
      }),
    ));
}
