import type { Db } from '../db/create-prisma.js';
import type { ProfileColumns } from '../accounts/account-queries.js';

/** One person's changes, applied together or not at all. */
export interface EntryChanges {
  readonly addRoles: readonly string[];
  readonly removeRoles: readonly string[];
  readonly addGroups: readonly string[];
  readonly removeGroups: readonly string[];
  /** Attribute name → JSON-encoded value. */
  readonly setAttributes: Readonly<Record<string, string>>;
  readonly unsetAttributes: readonly string[];
  readonly profile: Partial<{ -readonly [K in keyof ProfileColumns]: ProfileColumns[K] }>;
}

export type EntryOutcome =
  | { readonly applied: true }
  | { readonly applied: false; readonly missing: { kind: 'role' | 'group' | 'attribute'; name: string } };

export function createPersonEntryQueries(db: Db) {
  return {
    /** The person's stored attribute values (JSON-encoded), by name. */
    async attributeValues(accountId: string): Promise<Record<string, string>> {
      const rows = await db.accountAttribute.findMany({ where: { accountId }, select: { name: true, value: true } });
      return Object.fromEntries(rows.map((r) => [r.name, r.value]));
    },

    /**
     * Applies every change in one transaction. Each role, group and attribute named is locked
     * first (a no-op update), so one removed at the same time either goes first (reported missing,
     * nothing applied) or waits and then removes what this wrote: no membership or value dangles.
     */
    async apply(accountId: string, changes: EntryChanges): Promise<EntryOutcome> {
      return db.$transaction(async (tx) => {
        const lock = {
          role: (name: string) => tx.$executeRaw`UPDATE "Role" SET "name" = "name" WHERE "name" = ${name}`,
          group: (name: string) => tx.$executeRaw`UPDATE "Group" SET "name" = "name" WHERE "name" = ${name}`,
          attribute: (name: string) =>
            tx.$executeRaw`UPDATE "AttributeDefinition" SET "name" = "name" WHERE "name" = ${name}`,
        };
        const named: ['role' | 'group' | 'attribute', readonly string[]][] = [
          ['role', [...changes.addRoles, ...changes.removeRoles]],
          ['group', [...changes.addGroups, ...changes.removeGroups]],
          ['attribute', Object.keys(changes.setAttributes)],
        ];
        for (const [kind, names] of named) {
          for (const name of [...new Set(names)].sort()) {
            if ((await lock[kind](name)) !== 1) return { applied: false, missing: { kind, name } };
          }
        }
        for (const roleName of changes.addRoles) {
          const key = { accountId_roleName: { accountId, roleName } };
          if (!(await tx.accountRole.findUnique({ where: key })))
            await tx.accountRole.create({ data: { accountId, roleName } });
        }
        if (changes.removeRoles.length)
          await tx.accountRole.deleteMany({ where: { accountId, roleName: { in: [...changes.removeRoles] } } });
        for (const groupName of changes.addGroups) {
          const key = { accountId_groupName: { accountId, groupName } };
          if (!(await tx.accountGroup.findUnique({ where: key })))
            await tx.accountGroup.create({ data: { accountId, groupName } });
        }
        if (changes.removeGroups.length)
          await tx.accountGroup.deleteMany({ where: { accountId, groupName: { in: [...changes.removeGroups] } } });
        for (const [name, value] of Object.entries(changes.setAttributes)) {
          await tx.accountAttribute.upsert({
            where: { accountId_name: { accountId, name } },
            create: { accountId, name, value },
            update: { value },
          });
        }
        if (changes.unsetAttributes.length)
          await tx.accountAttribute.deleteMany({ where: { accountId, name: { in: [...changes.unsetAttributes] } } });
        if (Object.keys(changes.profile).length)
          await tx.account.update({ where: { id: accountId }, data: changes.profile });
        return { applied: true };
      });
    },
  };
}

export type PersonEntryQueries = ReturnType<typeof createPersonEntryQueries>;
