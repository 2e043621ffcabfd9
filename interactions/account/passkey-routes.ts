import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { z } from 'zod';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { ConsoleSession } from './console-session.js';
import type { PasskeyConsoleService } from '../../src/account-lifecycle/passkey-console-service.js';
import { REAUTH_WINDOW_SECONDS } from '../../src/account-lifecycle/fresh-authentication.js';
import type { DeviceCookies } from '../../src/throttle/device-cookies.js';
import type { RememberedDeviceCookie } from '../../src/mfa/remembered-device-cookie.js';
import { allowPageScript, pageScript } from '../../src/http/page-scripts.js';
import { enrolmentBinding } from '../../src/mfa/enrolment-binding.js';
import { GatehouseError } from '../../src/kernel/gatehouse-error.js';
import { formGuard } from '../form-guard.js';
import { answerRefusal } from '../answer-refusal.js';
import { FormError, readForm } from '../read-form.js';
import { deviceCookie } from '../device-cookie.js';
import { passkeyAddedPage, passkeysPage } from './passkeys-page.js';
import { localTimeScript } from '../views/utc-time.js';
import { recoveryCodesScript } from '../views/recovery-codes.js';
import type { Clock } from '../../src/kernel/clock.js';
import type { MessageKey } from '../../src/i18n/message-catalogue.js';
import { t } from '../page/translate.js';
import { refusalText } from '../refusal-text.js';
import { currentPage } from '../page/page-context.js';
import { CREDENTIAL_ID_MAX, PASSKEY_NAME_MAX } from '../../src/passkeys/authenticator-names.js';

export interface PasskeyRouteDeps {
  readonly issuer: string;
  readonly console: ConsoleSession;
  readonly passkeyConsole: PasskeyConsoleService;
  readonly deviceCookies: DeviceCookies;
  readonly rememberedDevices: RememberedDeviceCookie;
  readonly clock: Clock;
}

const NOTICES = {
  added: 'passkeys.notice.added',
  renamed: 'passkeys.notice.renamed',
  removed: 'passkeys.notice.removed',
} satisfies Record<string, MessageKey>;
const noticeOf = (done: unknown) =>
  typeof done === 'string' && Object.hasOwn(NOTICES, done) ? t(NOTICES[done as keyof typeof NOTICES]) : undefined;

const name = z.string().trim().max(PASSKEY_NAME_MAX);
const optionsForm = z.object({ password: z.string().max(4096).optional(), name: name.optional() });
// The credential as the page's script posts it; its inside is the library's to verify (WebAuthn §7.1).
const credential = z.looseObject({
  id: z.string().min(1).max(CREDENTIAL_ID_MAX),
  rawId: z.string().min(1).max(CREDENTIAL_ID_MAX),
  type: z.literal('public-key'),
  response: z.looseObject({ clientDataJSON: z.string().max(8192), attestationObject: z.string().max(32768) }),
  clientExtensionResults: z.looseObject({}).default({}),
});
const addForm = z.object({
  response: z.string().max(49152).default(''),
  name: name.optional(),
  password: z.string().max(4096).optional(),
});
const renameForm = z.object({ name: name.min(1) });
const removeForm = z.object({ password: z.string().max(4096).optional() });

/** The passkey's id in a path: what the service hands out (base64url), as long as registration accepts. */
const ID = new RegExp(`^[A-Za-z0-9_-]{1,${CREDENTIAL_ID_MAX}}$`);

/** /account/passkeys: list, add (with the page's script), rename and remove the person's passkeys. */
export function passkeyRoutes(deps: PasskeyRouteDeps): Router {
  const { console: consoleAuth, passkeyConsole } = deps;
  const router = new Router({ prefix: '/account/passkeys' });
  const form = bodyParser({ enableTypes: ['form'], formLimit: '64kb' });
  const guard = formGuard(new URL(deps.issuer).origin);
  const device = deviceCookie(deps.issuer, deps.deviceCookies);
  const script = pageScript('passkey-console.js');
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
  /** A registration started here is finished only in this console session (its challenge is bound to it). */
  const bindingOf = ({ session }: Current) => enrolmentBinding('console', session.uid);
  const idOf = (ctx: Context) => {
    const id = String(ctx.params.id);
    if (!ID.test(id)) throw new GatehouseError('ERR_PASSKEY_NOT_FOUND', 'That passkey is not on your account.');
    return id;
  };

  const render = async (
    ctx: Context,
    { account, ...current }: Current,
    messages: { notice?: string; error?: string } = {},
  ) => {
    const passkeys = await passkeyConsole.list(account.id);
    ctx.type = 'html';
    ctx.body = passkeysPage({
      passkeys: passkeys.map((p) => ({
        id: p.id,
        name: p.name,
        createdAt: p.createdAt,
        lastUsedAt: p.lastUsedAt,
        synced: p.deviceType === 'multiDevice' || p.backedUp,
      })),
      needsPassword: signedInAgo({ account, ...current }) > REAUTH_WINDOW_SECONDS,
      script: allowPageScript(ctx, script),
      localTime: localTimeScript(ctx),
      ...messages,
    });
  };

  /** Runs an action for the signed-in person; a refusal is shown on the passkeys page with its status. */
  const action = (handler: (ctx: Context, current: Current) => Promise<void>) => async (ctx: Context) => {
    const current = await consoleAuth.signedIn(ctx);
    if (!current) return ctx.throw(401, t('console.refusal.sessionEnded'));
    try {
      await handler(ctx, current);
    } catch (error) {
      const message = answerRefusal(ctx, error);
      if (message === undefined) throw error;
      await render(ctx, current, { error: refusalText(error, message) });
    }
  };
  const done = (ctx: Context, what: keyof typeof NOTICES) => {
    ctx.status = 303;
    ctx.redirect(`/account/passkeys?done=${what}`);
  };

  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  });

  router.get('/', async (ctx) => {
    const current = await consoleAuth.signedIn(ctx);
    if (!current) return consoleAuth.redirectToSignIn(ctx);
    await render(ctx, current, { notice: noticeOf(ctx.query.done) });
  });

  // The page's script asks here for the options to pass to navigator.credentials.create (JSON both ways).
  router.post('/options', guard, form, async (ctx) => {
    const current = await consoleAuth.signedIn(ctx);
    if (!current) {
      ctx.status = 401;
      ctx.body = { error: t('console.refusal.sessionEnded') };
      return;
    }
    try {
      const { password } = readForm(optionsForm, ctx.request.body, t('console.error.enterCurrentPassword'));
      ctx.body = await passkeyConsole.beginRegistration(
        current.account,
        signedInAgo(current),
        password,
        bindingOf(current),
        await actorOf(ctx),
      );
    } catch (error) {
      const message = answerRefusal(ctx, error);
      if (message === undefined) throw error;
      ctx.body = { error: refusalText(error, message) };
    }
  });

  router.post(
    '/add',
    guard,
    form,
    action(async (ctx, current) => {
      const body = readForm(addForm, ctx.request.body, t('passkeys.error.unreadable'));
      if (!body.response) {
        throw new FormError(t('passkeys.error.needsScript'));
      }
      const response = parseCredential(body.response);
      const added = await passkeyConsole.finishRegistration(
        current.account,
        bindingOf(current),
        response,
        await actorOf(ctx),
        body.name || undefined,
      );
      // Made just now in this browser, the passkey is held here: as after setting up the app, this
      // session counts as signed in with a second factor (else the console would ask for one at once).
      const { deviceType, backedUp } = added.passkey;
      await consoleAuth.raiseToSecondFactor(ctx, current.session, {
        passkey: { synced: deviceType === 'multiDevice' || backedUp, userVerified: false },
      });
      if (!added.recoveryCodes?.length) return done(ctx, 'added');
      ctx.type = 'html';
      ctx.body = passkeyAddedPage(added.recoveryCodes, [recoveryCodesScript(ctx)]);
    }),
  );

  router.post(
    '/:id/rename',
    guard,
    form,
    action(async (ctx, { account }) => {
      const { name: chosen } = readForm(
        renameForm,
        ctx.request.body,
        t('passkeys.error.nameTooLong', { max: PASSKEY_NAME_MAX }),
      );
      await passkeyConsole.rename(account.id, idOf(ctx), chosen, await actorOf(ctx));
      done(ctx, 'renamed');
    }),
  );

  router.post(
    '/:id/remove',
    guard,
    form,
    action(async (ctx, current) => {
      const { password } = readForm(removeForm, ctx.request.body, t('console.error.enterCurrentPassword'));
      await passkeyConsole.remove(
        current.account,
        idOf(ctx),
        signedInAgo(current),
        password,
        current.session.uid,
        await actorOf(ctx),
      );
      done(ctx, 'removed');
    }),
  );

  return router;
}

function parseCredential(posted: string): RegistrationResponseJSON {
  let json: unknown;
  try {
    json = JSON.parse(posted);
  } catch {
    throw new FormError(t('passkeys.error.unreadable'));
  }
  return readForm(credential, json, t('passkeys.error.unreadable')) as unknown as RegistrationResponseJSON;
}
