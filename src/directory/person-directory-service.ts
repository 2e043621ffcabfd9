import type { Db } from '../db/create-prisma.js';
import type { AttributeValue, ClaimScopeDefinition, PersonDirectory } from './person-directory.js';

/** A stored value that no longer parses reads as absent rather than failing the person's token. */
function parseValue(json: string): AttributeValue | undefined {
  try {
    const value: unknown = JSON.parse(json);
    if (['string', 'number', 'boolean'].includes(typeof value)) return value as AttributeValue;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  } catch {
    /* fall through */
  }
  return undefined;
}

/** PersonDirectory over the directory tables: one read per question, as it runs for every token. */
export function createPersonDirectory(db: Db): PersonDirectory {
  return {
    async entryOf(accountId) {
      const row = await db.account.findUnique({
        where: { id: accountId },
        select: {
          roles: { select: { roleName: true } },
          groups: { select: { groupName: true } },
          attributes: { select: { name: true, value: true } },
        },
      });
      const attributes: Record<string, AttributeValue> = {};
      for (const { name, value } of row?.attributes ?? []) {
        const parsed = parseValue(value);
        if (parsed !== undefined) attributes[name] = parsed;
      }
      return {
        roles: (row?.roles ?? []).map((r) => r.roleName).sort(),
        groups: (row?.groups ?? []).map((g) => g.groupName).sort(),
        attributes,
      };
    },

    async permittedScopes(accountId, resource) {
      const rows = await db.rolePermission.findMany({
        where: { resourceId: resource, role: { members: { some: { accountId } } } },
        select: { scope: true },
      });
      return new Set(rows.map((r) => r.scope));
    },

    async claimScopes(): Promise<ClaimScopeDefinition[]> {
      const rows = await db.claimScope.findMany({ orderBy: { name: 'asc' } });
      return rows.map((r) => ({
        name: r.name,
        claims: r.claims.split(' ').filter(Boolean),
        description: r.description,
      }));
    },
  };
}
