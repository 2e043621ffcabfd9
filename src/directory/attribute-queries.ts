import type { Db } from '../db/create-prisma.js';

export interface AttributeDefinitionRow {
  readonly name: string;
  readonly type: string;
  readonly pattern: string | null;
  /** JSON array, or null. */
  readonly allowed: string | null;
  readonly selfEditable: boolean;
  readonly description: string;
  readonly createdAt: Date;
}

export function createAttributeQueries(db: Db) {
  return {
    list(): Promise<AttributeDefinitionRow[]> {
      return db.attributeDefinition.findMany({ orderBy: { name: 'asc' } });
    },

    find(name: string): Promise<AttributeDefinitionRow | null> {
      return db.attributeDefinition.findUnique({ where: { name } });
    },

    /** Throws Prisma's P2002 when the name is taken. */
    async insert(row: Omit<AttributeDefinitionRow, 'createdAt'>): Promise<void> {
      await db.attributeDefinition.create({ data: row });
    },

    /**
     * Removes the declaration, every person's value of it (the foreign key cascades) and the
     * attribute from every claim scope's list, in one transaction: no claim is left naming it. The
     * delete locks the row first, so a `scope add` naming the attribute (claim-scope-queries.ts
     * locks the attributes it names) either commits before and is cleaned here, or fails after.
     */
    async delete(name: string): Promise<{ values: number; scopes: string[] } | null> {
      return db.$transaction(async (tx) => {
        const values = await tx.accountAttribute.count({ where: { name } });
        const { count } = await tx.attributeDefinition.deleteMany({ where: { name } });
        if (count !== 1) return null;
        const scopes = await tx.claimScope.findMany({
          where: { claims: { contains: name } },
          orderBy: { name: 'asc' },
        });
        const changed: string[] = [];
        for (const scope of scopes) {
          const claims = scope.claims.split(' ').filter(Boolean);
          if (!claims.includes(name)) continue;
          await tx.claimScope.update({
            where: { name: scope.name },
            data: { claims: claims.filter((claim) => claim !== name).join(' ') },
          });
          changed.push(scope.name);
        }
        return { values, scopes: changed };
      });
    },
  };
}

export type AttributeQueries = ReturnType<typeof createAttributeQueries>;
