interface Waiting<Key, Result> {
  readonly key: Key;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

export interface TurnMergedReads<Key, Result> {
  /** When the turn's look-ups are sent: its end (turn-end.ts). */
  readonly turnEnd: () => Promise<void>;
  /** One look-up's statement, sent alone. */
  one(key: Key): Promise<Result>;
  /** Every look-up's in one statement; the answers in the order of `keys`. */
  many(keys: readonly Key[]): Promise<Result[]>;
}

/**
 * The look-ups of one statement asked for in one turn of the event loop, sent as one statement at
 * the turn's end, for the reason turn-merged-writes.ts gives: on PostgreSQL the round trip costs
 * more than the rows. Each caller gets its own answer; should the merged statement fail, each
 * look-up is sent again alone, so an error reaches only the caller it belongs to. A look-up alone
 * in its turn is sent alone.
 */
export function turnMergedReads<Key, Result>({
  turnEnd,
  one,
  many,
}: TurnMergedReads<Key, Result>): (key: Key) => Promise<Result> {
  let queue: Waiting<Key, Result>[] = [];

  const alone = ({ key, resolve, reject }: Waiting<Key, Result>) => one(key).then(resolve, reject);

  const flush = () => {
    const batch = queue;
    queue = [];
    const [only] = batch;
    if (batch.length === 1 && only) {
      void alone(only);
      return;
    }
    many(batch.map(({ key }) => key)).then(
      (results) => batch.forEach(({ resolve }, i) => resolve(results[i] as Result)),
      () => batch.forEach((waiting) => void alone(waiting)),
    );
  };

  return (key) =>
    new Promise<Result>((resolve, reject) => {
      if (queue.length === 0) void turnEnd().then(flush);
      queue.push({ key, resolve, reject });
    });
}
