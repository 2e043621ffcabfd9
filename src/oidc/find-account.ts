import type { FindAccount } from 'oidc-provider';
import type { AccountService } from '../accounts/account-service.js';
import type { AccountRow } from '../accounts/account-queries.js';
import { profileClaimsOf } from '../accounts/profile-claims.js';
import type { ClaimScopeDefinition, PersonDirectory } from '../directory/person-directory.js';
import { STANDARD_CLAIM_SCOPES, releasedClaims } from './claim-scopes.js';

/** The claims the account row answers; any other (roles, groups, attributes) needs the directory. */
const ROW_CLAIMS = new Set(['openid', 'email', 'profile', 'phone'].flatMap((scope) => STANDARD_CLAIM_SCOPES[scope]));

/**
 * The `acr`/`amr` a token was issued with, if any: access tokens carry them among their extra
 * claims (token-configuration.ts, extraTokenClaims), codes and refresh tokens as properties.
 */
function authenticationOf(token: unknown): { acr?: string; amr?: string[] } {
  const t = (token ?? {}) as { acr?: string; amr?: string[]; extra?: { acr?: string; amr?: string[] } };
  const acr = t.extra?.acr ?? t.acr;
  const amr = t.extra?.amr ?? t.amr;
  return { ...(acr ? { acr } : {}), ...(amr ? { amr } : {}) };
}

/** OIDC Core §5.1's claims we hold on the account row, by claim name (profile-claims.ts maps the columns). */
function accountClaims(account: AccountRow): Record<string, unknown> {
  return {
    email: account.email,
    email_verified: account.emailVerified,
    name: account.name,
    ...profileClaimsOf(account),
    updated_at: Math.floor(account.updatedAt.getTime() / 1000),
  };
}

/** OIDC Core §5.3.2: a claim the person has no value for is left out, not sent as null. */
const present = (claims: Record<string, unknown>, released: Set<string>) =>
  Object.fromEntries(Object.entries(claims).filter(([name, value]) => released.has(name) && value != null));

/**
 * oidc-provider asks for an account whenever it issues or honours a token; a disabled or deleted
 * account yields nothing, which invalidates what it holds (userinfo, refresh, introspection).
 * `customScopes` are those this provider generation was built with (provider-host.ts).
 */
export function createFindAccount(
  accounts: Pick<AccountService, 'findById'>,
  directory: Pick<PersonDirectory, 'entryOf' | 'claimScopes'>,
  customScopes: readonly ClaimScopeDefinition[],
): FindAccount {
  const customNames = new Set(customScopes.map((scope) => scope.name));
  return async (_ctx, id, token) => {
    const account = await accounts.findById(id);
    if (!account || account.disabled) return undefined;
    return {
      accountId: account.id,
      // OIDC Core §5.4: the claims of the granted scopes, and those asked for by name (§5.5); the
      // provider filters them again by its own configuration and the person's consent.
      async claims(use, scope, requested) {
        const granted = scope.split(' ');
        const custom = granted.some((name) => customNames.has(name));
        // Read now, not from the build: a scope removed since stops releasing at once.
        const released = releasedClaims(granted, custom ? await directory.claimScopes() : []);
        for (const name of Object.keys(requested ?? {})) released.add(name);
        const fromDirectory = [...released].some((name) => !ROW_CLAIMS.has(name));
        const entry = fromDirectory ? await directory.entryOf(account.id) : undefined;
        return {
          sub: account.id,
          // Userinfo says how the person signed in, as the ID token does: the access token carries the
          // acr and amr of the code it came from (OIDC Core §5.3.2 returns requested claims; §2 defines them).
          ...(use === 'userinfo' ? authenticationOf(token) : {}),
          // Declared attributes first: a standard claim of the same name is the account's own.
          ...present({ ...entry?.attributes, ...accountClaims(account) }, released),
          // Lists, empty when the person holds none: an app can rely on the type.
          ...(entry && released.has('roles') ? { roles: [...entry.roles] } : {}),
          ...(entry && released.has('groups') ? { groups: [...entry.groups] } : {}),
        };
      },
    };
  };
}
