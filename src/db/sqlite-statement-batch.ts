import type Database from 'better-sqlite3';
import type { SqliteTransactionGate } from './sqlite-transaction-gate.js';

/** A prepared statement's work on the connection. */
export type BatchedStatement<T> = (connection: Database.Database) => T;
/** Whether that statement writes (better-sqlite3's `readonly`, asked once it is prepared). */
export type Writes = (connection: Database.Database) => boolean;

interface Queued {
  readonly statement: BatchedStatement<unknown>;
  readonly writes: Writes;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * The prepared statements asked for in one turn of the event loop run together when the turn ends
 * (`setImmediate`, after the poll phase has read every request that was ready), in the order they
 * were asked, in one transaction: one read snapshot, and when any of them writes, one commit
 * (group commit) instead of one each. In WAL mode every commit appends the pages it changed with
 * their own frame headers and takes and releases the file's locks, and every statement outside a
 * transaction opens and closes a read transaction of its own. The requests of a turn also reach
 * their statements together and go on together, one stage at a time, which measured cheaper still
 * than the commits saved (docs/benchmarks.md, "the statements of one turn run together on SQLite").
 *
 * Nothing is answered before its statement has run and, if it wrote, been committed: each caller's
 * promise settles after the COMMIT, with its own statement's result. If any statement of a batch
 * fails, the transaction is rolled back and each runs again alone, so one bad statement (a full
 * disk, a constraint) fails only its own caller, as without batching. A statement alone in its
 * turn runs as before, outside any transaction.
 */
export function sqliteStatementBatch(
  outsideTransaction: SqliteTransactionGate['outsideTransaction'],
): <T>(statement: BatchedStatement<T>, writes: Writes) => Promise<T> {
  let queue: Queued[] = [];

  const alone = ({ statement, resolve, reject }: Queued) => outsideTransaction(statement).then(resolve, reject);

  const together = (batch: Queued[]) =>
    outsideTransaction((connection) => {
      // IMMEDIATE takes the write lock at once: a deferred transaction that reads first and
      // writes later fails (SQLITE_BUSY_SNAPSHOT) if another process wrote in between.
      connection.exec(batch.some(({ writes }) => writes(connection)) ? 'BEGIN IMMEDIATE' : 'BEGIN');
      try {
        const results = batch.map(({ statement }) => statement(connection));
        connection.exec('COMMIT');
        return results;
      } catch (error) {
        // A failed COMMIT leaves the transaction open (sqlite.org/lang_transaction.html).
        if (connection.inTransaction) connection.exec('ROLLBACK');
        throw error;
      }
    }).then(
      (results) => batch.forEach(({ resolve }, i) => resolve(results[i])),
      () => batch.forEach(alone),
    );

  const flush = () => {
    const batch = queue;
    queue = [];
    const [only] = batch;
    if (batch.length === 1 && only) void alone(only);
    else void together(batch);
  };

  return <T>(statement: BatchedStatement<T>, writes: Writes) =>
    new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ statement, writes, resolve: resolve as (value: unknown) => void, reject });
    });
}
