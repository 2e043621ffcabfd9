import type { KoaContextWithOIDC } from 'oidc-provider';
import type { SecondStepPolicy } from './second-step-policy.js';
import type { SecondStepDecision } from './decide-second-step.js';
import { clientMfaMode } from '../clients/client-mfa-mode.js';
import {
  acrReached,
  acrSatisfies,
  hasSecondFactor,
  PASSWORD_ACR,
  PHISHING_RESISTANT_ACR,
  SUPPORTED_ACRS,
  type Acr,
} from '../mfa/authentication-context.js';
import type { AuditService } from '../audit/audit-service.js';

type AcrClaim = { essential?: boolean; value?: string; values?: string[] };
const supported = (values: readonly (string | undefined)[]) =>
  values.filter((v): v is Acr => (SUPPORTED_ACRS as readonly (string | undefined)[]).includes(v));
/** The weakest of the acceptable values: any ACR at least as strong answers the request. */
const weakest = (values: readonly Acr[]): Acr | undefined =>
  values.length === 0 ? undefined : values.reduce((a, b) => (acrSatisfies(a, b) ? b : a));
/** A demand only when even the weakest acceptable value needs more than the password. */
const demand = (values: readonly Acr[]): Acr | undefined => {
  const floor = weakest(values);
  return floor && floor !== PASSWORD_ACR ? floor : undefined;
};

/**
 * The ACR the request leaves no way around (the MFA or the phishing-resistant one), so the second
 * step must be asked (and set up, for someone without an authenticator). `acr_values` is a voluntary
 * list in order of preference (OIDC Core §3.1.2.1): we answer with the first value we can meet
 * without forcing a step the policy would not otherwise ask for, so only the weakest supported value
 * listed can be forced. The password ACR always can be met, so a list that names it never forces the
 * second step (when the policy asks anyway, the token says more); a list of only the MFA and
 * phishing-resistant ACRs demands MFA (which a passkey also gives); a list of only the
 * phishing-resistant ACR demands a passkey. The way to demand an ACR is an essential `acr` claim
 * (§5.5.1.1): its acceptable values are read the same way. The stronger of the two demands holds.
 */
export function requestedAcr(oidc: KoaContextWithOIDC['oidc']): Acr | undefined {
  const listed = supported(typeof oidc.params?.acr_values === 'string' ? oidc.params.acr_values.split(' ') : []);
  const claim = (oidc.claims as { id_token?: { acr?: AcrClaim } } | undefined)?.id_token?.acr;
  const essential = claim?.essential ? supported([claim.value, ...(claim.values ?? [])]) : [];
  const demands = [demand(listed), demand(essential)].filter((d): d is Acr => d !== undefined);
  return demands.length === 0 ? undefined : demands.reduce((a, b) => (acrSatisfies(a, b) ? a : b));
}

export interface SecondStepGateDeps {
  readonly policy: SecondStepPolicy;
  readonly audit: AuditService;
  /** Reads the signed remembered-device cookie of this request. */
  readonly rememberedDevice: (ctx: KoaContextWithOIDC) => string | undefined;
  /**
   * Whether an identity at another provider waits in this browser for this account's second step
   * to be linked (src/connections, wired by the composition root): then the step is always asked.
   */
  readonly linkPending?: (ctx: KoaContextWithOIDC, accountId: string) => Promise<boolean>;
}

/**
 * Connects the policy to oidc-provider: the `mfa` prompt's check asks it for each authorization
 * request, and the `authorization.success` event records the sign-in it completed, with the
 * decision and its reasons (asked or skipped) in the audit trail.
 */
export function createSecondStepGate({ policy, audit, rememberedDevice, linkPending }: SecondStepGateDeps) {
  // The decision made for a request, kept for the event that ends the same request.
  const decisions = new WeakMap<object, SecondStepDecision>();
  return {
    /**
     * Undefined when no one is signed in yet, or the session already has a second factor that meets
     * what the request demands (a session with an app code meets a demand for MFA, not for a passkey).
     */
    async decide(ctx: KoaContextWithOIDC): Promise<SecondStepDecision | undefined> {
      const { session, client } = ctx.oidc;
      if (!session?.accountId) return undefined;
      const asked = requestedAcr(ctx.oidc);
      if (hasSecondFactor(session.amr) && acrSatisfies(acrReached(session.amr), asked ?? PASSWORD_ACR))
        return undefined;
      const decision = await policy.decide({
        accountId: session.accountId,
        ip: ctx.ip,
        deviceId: rememberedDevice(ctx),
        clientMode: clientMfaMode(client),
        acrRequested: asked !== undefined,
        passkeyRequested: asked === PHISHING_RESISTANT_ACR,
        linkPending: (await linkPending?.(ctx, session.accountId)) ?? false,
      });
      decisions.set(ctx, decision);
      return decision;
    },

    /** The decision made for this request, if one was (the prompt's details read it). */
    decisionOf(ctx: KoaContextWithOIDC): SecondStepDecision | undefined {
      return decisions.get(ctx);
    },

    /** After a successful authorization response: records a sign-in that happened in this flow. */
    async completed(ctx: KoaContextWithOIDC): Promise<void> {
      const result = ctx.oidc.result as
        | {
            login?: { accountId: string; amr?: string[] };
            mfa?: { reasons?: string[]; method?: string; mode?: string };
          }
        | undefined;
      if (!result?.login) return; // single sign-on on an existing session: nothing new to record
      const { accountId } = result.login;
      // A passwordless passkey sign-in is multi-factor by itself: no second step was asked, and the
      // explanation says why none was needed.
      const passwordless = !result.mfa && hasSecondFactor(result.login.amr);
      const skipped = decisions.get(ctx);
      await policy.recordCompletedSignIn(accountId, ctx.ip, rememberedDevice(ctx));
      await audit.record({
        type: 'mfa.decision',
        outcome: 'success',
        reason: result.mfa ? 'asked' : 'skipped',
        accountId,
        clientId: ctx.oidc.client?.clientId,
        ip: ctx.ip,
        userAgent: ctx.get('user-agent'),
        detail: result.mfa
          ? { reasons: result.mfa.reasons ?? [], mode: result.mfa.mode, method: result.mfa.method }
          : passwordless
            ? { reasons: [], method: 'passkey' }
            : { reasons: skipped?.reasons ?? [], mode: skipped?.mode },
      });
    },
  };
}

export type SecondStepGate = ReturnType<typeof createSecondStepGate>;
