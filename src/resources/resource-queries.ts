import type { Db } from '../db/create-prisma.js';
import type { PreparedResourceLookups } from './prepared-resource-lookups.js';

export interface ResourceRow {
  readonly identifier: string;
  /** Space-delimited. */
  readonly scopes: string;
  readonly tokenFormat: string;
  readonly accessTokenTtl: number;
  readonly clientId: string;
  readonly createdAt: Date;
}

export type NewResourceRow = Omit<ResourceRow, 'createdAt'>;

/** With `prepared` (the server's container), the two lookups of every token request skip Prisma. */
export function createResourceQueries(db: Db, prepared?: PreparedResourceLookups) {
  return {
    find(identifier: string): Promise<ResourceRow | null> {
      if (prepared) return prepared.find(identifier);
      return db.resource.findUnique({ where: { identifier } });
    },

    findByClientId(clientId: string): Promise<ResourceRow | null> {
      if (prepared) return prepared.findByClientId(clientId);
      return db.resource.findUnique({ where: { clientId } });
    },

    /** Oldest first. */
    list(): Promise<ResourceRow[]> {
      return db.resource.findMany({ orderBy: [{ createdAt: 'asc' }, { identifier: 'asc' }] });
    },

    /** Resolves to false when the identifier is already registered (unique violation, P2002). */
    async insert(row: NewResourceRow): Promise<boolean> {
      try {
        await db.resource.create({ data: row });
        return true;
      } catch (error) {
        if ((error as { code?: unknown }).code === 'P2002') return false;
        throw error;
      }
    },

    /** Resolves to the row as changed, or null when there is none. */
    async update(identifier: string, data: Partial<Pick<ResourceRow, 'scopes' | 'tokenFormat' | 'accessTokenTtl'>>): Promise<ResourceRow | null> {
      const { count } = await db.resource.updateMany({ where: { identifier }, data });
      return count === 1 ? db.resource.findUnique({ where: { identifier } }) : null;
    },

    /** Resolves to the row removed, or null when there was none. */
    async delete(identifier: string): Promise<ResourceRow | null> {
      const row = await db.resource.findUnique({ where: { identifier } });
      if (!row) return null;
      const { count } = await db.resource.deleteMany({ where: { identifier } });
      return count === 1 ? row : null;
    },
  };
}

export type ResourceQueries = ReturnType<typeof createResourceQueries>;
