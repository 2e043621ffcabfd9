import type Database from 'better-sqlite3';
import type { SqliteTransactionGate } from './sqlite-transaction-gate.js';

interface QueuedWrite {
  readonly write: (connection: Database.Database) => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the prepared statements' writes on SQLite: the writes asked for in one turn of
 * the event loop (each request that reached its write while the loop was reading sockets) commit
 * as one transaction when the turn ends (`setImmediate`, after the poll phase), instead of one
 * commit each. In WAL mode every commit appends the pages it changed to the log with their own
 * frame headers and writes the log's index; written together, writes that share pages (the
 * expiry index's last page, the table's newest rows) write them once (measured: an insert alone
 * about 40 µs of CPU, in batches of 4 or more about 23 µs, docs/benchmarks.md).
 *
 * Nothing is answered before its write is committed: each caller's promise settles after the
 * COMMIT, with its own statement's result. If any statement of a batch fails, the transaction is
 * rolled back and each write runs again alone, so one bad write (a full disk, a constraint) fails
 * only its own caller, as without batching. A write alone in its turn runs as before.
 */
export function sqliteWriteBatch(
  outsideTransaction: SqliteTransactionGate['outsideTransaction'],
): <T>(write: (connection: Database.Database) => T) => Promise<T> {
  let queue: QueuedWrite[] = [];

  const alone = ({ write, resolve, reject }: QueuedWrite) => outsideTransaction(write).then(resolve, reject);

  const together = (writes: QueuedWrite[]) =>
    outsideTransaction((connection) => {
      connection.exec('BEGIN IMMEDIATE');
      try {
        const results = writes.map(({ write }) => write(connection));
        connection.exec('COMMIT');
        return results;
      } catch (error) {
        // A failed COMMIT leaves the transaction open (sqlite.org/lang_transaction.html).
        if (connection.inTransaction) connection.exec('ROLLBACK');
        throw error;
      }
    }).then(
      (results) => writes.forEach(({ resolve }, i) => resolve(results[i])),
      () => writes.forEach(alone),
    );

  const flush = () => {
    const writes = queue;
    queue = [];
    const [only] = writes;
    if (writes.length === 1 && only) void alone(only);
    else void together(writes);
  };

  return <T>(write: (connection: Database.Database) => T) =>
    new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
    });
}
