import type { MfaQueries } from '../mfa/mfa-queries.js';
import type { MfaService } from '../mfa/mfa-service.js';
import type { AuditQueries } from '../audit/audit-queries.js';
import { decideSecondStep, type SecondStepDecision } from './decide-second-step.js';
import type { MfaMode } from '../mfa/mfa-mode.js';
import { networkOf } from './risk/network-of.js';
import { REMEMBERED_BROWSER_KEY, rememberedBrowserTag } from '../audit/remembered-browser-tag.js';
import type { Clock } from '../kernel/clock.js';
import type { SecondFactorLookup } from './prepared-second-factors.js';

/** A network not seen for this long is new again. */
export const NETWORK_MEMORY_MS = 90 * 24 * 3600 * 1000;
/** The failures that make a sign-in risky: wrong passwords and wrong second-step codes. */
const FAILURE_TYPES = ['signin', 'mfa.verify'] as const;

export interface SignInContext {
  readonly accountId: string;
  readonly ip?: string;
  /** The id in the browser's remembered-device cookie, already checked for its signature. */
  readonly deviceId?: string;
  /** The client's own `--mfa` setting, when it has one. */
  readonly clientMode?: MfaMode;
  readonly acrRequested: boolean;
  /** The request demands the phishing-resistant ACR (a passkey). */
  readonly passkeyRequested: boolean;
  /** An identity at another provider waits for this sign-in's second step to be linked. */
  readonly linkPending?: boolean;
}

export interface SecondStepPolicyDeps {
  readonly mfa: Pick<MfaService, 'isDeviceRemembered' | 'deviceUsed'>;
  /** The account's authenticator app and passkeys (a passkey is a second factor too), in one look-up. */
  readonly factors: SecondFactorLookup;
  readonly queries: Pick<MfaQueries, 'networkSeenSince' | 'lastSignInAt' | 'recordNetwork'>;
  readonly audit: Pick<AuditQueries, 'countFailures'>;
  /** The global MFA_POLICY. */
  readonly mode: MfaMode;
  readonly clock: Clock;
}

/** Gathers what is known about a sign-in and asks the pure policy (decide-second-step.ts). */
export function createSecondStepPolicy({ mfa, factors, queries, audit, mode, clock }: SecondStepPolicyDeps) {
  return {
    async decide(context: SignInContext): Promise<SecondStepDecision> {
      const { accountId } = context;
      const effective = context.clientMode ?? mode;
      const demands = {
        clientRequires: context.clientMode === 'always',
        acrRequested: context.acrRequested,
        passkeyRequested: context.passkeyRequested,
        linkPending: context.linkPending ?? false,
      };
      // What can answer the second step: any factor, or only a passkey when the app demands one.
      const { totp, passkey } = await factors.of(accountId);
      const enrolled = context.passkeyRequested ? passkey : totp || passkey;
      // Without an authenticator only a demand matters: skip the risk look-ups (most sign-ins).
      if (
        !enrolled &&
        effective !== 'always' &&
        !demands.clientRequires &&
        !demands.acrRequested &&
        !demands.linkPending
      ) {
        return decideSecondStep(effective, false, {
          deviceRemembered: true,
          networkKnown: true,
          failuresSinceLastSignIn: 0,
          ...demands,
        });
      }
      const network = networkOf(context.ip);
      const since = (await queries.lastSignInAt(accountId)) ?? new Date(0);
      const { deviceId } = context;
      const [deviceRemembered, networkKnown, failuresAnywhere, failuresHere] = await Promise.all([
        mfa.isDeviceRemembered(accountId, deviceId),
        network
          ? queries.networkSeenSince(accountId, network, new Date(clock() - NETWORK_MEMORY_MS))
          : Promise.resolve(false),
        audit.countFailures(accountId, FAILURE_TYPES, since),
        deviceId
          ? audit.countFailures(accountId, FAILURE_TYPES, since, {
              key: REMEMBERED_BROWSER_KEY,
              value: rememberedBrowserTag(deviceId),
            })
          : Promise.resolve(0),
      ]);
      // OWASP "Slow Down Online Guessing Attacks with Device Cookies": failures from elsewhere must
      // not lock the owner out of a browser they have proven. A remembered browser holds such proof
      // (a second step passed there, which someone with only the password cannot mint), and
      // failures made in other browsers say nothing against it: it counts only the wrong passwords
      // and codes made in it (attributed in the audit trail by remembered-browser-tag.ts). Any other
      // browser counts every failure on the account.
      const failures = deviceRemembered ? failuresHere : failuresAnywhere;
      return decideSecondStep(effective, enrolled, {
        deviceRemembered,
        networkKnown,
        failuresSinceLastSignIn: failures,
        ...demands,
      });
    },

    /** A sign-in completed: its network is known from now on, failures before it stop counting, and its remembered browser (if any) was last used now. */
    async recordCompletedSignIn(accountId: string, ip: string | undefined, deviceId?: string): Promise<void> {
      await queries.recordNetwork(accountId, networkOf(ip) ?? 'unknown', new Date(clock()));
      if (deviceId) await mfa.deviceUsed(accountId, deviceId);
    },
  };
}

export type SecondStepPolicy = ReturnType<typeof createSecondStepPolicy>;
