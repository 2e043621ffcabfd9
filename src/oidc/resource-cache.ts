import type { Resource, ResourceService } from '../resources/resource-service.js';
import type { ResourceQueries } from '../resources/resource-queries.js';
import { createGuardedCache, forgetAfter, type CacheGuard, type CacheLookup } from './guarded-cache.js';

/** Far more APIs than a deployment registers; each entry is one API's settings. */
export const RESOURCE_CACHE_SIZE = 1000;

export type ResourceLookups = Pick<ResourceService, 'find' | 'findByClientId'>;

export interface ResourceCache {
  /** `resources` with its two look-ups of every token request answered from memory. */
  lookups<S extends ResourceLookups>(resources: S): S;
  /** Every write this process makes to the Resource table forgets every API, here and everywhere. */
  forgetOnWrite(queries: ResourceQueries): ResourceQueries;
}

/** Shared by every request from now on: nobody may change what one request was given. */
const frozen = (resource: Resource): Resource => {
  for (const list of [resource.scopes, resource.tokenClaims, resource.dynamicScopes, resource.scopeDescriptions])
    Object.freeze(list);
  return Object.freeze(resource);
};

/**
 * The APIs the token path looks up on every request (the one a `resource` names, at issuance; the
 * one an introspecting client is), kept in memory behind the same guard as the clients: on
 * PostgreSQL the Resource table's trigger notifies every instance, on SQLite the data version
 * moves for other writers, and this process's own writes forget them directly. Only the two
 * look-ups are cached: a change (resource-service.ts) reads the row itself, so its compare-and-set
 * always sees what is stored.
 */
export function createResourceCache(
  guard: CacheGuard,
  options: { size?: number; onLookup?: (result: CacheLookup) => void } = {},
): ResourceCache {
  const cache = createGuardedCache<Resource>(guard, {
    size: options.size ?? RESOURCE_CACHE_SIZE,
    onLookup: options.onLookup,
  });
  const cached = (key: string, load: () => Promise<Resource | undefined>) =>
    cache.find(key, async () => {
      const resource = await load();
      return resource ? frozen(resource) : null;
    });
  return {
    lookups: <S extends ResourceLookups>(resources: S): S =>
      ({
        ...resources,
        find: async (identifier: string) =>
          (await cached(`identifier ${identifier}`, () => resources.find(identifier))) ?? undefined,
        findByClientId: async (clientId: string) =>
          (await cached(`client ${clientId}`, () => resources.findByClientId(clientId))) ?? undefined,
      }) as S,
    forgetOnWrite: (queries) => ({
      ...queries,
      insert: forgetAfter(cache, queries.insert),
      updateIf: forgetAfter(cache, queries.updateIf),
      deleteIf: forgetAfter(cache, queries.deleteIf),
      delete: forgetAfter(cache, queries.delete),
    }),
  };
}
