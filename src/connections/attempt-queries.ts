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
    async advance(
      id: string,
      from: string,
      to: string,
      now: Date,
      changes: { result?: string; accountId?: string } = {},
    ): Promise<boolean> {
      const { count } = await db.upstreamAttempt.updateMany({
        where: { id, status: from, expiresAt: { gt: now } },
        data: { status: to, ...changes },
      });
      return count === 1;
    },
    /**
     * The live attempt of this browser (its binding) in this status, for this account. Not by
     * interaction: the second step runs in a new interaction of the same authorization request.
     */
    findWaiting: (bindingHash: string, accountId: string, status: string, now: Date): Promise<AttemptRow | null> =>
      db.upstreamAttempt.findFirst({ where: { bindingHash, accountId, status, expiresAt: { gt: now } } }),
    /** The expiry sweeper's batch (src/oidc/expiry-sweeper.ts): up to `limit` spent or abandoned trips. */
    async sweepExpired(now: Date, limit: number): Promise<number> {
      const rows = await db.upstreamAttempt.findMany({
        where: { expiresAt: { lte: now } },
        select: { id: true },
        take: limit,
      });
      if (rows.length === 0) return 0;
      return (await db.upstreamAttempt.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })).count;
    },
  };
}

export type AttemptQueries = ReturnType<typeof createAttemptQueries>;
