import type Database from 'better-sqlite3';
import type { SqlDriverAdapter, Transaction } from '@prisma/driver-adapter-utils';
import { DatabaseUnavailableError } from './database-unavailable.js';

/**
 * Keeps statements out of the transactions of others on SQLite's one connection.
 *
 * @prisma/adapter-better-sqlite3 (7.x) runs everything on a single better-sqlite3 connection, and a
 * transaction is that connection's state: only `startTransaction` waits for the one before it to
 * end, while the adapter's own queryRaw/executeRaw and our prepared statements run at once. During
 * an interactive `$transaction` (which spans awaits) any other request's statement would run inside
 * it, see its uncommitted writes, and be rolled back with it (an audit row, a token gone).
 *
 * `outsideTransaction` runs a statement only while the connection is in no transaction, waiting for
 * the adapter's transactions to end. The check and the statement run in one synchronous stretch:
 * with an await between them another request's BEGIN could slip in. With no transaction open it
 * awaits nothing, so the hot path costs what it did.
 */
export interface SqliteTransactionGate {
  /** Runs `statement` (synchronous, on the connection) once no transaction is open on it. */
  outsideTransaction<T>(statement: (connection: Database.Database) => T): Promise<T>;
}

/**
 * Gates `adapter` (the object its factory's connect() made, changed in place: Prisma and the
 * adapter's private fields keep working on it) over `connection`, the better-sqlite3 one under it.
 */
export function sqliteTransactionGate(adapter: SqlDriverAdapter, connection: Database.Database): SqliteTransactionGate {
  // Transactions begun or beginning: counted before the adapter's BEGIN, so there is no moment
  // the connection is in one the gate does not know will end.
  let pending = 0;
  // Every statement waiting wakes when any transaction ends, and looks again.
  let nextEnd: Promise<void> | undefined;
  let wake: () => void = () => undefined;

  const ended = () => {
    pending -= 1;
    wake();
    nextEnd = undefined;
  };

  const transactionEnd = (): Promise<void> => {
    // Nothing the gate knows of will end it (a BEGIN sent as a plain statement): fail loudly
    // rather than wait forever, or run inside it.
    if (pending === 0)
      return Promise.reject(
        new DatabaseUnavailableError(
          new Error('the SQLite connection is inside a transaction no Prisma transaction owns'),
        ),
      );
    nextEnd ??= new Promise<void>((resolve) => (wake = resolve));
    return nextEnd;
  };

  const outsideTransaction = async <T>(statement: (connection: Database.Database) => T): Promise<T> => {
    while (connection.inTransaction) await transactionEnd();
    return statement(connection);
  };

  // The adapter's statements outside transactions: each runs its SQL synchronously when called
  // (the adapter's performIO/executeIO), inside the stretch outsideTransaction checked.
  const { queryRaw, executeRaw, executeScript, startTransaction } = adapter;
  adapter.queryRaw = async (query) => outsideTransaction(() => queryRaw.call(adapter, query));
  adapter.executeRaw = async (query) => outsideTransaction(() => executeRaw.call(adapter, query));
  adapter.executeScript = async (script) => outsideTransaction(() => executeScript.call(adapter, script));

  adapter.startTransaction = async (isolationLevel) => {
    pending += 1;
    let transaction: Transaction;
    try {
      transaction = await startTransaction.call(adapter, isolationLevel);
    } catch (error) {
      ended();
      throw error;
    }
    return endsThrough(transaction, connection, ended);
  };

  return { outsideTransaction };
}

/** `transaction`, telling `ended` once, when Prisma commits or rolls it back. */
function endsThrough(transaction: Transaction, connection: Database.Database, ended: () => void): Transaction {
  let open = true;
  const end = () => {
    if (!open) return;
    open = false;
    ended();
  };
  const { commit, rollback } = transaction;
  transaction.commit = async () => {
    try {
      await commit.call(transaction);
    } finally {
      end();
    }
  };
  transaction.rollback = async () => {
    try {
      // When COMMIT fails (a deferred constraint, a full disk), Prisma only calls rollback(), and
      // SQLite keeps the transaction open (sqlite.org/lang_transaction.html): end it here, or the
      // connection would stay in it with no one to end it.
      if (connection.open && connection.inTransaction) connection.exec('ROLLBACK');
    } finally {
      try {
        await rollback.call(transaction);
      } finally {
        end();
      }
    }
  };
  return transaction;
}
