import type {
  PublicKeyCredentialCreationOptionsJSON,
  RegistrationResponseJSON,
  AuthenticatorTransport,
} from '@simplewebauthn/server';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { hashRecoveryCode, newRecoveryCodes } from '../mfa/recovery-codes.js';
import { CHALLENGE_TTL_MS, type PasskeyActor, type PasskeyServiceDeps } from './passkey-deps.js';
import type { PasskeyChallenges } from './passkey-challenges.js';
import { cleanPasskeyName, defaultPasskeyName } from './authenticator-names.js';
import { toPasskeySummary, type PasskeySummary } from './passkey-summary.js';
import { loadWebAuthn } from './load-webauthn.js';

export interface PasskeyAccount {
  readonly id: string;
  readonly email: string;
  readonly name?: string | null;
  /** The stored `locale` claim: the notice of a passkey added is written in it. */
  readonly locale?: string | null;
}

/**
 * Registration (WebAuthn §7.1). The user handle is the account's random id (never the email,
 * §14.6.1), so a discoverable passkey names its account without naming the person.
 */
export function createPasskeyRegistration(deps: PasskeyServiceDeps, challenges: PasskeyChallenges) {
  const { queries, relyingParty: rp, audit, clock, notices } = deps;

  async function begin(account: PasskeyAccount, binding: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await queries.listByAccount(account.id);
    const { generateRegistrationOptions } = await loadWebAuthn();
    const options = await generateRegistrationOptions({
      rpName: rp.rpName,
      rpID: rp.rpId,
      userID: new TextEncoder().encode(account.id),
      userName: account.email,
      userDisplayName: account.name || account.email,
      timeout: CHALLENGE_TTL_MS,
      // Attestation "none": we trust no vendor list, and ask for no device fingerprint (§5.4.7).
      attestationType: 'none',
      // A discoverable credential, so passwordless sign-in needs no email (§5.4.6); UV when the device can.
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      // The browser refuses to make a second passkey on an authenticator that has one (§5.4.3).
      excludeCredentials: existing.map((p) => ({ id: p.id, transports: transportsOf(p.transports) })),
    });
    await challenges.issue('registration', binding, options.challenge, account.id);
    return options;
  }

  async function finish(
    account: PasskeyAccount,
    binding: string,
    response: RegistrationResponseJSON,
    actor: PasskeyActor,
    name?: string,
  ): Promise<{ passkey: PasskeySummary; recoveryCodes?: string[] }> {
    const challenge = await challenges.live('registration', binding, response?.response?.clientDataJSON, account.id);
    const refused = async (reason: string) => {
      await audit.record({
        type: 'passkey.registered',
        outcome: 'failure',
        reason,
        accountId: account.id,
        ip: actor.ip,
        userAgent: actor.userAgent,
      });
    };
    const { verifyRegistrationResponse } = await loadWebAuthn();
    let info;
    try {
      const verified = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge.challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpId,
        // "preferred": a security key without a PIN may still be a second factor.
        requireUserVerification: false,
      });
      info = verified.verified ? verified.registrationInfo : undefined;
    } catch {
      info = undefined;
    }
    if (!info) {
      await refused('invalid');
      throw new GatehouseError('ERR_PASSKEY_INVALID', 'That passkey could not be added. Try again.');
    }
    await challenges.spend(challenge);
    const row = {
      id: info.credential.id,
      accountId: account.id,
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: BigInt(info.credential.counter),
      transports: (info.credential.transports ?? []).join(' '),
      aaguid: info.aaguid,
      backedUp: info.credentialBackedUp,
      deviceType: info.credentialDeviceType,
      name: cleanPasskeyName(name) ?? defaultPasskeyName(info.aaguid),
      rpId: rp.rpId,
      createdAt: new Date(clock()),
    };
    // Recovery codes come with the first second factor, as with an authenticator app, so an
    // account that only has passkeys cannot lock itself out by losing the device. Whether this is
    // the first is decided with the insert, under the account's lock.
    const codes = newRecoveryCodes();
    const added = await queries.insert(row, codes.map(hashRecoveryCode));
    if (added === 'exists') {
      await refused('exists');
      throw new GatehouseError('ERR_PASSKEY_EXISTS', 'This passkey is already registered.');
    }
    const recoveryCodes = added.first ? codes : undefined;
    await audit.record({
      type: 'passkey.registered',
      outcome: 'success',
      accountId: account.id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      detail: { factor: 'passkey', by: actor.by, aaguid: row.aaguid, deviceType: row.deviceType },
    });
    await notices?.factorChanged(account, 'added', actor, 'passkey');
    return { passkey: toPasskeySummary({ ...row, lastUsedAt: null }), ...(recoveryCodes ? { recoveryCodes } : {}) };
  }

  return { begin, finish };
}

export const transportsOf = (stored: string) => (stored ? stored.split(' ') : []) as AuthenticatorTransport[];
