interface Waiting<Row> {
  readonly row: Row;
  resolve(): void;
  reject(error: unknown): void;
}

export interface TurnMergedWrites<Row> {
  /** When the turn's rows are sent: its end (turn-end.ts). */
  readonly turnEnd: () => Promise<void>;
  /** One row's statement, sent alone. */
  one(row: Row): Promise<unknown>;
  /** Every row's in one statement (an `INSERT … SELECT FROM unnest(…)`), in one transaction. */
  many(rows: readonly Row[]): Promise<unknown>;
  /** The row's key: rows of one key in one turn are written one after the other, as asked. */
  keyOf(row: Row): string;
}

/**
 * The writes of one statement asked for in one turn of the event loop, sent as one statement at
 * the turn's end: on PostgreSQL each statement is a round trip on a pooled connection, and the
 * driver's work per round trip (the messages, the socket's writes and reads, the pool) cost more
 * of a token request's CPU than the row itself. One statement is one transaction, so each caller
 * hears back only after every row of its turn is committed, with nothing else changed: what it
 * wrote is the row it asked for. If the merged statement fails, each row is sent again alone, so
 * one bad row (a constraint) fails only its own caller. Rows of one key in one turn (an upsert
 * cannot change a row twice in one statement) are sent alone, one after the other, in the order
 * asked. A row alone in its turn is sent alone.
 */
export function turnMergedWrites<Row>({
  turnEnd,
  one,
  many,
  keyOf,
}: TurnMergedWrites<Row>): (row: Row) => Promise<void> {
  let queue: Waiting<Row>[] = [];

  const alone = ({ row, resolve, reject }: Waiting<Row>) => one(row).then(() => resolve(), reject);

  const inOrder = async (batch: Waiting<Row>[]) => {
    for (const waiting of batch) await alone(waiting);
  };

  const flush = () => {
    const batch = queue;
    queue = [];
    const [only] = batch;
    if (batch.length === 1 && only) {
      void alone(only);
      return;
    }
    if (new Set(batch.map(({ row }) => keyOf(row))).size < batch.length) {
      void inOrder(batch);
      return;
    }
    many(batch.map(({ row }) => row)).then(
      () => batch.forEach(({ resolve }) => resolve()),
      () => batch.forEach((waiting) => void alone(waiting)),
    );
  };

  return (row) =>
    new Promise<void>((resolve, reject) => {
      if (queue.length === 0) void turnEnd().then(flush);
      queue.push({ row, resolve, reject });
    });
}
