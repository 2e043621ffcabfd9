import type { Db } from '../db/create-prisma.js';

export interface AttemptRow {
  readonly id: string;
  readonly interactionUid: string | null;
  readonly accountId: string | null;
  readonly connectionId: string;
  readonly bindingHash: string;
  readonly codeVerifier: string;
  readonly nonce: string;
  readonly status: string;
  readonly result: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** The UpstreamAttempt table: one trip to an upstream provider, each step a compare-and-set on its status. */
export function createAttemptQueries(db: Db) {
  return {
    insert: (row: AttemptRow) => db.upstreamAttempt.create({ data: row }),
    findById: (id: string): Promise<AttemptRow | null> => db.upstreamAttempt.findUnique({ where: { id } }),
    /**
     * Moves it from one status to the next while it is live; true for the one caller that did.
     * Two uses of one `state` (a replay) cannot both pass: the update is the check.
     */
    async advance(id: string, from: string, to: string, now: Date, result?: string): Promise<boolean> {
      const { count } = await db.upstreamAttempt.updateMany({
        where: { id, status: from, expiresAt: { gt: now } },
        data: { status: to, ...(result === undefined ? {} : { result }) },
      });
      return count === 1;
    },
    deleteExpired: (now: Date) => db.upstreamAttempt.deleteMany({ where: { expiresAt: { lte: now } } }),
  };
}

export type AttemptQueries = ReturnType<typeof createAttemptQueries>;
