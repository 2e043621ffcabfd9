import type { Db } from '../db/create-prisma.js';

export interface ResourceRow {
  readonly identifier: string;
  /** Space-delimited. */
  readonly scopes: string;
  readonly tokenFormat: string;
  readonly accessTokenTtl: number;
  readonly clientId: string;
  /** Role-based access control on: a person's tokens carry only what their roles permit. */
  readonly rbac: boolean;
  /** Space-delimited person claims its access tokens carry: "roles", "groups". */
  readonly tokenClaims: string;
  readonly createdAt: Date;
}

export type NewResourceRow = Omit<ResourceRow, 'createdAt' | 'rbac' | 'tokenClaims'> &
  Partial<Pick<ResourceRow, 'rbac' | 'tokenClaims'>>;

/**
 * The two lookups of every token request (the API a `resource` names; the API an introspecting
 * client is), prepared on Prisma's connection: prepared-resource-lookups.ts.
 */
export interface PreparedResourceLookups {
  find(identifier: string): Promise<ResourceRow | null>;
  findByClientId(clientId: string): Promise<ResourceRow | null>;
}

/** The two lookups are `prepared`'s, the only implementation of each; the rest go through Prisma. */
export function createResourceQueries(db: Db, prepared: PreparedResourceLookups) {
  return {
    find(identifier: string): Promise<ResourceRow | null> {
      return prepared.find(identifier);
    },

    findByClientId(clientId: string): Promise<ResourceRow | null> {
      return prepared.findByClientId(clientId);
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
    async update(
      identifier: string,
      data: Partial<Pick<ResourceRow, 'scopes' | 'tokenFormat' | 'accessTokenTtl'>>,
    ): Promise<ResourceRow | null> {
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
