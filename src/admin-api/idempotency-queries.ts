import type { Db } from '../db/create-prisma.js';

export interface IdempotencyRow {
  readonly clientId: string;
  readonly key: string;
  readonly fingerprint: string;
  /** 0 while the first request runs. */
  readonly status: number;
  readonly body: string | null;
  readonly etag: string | null;
  readonly location: string | null;
  readonly expiresAt: Date;
}

/** The IdempotencyKey table (prisma/schema.prisma): one row per client and key. */
export function createIdempotencyQueries(db: Db) {
  return {
    /** Inserts the in-progress row; false when the client already holds this key (P2002). */
    async claim(row: Pick<IdempotencyRow, 'clientId' | 'key' | 'fingerprint' | 'expiresAt'>): Promise<boolean> {
      try {
        await db.idempotencyKey.create({ data: row });
        return true;
      } catch (error) {
        if ((error as { code?: unknown }).code === 'P2002') return false;
        throw error;
      }
    },

    find(clientId: string, key: string): Promise<IdempotencyRow | null> {
      return db.idempotencyKey.findUnique({ where: { clientId_key: { clientId, key } } });
    },

    async complete(
      clientId: string,
      key: string,
      answer: Pick<IdempotencyRow, 'status' | 'body' | 'etag' | 'location'>,
    ): Promise<void> {
      await db.idempotencyKey.updateMany({ where: { clientId, key }, data: answer });
    },

    /** Forgets the key (its request failed, or it expired), so it can be used again. */
    async release(clientId: string, key: string, onlyBefore?: Date): Promise<void> {
      await db.idempotencyKey.deleteMany({
        where: { clientId, key, ...(onlyBefore ? { expiresAt: { lte: onlyBefore } } : {}) },
      });
    },

    async sweepExpired(now: Date, limit: number): Promise<number> {
      const expired = await db.idempotencyKey.findMany({
        where: { expiresAt: { lte: now } },
        select: { clientId: true, key: true },
        take: limit,
      });
      let count = 0;
      for (const { clientId, key } of expired)
        count += (await db.idempotencyKey.deleteMany({ where: { clientId, key, expiresAt: { lte: now } } })).count;
      return count;
    },
  };
}

export type IdempotencyQueries = ReturnType<typeof createIdempotencyQueries>;
