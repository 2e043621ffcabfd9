import type { Db } from '../db/create-prisma.js';

export interface DynamicClientUseRow {
  readonly clientId: string;
  readonly registeredAt: Date;
  readonly lastTokenAt: Date | null;
}

/** When each self-registered client registered and last got a token (the DynamicClientUse table). */
export function createDynamicClientQueries(db: Db) {
  return {
    async registered(clientId: string, at: Date): Promise<void> {
      await db.dynamicClientUse.upsert({
        where: { clientId },
        create: { clientId, registeredAt: at },
        update: {},
      });
    },

    /** A token was issued to it: one UPDATE, nothing for a client that is not self-registered. */
    async used(clientId: string, at: Date): Promise<void> {
      await db.dynamicClientUse.updateMany({ where: { clientId }, data: { lastTokenAt: at } });
    },

    async forget(clientId: string): Promise<void> {
      await db.dynamicClientUse.deleteMany({ where: { clientId } });
    },

    list(): Promise<DynamicClientUseRow[]> {
      return db.dynamicClientUse.findMany({ orderBy: { registeredAt: 'asc' } });
    },

    /** Up to `limit` clients with no token since `cutoff` (nor registered since), oldest first. */
    idleSince(cutoff: Date, limit: number): Promise<DynamicClientUseRow[]> {
      return db.dynamicClientUse.findMany({
        where: {
          OR: [{ lastTokenAt: { lt: cutoff } }, { lastTokenAt: null, registeredAt: { lt: cutoff } }],
        },
        orderBy: { registeredAt: 'asc' },
        take: limit,
      });
    },
  };
}

export type DynamicClientQueries = ReturnType<typeof createDynamicClientQueries>;
