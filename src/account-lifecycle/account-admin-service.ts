import type { AccountService, PublicAccount } from '../accounts/account-service.js';
import { toPublic } from '../accounts/account-service.js';
import { ThrottledError, type PasswordCheck } from '../accounts/password-check.js';
import type { KnownDevice } from '../throttle/device-cookies.js';
import type { SessionService, Actor } from '../sessions/session-service.js';
import type { AuditService } from '../audit/audit-service.js';
import type { AccountErasureQueries } from '../accounts/account-erasure-queries.js';
import type { CredentialsChanged } from './credentials-changed.js';
import type { MfaService } from '../mfa/mfa-service.js';
import type { PasskeyService } from '../passkeys/passkey-service.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { operatorDetail } from '../sessions/operator-actor.js';

export interface AccountAdminDeps {
  readonly accounts: AccountService;
  readonly sessions: SessionService;
  readonly audit: AuditService;
  readonly check: PasswordCheck;
  readonly erasure: AccountErasureQueries;
  readonly mfa: Pick<MfaService, 'reset'>;
  readonly passkeys: Pick<PasskeyService, 'removeAll'>;
  readonly credentialsChanged: CredentialsChanged;
  /**
   * The first mail of an account an operator made, when mail is on: a confirmation link for an
   * unverified address, or a password link when no password was given. Each resolves true when queued.
   */
  readonly welcome?: {
    sendVerification(accountId: string): Promise<boolean>;
    sendPasswordLink(email: string): Promise<boolean>;
  };
}

/** The operator: the CLI on the server's machine, or a management API client (`clientId`). */
const OPERATOR: Actor = { by: 'admin' };

/**
 * Admin events carry who made them: the calling client in the event's client column (so the audit
 * trail can be queried by it) and `actor` in its detail ('cli', 'api', or 'console' with the administrator).
 */
const byOperator = (actor: Actor, detail: Record<string, unknown> = {}) => ({
  clientId: actor.clientId ?? null,
  ip: actor.ip,
  userAgent: actor.userAgent,
  detail: { ...detail, ...operatorDetail(actor) },
});

/**
 * Account changes that must cascade: disabling a person ends their sessions and revokes every
 * grant (and so every token); a new password or a reset second factor ends their other sessions
 * and refresh tokens, and (credentials-changed.ts) every pending mail link and remembered browser.
 */
export function createAccountAdminService({
  accounts,
  sessions,
  audit,
  check,
  erasure,
  mfa,
  passkeys,
  credentialsChanged,
  welcome,
}: AccountAdminDeps) {
  return {
    /**
     * An account made by an operator (`user add`, POST /users). Without a password it gets one
     * nobody knows, and (mail on) a password link; an unverified address gets its confirmation link.
     */
    async create(
      input: { email: string; password?: string; name?: string; emailVerified?: boolean },
      actor: Actor = OPERATOR,
    ): Promise<{ account: PublicAccount; verificationSent: boolean; passwordLinkSent: boolean }> {
      const account = await accounts.create(input);
      const verificationSent =
        Boolean(welcome) && !account.emailVerified && Boolean(await welcome?.sendVerification(account.id));
      const passwordLinkSent = input.password === undefined && Boolean(await welcome?.sendPasswordLink(account.email));
      await audit.record({
        type: 'admin.user.created',
        outcome: 'success',
        accountId: account.id,
        email: account.email,
        ...byOperator(actor, { verificationSent, passwordLinkSent }),
      });
      return { account, verificationSent, passwordLinkSent };
    },

    async disable(
      email: string,
      actor: Actor = OPERATOR,
    ): Promise<{ account: PublicAccount; sessions: number; grants: number }> {
      const account = await accounts.setDisabled(email, true);
      const ended = await sessions.revokeSessions(account.id, actor);
      const grants = await sessions.revokeGrants(account.id, actor);
      await audit.record({
        type: 'admin.user.disabled',
        outcome: 'success',
        accountId: account.id,
        email: account.email,
        ...byOperator(actor, { sessions: ended, grants }),
      });
      return { account: toPublic(account), sessions: ended, grants };
    },

    async enable(email: string, actor: Actor = OPERATOR): Promise<PublicAccount> {
      const account = await accounts.setDisabled(email, false);
      await audit.record({
        type: 'admin.user.enabled',
        outcome: 'success',
        accountId: account.id,
        email: account.email,
        ...byOperator(actor),
      });
      return toPublic(account);
    },

    /**
     * An operator sets a password (a person locked out, a first password handed over): as with a
     * password change, every session and refresh token of the account ends (ASVS 4.0 §3.3.3).
     */
    async setPassword(
      email: string,
      password: string,
      actor: Actor = OPERATOR,
    ): Promise<{ account: PublicAccount; sessions: number }> {
      const account = await accounts.requireByEmail(email);
      await accounts.setPassword(account.id, password);
      await credentialsChanged(account.id);
      const ended = await sessions.revokeSessions(account.id, actor);
      await sessions.revokeRefreshTokens(account.id);
      await audit.record({
        type: 'admin.user.password_set',
        outcome: 'success',
        accountId: account.id,
        email: account.email,
        ...byOperator(actor, { sessions: ended }),
      });
      return { account: toPublic(account), sessions: ended };
    },

    /**
     * An operator's reset for a lost phone: the authenticator app, the passkeys, the recovery codes,
     * remembered browsers and pending mail links go, and every session ends (whoever holds the
     * phone may hold a signed-in browser too). One audit event and one mail say so.
     */
    async resetMfa(
      email: string,
      actor: Actor = OPERATOR,
    ): Promise<{ account: PublicAccount; removed: boolean; passkeys: number; devices: number; sessions: number }> {
      const account = await accounts.requireByEmail(email);
      const removedPasskeys = await passkeys.removeAll(account.id);
      const { removed, devices } = await mfa.reset(account.id, account.email, removedPasskeys, {
        clientId: actor.clientId,
        ip: actor.ip,
        userAgent: actor.userAgent,
        operator: operatorDetail(actor),
        locale: account.locale,
      });
      await credentialsChanged(account.id);
      const ended = await sessions.revokeSessions(account.id, actor);
      return { account: toPublic(account), removed, passkeys: removedPasskeys, devices, sessions: ended };
    },

    /** Name, email, email verified; audited with the names of the fields changed (not their values). */
    async update(
      email: string,
      changes: { name?: string; email?: string; emailVerified?: boolean },
      actor: Actor = OPERATOR,
      /** Only while the account is at this version (If-Match): ERR_PRECONDITION_FAILED otherwise. */
      ifVersion?: Date,
    ): Promise<PublicAccount> {
      const { before, after } = await accounts.updateProfile(email, changes, ifVersion);
      const changed = (['name', 'email', 'emailVerified'] as const).filter((key) => before[key] !== after[key]);
      await audit.record({
        type: 'admin.user.updated',
        outcome: 'success',
        accountId: after.id,
        email: after.email,
        ...byOperator(actor, { changed }),
      });
      return toPublic(after);
    },

    /**
     * Deletes the account and everything that names the person: sessions end (apps with
     * back-channel logout hear of it), every grant and token is revoked, then the account, its
     * factors, devices and activity go, and its audit events lose email, address and browser. The
     * deletion itself is audited under the account's random id only.
     */
    async remove(email: string, actor: Actor = OPERATOR): Promise<{ id: string; sessions: number; grants: number }> {
      const account = await accounts.requireByEmail(email);
      const ended = await sessions.revokeSessions(account.id, actor);
      const grants = await sessions.revokeGrants(account.id, actor);
      await erasure.erase(account.id, account.email);
      await audit.record({
        type: 'admin.user.deleted',
        outcome: 'success',
        accountId: account.id,
        ...byOperator(actor, { sessions: ended, grants }),
      });
      return { id: account.id, sessions: ended, grants };
    },

    /**
     * A new password, after the current one is confirmed through the shared password check, so
     * a stolen session cannot guess it faster than sign-in could (ASVS 4.0 §2.1.5, §2.2.1).
     */
    async changePassword(
      accountId: string,
      current: string,
      next: string,
      keepSessionUid: string | undefined,
      actor: Actor,
      device?: KnownDevice,
    ): Promise<void> {
      const confirmed = await check({
        purpose: 'reauth',
        accountId,
        password: current,
        ip: actor.ip ?? '',
        userAgent: actor.userAgent,
        device,
        detail: { action: 'password_change' },
      });
      if (!confirmed.ok && confirmed.reason === 'throttled') throw new ThrottledError(confirmed.retryAfterSeconds);
      if (!confirmed.ok) throw new GatehouseError('ERR_PASSWORD_MISMATCH', 'the current password is not correct');
      await accounts.setPassword(accountId, next);
      await credentialsChanged(accountId);
      await sessions.revokeSessions(accountId, actor, keepSessionUid);
      await sessions.revokeRefreshTokens(accountId);
      await audit.record({
        type: 'password.changed',
        outcome: 'success',
        accountId,
        email: confirmed.account.email,
        ip: actor.ip,
        userAgent: actor.userAgent,
      });
    },
  };
}

export type AccountAdminService = ReturnType<typeof createAccountAdminService>;
