import type { Db } from '../db/create-prisma.js';

/** Unique-constraint violation: another instance created the lease row first. */
const UNIQUE_VIOLATION = 'P2002';

/** The JobLease table: who runs a cluster-wide duty, and until when. */
export function createLeaseQueries(db: Db) {
  return {
    /**
     * Takes or renews the lease when it is ours or has lapsed, in one conditional UPDATE (atomic on
     * both stores: two instances racing for a lapsed lease cannot both match). The first instance
     * ever creates the row. Resolves true when `holder` now holds it until `until`.
     */
    async acquire(name: string, holder: string, now: Date, until: Date): Promise<boolean> {
      const { count } = await db.jobLease.updateMany({
        where: { name, OR: [{ holder }, { expiresAt: { lt: now } }] },
        data: { holder, expiresAt: until },
      });
      if (count === 1) return true;
      try {
        await db.jobLease.create({ data: { name, holder, expiresAt: until } });
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) return false;
        throw error;
      }
    },

    /** Gives the lease up at shutdown so another instance need not wait for it to lapse. */
    async release(name: string, holder: string): Promise<void> {
      await db.jobLease.deleteMany({ where: { name, holder } });
    },

    async holderOf(name: string, now: Date): Promise<string | undefined> {
      const row = await db.jobLease.findUnique({ where: { name } });
      return row && row.expiresAt >= now ? row.holder : undefined;
    },
  };
}

export type LeaseQueries = ReturnType<typeof createLeaseQueries>;
