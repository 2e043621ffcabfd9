import type { Db } from '../db/create-prisma.js';

export interface OutboxRow {
  readonly id: string;
  readonly kind: string;
  readonly payload: string;
  readonly tokenId: string | null;
  readonly status: string;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lockedUntil: Date | null;
  readonly lastError: string | null;
  readonly createdAt: Date;
  readonly doneAt: Date | null;
}

export type NewOutboxRow = Pick<OutboxRow, 'id' | 'kind' | 'payload' | 'tokenId' | 'createdAt' | 'nextAttemptAt'>;

/** The outbox table. Claims are conditional updates, so two instances never deliver one row at once. */
export function createOutboxQueries(db: Db) {
  return {
    /** The statement that writes a row, to run alone or inside a caller's transaction. */
    insertStatement: (row: NewOutboxRow) => db.outboxMessage.create({ data: row }),

    async insert(row: NewOutboxRow): Promise<void> {
      await db.outboxMessage.create({ data: row });
    },

    /** Pending rows whose time has come and that no instance holds. */
    due(now: Date, limit: number): Promise<OutboxRow[]> {
      return db.outboxMessage.findMany({
        where: {
          status: 'pending',
          nextAttemptAt: { lte: now },
          OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
        },
        orderBy: { nextAttemptAt: 'asc' },
        take: limit,
      });
    },

    /** Takes the row for `until`; true for exactly one of any number of instances trying at once. */
    async claim(id: string, now: Date, until: Date): Promise<boolean> {
      const { count } = await db.outboxMessage.updateMany({
        where: { id, status: 'pending', OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
        data: { lockedUntil: until },
      });
      return count === 1;
    },

    /** Delivered (or dropped): the payload, which may hold a one-time link, is erased. */
    async finish(id: string, status: 'sent' | 'dropped' | 'failed', at: Date, lastError?: string): Promise<void> {
      await db.outboxMessage.update({
        where: { id },
        data: { status, payload: '', doneAt: at, lockedUntil: null, lastError: lastError ?? null },
      });
    },

    async retryLater(id: string, attempts: number, nextAttemptAt: Date, lastError: string): Promise<void> {
      await db.outboxMessage.update({ where: { id }, data: { attempts, nextAttemptAt, lockedUntil: null, lastError } });
    },

    /** Deletes rows finished before `before`; returns how many. */
    async deleteFinished(before: Date): Promise<number> {
      const { count } = await db.outboxMessage.deleteMany({
        where: { status: { not: 'pending' }, doneAt: { lt: before } },
      });
      return count;
    },

    list(): Promise<OutboxRow[]> {
      return db.outboxMessage.findMany({ orderBy: { createdAt: 'asc' } });
    },
  };
}

export type OutboxQueries = ReturnType<typeof createOutboxQueries>;
