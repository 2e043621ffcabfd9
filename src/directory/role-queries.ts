import type { Db } from '../db/create-prisma.js';

export interface RoleRow {
  readonly name: string;
  readonly description: string;
  readonly builtIn: boolean;
  readonly createdAt: Date;
  readonly permissions: readonly { readonly resourceId: string; readonly scope: string }[];
  readonly members: number;
}

/** What permit found: the permission is stored, or why not. */
export type PermitOutcome = 'permitted' | 'already' | 'no-role' | 'no-resource' | 'no-scope';

const withDetails = {
  permissions: {
    select: { resourceId: true, scope: true },
    orderBy: [{ resourceId: 'asc' as const }, { scope: 'asc' as const }],
  },
  _count: { select: { members: true as const } },
};

type Loaded = {
  name: string;
  description: string;
  builtIn: boolean;
  createdAt: Date;
  permissions: { resourceId: string; scope: string }[];
  _count: { members: number };
};
const toRow = ({ _count, ...role }: Loaded): RoleRow => ({ ...role, members: _count.members });

export function createRoleQueries(db: Db) {
  return {
    async list(): Promise<RoleRow[]> {
      const rows = await db.role.findMany({ orderBy: { name: 'asc' }, include: withDetails });
      return rows.map(toRow);
    },

    async find(name: string): Promise<RoleRow | null> {
      const row = await db.role.findUnique({ where: { name }, include: withDetails });
      return row ? toRow(row) : null;
    },

    /** The emails of the role's members, sorted. */
    async memberEmails(name: string): Promise<string[]> {
      const rows = await db.accountRole.findMany({
        where: { roleName: name },
        select: { account: { select: { email: true } } },
      });
      return rows.map((r) => r.account.email).sort();
    },

    /** Throws Prisma's P2002 when the name is taken. */
    async insert(row: { name: string; description: string }): Promise<void> {
      await db.role.create({ data: row });
    },

    /** Resolves to false when there is no such role. */
    async updateDescription(name: string, description: string): Promise<boolean> {
      const { count } = await db.role.updateMany({ where: { name }, data: { description } });
      return count === 1;
    },

    /**
     * A compare-and-set: changes the description only if it is still `expected` (what the caller
     * read), so of two admins who read the same role and write, one wins. False otherwise.
     */
    async updateDescriptionIf(name: string, expected: string, description: string): Promise<boolean> {
      const { count } = await db.role.updateMany({ where: { name, description: expected }, data: { description } });
      return count === 1;
    },

    /**
     * Removes a role that is not built in; its permissions and memberships go with it (the
     * foreign keys cascade, on SQLite too: test/directory/role-service.test.ts).
     */
    async deleteUnlessBuiltIn(name: string): Promise<{ removed: boolean; members: number }> {
      return db.$transaction(async (tx) => {
        const members = await tx.accountRole.count({ where: { roleName: name } });
        const { count } = await tx.role.deleteMany({ where: { name, builtIn: false } });
        return { removed: count === 1, members };
      });
    },

    /**
     * Stores the permission if the role exists and the API has the scope. The API's row is
     * locked first (a no-op update), so a concurrent `resource update --scope` that drops the scope
     * either runs before (the scope is seen gone) or after (it deletes this permission): none dangles.
     */
    async permit(roleName: string, resourceId: string, scope: string): Promise<PermitOutcome> {
      return db.$transaction(async (tx) => {
        const locked =
          await tx.$executeRaw`UPDATE "Resource" SET "scopes" = "scopes" WHERE "identifier" = ${resourceId}`;
        if (locked !== 1) return 'no-resource';
        const resource = await tx.resource.findUnique({ where: { identifier: resourceId }, select: { scopes: true } });
        if (!resource?.scopes.split(' ').includes(scope)) return 'no-scope';
        if (!(await tx.role.findUnique({ where: { name: roleName }, select: { name: true } }))) return 'no-role';
        // Two permits of one API are serialised by the lock, so this read decides alone.
        const key = { roleName_resourceId_scope: { roleName, resourceId, scope } };
        if (await tx.rolePermission.findUnique({ where: key })) return 'already';
        await tx.rolePermission.create({ data: { roleName, resourceId, scope } });
        return 'permitted';
      });
    },

    /** Resolves to false when the role held no such permission. */
    async unpermit(roleName: string, resourceId: string, scope: string): Promise<boolean> {
      const { count } = await db.rolePermission.deleteMany({ where: { roleName, resourceId, scope } });
      return count === 1;
    },
  };
}

export type RoleQueries = ReturnType<typeof createRoleQueries>;
