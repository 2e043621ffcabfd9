import { GatehouseError } from '../kernel/gatehouse-error.js';
import type { PasskeyActor, PasskeyServiceDeps } from './passkey-deps.js';
import { createPasskeyChallenges } from './passkey-challenges.js';
import { createPasskeyRegistration } from './passkey-registration.js';
import { createPasskeyAssertion } from './passkey-assertion.js';
import { toPasskeySummary, type PasskeySummary } from './passkey-summary.js';
import { cleanPasskeyName } from './authenticator-names.js';

export type { PasskeySummary } from './passkey-summary.js';
export type { PasskeyActor, PasskeyServiceDeps } from './passkey-deps.js';

const notFound = () => new GatehouseError('ERR_PASSKEY_NOT_FOUND', 'That passkey does not exist (any more).');

/**
 * Passkeys (W3C WebAuthn Level 3), one credential model for both roles: a second factor, and a
 * passwordless sign-in when the authenticator verified the person. Registration and assertion are
 * in passkey-registration.ts and passkey-assertion.ts; this file adds what the console and the
 * operator do with the passkeys an account has.
 */
export function createPasskeyService(deps: PasskeyServiceDeps) {
  const { queries, audit, mfa, accounts, clock, notices } = deps;
  const challenges = createPasskeyChallenges(deps.challenges, clock);
  const registration = createPasskeyRegistration(deps, challenges);
  const assertion = createPasskeyAssertion(deps, challenges);

  return {
    beginRegistration: registration.begin,
    finishRegistration: registration.finish,
    beginAuthentication: assertion.begin,
    finishAuthentication: assertion.finish,

    async list(accountId: string): Promise<PasskeySummary[]> {
      return (await queries.listByAccount(accountId)).map(toPasskeySummary);
    },

    async hasPasskey(accountId: string): Promise<boolean> {
      return (await queries.countByAccount(accountId)) > 0;
    },

    async rename(accountId: string, id: string, name: string, actor: PasskeyActor): Promise<void> {
      const cleaned = cleanPasskeyName(name);
      if (!cleaned) throw new GatehouseError('ERR_FORM_INVALID', 'Give the passkey a name.');
      if (!(await queries.rename(accountId, id, cleaned))) throw notFound();
      await audit.record({
        type: 'passkey.renamed',
        outcome: 'success',
        accountId,
        ip: actor.ip,
        userAgent: actor.userAgent,
      });
    },

    /**
     * Removes one passkey and tells the owner. When it was the last second factor (no other passkey,
     * no authenticator app), its recovery codes and remembered browsers go too, as when the app is
     * turned off. `keepLastFactor` (the policy demands a second factor) refuses removing the last
     * one, decided in the same locked transaction as the removal (passkey-queries.ts), so two
     * parallel removals cannot both pass the check. The fresh sign-in is the caller's to ask.
     */
    async remove(
      accountId: string,
      id: string,
      actor: PasskeyActor,
      options: { keepLastFactor?: boolean } = {},
    ): Promise<PasskeySummary> {
      const result = await queries.remove(accountId, id, new Date(clock()), options.keepLastFactor);
      if (!result) throw notFound();
      if (result === 'last') {
        throw new GatehouseError(
          'ERR_PASSKEY_LAST_FACTOR',
          'This is your only second factor, and signing in here (or to an app you use) asks for one every time. Add another passkey or an authenticator app first.',
        );
      }
      const removed = result.row;
      const last = result.factorsLeft === 0;
      if (last) await mfa.revokeTrustedDevices(accountId, new Date(clock()));
      await audit.record({
        type: 'passkey.removed',
        outcome: 'success',
        accountId,
        ip: actor.ip,
        userAgent: actor.userAgent,
        detail: { factor: 'passkey', by: actor.by, lastSecondFactor: last },
      });
      const owner = await accounts.findById(accountId);
      if (owner) await notices?.factorChanged(owner, 'removed', actor, 'passkey');
      return toPasskeySummary(removed);
    },

    /** The operator's reset (`gatehouse user mfa reset`): every passkey goes; the caller audits the reset. */
    removeAll: (accountId: string): Promise<number> => queries.removeAll(accountId),
  };
}

export type PasskeyService = ReturnType<typeof createPasskeyService>;
