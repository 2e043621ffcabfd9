import type { Db } from '../db/create-prisma.js';

export interface SessionActivityRow {
  readonly sessionUid: string;
  readonly accountId: string;
  readonly userAgent: string | null;
  readonly ip: string | null;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
}

export function createSessionActivityQueries(db: Db) {
  return {
    async touch(row: Omit<SessionActivityRow, 'createdAt'>): Promise<void> {
      await db.sessionActivity.upsert({
        where: { sessionUid: row.sessionUid },
        create: { ...row, createdAt: row.lastSeenAt },
        update: { accountId: row.accountId, userAgent: row.userAgent, ip: row.ip, lastSeenAt: row.lastSeenAt },
      });
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
