import type { DriverConnection } from '../db/create-prisma.js';
import { preparedRow } from '../db/prepared-statements.js';
import type { ResourceRow } from './resource-queries.js';

/**
 * The two Resource lookups of every token request (the API a `resource` names, at issuance; the
 * API an introspecting client is, at introspection) as prepared statements on Prisma's connection
 * (see src/db/prepared-statements.ts): no cache, so a removed API is gone for the next request
 * on every instance. test/resources/prepared-resource-lookups.test.ts pins them to Prisma's reads.
 */
export function createPreparedResourceLookups(driver: DriverConnection) {
  const columns = { integers: ['accessTokenTtl'], dates: ['createdAt'] } as const;
  const select = 'SELECT "identifier", "scopes", "tokenFormat", "accessTokenTtl", "clientId", "createdAt" FROM "Resource"';
  const byIdentifier = preparedRow<ResourceRow>(driver, 'gatehouse_resource_by_identifier', `${select} WHERE "identifier" = $1`, columns);
  const byClientId = preparedRow<ResourceRow>(driver, 'gatehouse_resource_by_client_id', `${select} WHERE "clientId" = $1`, columns);
  return {
    find: async (identifier: string): Promise<ResourceRow | null> => (await byIdentifier(identifier)) ?? null,
    findByClientId: async (clientId: string): Promise<ResourceRow | null> => (await byClientId(clientId)) ?? null,
  };
}

export type PreparedResourceLookups = ReturnType<typeof createPreparedResourceLookups>;
