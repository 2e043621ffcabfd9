import type { MfaService, SecondFactorProof, MfaActor } from '../mfa/mfa-service.js';
import type { PasswordCheck } from '../accounts/password-check.js';
import type { KnownDevice } from '../throttle/device-cookies.js';
import type { SessionService } from '../sessions/session-service.js';
import type { AuditQueries } from '../audit/audit-queries.js';
import type { CredentialsChanged } from './credentials-changed.js';
import { freshAuthentication } from './fresh-authentication.js';
import type { SecondFactorRequired } from './second-factor-required.js';

export { REAUTH_WINDOW_SECONDS } from './fresh-authentication.js';

export interface ConsoleActor extends MfaActor {
  readonly ip: string;
  /** The browser's verified device cookie (sign-in throttling's known-browser counter). */
  readonly device?: KnownDevice;
}

export interface SignInRecord {
  readonly at: string;
  readonly clientId: string | null;
  readonly ip: string | null;
  readonly asked: boolean;
  readonly reasons: readonly string[];
}

export interface MfaConsoleDeps {
  readonly mfa: MfaService;
  readonly passwordCheck: PasswordCheck;
  readonly sessions: Pick<SessionService, 'revokeSessions'>;
  readonly audit: Pick<AuditQueries, 'listByType'>;
  readonly credentialsChanged: CredentialsChanged;
  /** Whether the last second factor must stay (MFA_POLICY=always, or an app of theirs demands one). */
  readonly secondFactorRequired: SecondFactorRequired;
}

/** What the account console does with the second factor, on behalf of the signed-in person. */
export function createMfaConsoleService({
  mfa,
  passwordCheck,
  sessions,
  audit,
  credentialsChanged,
  secondFactorRequired,
}: MfaConsoleDeps) {
  const confirmFresh = freshAuthentication(passwordCheck);
  return {
    /**
     * Starts setting up an authenticator, in the console or inside a sign-in (the same rule for both):
     * a sign-in older than REAUTH_WINDOW_SECONDS must confirm the password first, through the same
     * throttled and audited check as sign-in. The secret is bound to `binding` (where it started).
     */
    async beginSetup(
      account: { id: string; email: string },
      signedInSecondsAgo: number,
      password: string | undefined,
      binding: string,
      actor: ConsoleActor,
    ) {
      await confirmFresh({
        accountId: account.id,
        signedInSecondsAgo,
        password,
        ip: actor.ip,
        userAgent: actor.userAgent,
        device: actor.device,
        action: 'mfa_enrol',
      });
      return mfa.beginTotpEnrolment(account, binding);
    },

    /**
     * Turns the authenticator off (a code or a recovery code proves it is the owner), spends every
     * pending mail link (credentials-changed.ts) and signs out every other session.
     */
    async disable(
      account: { id: string; email: string },
      proof: SecondFactorProof,
      keepSessionUid: string,
      actor: ConsoleActor,
    ): Promise<void> {
      await mfa.removeTotp(account, proof, actor, { keepLast: await secondFactorRequired(account.id) });
      await credentialsChanged(account.id);
      await sessions.revokeSessions(
        account.id,
        { by: 'user', ip: actor.ip, userAgent: actor.userAgent },
        keepSessionUid,
      );
    },

    /** New recovery codes, after a current code proves the app is at hand. */
    async regenerateCodes(accountId: string, code: string, actor: ConsoleActor): Promise<string[]> {
      await mfa.verify(accountId, { totp: code }, actor);
      return mfa.regenerateRecoveryCodes(accountId, actor);
    },

    /** The person's recent completed sign-ins: when, where, which app, and whether (and why) the second step was asked. */
    async recentSignIns(accountId: string, limit = 10): Promise<SignInRecord[]> {
      const rows = await audit.listByType(accountId, 'mfa.decision', limit);
      return rows.map((row) => {
        const detail = row.detail ? (JSON.parse(row.detail) as { reasons?: string[] }) : {};
        return {
          at: row.at.toISOString(),
          clientId: row.clientId,
          ip: row.ip,
          asked: row.reason === 'asked',
          reasons: detail.reasons ?? [],
        };
      });
    },
  };
}

export type MfaConsoleService = ReturnType<typeof createMfaConsoleService>;
