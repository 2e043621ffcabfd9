import Router from '@koa/router';
import { asSentence } from '../views/form-field.js';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { z } from 'zod';
import type { ConsoleSession } from './console-session.js';
import type { MfaService } from '../../src/mfa/mfa-service.js';
import type { MfaConsoleService } from '../../src/account-lifecycle/mfa-console-service.js';
import type { DeviceCookies } from '../../src/throttle/device-cookies.js';
import type { ProviderHost } from '../../src/oidc/provider-host.js';
import type { RememberedDeviceCookie } from '../../src/mfa/remembered-device-cookie.js';
import { REASON_TEXT } from '../../src/second-step/risk/signals.js';
import { describeBrowser } from '../../src/sessions/describe-browser.js';
import { enrolmentBinding } from '../../src/mfa/enrolment-binding.js';
import { REAUTH_WINDOW_SECONDS } from '../../src/account-lifecycle/fresh-authentication.js';
import { formGuard } from '../form-guard.js';
import { answerRefusal } from '../answer-refusal.js';
import { readForm } from '../read-form.js';
import { deviceCookie } from '../device-cookie.js';
import { qrCode } from '../views/qr-code.js';
import { mfaCodesPage, mfaConsolePage, mfaSetupPage } from './mfa-page.js';
import { localTimeScript } from '../views/utc-time.js';
import { recoveryCodesScript } from '../views/recovery-codes.js';
import type { Clock } from '../../src/kernel/clock.js';
import type { MessageKey } from '../../src/i18n/message-catalogue.js';
import { t } from '../page/translate.js';
import { currentPage } from '../page/page-context.js';
import { CONSOLE_CLIENT_ID } from '../../src/clients/console-client.js';
import { refusalText } from '../refusal-text.js';

export interface MfaRouteDeps {
  readonly providers: ProviderHost;
  readonly issuer: string;
  readonly console: ConsoleSession;
  readonly mfa: MfaService;
  readonly mfaConsole: MfaConsoleService;
  readonly deviceCookies: DeviceCookies;
  /** A remembered browser of the account has its own allowance of wrong codes (src/mfa/second-step-throttle.ts). */
  readonly rememberedDevices: RememberedDeviceCookie;
  readonly clock: Clock;
}

const NOTICES: Partial<Record<string, MessageKey>> = {
  disabled: 'mfa.notice.disabled',
  forgotten: 'mfa.notice.forgotten',
};
/** Why a sign-in asked for a second step, in the words the second step itself uses. */
const REASON_KEYS: Partial<Record<string, MessageKey>> = Object.fromEntries(
  Object.keys(REASON_TEXT).map((reason) => [reason, `secondStep.reason.${reason}` as MessageKey]),
);
const reasonText = (reason: string) => {
  const key = REASON_KEYS[reason];
  return key ? t(key) : reason;
};

const setupForm = z.object({ password: z.string().max(4096).optional() });
const codeForm = z.object({ code: z.string().max(16).default('') });
const disableForm = z.object({ code: z.string().max(16).optional(), recovery_code: z.string().max(64).optional() });

/** /account/mfa: set up, use and turn off the authenticator app; remembered browsers; recent sign-ins. */
export function mfaRoutes(deps: MfaRouteDeps): Router {
  const { console: consoleAuth, mfa, mfaConsole, providers } = deps;
  const router = new Router({ prefix: '/account/mfa' });
  const form = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const guard = formGuard(new URL(deps.issuer).origin);
  const device = deviceCookie(deps.issuer, deps.deviceCookies);
  const actorOf = async (ctx: Context) => ({
    by: 'user' as const,
    ip: ctx.ip,
    userAgent: ctx.get('User-Agent'),
    device: await device.read(ctx),
    rememberedDevice: deps.rememberedDevices.read(ctx.cookies),
    // Notices this change sends (a factor added or removed) are written in the page's language.
    locale: currentPage().language.locale,
  });

  type Current = NonNullable<Awaited<ReturnType<ConsoleSession['signedIn']>>>;
  const signedInAgo = ({ session }: Current) => Math.floor(deps.clock() / 1000) - Number(session.loginTs ?? 0);
  /** A set-up started here is shown and confirmed only in this console session. */
  const bindingOf = ({ session }: Current) => enrolmentBinding('console', session.uid);

  const appName = async (clientId: string | null) => {
    // Our own consoles' client is named for people in their language, as on the sign-in page.
    if (clientId === CONSOLE_CLIENT_ID)
      return t('signIn.consoleClient', { productName: currentPage().brand.productName });
    const client = clientId ? await providers.current().provider.Client.find(clientId) : undefined;
    return (client?.clientName as string | undefined) ?? clientId ?? t('mfa.recent.unknownApp');
  };

  const render = async (
    ctx: Context,
    current: Current,
    messages: { notice?: string; error?: string; fieldErrors?: Record<string, string> } = {},
  ) => {
    const { account } = current;
    const [status, devices, recent] = await Promise.all([
      mfa.status(account.id),
      mfa.listDevices(account.id),
      mfaConsole.recentSignIns(account.id),
    ]);
    ctx.type = 'html';
    ctx.body = mfaConsolePage({
      enabled: status.totp,
      recoveryCodesLeft: status.recoveryCodesLeft,
      devices: devices.map((d) => ({
        id: d.id,
        browser: describeBrowser(d.userAgent),
        lastUsedAt: d.lastUsedAt.toISOString(),
        expiresAt: d.expiresAt.toISOString(),
      })),
      recent: await Promise.all(
        recent.map(async (r) => ({
          at: r.at,
          ip: r.ip,
          asked: r.asked,
          app: await appName(r.clientId),
          why: r.reasons.map(reasonText),
        })),
      ),
      needsPassword: signedInAgo(current) > REAUTH_WINDOW_SECONDS,
      scripts: [localTimeScript(ctx)],
      ...messages,
    });
  };

  /** The field a form's refusal concerns: the password to set up, the code to make new codes or to turn off. */
  const fieldOf = (ctx: Context): string | undefined => {
    if (ctx.path.endsWith('/setup')) return 'password';
    if (ctx.path.endsWith('/recovery-codes')) return 'regenerate-code';
    if (!ctx.path.endsWith('/disable')) return undefined;
    const body = (ctx.request.body ?? {}) as { recovery_code?: unknown };
    return typeof body.recovery_code === 'string' && body.recovery_code.trim() ? 'disable-recovery' : 'disable-code';
  };

  /** Runs an action for the signed-in person; a refusal is shown on the console page with its status. */
  const action = (handler: (ctx: Context, current: Current) => Promise<void>) => async (ctx: Context) => {
    const current = await consoleAuth.signedIn(ctx);
    if (!current) return ctx.throw(401, t('console.refusal.sessionEnded'));
    try {
      await handler(ctx, current);
    } catch (error) {
      const refusal = answerRefusal(ctx, error);
      if (refusal === undefined) throw error;
      const message = refusalText(error, refusal);
      // A wrong (or malformed) code while setting up: the same QR code again, to try the next code.
      const code = (error as { code?: string }).code;
      const pending =
        (code === 'ERR_MFA_CODE_INVALID' || code === 'ERR_FORM_INVALID') && ctx.path.endsWith('/totp')
          ? await mfa.pendingTotp(current.account, bindingOf(current))
          : undefined;
      if (pending) {
        ctx.type = 'html';
        ctx.body = mfaSetupPage({ qr: await qrCode(pending.uri), secret: pending.secret, error: message });
        return;
      }
      // The refusal of a form with one field to fix goes under that field; any other at the top.
      const field = fieldOf(ctx);
      await render(ctx, current, field ? { fieldErrors: { [field]: asSentence(message) } } : { error: message });
    }
  };

  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  });

  router.get('/', async (ctx) => {
    const current = await consoleAuth.signedIn(ctx);
    if (!current) return consoleAuth.redirectToSignIn(ctx);
    const notice = typeof ctx.query.done === 'string' ? NOTICES[ctx.query.done] : undefined;
    await render(ctx, current, { notice: notice ? t(notice) : undefined });
  });

  router.post(
    '/setup',
    guard,
    form,
    action(async (ctx, current) => {
      const { password } = readForm(setupForm, ctx.request.body, t('console.error.enterCurrentPassword'));
      const setup = await mfaConsole.beginSetup(
        current.account,
        signedInAgo(current),
        password,
        bindingOf(current),
        await actorOf(ctx),
      );
      ctx.type = 'html';
      ctx.body = mfaSetupPage({ qr: await qrCode(setup.uri), secret: setup.secret });
    }),
  );

  router.post(
    '/totp',
    guard,
    form,
    action(async (ctx, current) => {
      const { code } = readForm(codeForm, ctx.request.body, t('mfa.error.enterCode'));
      const codes = await mfa.confirmTotpEnrolment(current.account, code, bindingOf(current), await actorOf(ctx));
      await consoleAuth.raiseToSecondFactor(ctx, current.session);
      ctx.type = 'html';
      ctx.body = mfaCodesPage(codes, t('mfa.codes.onHeading'), [recoveryCodesScript(ctx)]);
    }),
  );

  router.post(
    '/recovery-codes',
    guard,
    form,
    action(async (ctx, { account }) => {
      const { code } = readForm(codeForm, ctx.request.body, t('mfa.error.enterCode'));
      const codes = await mfaConsole.regenerateCodes(account.id, code, await actorOf(ctx));
      ctx.type = 'html';
      ctx.body = mfaCodesPage(codes, t('mfa.codes.newHeading'), [recoveryCodesScript(ctx)]);
    }),
  );

  router.post(
    '/disable',
    guard,
    form,
    action(async (ctx, { account, session }) => {
      const body = readForm(disableForm, ctx.request.body, t('mfa.error.enterCodeOrRecoveryCode'));
      const proof = body.recovery_code ? { recoveryCode: body.recovery_code } : { totp: body.code ?? '' };
      await mfaConsole.disable(account, proof, session.uid, await actorOf(ctx));
      ctx.status = 303;
      ctx.redirect('/account/mfa?done=disabled');
    }),
  );

  router.post(
    '/devices/:id/forget',
    guard,
    action(async (ctx, { account }) => {
      await mfa.forgetDevice(account.id, String(ctx.params.id), await actorOf(ctx));
      ctx.status = 303;
      ctx.redirect('/account/mfa?done=forgotten');
    }),
  );

  return router;
}
