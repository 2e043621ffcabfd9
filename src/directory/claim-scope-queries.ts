import type { Db } from '../db/create-prisma.js';

export interface ClaimScopeRow {
  readonly name: string;
  /** Space-delimited claim names. */
  readonly claims: string;
  readonly description: string;
  readonly createdAt: Date;
}

export type ClaimScopeInsert =
  { inserted: true } | { inserted: false; missing: string } | { inserted: false; taken: true };

export function createClaimScopeQueries(db: Db) {
  return {
    list(): Promise<ClaimScopeRow[]> {
      return db.claimScope.findMany({ orderBy: { name: 'asc' } });
    },

    async exists(name: string): Promise<boolean> {
      return (await db.claimScope.count({ where: { name } })) > 0;
    },

    /**
     * Stores the scope if each attribute it names is still declared. Those attribute rows are
     * locked first (a no-op update), so an attribute removed at the same time either goes first
     * (reported missing here) or waits and then cleans this scope's list (attribute-queries.ts).
     */
    async insert(row: Omit<ClaimScopeRow, 'createdAt'>, attributes: readonly string[]): Promise<ClaimScopeInsert> {
      return db.$transaction(async (tx) => {
        for (const name of attributes) {
          const locked = await tx.$executeRaw`UPDATE "AttributeDefinition" SET "name" = "name" WHERE "name" = ${name}`;
          if (locked !== 1) return { inserted: false, missing: name };
        }
        if ((await tx.claimScope.count({ where: { name: row.name } })) > 0) return { inserted: false, taken: true };
        await tx.claimScope.create({ data: row });
        return { inserted: true };
      });
    },

    /** Resolves to false when there was none. */
    async delete(name: string): Promise<boolean> {
      const { count } = await db.claimScope.deleteMany({ where: { name } });
      return count === 1;
    },
  };
}

export type ClaimScopeQueries = ReturnType<typeof createClaimScopeQueries>;
