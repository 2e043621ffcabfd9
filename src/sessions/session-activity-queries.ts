import type { Db } from '../db/create-prisma.js';

export interface SessionActivityRow {
  readonly sessionUid: string;
  readonly accountId: string;
  readonly userAgent: string | null;
  readonly ip: string | null;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
}

/** The write of every sign-in (prepared-session-activity.ts implements it). */
export interface PreparedSessionActivity {
  /** Inserts the row (created when first seen) or updates every column but `createdAt`. */
  upsert(row: Omit<SessionActivityRow, 'createdAt'>): Promise<void>;
}

/** `touch` is `prepared`'s, its only implementation; the rest go through Prisma's model API. */
export function createSessionActivityQueries(db: Db, prepared: PreparedSessionActivity) {
  return {
    touch(row: Omit<SessionActivityRow, 'createdAt'>): Promise<void> {
      return prepared.upsert(row);
    },
    listByAccount(accountId: string): Promise<SessionActivityRow[]> {
      return db.sessionActivity.findMany({ where: { accountId } });
    },
    async remove(sessionUid: string): Promise<void> {
      await db.sessionActivity.deleteMany({ where: { sessionUid } });
    },
  };
}

export type SessionActivityQueries = ReturnType<typeof createSessionActivityQueries>;
