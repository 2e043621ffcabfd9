import type { AccountRow } from '../src/accounts/account-queries.js';
import { profileClaimsOf } from '../src/accounts/profile-claims.js';
import type { PersonDirectory } from '../src/directory/person-directory.js';
import type { ResourceService } from '../src/resources/resource-service.js';
import type { ResourceWords, ScopeWords } from './describe-scopes.js';

export interface ScopeWordsDeps {
  readonly resources: Pick<ResourceService, 'find'>;
  readonly personDirectory: Pick<PersonDirectory, 'claimScopes'>;
}

/** The claims an account has a value for (OIDC Core §5.3.2: those without one are never sent). */
export function claimsHeldBy(account: AccountRow): Set<string> {
  const claims: Record<string, unknown> = {
    email: account.email,
    email_verified: account.emailVerified,
    name: account.name,
    ...profileClaimsOf(account),
  };
  return new Set(Object.keys(claims).filter((claim) => claims[claim] != null && claims[claim] !== ''));
}

/**
 * What describe-scopes.ts needs to put an app's access in words for this person: the operator's
 * scope descriptions, the names of the APIs (`identifiers`) and the claims the person has.
 */
export async function scopeWordsFor(
  deps: ScopeWordsDeps,
  account: AccountRow | undefined,
  identifiers: readonly string[],
): Promise<ScopeWords> {
  const [claimScopes, apis] = await Promise.all([
    deps.personDirectory.claimScopes(),
    Promise.all([...new Set(identifiers)].map((identifier) => deps.resources.find(identifier))),
  ]);
  const resources: Record<string, ResourceWords> = {};
  for (const api of apis)
    if (api) resources[api.identifier] = { name: api.name, scopeDescriptions: api.scopeDescriptions };
  return {
    customScopes: Object.fromEntries(claimScopes.filter((s) => s.description).map((s) => [s.name, s.description])),
    resources,
    personClaims: account ? claimsHeldBy(account) : undefined,
  };
}
