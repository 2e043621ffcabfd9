import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import type { SecondStepDecision } from './decide-second-step.js';

const { Prompt, Check } = interactionPolicy;

export interface MfaPromptDeps {
  /** Decides for this request (second-step-gate.ts), and keeps the decision with the request. */
  decide(ctx: KoaContextWithOIDC): Promise<SecondStepDecision | undefined>;
  /** The decision `decide` kept for this request: stored once, read by the prompt and the audit. */
  decisionOf(ctx: KoaContextWithOIDC): SecondStepDecision | undefined;
}

/**
 * The second step as an interaction-policy prompt, evaluated after `login` on every authorization
 * request: right after the password in the same interaction, and again whenever an existing
 * password-only session meets a request that needs more (step-up). With `prompt=none` it yields
 * `interaction_required` (OIDC Core §3.1.2.6). Its details carry the decision: why it is asked,
 * and whether the person must first set up an authenticator.
 */
export function mfaPrompt({ decide, decisionOf }: MfaPromptDeps) {
  return new Prompt(
    { name: 'mfa', requestable: false },
    new Check(
      'second_factor_required',
      'a second authentication factor is required',
      'interaction_required',
      async (ctx) => {
        const decision = await decide(ctx);
        if (!decision?.ask) return Check.NO_NEED_TO_PROMPT;
        return Check.REQUEST_PROMPT;
      },
      (ctx) => {
        const decision = decisionOf(ctx);
        return decision?.ask
          ? {
              mfa: {
                reasons: [...decision.reasons],
                enrol: decision.enrol,
                mode: decision.mode,
                passkey: decision.passkey,
              },
            }
          : {};
      },
    ),
  );
}
