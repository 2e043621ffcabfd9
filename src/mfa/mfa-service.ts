import { randomBytes } from 'node:crypto';
import type { MfaQueries } from './mfa-queries.js';
import { checkTotp, newTotpSecret, totpUri } from './totp.js';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes.js';
import { seal, unseal } from '../keys/key-sealing.js';
import type { AuditService } from '../audit/audit-service.js';
import type { ThrottledAttempt } from '../throttle/throttled-attempt.js';
import type { FactorChangeNotices } from './factor-change-notices.js';
import { rememberedBrowserDetail } from '../audit/remembered-browser-tag.js';
import type { Clock } from '../kernel/clock.js';
import { GatehouseError } from '../kernel/gatehouse-error.js';
import { waitInWords } from '../kernel/wait-in-words.js';

/** Who acted, for the audit trail. */
export interface MfaActor {
  readonly by: 'user' | 'admin';
  readonly ip?: string;
  readonly userAgent?: string;
  /**
   * The id in the browser's remembered-device cookie, its signature checked where it was read
   * (src/mfa/remembered-device-cookie.ts); it counts only while its row is live for the account.
   */
  readonly rememberedDevice?: string;
}

/** Wrong codes are throttled per account, like passwords (see src/mfa/second-step-throttle.ts). */
export interface SecondStepThrottle {
  /**
   * Counts a code before it is checked; refused, or admitted with what to do once it is checked.
   * With `rememberedDevice` (a live remembered browser of this account) it is counted on that browser's own counter.
   */
  begin(accountId: string, rememberedDevice?: string): Promise<ThrottledAttempt>;
}

export interface MfaServiceDeps {
  readonly queries: MfaQueries;
  readonly audit: AuditService;
  readonly throttle: SecondStepThrottle;
  /** The key store's key-encryption key (src/keys/resolve-kek.ts): TOTP secrets are sealed with it at rest. */
  readonly kek: Buffer;
  /** The name authenticator apps show above the code. */
  readonly productName: string;
  readonly clock: Clock;
  /** Mails the owner when a factor is added or removed; absent when the server sends no mail. */
  readonly notices?: FactorChangeNotices;
}

export interface MfaStatus {
  readonly totp: boolean;
  readonly recoveryCodesLeft: number;
}

export type SecondFactorProof = { readonly totp: string } | { readonly recoveryCode: string };
/** Which proof worked: both are one-time codes, so both are `otp` in RFC 8176 terms. */
export type SecondFactorMethod = 'totp' | 'recovery_code';

/** A secret shown for set-up must be confirmed within this long. */
export const PENDING_ENROLMENT_MS = 15 * 60 * 1000;

/** The AES-GCM additional data binds a sealed secret to its account: a row moved to another account does not open. */
const aad = (accountId: string) => `totp:${accountId}`;

export function createMfaService({ queries, audit, throttle, kek, productName, clock, notices }: MfaServiceDeps) {
  const now = () => new Date(clock());
  const sealSecret = (accountId: string, secret: string) => seal(kek, aad(accountId), secret);
  const openSecret = (accountId: string, stored: string) => unseal(kek, aad(accountId), stored);

  const issueRecoveryCodes = async (accountId: string): Promise<string[]> => {
    const codes = newRecoveryCodes();
    await queries.replaceRecoveryCodes(accountId, codes.map(hashRecoveryCode));
    return codes;
  };

  /** Checks a proof without throttling; spends it (the step or the code) when it is right. */
  const spend = async (accountId: string, proof: SecondFactorProof): Promise<SecondFactorMethod | undefined> => {
    if ('recoveryCode' in proof) {
      return (await queries.useRecoveryCode(accountId, hashRecoveryCode(proof.recoveryCode), now()))
        ? 'recovery_code'
        : undefined;
    }
    const factor = await queries.findTotp(accountId);
    if (!factor?.confirmedAt) return undefined;
    const check = await checkTotp(openSecret(accountId, factor.secret), proof.totp, clock(), factor.lastUsedStep);
    return check.ok && (await queries.useTotpStep(accountId, check.step)) ? 'totp' : undefined;
  };

  /** The browser's remembered device, when its row is live for this account: proof the owner passed a second step there. */
  const liveRememberedDevice = async (accountId: string, deviceId: string | undefined): Promise<string | undefined> =>
    deviceId && (await queries.findLiveTrustedDevice(deviceId, accountId, now())) ? deviceId : undefined;

  /**
   * The second step: a code from the app or a recovery code, each accepted once. Wrong codes are
   * throttled per account, or per remembered browser in one (second-step-throttle.ts), and
   * audited, as wrong passwords are; the events of a remembered browser name it, so the policy
   * can tell its failures from those made elsewhere (second-step-policy.ts).
   */
  const verify = async (
    accountId: string,
    proof: SecondFactorProof,
    actor: MfaActor & { clientId?: string },
  ): Promise<SecondFactorMethod> => {
    const remembered = await liveRememberedDevice(accountId, actor.rememberedDevice);
    const browser = remembered ? rememberedBrowserDetail(remembered) : undefined;
    // Counted before the check, so codes sent in parallel cannot all pass a look at the block.
    const admission = await throttle.begin(accountId, remembered);
    if (!admission.admitted) {
      await audit.record({
        type: 'mfa.verify',
        outcome: 'blocked',
        reason: 'too_many_failures',
        accountId,
        ip: actor.ip,
        userAgent: actor.userAgent,
        clientId: actor.clientId,
        detail: { retryAfterSeconds: admission.retryAfter, ...browser },
      });
      throw new GatehouseError(
        'ERR_MFA_THROTTLED',
        `Too many wrong codes. Try again in ${waitInWords(admission.retryAfter)}.`,
        {
          retryAfterSeconds: admission.retryAfter,
        },
      );
    }
    let method: SecondFactorMethod | undefined;
    try {
      method = await spend(accountId, proof);
    } catch (error) {
      await admission.abandoned();
      throw error;
    }
    if (!method) {
      const block = await admission.failed();
      await audit.record({
        type: 'mfa.verify',
        outcome: 'failure',
        reason: 'recoveryCode' in proof ? 'wrong_recovery_code' : 'wrong_code',
        accountId,
        ip: actor.ip,
        userAgent: actor.userAgent,
        clientId: actor.clientId,
        detail: browser,
      });
      if (block > 0)
        throw new GatehouseError('ERR_MFA_THROTTLED', `Too many wrong codes. Try again in ${waitInWords(block)}.`, {
          retryAfterSeconds: block,
        });
      throw new GatehouseError('ERR_MFA_CODE_INVALID', 'That code is not right.');
    }
    await admission.succeeded();
    await audit.record({
      type: 'mfa.verify',
      outcome: 'success',
      reason: method,
      accountId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      clientId: actor.clientId,
      detail: browser,
    });
    return method;
  };

  return {
    /** Whether the account has a confirmed authenticator: the one look-up the sign-in policy needs. */
    async hasTotp(accountId: string): Promise<boolean> {
      return Boolean((await queries.findTotp(accountId))?.confirmedAt);
    },

    /**
     * Recovery codes are counted whether or not an app is set up: a passkey-only account got its
     * codes with its first passkey, and every way the last factor goes deletes them with it.
     */
    async status(accountId: string): Promise<MfaStatus> {
      const factor = await queries.findTotp(accountId);
      return {
        totp: Boolean(factor?.confirmedAt),
        recoveryCodesLeft: await queries.countUnusedRecoveryCodes(accountId),
      };
    },

    /**
     * A fresh secret for the person to add to their app, bound to where the set-up started
     * (src/mfa/enrolment-binding.ts); nothing counts until they prove it works there.
     */
    async beginTotpEnrolment(
      account: { id: string; email: string; locale?: string | null },
      binding: string,
    ): Promise<{ secret: string; uri: string }> {
      const secret = newTotpSecret();
      if (!(await queries.putPendingTotp(account.id, sealSecret(account.id, secret), binding, now()))) {
        throw new GatehouseError(
          'ERR_MFA_ALREADY_ENROLLED',
          'An authenticator app is already set up. Turn it off first to set up another.',
        );
      }
      return { secret, uri: totpUri({ issuer: productName, account: account.email, secret }) };
    },

    /** The pending secret started with this binding and still live, to show the same QR code again after a wrong code. */
    async pendingTotp(
      account: { id: string; email: string; locale?: string | null },
      binding: string,
    ): Promise<{ secret: string; uri: string } | undefined> {
      const factor = await queries.findTotp(account.id);
      if (
        !factor ||
        factor.confirmedAt ||
        factor.binding !== binding ||
        factor.createdAt.getTime() < clock() - PENDING_ENROLMENT_MS
      )
        return undefined;
      const secret = openSecret(account.id, factor.secret);
      return { secret, uri: totpUri({ issuer: productName, account: account.email, secret }) };
    },

    /**
     * Saves the factor once a code from the app matches, only from where the set-up started (its
     * binding); returns the recovery codes, shown once, and tells the owner by mail.
     */
    async confirmTotpEnrolment(
      account: { id: string; email: string; locale?: string | null },
      code: string,
      binding: string,
      actor: MfaActor,
    ): Promise<string[]> {
      const accountId = account.id;
      const factor = await queries.findTotp(accountId);
      if (factor?.confirmedAt)
        throw new GatehouseError('ERR_MFA_ALREADY_ENROLLED', 'An authenticator app is already set up.');
      if (!factor || factor.binding !== binding || factor.createdAt.getTime() < clock() - PENDING_ENROLMENT_MS) {
        throw new GatehouseError(
          'ERR_MFA_NO_ENROLMENT',
          'Start again: this set-up has expired or was started again somewhere else.',
        );
      }
      const check = await checkTotp(openSecret(accountId, factor.secret), code, clock());
      if (!check.ok)
        throw new GatehouseError(
          'ERR_MFA_CODE_INVALID',
          'That code is not right. Check the time on your phone and try the newest code.',
        );
      if (!(await queries.confirmTotp(accountId, { secret: factor.secret, binding }, check.step, now()))) {
        if ((await queries.findTotp(accountId))?.confirmedAt)
          throw new GatehouseError('ERR_MFA_ALREADY_ENROLLED', 'An authenticator app is already set up.');
        throw new GatehouseError(
          'ERR_MFA_NO_ENROLMENT',
          'Start again: this set-up has expired or was started again somewhere else.',
        );
      }
      const codes = await issueRecoveryCodes(accountId);
      await audit.record({
        type: 'mfa.enrolled',
        outcome: 'success',
        accountId,
        ip: actor.ip,
        userAgent: actor.userAgent,
        detail: { factor: 'totp', by: actor.by },
      });
      await notices?.factorChanged(account, 'added', actor);
      return codes;
    },

    verify,

    /** New recovery codes; every old one stops working. */
    async regenerateRecoveryCodes(accountId: string, actor: MfaActor): Promise<string[]> {
      const factor = await queries.findTotp(accountId);
      if (!factor?.confirmedAt) throw new GatehouseError('ERR_MFA_NOT_ENROLLED', 'Set up an authenticator app first.');
      const codes = await issueRecoveryCodes(accountId);
      await audit.record({
        type: 'mfa.recovery_codes.regenerated',
        outcome: 'success',
        accountId,
        ip: actor.ip,
        userAgent: actor.userAgent,
      });
      return codes;
    },

    /**
     * Turns the app off; the person proves they hold it (or a recovery code) first. The owner is told
     * by mail. The recovery codes stay while a passkey remains, so an account left with passkeys
     * alone still has its way back in; with `keepLast` (every sign-in needs a second factor) the app
     * stays when it is the only one.
     */
    async removeTotp(
      account: { id: string; email: string; locale?: string | null },
      proof: SecondFactorProof,
      actor: MfaActor,
      { keepLast = false } = {},
    ): Promise<void> {
      const accountId = account.id;
      const factor = await queries.findTotp(accountId);
      if (!factor?.confirmedAt) throw new GatehouseError('ERR_MFA_NOT_ENROLLED', 'No authenticator app is set up.');
      const lastFactor = () =>
        new GatehouseError(
          'ERR_MFA_LAST_FACTOR',
          'Signing in here (or to an app you use) asks for a second step every time, and the app is your only one. Add a passkey first, then turn the app off.',
        );
      // Refused before the proof is checked, so a refusal spends no code; the locked removal below
      // still decides when a passkey goes at the same moment.
      if (keepLast && (await queries.countPasskeys(accountId)) === 0) throw lastFactor();
      await verify(accountId, proof, actor);
      if ((await queries.removeTotp(accountId, now(), keepLast)) === 'last') throw lastFactor();
      await queries.revokeTrustedDevices(accountId, now());
      await audit.record({
        type: 'mfa.removed',
        outcome: 'success',
        accountId,
        ip: actor.ip,
        userAgent: actor.userAgent,
        detail: { factor: 'totp', by: actor.by },
      });
      await notices?.factorChanged(account, 'removed', actor);
    },

    /** The operator's reset for a lost phone: factors, recovery codes and remembered devices go (passkeys: see the caller). */
    async reset(
      accountId: string,
      email: string,
      passkeys = 0,
      /**
       * Who asked: a management API client (`clientId`), the CLI, or an administrator in the console;
       * `operator` is how the caller names them in the detail (src/sessions/operator-actor.ts).
       */
      caller: {
        clientId?: string;
        ip?: string;
        userAgent?: string;
        operator?: Record<string, unknown>;
        /** The account's stored `locale` claim: the notice is written in it. */
        locale?: string | null;
      } = {},
    ): Promise<{ removed: boolean; devices: number }> {
      const removed = await queries.deleteFactors(accountId);
      const devices = await queries.revokeTrustedDevices(accountId, now());
      await audit.record({
        type: 'admin.mfa.reset',
        outcome: 'success',
        accountId,
        email,
        clientId: caller.clientId ?? null,
        ip: caller.ip,
        userAgent: caller.userAgent,
        // `passkeys`: how many the caller removed with them (src/account-lifecycle/account-admin-service.ts).
        detail: { removed, devices, passkeys, ...(caller.operator ?? { actor: caller.clientId ? 'api' : 'cli' }) },
      });
      if (removed || passkeys > 0)
        await notices?.factorChanged({ email, locale: caller.locale }, 'removed', { by: 'admin' });
      return { removed, devices };
    },

    /** A new remembered device; the caller sets its signed cookie. */
    async rememberDevice(
      accountId: string,
      lifetimeSeconds: number,
      actor: MfaActor,
    ): Promise<{ id: string; expiresAt: Date }> {
      const id = randomBytes(16).toString('base64url');
      const createdAt = now();
      const expiresAt = new Date(createdAt.getTime() + lifetimeSeconds * 1000);
      await queries.insertTrustedDevice({
        id,
        accountId,
        userAgent: actor.userAgent?.slice(0, 512) ?? null,
        ip: actor.ip ?? null,
        createdAt,
        expiresAt,
      });
      await audit.record({
        type: 'mfa.device.remembered',
        outcome: 'success',
        accountId,
        ip: actor.ip,
        userAgent: actor.userAgent,
      });
      return { id, expiresAt };
    },

    /** Read only: deciding is done on every authorization request, and must not write. */
    async isDeviceRemembered(accountId: string, deviceId: string | undefined): Promise<boolean> {
      if (!deviceId) return false;
      return Boolean(await queries.findLiveTrustedDevice(deviceId, accountId, now()));
    },

    /** A sign-in completed in this remembered browser: "last used" in the console. */
    async deviceUsed(accountId: string, deviceId: string): Promise<void> {
      await queries.touchTrustedDevice(deviceId, accountId, now());
    },

    listDevices: (accountId: string) => queries.listLiveTrustedDevices(accountId, now()),

    async forgetDevice(accountId: string, deviceId: string, actor: MfaActor): Promise<boolean> {
      const revoked = (await queries.revokeTrustedDevices(accountId, now(), deviceId)) > 0;
      if (revoked)
        await audit.record({
          type: 'mfa.device.forgotten',
          outcome: 'success',
          accountId,
          ip: actor.ip,
          userAgent: actor.userAgent,
        });
      return revoked;
    },
  };
}

export type MfaService = ReturnType<typeof createMfaService>;
