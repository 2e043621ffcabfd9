import type Router from '@koa/router';
import { recoveryCodesScript } from '../views/recovery-codes.js';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import type { InteractionSession } from './interaction-session.js';
import type { AccountService } from '../../src/accounts/account-service.js';
import type { MfaService, SecondFactorProof } from '../../src/mfa/mfa-service.js';
import { REAUTH_WINDOW_SECONDS, type MfaConsoleService } from '../../src/account-lifecycle/mfa-console-service.js';
import { enrolmentBinding } from '../../src/mfa/enrolment-binding.js';
import { answerRefusal } from '../answer-refusal.js';
import type { RememberedDeviceCookie } from '../../src/mfa/remembered-device-cookie.js';
import { REASON_TEXT } from '../../src/second-step/risk/signals.js';
import { t } from '../page/translate.js';
import { authenticationContext, firstStepFactors } from '../../src/mfa/authentication-context.js';
import { qrCode } from '../views/qr-code.js';
import {
  secondStepDonePage,
  secondStepEnrolPage,
  secondStepPage,
  secondStepPasswordPage,
} from '../views/second-step-page.js';
import { passkeyOnlyPage, passkeyRequiredPage } from '../views/passkey-step-page.js';
import { allowPageScript, pageScript } from '../../src/http/page-scripts.js';
import { assertionOf, passkeyFactor, type SignInPasskeys } from './sign-in-passkeys.js';
import { passkeyBinding } from './passkey-options-route.js';
import type { Factor } from '../../src/mfa/authentication-context.js';
import { currentPage } from '../page/page-context.js';
import type { Clock } from '../../src/kernel/clock.js';

export interface SecondStepDeps {
  readonly session: InteractionSession;
  readonly accounts: AccountService;
  readonly mfa: MfaService;
  /** Passkeys as a second factor (src/passkeys/passkey-service.ts). */
  readonly passkeys: SignInPasskeys;
  /** Set-up inside a sign-in begins by the console's rules (fresh password, bound secret). */
  readonly mfaConsole: Pick<MfaConsoleService, 'beginSetup'>;
  readonly clock: Clock;
  /**
   * Told when the second step of this interaction succeeded, before the sign-in goes on: an
   * upstream identity waiting to be linked to this account is linked then (src/connections).
   */
  readonly afterSecondStep?: (ctx: Context, uid: string, accountId: string) => Promise<void>;
  readonly rememberedDevices: RememberedDeviceCookie;
  readonly rememberDeviceSeconds: number;
  readonly form: Middleware;
  readonly guard: Middleware;
}

/** What the `mfa` prompt put in the interaction's details (src/second-step/mfa-prompt.ts). */
interface MfaDetails {
  readonly reasons?: string[];
  readonly enrol?: boolean;
  readonly mode?: string;
  /** Only a passkey answers (the phishing-resistant ACR is demanded). */
  readonly passkey?: boolean;
}

const proofForm = z.object({
  code: z.string().max(16).optional(),
  recovery_code: z.string().max(64).optional(),
  remember: z.literal('yes').optional(),
});
const codeForm = z.object({ code: z.string().max(16) });
const passwordForm = z.object({ password: z.string().min(1).max(4096) });

const mfaDetailsOf = (prompt: { details?: Record<string, unknown> }) => (prompt.details?.mfa ?? {}) as MfaDetails;
// Each reason's words in the page's language (`secondStep.reason.new_device`…); one we have no
// words for (a newer signal) reads as its code rather than not at all.
const reasonWords = (details: MfaDetails) =>
  (details.reasons ?? []).map((r) => (r in REASON_TEXT ? t(`secondStep.reason.${r as keyof typeof REASON_TEXT}`) : r));

/** The interaction as oidc-provider hands it over (only what this step reads). */
interface FoundInteraction {
  readonly uid: string;
  readonly prompt: { name?: string; details?: Record<string, unknown> };
  readonly params: Record<string, unknown>;
  readonly session?: { accountId?: string; cookie?: string };
  readonly lastSubmission?: Record<string, unknown>;
}

/** A sign-in waiting for its second step. */
interface Pending {
  readonly uid: string;
  readonly params: Record<string, unknown>;
  readonly accountId: string;
  readonly mfaDetails: MfaDetails;
  /** The provider session's id, to read when the password was last typed. */
  readonly sessionId?: string;
  /** The password was typed in this very sign-in: the login result that led to this step. */
  readonly passwordTyped: boolean;
  readonly firstFactors: readonly Factor[];
}

// `uid` is a getter on oidc-provider's Interaction model: a spread would drop it, so each field is named.
const pendingOf = (found: FoundInteraction, accountId: string): Pending => ({
  uid: found.uid,
  params: found.params,
  accountId,
  mfaDetails: mfaDetailsOf(found.prompt),
  sessionId: found.session?.cookie,
  passwordTyped: Boolean(found.lastSubmission?.login),
  // What the first step was (the password, a sign-in at another provider, or both): kept in amr.
  firstFactors: firstStepFactors((found.session as { amr?: string[] } | undefined)?.amr),
});

/** The second step of a sign-in (the `mfa` prompt): a code, a recovery code, or set-up when it is demanded. */
export function secondStepRoutes({
  session,
  accounts,
  mfa,
  passkeys,
  mfaConsole,
  rememberedDevices,
  rememberDeviceSeconds,
  form,
  guard,
  clock,
  afterSecondStep,
}: SecondStepDeps) {
  const script = pageScript('passkey-sign-in.js');

  /** Who acts; a remembered browser of the account has its own allowance of wrong codes (src/mfa/second-step-throttle.ts). */
  const actorOf = (ctx: Context) => ({
    by: 'user' as const,
    ip: ctx.ip,
    userAgent: ctx.get('User-Agent'),
    rememberedDevice: rememberedDevices.read(ctx.cookies),
    // Notices this change sends (a factor added or removed) are written in the page's language.
    locale: currentPage().language.locale,
  });

  /** The interaction, which must be waiting for the second step of a signed-in account. */
  const pending = async (ctx: Context): Promise<Pending> => {
    const found = await session.details(ctx);
    const accountId = found.session?.accountId;
    if (found.prompt.name !== 'mfa' || !accountId) return ctx.throw(400, t('error.notWaiting.secondStep'));
    return pendingOf(found as FoundInteraction, accountId);
  };

  /**
   * Another browser finished setting up an authenticator for this account while this one was on
   * the set-up page: this sign-in goes on with the ordinary second step, with a code from that app.
   */
  const enrolledElsewherePage = (ctx: Context, found: Pending, clientName: string) =>
    stepPage(ctx, found, clientName, { notice: t('secondStep.notice.enrolledElsewhere') });

  /**
   * The second step with what this account can answer it with: a passkey (its button, run by the
   * page's script), a code from the app, a recovery code. When the app demands the phishing-resistant
   * ACR, only a passkey: the page says so, and how to get one when the account has none.
   */
  const stepPage = async (
    ctx: Context,
    found: Pending,
    clientName: string,
    view: { recovery?: boolean; error?: string; notice?: string } = {},
  ) => {
    const { uid, accountId, mfaDetails } = found;
    const reasons = reasonWords(mfaDetails);
    const [hasPasskey, app] = await Promise.all([passkeys.hasPasskey(accountId), mfa.hasTotp(accountId)]);
    ctx.type = 'html';
    if (mfaDetails.passkey) {
      ctx.body = hasPasskey
        ? passkeyOnlyPage({ uid, clientName, reasons, error: view.error, script: allowPageScript(ctx, script) })
        : passkeyRequiredPage({ uid, clientName, reasons, error: view.error });
      return;
    }
    ctx.body = secondStepPage({
      uid,
      clientName,
      reasons,
      ...view,
      app,
      passkey: hasPasskey ? allowPageScript(ctx, script) : undefined,
    });
  };

  /**
   * Seconds since the password was typed, by the console's rule (REAUTH_WINDOW_SECONDS): none when
   * it was typed in this sign-in, else since the reused session's sign-in (OIDC `auth_time`).
   */
  const passwordAge = async (found: Pending): Promise<number> => {
    if (found.passwordTyped) return 0;
    const loginTs = await session.loginTs(found.sessionId);
    return loginTs === undefined ? Number.POSITIVE_INFINITY : Math.floor(clock() / 1000) - loginTs;
  };

  /**
   * Set-up inside a sign-in follows the console's rules: the secret is bound to this interaction
   * (shown again here after a wrong code, never to another sign-in or session), and a reused
   * session older than the re-authentication window must type the password before one is made.
   * With `password`, a new secret is made after checking it.
   */
  const enrolPage = async (
    ctx: Context,
    found: Pending,
    clientName: string,
    opts: { error?: string; password?: string } = {},
  ) => {
    const account = await accounts.findById(found.accountId);
    if (!account) return ctx.throw(400, t('error.accountGone'));
    const binding = enrolmentBinding('interaction', found.uid);
    const reasons = reasonWords(found.mfaDetails);
    let setup;
    try {
      setup = opts.password === undefined ? await mfa.pendingTotp(account, binding) : undefined;
      if (!setup) {
        const age = await passwordAge(found);
        if (age > REAUTH_WINDOW_SECONDS && opts.password === undefined) {
          ctx.type = 'html';
          ctx.body = secondStepPasswordPage({ uid: found.uid, clientName, reasons, error: opts.error });
          return;
        }
        setup = await mfaConsole.beginSetup(account, age, opts.password, binding, actorOf(ctx));
      }
    } catch (failure) {
      if ((failure as { code?: string }).code === 'ERR_MFA_ALREADY_ENROLLED') {
        ctx.status = 409;
        return enrolledElsewherePage(ctx, found, clientName);
      }
      if (opts.password === undefined) throw failure;
      ctx.type = 'html';
      ctx.body = secondStepPasswordPage({ uid: found.uid, clientName, reasons, error: refuse(ctx, failure) });
      return;
    }
    ctx.type = 'html';
    ctx.body = secondStepEnrolPage({
      clientName,
      reasons,
      qr: await qrCode(setup.uri),
      secret: setup.secret,
      action: `/interaction/${found.uid}/mfa/enrol`,
      error: opts.error,
    });
  };

  /**
   * The prompt was decided before the request started; set-up finished elsewhere since then makes it
   * an ordinary second step. A passkey is a second factor too: someone who has one is not set up anew.
   */
  const stillEnrolling = async (accountId: string, details: MfaDetails) =>
    Boolean(details.enrol) &&
    !details.passkey &&
    !(await mfa.hasTotp(accountId)) &&
    !(await passkeys.hasPasskey(accountId));

  /**
   * The login result that raises the session to the MFA ACR (the phishing-resistant one with a
   * passkey), with why it was asked and how it was answered, for the audit trail's `mfa.decision`.
   */
  const resultFor = (
    accountId: string,
    method: Exclude<Factor, 'password' | 'federated'>,
    details: MfaDetails,
    first: readonly Factor[] = ['password'],
  ) => ({
    login: { accountId, remember: true, ...authenticationContext([...first, method]) },
    mfa: {
      reasons: details.reasons ?? [],
      mode: details.mode,
      method: typeof method === 'string' ? method : 'passkey',
    },
  });

  const refuse = (ctx: Context, error: unknown): string => {
    // A sign-in: a wrong code (or password, before set-up) is an authentication failure (401).
    const message = answerRefusal(ctx, error, { authenticating: true });
    if (message === undefined) throw error;
    return message;
  };

  return {
    /** GET /interaction/:uid while the prompt is `mfa`. */
    async show(ctx: Context, interaction: FoundInteraction) {
      const accountId = interaction.session?.accountId;
      if (!accountId) return ctx.throw(400, t('error.notWaiting.secondStep'));
      const found = pendingOf(interaction, accountId);
      const details = found.mfaDetails;
      const clientName = await session.clientName(found.params.client_id);
      if (await stillEnrolling(accountId, details)) return enrolPage(ctx, found, clientName);
      await stepPage(ctx, found, clientName, {
        recovery: ctx.query.method === 'recovery',
        notice: details.enrol && !details.passkey ? t('secondStep.notice.enrolledElsewhere') : undefined,
      });
    },

    register(router: Router) {
      router.post('/:uid/mfa', guard, form, async (ctx) => {
        const found = await pending(ctx);
        const { accountId, mfaDetails, params } = found;
        const clientName = await session.clientName(params.client_id);
        const parsed = proofForm.safeParse(ctx.request.body ?? {});
        const recovery = Boolean(parsed.success && parsed.data.recovery_code !== undefined);
        const retry = (error: string) => stepPage(ctx, found, clientName, { recovery, error });
        if (mfaDetails.passkey) {
          ctx.status = 400;
          return retry('A code does not meet this request; only a passkey does.');
        }
        if (await stillEnrolling(accountId, mfaDetails)) return ctx.throw(400, t('error.enrolFirst'));
        if (!parsed.success || (!parsed.data.code && !parsed.data.recovery_code)) {
          ctx.status = 400;
          return retry(recovery ? t('secondStep.error.enterRecoveryCode') : t('secondStep.error.enterCode'));
        }
        const proof: SecondFactorProof = parsed.data.recovery_code
          ? { recoveryCode: parsed.data.recovery_code }
          : { totp: parsed.data.code ?? '' };
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
        await afterSecondStep?.(ctx, found.uid, accountId);
        await session.finish(ctx, resultFor(accountId, method, mfaDetails, found.firstFactors), false);
      });

      // The second step answered with a passkey: its assertion, from the page's script.
      router.post('/:uid/mfa/passkey', guard, form, async (ctx) => {
        const found = await pending(ctx);
        const { uid, accountId, mfaDetails, params } = found;
        const clientName = await session.clientName(params.client_id);
        const assertion = assertionOf(ctx.request.body);
        if (!assertion) {
          ctx.status = 400;
          return stepPage(ctx, found, clientName, {
            error: t('secondStep.error.noPasskey'),
          });
        }
        let result;
        try {
          result = await passkeys.finishAuthentication(passkeyBinding(uid), assertion, {
            accountId,
            // The password was the first factor; the passkey needs only to be present (WebAuthn §6.1, UP).
            requireUserVerification: false,
            actor: { ...actorOf(ctx), clientId: String(params.client_id) },
          });
        } catch (error) {
          return stepPage(ctx, found, clientName, { error: refuse(ctx, error) });
        }
        await afterSecondStep?.(ctx, found.uid, accountId);
        await session.finish(ctx, resultFor(accountId, passkeyFactor(result), mfaDetails, found.firstFactors), false);
      });

      router.post('/:uid/mfa/password', guard, form, async (ctx) => {
        const found = await pending(ctx);
        const clientName = await session.clientName(found.params.client_id);
        if (!found.mfaDetails.enrol || found.mfaDetails.passkey) return ctx.throw(400, t('error.notEnrolling'));
        const parsed = passwordForm.safeParse(ctx.request.body ?? {});
        if (!parsed.success) {
          ctx.status = 400;
          ctx.type = 'html';
          ctx.body = secondStepPasswordPage({
            uid: found.uid,
            clientName,
            reasons: reasonWords(found.mfaDetails),
            error: t('secondStep.error.enterPassword'),
          });
          return;
        }
        await enrolPage(ctx, found, clientName, { password: parsed.data.password });
      });

      router.post('/:uid/mfa/enrol', guard, form, async (ctx) => {
        const found = await pending(ctx);
        const { accountId, mfaDetails, params } = found;
        const clientName = await session.clientName(params.client_id);
        if (!mfaDetails.enrol || mfaDetails.passkey) return ctx.throw(400, t('error.notEnrolling'));
        const account = await accounts.findById(accountId);
        if (!account) return ctx.throw(400, t('error.accountGone'));
        const parsed = codeForm.safeParse(ctx.request.body ?? {});
        let codes;
        try {
          codes = await mfa.confirmTotpEnrolment(
            account,
            parsed.success ? parsed.data.code : '',
            enrolmentBinding('interaction', found.uid),
            actorOf(ctx),
          );
        } catch (error) {
          const message = refuse(ctx, error);
          if ((error as { code?: string }).code === 'ERR_MFA_ALREADY_ENROLLED') {
            ctx.status = 409;
            return enrolledElsewherePage(ctx, found, clientName);
          }
          return enrolPage(ctx, found, clientName, { error: message });
        }
        // The result is stored now; the codes are shown once, then the browser continues.
        await afterSecondStep?.(ctx, found.uid, accountId);
        const continueTo = await session.store(ctx, resultFor(accountId, 'totp', mfaDetails, found.firstFactors));
        ctx.type = 'html';
        ctx.body = secondStepDonePage({ codes, continueTo, clientName, scripts: [recoveryCodesScript(ctx)] });
      });
    },
  };
}
