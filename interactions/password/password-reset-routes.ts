import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { z } from 'zod';
import type { PasswordResetService } from '../../src/account-lifecycle/password-reset-service.js';
import type { SecondFactorProof } from '../../src/mfa/mfa-service.js';
import type { RememberedDeviceCookie } from '../../src/mfa/remembered-device-cookie.js';
import { waitOf } from '../../src/kernel/wait-in-words.js';
import type { ReturnToAppCookie } from '../sign-in/return-to-app.js';
import { formGuard } from '../form-guard.js';
import { answerRefusal } from '../answer-refusal.js';
import { mailRequired } from '../mail-required.js';
import { t } from '../page/translate.js';
import { refusalText } from '../refusal-text.js';
import {
  forgotPasswordPage,
  passwordResetDonePage,
  resetLinkInvalidPage,
  resetLinkSentPage,
  resetPasswordPage,
} from '../views/password-reset-pages.js';
import { currentPage } from '../page/page-context.js';

export interface PasswordResetRouteDeps {
  readonly issuer: string;
  readonly passwordReset: PasswordResetService;
  /** False without SMTP_URL: the pages say reset is unavailable. */
  readonly mailEnabled: boolean;
  /** The code on the reset form from the owner's remembered browser is counted on that browser's own allowance. */
  readonly rememberedDevices: RememberedDeviceCookie;
  /** The app's sign-in this browser left for the reset, to return to when it is done. */
  readonly returnTo: ReturnToAppCookie;
}

/** An interaction uid, to link back to the sign-in the person came from; anything else is ignored. */
const uidOf = (value: unknown) =>
  typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : undefined;

const forgotForm = z.object({ email: z.string().trim().min(1).max(320), uid: z.string().optional() });
const resetForm = z.object({
  token: z.string().max(64),
  password: z.string().max(4096),
  confirm: z.string().max(4096),
  code: z.string().trim().max(64).optional(),
});

/** A six-digit code is from the app; anything longer is a recovery code. */
const proofOf = (code: string | undefined): SecondFactorProof | undefined => {
  if (!code) return undefined;
  const compact = code.replace(/\s/g, '');
  return /^\d{6}$/.test(compact) ? { totp: compact } : { recoveryCode: code };
};

/** "Forgot your password?" → email → link → new password (/password/*). */
export function passwordResetRoutes({
  issuer,
  passwordReset,
  mailEnabled,
  rememberedDevices,
  returnTo,
}: PasswordResetRouteDeps): Router {
  const router = new Router({ prefix: '/password' });
  const form = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const guard = formGuard(new URL(issuer).origin);

  router.use(mailRequired(mailEnabled));

  router.get('/forgot', async (ctx) => {
    const uid = uidOf(ctx.query.uid);
    currentPage().preferUiLocales(await returnTo.remember(ctx, uid));
    ctx.type = 'html';
    ctx.body = forgotPasswordPage({ uid });
  });

  router.post('/forgot', guard, form, async (ctx) => {
    const parsed = forgotForm.safeParse(ctx.request.body ?? {});
    const uid = uidOf((ctx.request.body as { uid?: unknown } | undefined)?.uid);
    currentPage().preferUiLocales(await returnTo.uiLocalesOf(uid));
    ctx.type = 'html';
    if (!parsed.success) {
      ctx.status = 400;
      ctx.body = forgotPasswordPage({ uid, error: t('reset.forgot.error.missing') });
      return;
    }
    const outcome = await passwordReset.request({
      email: parsed.data.email,
      ip: ctx.ip,
      userAgent: ctx.get('User-Agent') || undefined,
      // The mail is written in the language of the page the person asked from.
      locale: currentPage().language.locale,
    });
    if (!outcome.ok) {
      ctx.status = 429;
      ctx.set('Retry-After', String(outcome.retryAfterSeconds));
      ctx.body = forgotPasswordPage({
        uid,
        email: parsed.data.email,
        error: t('reset.forgot.error.throttled', waitOf(outcome.retryAfterSeconds)),
      });
      return;
    }
    ctx.body = resetLinkSentPage({ uid });
  });

  const invalid = (ctx: Context) => {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = resetLinkInvalidPage();
  };

  router.get('/reset', async (ctx) => {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    const opened = await passwordReset.open(token);
    if (!opened) return invalid(ctx);
    ctx.type = 'html';
    ctx.body = resetPasswordPage({ token, ...opened });
  });

  router.post('/reset', guard, form, async (ctx) => {
    const parsed = resetForm.safeParse(ctx.request.body ?? {});
    if (!parsed.success) return invalid(ctx);
    const { token, password, confirm, code } = parsed.data;
    try {
      await passwordReset.complete({
        token,
        password,
        confirm,
        proof: proofOf(code),
        actor: {
          ip: ctx.ip,
          userAgent: ctx.get('User-Agent') || undefined,
          rememberedDevice: rememberedDevices.read(ctx.cookies),
        },
        locale: currentPage().language.locale,
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_LINK_INVALID') return invalid(ctx);
      // The code of the second factor proves who is resetting: a wrong one is 401.
      const message = answerRefusal(ctx, error, { authenticating: true });
      if (message === undefined) throw error;
      const opened = await passwordReset.open(token);
      if (!opened) return invalid(ctx);
      ctx.type = 'html';
      ctx.body = resetPasswordPage({ token, ...opened, error: refusalText(error, message, { password }) });
      return;
    }
    ctx.type = 'html';
    ctx.body = passwordResetDonePage({ returnTo: await returnTo.find(ctx) });
  });

  return router;
}
