import { randomBytes, randomUUID } from 'node:crypto';
import * as client from 'openid-client';
import type { Clock } from '../kernel/clock.js';
import { normalizeEmail } from '../kernel/normalize-email.js';
import type { AuditService } from '../audit/audit-service.js';
import type { AccountQueries } from '../accounts/account-queries.js';
import type { AccountService } from '../accounts/account-service.js';
import { emailDomainAllowed } from '../accounts/email-domain-allowed.js';
import { requireRecentSignIn } from '../account-lifecycle/fresh-authentication.js';
import type { Connection, ConnectionService } from './connection-service.js';
import type { IdentityQueries } from './identity-queries.js';
import type { AttemptQueries, AttemptRow } from './attempt-queries.js';
import type { UpstreamClient } from './upstream-client.js';
import { UpstreamError, type UpstreamProfile } from './upstream-profile.js';
import { federatedContext } from './federated-context.js';
import {
  ATTEMPT_TTL_MS,
  hash,
  tripTools,
  UpstreamTripError,
  type RequestInfo,
  type Resolution,
} from './upstream-trip.js';
import { upstreamLinking } from './upstream-linking.js';

export { ATTEMPT_TTL_MS, UpstreamTripError, type RequestInfo, type Resolution } from './upstream-trip.js';

export interface UpstreamSignInDeps {
  readonly connections: ConnectionService;
  readonly identities: IdentityQueries;
  readonly attempts: AttemptQueries;
  readonly accounts: Pick<AccountQueries, 'findByEmail' | 'findById'>;
  readonly createAccount: AccountService['create'];
  readonly upstream: UpstreamClient;
  readonly audit: AuditService;
  readonly clock: Clock;
  /** REGISTRATION=domain's list: an account created on the fly must be at one of them too. */
  readonly registrationDomains: readonly string[];
  /** Whether the account has a second factor (an authenticator app or a passkey). */
  readonly hasSecondFactor: (accountId: string) => Promise<boolean>;
}

/**
 * Sign-in with another identity provider, inside the oidc-provider interaction: a trip out
 * (`start`), the way back (`callback`, at one fixed redirect URI), then the account
 * (`resolve`): found by (connection, iss, sub) only, never by email (nOAuth).
 */
export function createUpstreamSignIn(deps: UpstreamSignInDeps) {
  const { connections, identities, attempts, audit, clock } = deps;
  const { now, record, liveAttempt } = tripTools({ attempts, audit, clock });
  const linking = upstreamLinking(deps, { now, record, liveAttempt });

  async function signedIn(
    attempt: AttemptRow,
    connection: Connection,
    profile: UpstreamProfile,
    accountId: string,
    info: RequestInfo,
    extra: { created?: boolean } = {},
  ): Promise<Resolution> {
    const context = federatedContext(connection, profile);
    await record('upstream.signin', 'success', connection, info, {
      accountId,
      detail: { issuer: profile.issuer, subject: profile.subject, amr: context.amr, created: extra.created ?? false },
    });
    void attempt;
    return { kind: 'signed_in', accountId, ...context, connection };
  }

  return {
    /**
     * Starts a trip: a fresh `state`, `nonce` and PKCE verifier kept server-side under the hash of
     * the state, and a browser binding (a cookie value) so the way back is accepted only in the
     * browser that left (RFC 9700 §4.7, login CSRF). A trip from the account console (`accountId`)
     * links a new way in to the account, so it needs a recent sign-in, as every factor change does
     * (fresh-authentication.ts): an older console session is refused with ERR_SIGN_IN_AGAIN.
     */
    async start(
      input:
        | { connectionId: string; uid: string; loginHint?: string }
        | { connectionId: string; accountId: string; signedInSecondsAgo: number },
    ): Promise<{ url: URL; binding: string; connection: Connection }> {
      if ('accountId' in input) requireRecentSignIn(input.signedInSecondsAgo);
      const uid = 'uid' in input ? input.uid : undefined;
      const accountId = 'accountId' in input ? input.accountId : undefined;
      const loginHint = 'loginHint' in input ? input.loginHint : undefined;
      const connection = await connections.find(input.connectionId);
      if (!connection) throw new UpstreamError('unknown_connection', 'that sign-in option does not exist');
      const state = client.randomState();
      const nonce = client.randomNonce();
      const codeVerifier = client.randomPKCECodeVerifier();
      const binding = randomBytes(32).toString('base64url');
      const url = await deps.upstream.authorizationUrl(connection, {
        state,
        nonce,
        codeVerifier,
        loginHint,
      });
      const at = now();
      await attempts.insert({
        id: hash(state),
        interactionUid: uid ?? null,
        accountId: accountId ?? null,
        connectionId: connection.id,
        bindingHash: hash(binding),
        codeVerifier,
        nonce,
        status: 'started',
        result: null,
        createdAt: at,
        expiresAt: new Date(at.getTime() + ATTEMPT_TTL_MS),
      });
      return { url, binding, connection };
    },

    /**
     * The way back, at the fixed redirect URI. The attempt is spent first (one compare-and-set), so
     * a replayed `state` finds it gone; then openid-client checks the answer (`iss`, the code with
     * PKCE, the ID token with the nonce). Returns the attempt for `resolve`.
     */
    async callback(
      callbackUrl: URL,
      binding: string | undefined,
      info: RequestInfo,
    ): Promise<{ attemptId: string; uid: string | null; accountId: string | null }> {
      const state = callbackUrl.searchParams.get('state');
      const attempt = state ? await attempts.findById(hash(state)) : null;
      const connection = attempt ? await connections.find(attempt.connectionId) : undefined;
      const fail = async (error: UpstreamError): Promise<never> => {
        await record('upstream.signin', 'failure', connection, info, {
          reason: error.reason,
          accountId: attempt?.accountId ?? undefined,
        });
        throw new UpstreamTripError(error, attempt?.interactionUid ?? undefined, connection?.name);
      };
      if (!attempt || !state || !connection)
        return fail(new UpstreamError('bad_state', 'this answer belongs to no sign-in in progress'));
      if (!binding || hash(binding) !== attempt.bindingHash)
        return fail(new UpstreamError('bad_state', 'this answer belongs to a sign-in started in another browser'));
      if (!(await attempts.advance(attempt.id, 'started', 'returning', now())))
        return fail(new UpstreamError('bad_state', 'this answer was already used, or the sign-in has expired'));
      let profile: UpstreamProfile;
      try {
        profile = await deps.upstream.redeem(connection, callbackUrl, {
          state,
          nonce: attempt.nonce,
          codeVerifier: attempt.codeVerifier,
        });
      } catch (error) {
        await attempts.advance(attempt.id, 'returning', 'failed', now());
        return fail(error as UpstreamError);
      }
      await attempts.advance(attempt.id, 'returning', 'returned', now(), { result: JSON.stringify(profile) });
      return { attemptId: attempt.id, uid: attempt.interactionUid, accountId: attempt.accountId };
    },

    /** The account for an identity that came back: by (connection, iss, sub) only. */
    async resolve(
      uid: string,
      attemptId: string,
      binding: string | undefined,
      info: RequestInfo,
    ): Promise<Resolution | undefined> {
      const attempt = await liveAttempt(attemptId, binding, 'returned');
      if (!attempt || attempt.interactionUid !== uid || !attempt.result) return undefined;
      const connection = await connections.find(attempt.connectionId);
      if (!connection) return undefined;
      const profile = JSON.parse(attempt.result) as UpstreamProfile;
      const refuse = async (reason: string, message: string): Promise<Resolution> => {
        await attempts.advance(attempt.id, 'returned', 'finished', now());
        await record('upstream.signin', 'failure', connection, info, {
          reason,
          email: profile.verifiedEmail,
          detail: { issuer: profile.issuer, subject: profile.subject },
        });
        return { kind: 'refused', message, connection };
      };

      const identity = await identities.find(connection.id, profile.issuer, profile.subject);
      if (identity) {
        const account = await deps.accounts.findById(identity.accountId);
        if (!account || account.disabled) return refuse('account_disabled', 'This account is disabled.');
        if (!(await attempts.advance(attempt.id, 'returned', 'finished', now()))) return undefined;
        await identities.touch(identity.id, profile.verifiedEmail ?? null, now());
        return signedIn(attempt, connection, profile, account.id, info);
      }

      const email = profile.verifiedEmail ? normalizeEmail(profile.verifiedEmail) : undefined;
      const existing = email ? await deps.accounts.findByEmail(email) : null;
      if (existing && email) {
        // Never linked on the address alone, whatever email_verified says (nOAuth): the person
        // proves the account is theirs first (link, below).
        if (!(await attempts.advance(attempt.id, 'returned', 'awaiting_proof', now()))) return undefined;
        return { kind: 'prove', email: existing.email, connection };
      }
      if (!connection.autoCreate)
        return refuse(
          'no_account',
          `No account here is linked to your ${connection.buttonLabel} sign-in, and this server does not create accounts from it. Ask your administrator, or sign in with your password.`,
        );
      if (!email)
        return refuse(
          'no_verified_email',
          `${connection.buttonLabel} did not confirm an email address for you, so no account can be created from it.`,
        );
      if (!emailDomainAllowed(email, deps.registrationDomains))
        return refuse('email_domain', 'Accounts at this email domain cannot be created here.');
      if (!(await attempts.advance(attempt.id, 'returned', 'finished', now()))) return undefined;
      const account = await deps.createAccount({ email, name: profile.name, emailVerified: true });
      await identities.insert({
        id: randomUUID(),
        connectionId: connection.id,
        issuer: profile.issuer,
        subject: profile.subject,
        accountId: account.id,
        email,
        createdAccount: true,
        createdAt: now(),
        lastUsedAt: now(),
      });
      return signedIn(attempt, connection, profile, account.id, info, { created: true });
    },

    ...linking,
  };
}

export type UpstreamSignIn = ReturnType<typeof createUpstreamSignIn>;
