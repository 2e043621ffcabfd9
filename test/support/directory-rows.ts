import { createDatabase, type Db } from '../../src/db/create-prisma.js';

/**
 * Test-only: writes roles, groups, attribute values, custom scopes and an API's RBAC settings
 * straight into the directory tables, from a connection of its own as another process would, for
 * the protocol tests to run before the directory services and CLI commands exist (issue 19, part
 * A). Once they have landed these can become `gatehouse role|group|attribute|scope …` calls.
 */
export function openDirectoryRows(databaseUrl: string) {
  const { db, close } = createDatabase(databaseUrl);
  return { ...directoryRows(db), close };
}

export function directoryRows(db: Db) {
  return {
    /** A role permitting these scopes of these APIs. */
    async role(name: string, permissions: Record<string, string[]> = {}) {
      await db.role.create({
        data: {
          name,
          permissions: {
            create: Object.entries(permissions).flatMap(([resourceId, scopes]) =>
              scopes.map((scope) => ({ resourceId, scope })),
            ),
          },
        },
      });
    },
    async permit(roleName: string, resourceId: string, scope: string) {
      await db.rolePermission.create({ data: { roleName, resourceId, scope } });
    },
    async unpermit(roleName: string, resourceId: string, scope: string) {
      await db.rolePermission.delete({ where: { roleName_resourceId_scope: { roleName, resourceId, scope } } });
    },
    async removeRole(name: string) {
      await db.role.delete({ where: { name } });
    },
    async grantRole(accountId: string, roleName: string) {
      await db.accountRole.create({ data: { accountId, roleName } });
    },
    async group(name: string, members: string[] = []) {
      await db.group.create({ data: { name, members: { create: members.map((accountId) => ({ accountId })) } } });
    },
    async removeGroup(name: string) {
      await db.group.delete({ where: { name } });
    },
    /** A declared attribute and the people's values (stored as JSON, as the service stores them). */
    async attribute(name: string, type: string, values: Record<string, unknown> = {}) {
      await db.attributeDefinition.create({
        data: {
          name,
          type,
          values: {
            create: Object.entries(values).map(([accountId, value]) => ({ accountId, value: JSON.stringify(value) })),
          },
        },
      });
    },
    async removeAttribute(name: string) {
      await db.attributeDefinition.delete({ where: { name } });
    },
    async claimScope(name: string, claims: string[], description = '') {
      await db.claimScope.create({ data: { name, claims: claims.join(' '), description } });
    },
    async removeClaimScope(name: string) {
      await db.claimScope.delete({ where: { name } });
    },
    /** `gatehouse resource update --rbac on|off --token-claims …` */
    async resourceSettings(identifier: string, settings: { rbac?: boolean; tokenClaims?: string[] }) {
      await db.resource.update({
        where: { identifier },
        data: {
          ...(settings.rbac === undefined ? {} : { rbac: settings.rbac }),
          ...(settings.tokenClaims === undefined ? {} : { tokenClaims: settings.tokenClaims.join(' ') }),
        },
      });
    },
    /** Standard profile claims of a person, by Prisma column name. */
    async profile(accountId: string, data: Record<string, string | boolean | null>) {
      await db.account.update({ where: { id: accountId }, data });
    },
  };
}
