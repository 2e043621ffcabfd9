import type { AccountService, PublicAccount } from './account-service.js';
import { toPublic } from './account-service.js';
import type { SessionService, Actor } from '../sessions/session-service.js';
import type { AuditService } from '../audit/audit-service.js';

/**
 * Account changes that must cascade: disabling a person ends their sessions and revokes every
 * grant (and so every token); a new password ends their other sessions and refresh tokens.
 */
export function createAccountAdminService(accounts: AccountService, sessions: SessionService, audit: AuditService) {
  return {
    async disable(email: string, actor: Actor = { by: 'admin' }): Promise<{ account: PublicAccount; sessions: number; grants: number }> {
      const account = await accounts.setDisabled(email, true);
      const ended = await sessions.revokeSessions(account.id, actor);
      const grants = await sessions.revokeGrants(account.id, actor);
      await audit.record({ type: 'admin.user.disabled', outcome: 'success', accountId: account.id, email: account.email, detail: { sessions: ended, grants } });
      return { account: toPublic(account), sessions: ended, grants };
    },

    async enable(email: string): Promise<PublicAccount> {
      const account = await accounts.setDisabled(email, false);
      await audit.record({ type: 'admin.user.enabled', outcome: 'success', accountId: account.id, email: account.email });
      return toPublic(account);
    },

    async changePassword(accountId: string, current: string, next: string, keepSessionUid: string | undefined, actor: Actor): Promise<void> {
      await accounts.changePassword(accountId, current, next);
      await sessions.revokeSessions(accountId, actor, keepSessionUid);
      await sessions.revokeRefreshTokens(accountId);
      const account = await accounts.findById(accountId);
      await audit.record({ type: 'password.changed', outcome: 'success', accountId, email: account?.email, ip: actor.ip, userAgent: actor.userAgent });
    },
  };
}

export type AccountAdminService = ReturnType<typeof createAccountAdminService>;
