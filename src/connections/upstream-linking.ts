import { randomUUID } from 'node:crypto';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { normalizeEmail } from '../kernel/normalize-email.js';
import type { AttemptRow } from './attempt-queries.js';
import type { Connection } from './connection-service.js';
import type { UpstreamProfile } from './upstream-profile.js';
import { federatedContext } from './federated-context.js';
import { authenticationContext } from '../mfa/authentication-context.js';
import { hash, type RequestInfo, type Resolution, type TripTools } from './upstream-trip.js';
import type { UpstreamSignInDeps } from './upstream-sign-in.js';

/**
 * Linking an upstream identity to an account that already exists: after the person proves it is
 * theirs in the sign-in (password, then the second step when the account has one), or from the
 * account console under its session. Never on the address alone (nOAuth).
 */
export function upstreamLinking(deps: UpstreamSignInDeps, { now, record, liveAttempt }: TripTools) {
  const { connections, identities, attempts } = deps;

  async function linkNow(
    attempt: AttemptRow,
    connection: Connection,
    profile: UpstreamProfile,
    accountId: string,
    info: RequestInfo,
    proof: string,
  ) {
    void attempt;
    await identities.insert({
      id: randomUUID(),
      connectionId: connection.id,
      issuer: profile.issuer,
      subject: profile.subject,
      accountId,
      email: profile.verifiedEmail ?? null,
      createdAccount: false,
      createdAt: now(),
      lastUsedAt: now(),
    });
    await record('upstream.linked', 'success', connection, info, {
      accountId,
      detail: { issuer: profile.issuer, subject: profile.subject, proof },
    });
  }

  const linking = {
    /** The account the identity waits to be linked to (its address), while the attempt waits for proof. */
    async pendingLink(uid: string, attemptId: string, binding: string | undefined) {
      const attempt = await liveAttempt(attemptId, binding, 'awaiting_proof');
      if (!attempt || attempt.interactionUid !== uid || !attempt.result) return undefined;
      const connection = await connections.find(attempt.connectionId);
      const profile = JSON.parse(attempt.result) as UpstreamProfile;
      const account = profile.verifiedEmail
        ? await deps.accounts.findByEmail(normalizeEmail(profile.verifiedEmail))
        : null;
      return connection && account ? { attempt, connection, profile, account } : undefined;
    },

    /**
     * The password was right (checked by the caller through the one password check). An account
     * without a second factor is linked now; one with a second factor only once this interaction's
     * second step succeeds (afterSecondStep): the session says `pwd` and `fed`, one factor, so the
     * adaptive policy decides about the second step exactly as after a password.
     */
    async link(
      uid: string,
      attemptId: string,
      binding: string | undefined,
      accountId: string,
      info: RequestInfo,
    ): Promise<Resolution | undefined> {
      const pending = await linking.pendingLink(uid, attemptId, binding);
      if (!pending || pending.account.id !== accountId) return undefined;
      const { attempt, connection, profile } = pending;
      const waitForSecondStep = await deps.hasSecondFactor(accountId);
      const next = waitForSecondStep ? 'awaiting_second_step' : 'finished';
      if (!(await attempts.advance(attempt.id, 'awaiting_proof', next, now(), { accountId }))) return undefined;
      if (!waitForSecondStep) await linkNow(attempt, connection, profile, accountId, info, 'password');
      // While the link waits for the account's own second step, the provider's MFA does not stand in
      // for it (--trust-upstream-mfa): it proves the upstream identity, not this account.
      const context = waitForSecondStep
        ? authenticationContext(['password', 'federated'])
        : federatedContext(connection, profile, ['password']);
      await record('upstream.signin', 'success', connection, info, {
        accountId,
        detail: { issuer: profile.issuer, subject: profile.subject, amr: context.amr, linking: next },
      });
      return { kind: 'signed_in', accountId, ...context, connection };
    },

    /**
     * Whether this browser (its binding) holds an identity waiting for this account's second step:
     * the second-step policy then asks it whatever else it would skip (src/second-step/risk/link-pending.ts).
     */
    async waitingForSecondStep(accountId: string, binding: string | undefined): Promise<boolean> {
      if (!binding) return false;
      return (await attempts.findWaiting(hash(binding), accountId, 'awaiting_second_step', now())) !== null;
    },

    /** This interaction's second step succeeded: the identity waiting for it is linked now. */
    async afterSecondStep(accountId: string, binding: string | undefined, info: RequestInfo) {
      if (!binding) return;
      const attempt = await attempts.findWaiting(hash(binding), accountId, 'awaiting_second_step', now());
      if (!attempt?.result) return;
      const connection = await connections.find(attempt.connectionId);
      if (!connection || !(await attempts.advance(attempt.id, 'awaiting_second_step', 'finished', now()))) return;
      await linkNow(
        attempt,
        connection,
        JSON.parse(attempt.result) as UpstreamProfile,
        accountId,
        info,
        'password+second_factor',
      );
    },

    /**
     * Back from a trip started in the account console (Link …): the identity joins the signed-in
     * account, unless it already belongs to another one (refused: an identity has one account).
     */
    async finishConsoleLink(attemptId: string, binding: string | undefined, accountId: string, info: RequestInfo) {
      const attempt = await liveAttempt(attemptId, binding, 'returned');
      const connection = attempt ? await connections.find(attempt.connectionId) : undefined;
      if (!attempt?.result || attempt.accountId !== accountId || !connection)
        throw new GatehouseError('ERR_NOT_FOUND', 'This link can no longer be finished. Start again.');
      if (!(await attempts.advance(attempt.id, 'returned', 'finished', now())))
        throw new GatehouseError('ERR_NOT_FOUND', 'This link can no longer be finished. Start again.');
      const profile = JSON.parse(attempt.result) as UpstreamProfile;
      const existing = await identities.find(connection.id, profile.issuer, profile.subject);
      if (existing && existing.accountId !== accountId) {
        await record('upstream.linked', 'failure', connection, info, { accountId, reason: 'linked_elsewhere' });
        throw new GatehouseError(
          'ERR_CONNECTION_EXISTS',
          `That ${connection.buttonLabel} sign-in is linked to another account.`,
        );
      }
      if (!existing) await linkNow(attempt, connection, profile, accountId, info, 'console_session');
    },
  };
  return linking;
}
