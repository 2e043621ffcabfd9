import type { Outbox, OutboxKind } from './outbox.js';
import type { OutboxQueries, OutboxRow } from './outbox-queries.js';
import type { Logger } from '../kernel/logger.js';
import type { Clock } from '../kernel/clock.js';

/**
 * Delivers one row's payload; throws to have it retried. Returns 'dropped' when the message must
 * not go out any more (the one-time link it carries was used or has expired).
 */
export type OutboxHandler = (payload: unknown, row: OutboxRow) => Promise<'sent' | 'dropped'>;

/** Attempts before a row is given up (about 9 hours of retries with the default interval). */
export const MAX_ATTEMPTS = 12;
/** The longest wait between two attempts. */
const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** How long an instance holds a row it is delivering; after a crash another takes it over then. */
const LEASE_MS = 2 * 60 * 1000;
const BATCH = 20;
/** Finished rows (their payloads already erased) are kept this long for `gatehouse mail` inspection, then deleted. */
const KEEP_FINISHED_MS = 7 * 24 * 3600 * 1000;

/** Exponential backoff: the interval, then twice that, four times… capped at an hour. */
export function backoffMs(intervalMs: number, attempts: number): number {
  return Math.min(intervalMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

export interface DeliveryFailure {
  readonly row: OutboxRow;
  /** The opened payload, when it could be opened. */
  readonly payload: unknown;
  readonly error: string;
  readonly attempts: number;
  /** True when this was the last attempt. */
  readonly gaveUp: boolean;
}

export interface OutboxDeliveryDeps {
  readonly queries: OutboxQueries;
  readonly outbox: Outbox;
  readonly handlers: Partial<Record<OutboxKind, OutboxHandler>>;
  /** Called after a failed attempt (already logged), to audit it: the first one, and the last when the row is given up. */
  readonly onFailure: (failure: DeliveryFailure) => Promise<void>;
  readonly intervalMs: number;
  readonly clock: Clock;
  readonly logger?: Logger;
}

/**
 * One delivery pass over the due rows. Each row is claimed with a conditional update first, so
 * several instances (or a pass and a wake-up) never deliver one row twice at once; a row is
 * marked sent right after it went out, and its payload erased.
 */
export function createOutboxDelivery({
  queries,
  outbox,
  handlers,
  onFailure,
  intervalMs,
  clock,
  logger,
}: OutboxDeliveryDeps) {
  const now = () => new Date(clock());

  const deliver = async (row: OutboxRow): Promise<boolean> => {
    if (!(await queries.claim(row.id, now(), new Date(clock() + LEASE_MS)))) return false;
    const handler = handlers[row.kind as OutboxKind];
    let payload: unknown;
    try {
      if (!handler)
        throw new Error(row.kind === 'mail' ? 'mail is off (SMTP_URL is unset)' : `no handler for ${row.kind}`);
      payload = outbox.open(row);
      const outcome = await handler(payload, row);
      await queries.finish(row.id, outcome === 'dropped' ? 'dropped' : 'sent', now());
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const attempts = row.attempts + 1;
      if (attempts >= MAX_ATTEMPTS) {
        await queries.finish(row.id, 'failed', now(), message);
        logger?.error(
          { outbox: { id: row.id, kind: row.kind, attempts }, err: message },
          `${row.kind} delivery given up after ${attempts} attempts`,
        );
      } else {
        const wait = backoffMs(intervalMs, attempts);
        await queries.retryLater(row.id, attempts, new Date(clock() + wait), message);
        logger?.warn(
          { outbox: { id: row.id, kind: row.kind, attempts, retryInMs: wait }, err: message },
          `${row.kind} delivery failed; will retry`,
        );
      }
      await onFailure({ row, payload, error: message, attempts, gaveUp: attempts >= MAX_ATTEMPTS });
      return false;
    }
  };

  return {
    /** Delivers every due row; resolves to how many went out. */
    async run(): Promise<number> {
      let delivered = 0;
      // Several passes: a resolved request (a password reset asked for) writes the mail it leads to,
      // which goes out in the same run. Rows that failed wait for their backoff and rows another
      // instance holds are not due, so each pass sees fewer rows.
      for (let pass = 0; pass < 10; pass += 1) {
        const rows = await queries.due(now(), BATCH);
        if (!rows.length) break;
        for (const row of rows) if (await deliver(row)) delivered += 1;
      }
      await queries.deleteFinished(new Date(clock() - KEEP_FINISHED_MS));
      return delivered;
    },
  };
}

export type OutboxDelivery = ReturnType<typeof createOutboxDelivery>;
