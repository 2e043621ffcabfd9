import type { Db } from '../db/create-prisma.js';

export type KeyUse = 'sig' | 'cookie';

export interface KeyRow {
  readonly kid: string;
  readonly use: string;
  readonly alg: string;
  readonly material: string;
  readonly sealed: boolean;
  readonly createdAt: Date;
  readonly retiredAt: Date | null;
}

export function createKeyQueries(db: Db) {
  return {
    /** Newest first: the first active key of an algorithm is the one that signs. */
    list(use: KeyUse): Promise<KeyRow[]> {
      return db.key.findMany({ where: { use }, orderBy: [{ createdAt: 'desc' }, { kid: 'desc' }] });
    },

    async insert(row: Omit<KeyRow, 'retiredAt'>): Promise<void> {
      await db.key.create({ data: row });
    },

    /** Retires every active key of `alg` except `keep`; returns the kids retired. */
    async retireAllBut(use: KeyUse, alg: string, keep: string, at: Date): Promise<number> {
      const { count } = await db.key.updateMany({
        where: { use, alg, retiredAt: null, NOT: { kid: keep } },
        data: { retiredAt: at },
      });
      return count;
    },

    /** Rows stored in the clear (written before keys were sealed by default). */
    listUnsealed(): Promise<KeyRow[]> {
      return db.key.findMany({ where: { sealed: false } });
    },

    /** Replaces clear material with its sealed form; false when another process sealed it first. */
    async sealMaterial(kid: string, material: string): Promise<boolean> {
      const { count } = await db.key.updateMany({ where: { kid, sealed: false }, data: { material, sealed: true } });
      return count === 1;
    },

    async deleteRetiredBefore(use: KeyUse, before: Date): Promise<number> {
      const { count } = await db.key.deleteMany({ where: { use, retiredAt: { lt: before } } });
      return count;
    },
  };
}

export type KeyQueries = ReturnType<typeof createKeyQueries>;
