import type { DriverConnection } from '../db/create-prisma.js';
import { preparedRow } from '../db/prepared-statements.js';
import type { PreparedResourceLookups, ResourceRow } from './resource-queries.js';

/**
 * The two Resource lookups of every token request (the API a `resource` names, at issuance; the
 * API an introspecting client is, at introspection) as prepared statements on Prisma's connection
 * (see src/db/prepared-statements.ts). The token path reads them through its cache
 * (src/oidc/resource-cache.ts); a change to an API reads them here, as stored.
 * test/resources/prepared-resource-lookups.test.ts pins them to the schema.
 */
export function createPreparedResourceLookups(driver: DriverConnection): PreparedResourceLookups {
  const columns = { integers: ['accessTokenTtl'], booleans: ['rbac', 'dynamicClients'], dates: ['createdAt'] } as const;
  const select =
    'SELECT "identifier", "scopes", "tokenFormat", "accessTokenTtl", "clientId", "rbac", "tokenClaims", "dynamicClients", "dynamicScopes", "name", "scopeDescriptions", "createdAt" FROM "Resource"';
  const byIdentifier = preparedRow<ResourceRow>(
    driver,
    'gatehouse_resource_by_identifier',
    `${select} WHERE "identifier" = $1`,
    columns,
  );
  const byClientId = preparedRow<ResourceRow>(
    driver,
    'gatehouse_resource_by_client_id',
    `${select} WHERE "clientId" = $1`,
    columns,
  );
  return {
    find: async (identifier) => (await byIdentifier(identifier)) ?? null,
    findByClientId: async (clientId) => (await byClientId(clientId)) ?? null,
  };
}
