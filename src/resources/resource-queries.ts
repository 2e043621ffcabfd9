import type { Db } from '../db/create-prisma.js';

export interface ResourceRow {
  readonly identifier: string;
  /** Space-delimited. */
  readonly scopes: string;
  readonly tokenFormat: string;
  readonly accessTokenTtl: number;
  readonly clientId: string;
  /** Role-based access control on: a person's tokens carry only the scopes their roles permit. */
  readonly rbac: boolean;
  /** Space-delimited person claims its access tokens carry: "roles", "groups". */
  readonly tokenClaims: string;
  /** Open to clients that registered themselves or came by a metadata document (dynamic-client-policy.ts). */
  readonly dynamicClients: boolean;
  /** Space-delimited ceiling of the scopes such clients may get; empty: all of the API's. */
  readonly dynamicScopes: string;
  /** What people see for the API; empty: its identifier. */
  readonly name: string;
  /** A JSON object of scope → what it lets an app do, in words for people (scope-descriptions.ts). */
  readonly scopeDescriptions: string;
  readonly createdAt: Date;
}

export type NewResourceRow = Omit<ResourceRow, 'createdAt'>;

/**
 * The settings of an API that may change, and so make its version (resource-service.ts): a
 * conditional update names each of them as it was read. A new setting of a resource joins here.
 */
export const CHANGEABLE_FIELDS = [
  'scopes',
  'tokenFormat',
  'accessTokenTtl',
  'rbac',
  'tokenClaims',
  'dynamicClients',
  'dynamicScopes',
  'name',
  'scopeDescriptions',
] as const;
export type ResourceSettings = Pick<ResourceRow, (typeof CHANGEABLE_FIELDS)[number]>;

const settingsOf = (row: ResourceSettings): ResourceSettings =>
  Object.fromEntries(CHANGEABLE_FIELDS.map((field) => [field, row[field]])) as unknown as ResourceSettings;

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

    /** One page of `list`'s order, after the row `after` (its createdAt and identifier). */
    page(after: { createdAt: Date; identifier: string } | undefined, limit: number): Promise<ResourceRow[]> {
      return db.resource.findMany({
        where: after
          ? {
              OR: [
                { createdAt: { gt: after.createdAt } },
                { createdAt: after.createdAt, identifier: { gt: after.identifier } },
              ],
            }
          : {},
        orderBy: [{ createdAt: 'asc' }, { identifier: 'asc' }],
        take: limit,
      });
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

    /**
     * Changes the row only if its settings are still `expected` (a compare-and-set): null when they
     * are not, or there is no such row, so two concurrent changes never silently overwrite each other.
     * New scopes drop, in the same transaction, every role's permission for a scope the API no
     * longer has (no permission dangles).
     */
    async updateIf(
      identifier: string,
      expected: ResourceSettings,
      data: Partial<ResourceSettings>,
    ): Promise<ResourceRow | null> {
      return db.$transaction(async (tx) => {
        const { count } = await tx.resource.updateMany({ where: { identifier, ...settingsOf(expected) }, data });
        if (count !== 1) return null;
        if (data.scopes !== undefined) {
          await tx.rolePermission.deleteMany({
            where: { resourceId: identifier, scope: { notIn: data.scopes.split(' ').filter(Boolean) } },
          });
        }
        return tx.resource.findUnique({ where: { identifier } });
      });
    },

    /** Removes the row only if its settings are still `expected`; null when they are not or it is gone. */
    async deleteIf(identifier: string, expected: ResourceSettings): Promise<ResourceRow | null> {
      const row = await db.resource.findUnique({ where: { identifier } });
      if (!row) return null;
      const { count } = await db.resource.deleteMany({ where: { identifier, ...settingsOf(expected) } });
      return count === 1 ? row : null;
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
