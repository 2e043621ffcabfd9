import type { ClaimScopeDefinition } from '../directory/person-directory.js';

/**
 * The scopes whose claims are fixed: OIDC Core §5.4 (profile, email, phone; address we do not
 * hold), the authentication claims that ride along with `openid` so every ID token carries them
 * (§2), and `roles`/`groups`, which release the person's role and group names as arrays.
 */
export const STANDARD_CLAIM_SCOPES: Readonly<Record<string, readonly string[]>> = {
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  email: ['email', 'email_verified'],
  profile: [
    'name',
    'given_name',
    'family_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
  phone: ['phone_number', 'phone_number_verified'],
  roles: ['roles'],
  groups: ['groups'],
};

/** Names a custom scope can never take: the fixed ones above, and the refresh-token scope. */
const RESERVED = new Set([...Object.keys(STANDARD_CLAIM_SCOPES), 'offline_access', 'address']);

/** The custom scopes that can take effect (a reserved name is ignored rather than shadowing ours). */
export const usableClaimScopes = (custom: readonly ClaimScopeDefinition[]): ClaimScopeDefinition[] =>
  custom.filter((scope) => !RESERVED.has(scope.name));

/**
 * oidc-provider's `claims` configuration: scope → the claims it releases. The provider reads it
 * once, when built, and derives discovery's scopes_supported and claims_supported from it (OIDC
 * Discovery §3), so custom scopes come in through a new provider generation (provider-host.ts).
 */
export function claimsConfiguration(custom: readonly ClaimScopeDefinition[]): Record<string, string[]> {
  const standard = Object.fromEntries(Object.entries(STANDARD_CLAIM_SCOPES).map(([scope, c]) => [scope, [...c]]));
  return {
    ...standard,
    ...Object.fromEntries(usableClaimScopes(custom).map((scope) => [scope.name, [...scope.claims]])),
  };
}

/** Identifies a set of custom scopes: a provider built from another set is rebuilt. */
export function claimScopeSetOf(custom: readonly ClaimScopeDefinition[]): string {
  return usableClaimScopes(custom)
    .map((scope) => `${scope.name}=${[...scope.claims].sort().join(',')}`)
    .sort()
    .join(' ');
}

/**
 * The claims a token's granted scopes release right now: the fixed scopes' and those of the
 * custom scopes that still exist. A custom scope removed in another process stops releasing at
 * once, not only when this instance's provider is next rebuilt.
 */
export function releasedClaims(scopes: Iterable<string>, custom: readonly ClaimScopeDefinition[]): Set<string> {
  const byName = new Map(usableClaimScopes(custom).map((scope) => [scope.name, scope.claims]));
  const released = new Set<string>();
  for (const scope of scopes) {
    for (const claim of STANDARD_CLAIM_SCOPES[scope] ?? byName.get(scope) ?? []) released.add(claim);
  }
  return released;
}

/** The scopes whose claims come from the account row alone. */
const ACCOUNT_ROW_SCOPES = new Set(['openid', 'email', 'profile', 'phone', 'offline_access', 'address']);

/** Whether these scopes release anything from the person's directory entry (roles, groups, attributes). */
export const needsDirectory = (scopes: Iterable<string>): boolean =>
  [...scopes].some((scope) => !ACCOUNT_ROW_SCOPES.has(scope));
