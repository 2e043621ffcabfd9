interface Waiting<Asked, Answer> {
  readonly asked: Asked;
  resolve(answer: Answer): void;
  reject(error: unknown): void;
}

export interface TurnMergedCalls<Asked, Answer> {
  /** When the turn's calls are sent: its end (turn-end.ts). */
  readonly turnEnd: () => Promise<void>;
  /** One call's statement, sent alone. */
  one(asked: Asked): Promise<Answer>;
  /** Every call's in one statement; the answers in the order asked. */
  many(asked: readonly Asked[]): Promise<Answer[]>;
  /** Whether these calls may go as one statement; if not, each is sent alone, one after the other. */
  mergeable?(asked: readonly Asked[]): boolean;
}

/**
 * The calls of one statement made in one turn of the event loop, sent as one statement at the
 * turn's end. On PostgreSQL each statement is a round trip on a pooled connection, and the driver's
 * work per round trip (its protocol messages, a socket write and read, the pool) costs more of a
 * token request's CPU than the rows (docs/benchmarks.md, "on PostgreSQL a turn's calls of one
 * statement go as one"). One statement is one transaction, so a caller hears back only once every
 * call of its turn is done, with its own answer. Should the merged statement fail, each call is
 * sent again alone, so an error (a bad row, a constraint) reaches only the caller it belongs to. A
 * call alone in its turn is sent alone.
 */
export function turnMergedCalls<Asked, Answer>({
  turnEnd,
  one,
  many,
  mergeable = () => true,
}: TurnMergedCalls<Asked, Answer>): (asked: Asked) => Promise<Answer> {
  let queue: Waiting<Asked, Answer>[] = [];

  const alone = ({ asked, resolve, reject }: Waiting<Asked, Answer>) => one(asked).then(resolve, reject);

  const inOrder = async (batch: Waiting<Asked, Answer>[]) => {
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
    const asked = batch.map((waiting) => waiting.asked);
    if (!mergeable(asked)) {
      void inOrder(batch);
      return;
    }
    many(asked).then(
      (answers) => batch.forEach(({ resolve }, i) => resolve(answers[i] as Answer)),
      () => batch.forEach((waiting) => void alone(waiting)),
    );
  };

  return (asked) =>
    new Promise<Answer>((resolve, reject) => {
      if (queue.length === 0) void turnEnd().then(flush);
      queue.push({ asked, resolve, reject });
    });
}
