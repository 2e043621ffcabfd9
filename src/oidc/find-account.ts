import type { FindAccount } from 'oidc-provider';
import type { AccountService } from '../accounts/account-service.js';

/**
 * oidc-provider asks for an account whenever it issues or honours a token; a disabled or deleted
 * account yields nothing, which invalidates what it holds (userinfo, refresh, introspection).
 */
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

export function createFindAccount(accounts: AccountService): FindAccount {
  return async (_ctx, id, token) => {
    const account = await accounts.findById(id);
    if (!account || account.disabled) return undefined;
    return {
      accountId: account.id,
      // OIDC Core §5.4: the provider filters these by the granted scopes and claims.
      claims: (use) => ({
        sub: account.id,
        // Userinfo says how the person signed in, as the ID token does: the access token carries the
        // acr and amr of the code it came from (OIDC Core §5.3.2 returns requested claims; §2 defines them).
        ...(use === 'userinfo' ? authenticationOf(token) : {}),
        email: account.email,
        email_verified: account.emailVerified,
        ...(account.name ? { name: account.name } : {}),
        updated_at: Math.floor(account.updatedAt.getTime() / 1000),
      }),
    };
  };
}
