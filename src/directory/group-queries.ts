import type { Db } from '../db/create-prisma.js';

export interface GroupRow {
  readonly name: string;
  readonly description: string;
  readonly createdAt: Date;
  readonly members: number;
}

export function createGroupQueries(db: Db) {
  return {
    async list(): Promise<GroupRow[]> {
      const rows = await db.group.findMany({
        orderBy: { name: 'asc' },
        include: { _count: { select: { members: true } } },
      });
      return rows.map(({ _count, ...group }) => ({ ...group, members: _count.members }));
    },

    /** Throws Prisma's P2002 when the name is taken. */
    async insert(row: { name: string; description: string }): Promise<GroupRow> {
      return { ...(await db.group.create({ data: row })), members: 0 };
    },

    /** Memberships go with the group (the foreign key cascades). Resolves to null when there was none. */
    async delete(name: string): Promise<{ members: number } | null> {
      return db.$transaction(async (tx) => {
        const members = await tx.accountGroup.count({ where: { groupName: name } });
        const { count } = await tx.group.deleteMany({ where: { name } });
        return count === 1 ? { members } : null;
      });
    },
  };
}

export type GroupQueries = ReturnType<typeof createGroupQueries>;
