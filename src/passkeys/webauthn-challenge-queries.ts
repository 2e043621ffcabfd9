import type { Db } from '../db/create-prisma.js';

export type ChallengePurpose = 'registration' | 'authentication';

export interface WebAuthnChallengeRow {
  readonly id: string;
  readonly purpose: string;
  readonly binding: string;
  readonly challenge: string;
  readonly accountId: string | null;
  readonly expiresAt: Date;
  readonly consumedAt: Date | null;
}

/** Where a challenge was asked for and what for: the only request that may answer it. */
export interface ChallengeScope {
  readonly purpose: ChallengePurpose;
  readonly binding: string;
  readonly challenge: string;
}

/** WebAuthn challenges (src/passkeys/passkey-service.ts): stored, looked up, and spent by one statement. */
export function createWebAuthnChallengeQueries(db: Db) {
  return {
    async insert(row: Omit<WebAuthnChallengeRow, 'consumedAt'>): Promise<void> {
      await db.webAuthnChallenge.create({ data: row });
    },

    /**
     * Deletes the challenges of this purpose and binding beyond `newest` (the one just issued) and
     * the `keep - 1` others that expire last. Named, not found by its expiry: two issued in the same
     * millisecond expire together, and a tie broken by the random id could delete the one the person
     * is about to answer.
     */
    async trim(purpose: ChallengePurpose, binding: string, keep: number, newest: string): Promise<number> {
      const older = await db.webAuthnChallenge.findMany({
        where: { purpose, binding, id: { not: newest } },
        orderBy: [{ expiresAt: 'desc' }, { id: 'desc' }],
        skip: keep - 1,
        select: { id: true },
      });
      if (older.length === 0) return 0;
      const { count } = await db.webAuthnChallenge.deleteMany({ where: { id: { in: older.map((o) => o.id) } } });
      return count;
    },

    /** The challenge when it was issued for this purpose and binding, unused and unexpired at `now`. */
    findLive(scope: ChallengeScope, now: Date): Promise<WebAuthnChallengeRow | null> {
      return db.webAuthnChallenge.findFirst({ where: { ...scope, consumedAt: null, expiresAt: { gt: now } } });
    },

    /**
     * Spends the challenge only if it is still unused and unexpired: one conditional update, so of
     * any number of parallel submissions exactly one gets true.
     */
    async consume(scope: ChallengeScope, now: Date): Promise<boolean> {
      const { count } = await db.webAuthnChallenge.updateMany({
        where: { ...scope, consumedAt: null, expiresAt: { gt: now } },
        data: { consumedAt: now },
      });
      return count === 1;
    },

    /**
     * Deletes up to `limit` challenges expired at `now` (spent or not: they can never be answered);
     * run by the expiry sweeper (src/oidc/expiry-sweeper.ts).
     */
    async sweepExpired(now: Date, limit: number): Promise<number> {
      const expired = await db.webAuthnChallenge.findMany({
        where: { expiresAt: { lte: now } },
        select: { id: true },
        take: limit,
      });
      if (expired.length === 0) return 0;
      const { count } = await db.webAuthnChallenge.deleteMany({ where: { id: { in: expired.map((e) => e.id) } } });
      return count;
    },
  };
}

export type WebAuthnChallengeQueries = ReturnType<typeof createWebAuthnChallengeQueries>;
