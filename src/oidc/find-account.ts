import type { FindAccount } from 'oidc-provider';
import type { AccountService } from '../accounts/account-service.js';

/**
 * oidc-provider asks for an account whenever it issues or honours a token; a disabled or deleted
 * account yields nothing, which invalidates what it holds (userinfo, refresh, introspection).
 */
export function createFindAccount(accounts: AccountService): FindAccount {
  return async (_ctx, id) => {
    const account = await accounts.findById(id);
    if (!account || account.disabled) return undefined;
    return {
      accountId: account.id,
      // OIDC Core §5.4: the provider filters these by the granted scopes and claims.
      claims: () => ({
        sub: account.id,
        email: account.email,
        email_verified: account.emailVerified,
        ...(account.name ? { name: account.name } : {}),
        updated_at: Math.floor(account.updatedAt.getTime() / 1000),
      }),
    };
  };
}
