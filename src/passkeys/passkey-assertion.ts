import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { waitInWords } from '../kernel/wait-in-words.js';
import { CHALLENGE_TTL_MS, type PasskeyActor, type PasskeyServiceDeps } from './passkey-deps.js';
import type { PasskeyChallenges } from './passkey-challenges.js';
import { transportsOf } from './passkey-registration.js';
import { toPasskeySummary, type PasskeySummary } from './passkey-summary.js';
import { CREDENTIAL_ID_MAX } from './authenticator-names.js';
import { loadWebAuthn } from './load-webauthn.js';

export interface AssertionOptions {
  /** The account of the second step: only its passkeys are asked for and accepted. Absent for passwordless. */
  readonly accountId?: string;
  /** Passwordless sign-in requires user verification (the passkey is then both factors, NIST SP 800-63B §5.1.9). */
  readonly requireUserVerification: boolean;
  readonly actor: PasskeyActor;
}

const INVALID = 'That passkey was not accepted. Try again, or use another way to sign in.';

/** A signature counter that did not go up (§6.1.1): a sign of a cloned key, unless both are zero (synced passkeys never count). */
export const counterWentBack = (stored: bigint, received: number) =>
  (stored > 0n || received > 0) && BigInt(received) <= stored;

/** Assertions (WebAuthn §7.2), for the second step and for passwordless sign-in. */
export function createPasskeyAssertion(deps: PasskeyServiceDeps, challenges: PasskeyChallenges) {
  const { queries, relyingParty: rp, audit, throttle, clock } = deps;

  async function begin(binding: string, accountId?: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const allowed = accountId ? await queries.listByAccount(accountId) : [];
    const { generateAuthenticationOptions } = await loadWebAuthn();
    const options = await generateAuthenticationOptions({
      rpID: rp.rpId,
      timeout: CHALLENGE_TTL_MS,
      // With an account (the second step): its passkeys; without: any discoverable one (§5.4.6).
      allowCredentials: allowed.map((p) => ({ id: p.id, transports: transportsOf(p.transports) })),
      userVerification: accountId ? 'preferred' : 'required',
    });
    await challenges.issue('authentication', binding, options.challenge, accountId);
    return options;
  }

  async function finish(
    binding: string,
    response: AuthenticationResponseJSON,
    { accountId, requireUserVerification, actor }: AssertionOptions,
  ): Promise<{ accountId: string; passkey: PasskeySummary; userVerified: boolean }> {
    const challenge = await challenges.live('authentication', binding, response?.response?.clientDataJSON, accountId);
    const credentialId = typeof response.id === 'string' ? response.id.slice(0, CREDENTIAL_ID_MAX) : '';
    const row = credentialId ? await queries.find(credentialId) : null;
    // Counted on the account the assertion is for: the second step's, else the passkey's, else
    // the one its user handle claims, so an unknown credential is throttled like a known one.
    const claimed = accountId ?? row?.accountId ?? String(response.response?.userHandle ?? credentialId).slice(0, 256);
    const record = (outcome: 'success' | 'failure' | 'blocked', reason?: string, detail?: Record<string, unknown>) =>
      audit.record({
        type: 'passkey.verify',
        outcome,
        reason,
        accountId: row?.accountId ?? accountId ?? null,
        ip: actor.ip,
        userAgent: actor.userAgent,
        clientId: actor.clientId,
        detail: { passwordless: !accountId, ...detail },
      });
    const admission = await throttle.begin(claimed);
    if (!admission.admitted) {
      await record('blocked', 'too_many_failures', { retryAfterSeconds: admission.retryAfter });
      throw new GatehouseError(
        'ERR_MFA_THROTTLED',
        `Too many tries. Try again in ${waitInWords(admission.retryAfter)}.`,
        {
          retryAfterSeconds: admission.retryAfter,
        },
      );
    }
    const fail = async (
      code: 'ERR_PASSKEY_INVALID' | 'ERR_PASSKEY_USER_VERIFICATION' | 'ERR_PASSKEY_CLONED',
      reason: string,
      message: string,
      detail?: Record<string, unknown>,
    ) => {
      const block = await admission.failed();
      await record('failure', reason, detail);
      if (block > 0)
        return new GatehouseError('ERR_MFA_THROTTLED', `Too many tries. Try again in ${waitInWords(block)}.`, {
          retryAfterSeconds: block,
        });
      return new GatehouseError(code, message);
    };

    if (!row || (accountId && row.accountId !== accountId) || row.rpId !== rp.rpId)
      throw await fail('ERR_PASSKEY_INVALID', row ? 'wrong_account' : 'unknown_credential', INVALID);
    const { verifyAuthenticationResponse } = await loadWebAuthn();
    let verified;
    try {
      verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge.challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpId,
        // The counter and user verification are judged below, once the signature is proven, so
        // that neither answer can tell a stranger anything about a credential they do not hold.
        credential: { id: row.id, publicKey: Buffer.from(row.publicKey, 'base64url'), counter: 0 },
        requireUserVerification: false,
      });
    } catch {
      verified = undefined;
    }
    if (!verified?.verified) throw await fail('ERR_PASSKEY_INVALID', 'invalid', INVALID);
    const { newCounter, userVerified, credentialBackedUp } = verified.authenticationInfo;
    if (requireUserVerification && !userVerified)
      throw await fail(
        'ERR_PASSKEY_USER_VERIFICATION',
        'user_verification',
        'Your device did not confirm it was you (a PIN, fingerprint or face). Turn that on for passkeys, or use another way to sign in.',
      );
    const cloned =
      'This passkey was refused: it may have been copied. Use another way to sign in and tell your administrator.';
    // Audited with both counters: the operator sees which passkey and by how much (§6.1.1, §13.4.8).
    const counters = { passkey: row.id, storedCounter: Number(row.counter), receivedCounter: newCounter };
    if (counterWentBack(row.counter, newCounter)) throw await fail('ERR_PASSKEY_CLONED', 'cloned', cloned, counters);
    await challenges.spend(challenge).catch(async (error: unknown) => {
      await admission.failed();
      await record('failure', 'challenge_spent');
      throw error;
    });
    const at = new Date(clock());
    // Checked against the counter read above: a copy used at the same moment loses here.
    if (
      !(await queries.recordUse(row.id, row.counter, { counter: BigInt(newCounter), backedUp: credentialBackedUp, at }))
    )
      throw await fail('ERR_PASSKEY_CLONED', 'cloned', cloned, counters);
    await admission.succeeded();
    await record('success', undefined, { userVerified, deviceType: row.deviceType });
    return {
      accountId: row.accountId,
      passkey: toPasskeySummary({ ...row, counter: BigInt(newCounter), backedUp: credentialBackedUp, lastUsedAt: at }),
      userVerified,
    };
  }

  return { begin, finish };
}
