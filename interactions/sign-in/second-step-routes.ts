import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import type { InteractionSession } from './interaction-session.js';
import type { AccountService } from '../../src/accounts/account-service.js';
import type { MfaService, SecondFactorProof } from '../../src/mfa/mfa-service.js';
import type { MfaErrorCode } from '../../src/mfa/mfa-error.js';
import { answerRefusal } from '../answer-refusal.js';
import type { RememberedDeviceCookie } from '../../src/mfa/remembered-device-cookie.js';
import { REASON_TEXT } from '../../src/mfa/risk/signals.js';
import { authenticationContext } from '../../src/oidc/authentication-context.js';
import { qrCode } from '../views/qr-code.js';
import { secondStepDonePage, secondStepEnrolPage, secondStepPage } from '../views/second-step-page.js';

export interface SecondStepDeps {
  readonly session: InteractionSession;
  readonly accounts: AccountService;
  readonly mfa: MfaService;
  readonly rememberedDevices: RememberedDeviceCookie;
  readonly rememberDeviceSeconds: number;
  readonly form: Middleware;
  readonly guard: Middleware;
}

/** What the `mfa` prompt put in the interaction's details (src/oidc/mfa-prompt.ts). */
interface MfaDetails { readonly reasons?: string[]; readonly enrol?: boolean; readonly mode?: string }

const proofForm = z.object({
  code: z.string().max(16).optional(),
  recovery_code: z.string().max(64).optional(),
  remember: z.literal('yes').optional(),
});
const codeForm = z.object({ code: z.string().max(16) });

/** What a wrong or refused code is answered with; every MfaError code is here. */
const REFUSALS: Record<MfaErrorCode, number> = {
  ERR_MFA_CODE_INVALID: 401,
  ERR_MFA_THROTTLED: 429,
  ERR_MFA_NO_ENROLMENT: 400,
  ERR_MFA_ALREADY_ENROLLED: 400,
  ERR_MFA_NOT_ENROLLED: 400,
};

const ENROLLED_ELSEWHERE = 'An authenticator app has just been set up for this account in another browser or tab. Enter a code from it to continue.';

const mfaDetailsOf = (prompt: { details?: Record<string, unknown> }) => (prompt.details?.mfa ?? {}) as MfaDetails;
const reasonWords = (details: MfaDetails) => (details.reasons ?? []).map((r) => REASON_TEXT[r as keyof typeof REASON_TEXT] ?? r);
const actorOf = (ctx: Context) => ({ by: 'user' as const, ip: ctx.ip, userAgent: ctx.get('User-Agent') });

/** The second step of a sign-in (the `mfa` prompt): a code, a recovery code, or set-up when it is demanded. */
export function secondStepRoutes({ session, accounts, mfa, rememberedDevices, rememberDeviceSeconds, form, guard }: SecondStepDeps) {
  /** The interaction, which must be waiting for the second step of a signed-in account. */
  const pending = async (ctx: Context) => {
    const found = await session.details(ctx);
    const accountId = found.session?.accountId;
    if (found.prompt.name !== 'mfa' || !accountId) return ctx.throw(400, 'This request is not waiting for a second step.');
    // `uid` is a getter on oidc-provider's Interaction model: a spread would drop it, so it is named.
    return { uid: found.uid, params: found.params, accountId, mfaDetails: mfaDetailsOf(found.prompt) };
  };

  /**
   * Another browser finished setting up an authenticator for this account while this one was on
   * the set-up page: this sign-in goes on with the ordinary second step, with a code from that app.
   */
  const enrolledElsewherePage = (ctx: Context, uid: string, clientName: string, details: MfaDetails) => {
    ctx.type = 'html';
    ctx.body = secondStepPage({ uid, clientName, reasons: reasonWords(details), notice: ENROLLED_ELSEWHERE });
  };

  const enrolPage = async (ctx: Context, uid: string, accountId: string, clientName: string, details: MfaDetails, error?: string) => {
    const account = await accounts.findById(accountId);
    if (!account) return ctx.throw(400, 'This account no longer exists.');
    let setup;
    try {
      setup = (await mfa.pendingTotp(account)) ?? (await mfa.beginTotpEnrolment(account));
    } catch (failure) {
      if ((failure as { code?: string }).code !== 'ERR_MFA_ALREADY_ENROLLED') throw failure;
      ctx.status = 409;
      return enrolledElsewherePage(ctx, uid, clientName, details);
    }
    ctx.type = 'html';
    ctx.body = secondStepEnrolPage({
      clientName, reasons: reasonWords(details), qr: await qrCode(setup.uri), secret: setup.secret,
      action: `/interaction/${uid}/mfa/enrol`, error,
    });
  };

  /** The prompt was decided before the request started; set-up finished elsewhere since then makes it an ordinary second step. */
  const stillEnrolling = async (accountId: string, details: MfaDetails) => Boolean(details.enrol) && !(await mfa.hasTotp(accountId));

  /** The login result that raises the session to the MFA ACR, with why it was asked. */
  const resultFor = (accountId: string, method: 'totp' | 'recovery_code', details: MfaDetails) => ({
    login: { accountId, remember: true, ...authenticationContext(['password', method]) },
    mfa: { reasons: details.reasons ?? [], mode: details.mode, method },
  });

  const refuse = (ctx: Context, error: unknown): string => {
    const message = answerRefusal(ctx, error, REFUSALS);
    if (message === undefined) throw error;
    return message;
  };

  return {
    /** GET /interaction/:uid while the prompt is `mfa`. */
    async show(ctx: Context, found: { uid: string; prompt: { details?: Record<string, unknown> }; params: Record<string, unknown>; session?: { accountId?: string } }) {
      const accountId = found.session?.accountId;
      if (!accountId) return ctx.throw(400, 'This request is not waiting for a second step.');
      const details = mfaDetailsOf(found.prompt);
      const clientName = await session.clientName(found.params.client_id);
      if (await stillEnrolling(accountId, details)) return enrolPage(ctx, found.uid, accountId, clientName, details);
      ctx.type = 'html';
      ctx.body = secondStepPage({
        uid: found.uid, clientName, reasons: reasonWords(details), recovery: ctx.query.method === 'recovery', notice: details.enrol ? ENROLLED_ELSEWHERE : undefined,
      });
    },

    register(router: Router) {
      router.post('/:uid/mfa', guard, form, async (ctx) => {
        const { uid, accountId, mfaDetails, params } = await pending(ctx);
        const clientName = await session.clientName(params.client_id);
        const parsed = proofForm.safeParse(ctx.request.body ?? {});
        const recovery = Boolean(parsed.success && parsed.data.recovery_code !== undefined);
        const retry = (error: string) => {
          ctx.type = 'html';
          ctx.body = secondStepPage({ uid, clientName, reasons: reasonWords(mfaDetails), recovery, error });
        };
        if (await stillEnrolling(accountId, mfaDetails)) return ctx.throw(400, 'Set up your authenticator app first.');
        if (!parsed.success || (!parsed.data.code && !parsed.data.recovery_code)) {
          ctx.status = 400;
          return retry(recovery ? 'Enter one of your recovery codes.' : 'Enter the code from your authenticator app.');
        }
        const proof: SecondFactorProof = parsed.data.recovery_code ? { recoveryCode: parsed.data.recovery_code } : { totp: parsed.data.code ?? '' };
        let method;
        try {
          method = await mfa.verify(accountId, proof, { ...actorOf(ctx), clientId: String(params.client_id) });
        } catch (error) {
          return retry(refuse(ctx, error));
        }
        if (parsed.data.remember) {
          const device = await mfa.rememberDevice(accountId, rememberDeviceSeconds, actorOf(ctx));
          rememberedDevices.write(ctx.cookies, device.id, device.expiresAt);
        }
        await session.finish(ctx, resultFor(accountId, method, mfaDetails), false);
      });

      router.post('/:uid/mfa/enrol', guard, form, async (ctx) => {
        const { uid, accountId, mfaDetails, params } = await pending(ctx);
        const clientName = await session.clientName(params.client_id);
        if (!mfaDetails.enrol) return ctx.throw(400, 'This sign-in is not setting up an authenticator.');
        const parsed = codeForm.safeParse(ctx.request.body ?? {});
        let codes;
        try {
          codes = await mfa.confirmTotpEnrolment(accountId, parsed.success ? parsed.data.code : '', actorOf(ctx));
        } catch (error) {
          const message = refuse(ctx, error);
          if ((error as { code?: string }).code === 'ERR_MFA_ALREADY_ENROLLED') {
            ctx.status = 409;
            return enrolledElsewherePage(ctx, uid, clientName, mfaDetails);
          }
          return enrolPage(ctx, uid, accountId, clientName, mfaDetails, message);
        }
        // The result is stored now; the codes are shown once, then the browser continues.
        const continueTo = await session.store(ctx, resultFor(accountId, 'totp', mfaDetails));
        ctx.type = 'html';
        ctx.body = secondStepDonePage({ codes, continueTo, clientName });
      });
    },
  };
}
