import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { z } from 'zod';
import type { AccountAdminService } from '../../src/account-lifecycle/account-admin-service.js';
import type { Actor } from '../../src/sessions/session-service.js';
import { formGuard } from '../form-guard.js';
import { answerRefusal } from '../answer-refusal.js';
import { accountPage, type AccountView } from './account-page.js';
import { signInCancelledPage } from './sign-in-cancelled-page.js';
import { asSentence } from '../views/form-field.js';
import { GatehouseError } from '../../src/kernel/gatehouse-error.js';
import { localTimeScript } from '../views/utc-time.js';
import { CONSOLE_CLIENT_ID } from '../../src/clients/console-client.js';
import { consoleSession, type ConsoleSessionDeps } from './console-session.js';
import type { DeviceCookies } from '../../src/throttle/device-cookies.js';
import { deviceCookie } from '../device-cookie.js';
import type { EmailAddressService } from '../../src/accounts/email-address-service.js';
import type { PersonEntryService } from '../../src/directory/person-entry-service.js';
import type { PersonDirectory } from '../../src/directory/person-directory.js';
import { FIELD_PREFIX, type DirectoryView } from './directory-section.js';
import { attributeLabel } from './attribute-label.js';
import { accountPageOf } from './account-return-path.js';
import type { ResourceService } from '../../src/resources/resource-service.js';
import { describeConsent } from '../describe-scopes.js';
import { scopeWordsFor } from '../scope-words.js';
import type { MessageKey } from '../../src/i18n/message-catalogue.js';
import { t } from '../page/translate.js';
import { refusalText } from '../refusal-text.js';
import { currentPage } from '../page/page-context.js';

export interface AccountRouteDeps extends ConsoleSessionDeps {
  readonly accountAdmin: AccountAdminService;
  readonly deviceCookies: DeviceCookies;
  readonly emailAddress: EmailAddressService;
  readonly personEntries: PersonEntryService;
  readonly personDirectory: PersonDirectory;
  /** The APIs apps hold access to, whose names and scope descriptions the connected apps show. */
  readonly resources: Pick<ResourceService, 'find'>;
  /** Without mail there is no verification or change of address: the page says so. */
  readonly mailEnabled: boolean;
}

/** Messages shown after an action; the query carries only these keys, never free text. */
const NOTICES: Partial<Record<string, MessageKey>> = {
  'session-ended': 'account.notice.sessionEnded',
  'others-ended': 'account.notice.othersEnded',
  'access-removed': 'account.notice.accessRemoved',
  'password-changed': 'account.notice.passwordChanged',
  'verification-sent': 'account.notice.verificationSent',
  'email-change-sent': 'account.notice.emailChangeSent',
  'details-saved': 'account.notice.detailsSaved',
};
/** The notice a `?done=` key names, in the page's language; nothing for an unknown key. */
const noticeOf = (done: unknown) => {
  const key = typeof done === 'string' ? NOTICES[done] : undefined;
  return key ? t(key) : undefined;
};

const text = z.string().max(4096).optional().default('');
const passwordForm = z.object({ current: text, next: text, confirm: text });
const emailForm = z.object({ email: text, current: text });

/** The fields a form left empty, each with what to type there. */
const missing = (typed: Record<string, string>, asks: Record<string, string>) =>
  Object.fromEntries(Object.entries(asks).filter(([name]) => typed[name]?.trim() === ''));

export function accountRoutes(deps: AccountRouteDeps): Router {
  const { issuer, accountAdmin, sessions } = deps;
  const router = new Router({ prefix: '/account' });
  const form = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const device = deviceCookie(issuer, deps.deviceCookies);
  const actorOf = (ctx: Context): Actor => ({ by: 'user', ip: ctx.ip, userAgent: ctx.get('User-Agent') });

  const consoleAuth = consoleSession(deps);
  const signedIn = (ctx: Context) => consoleAuth.signedIn(ctx);

  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  });

  type Current = NonNullable<Awaited<ReturnType<typeof signedIn>>>;
  /** The apps with access, each with what it may do in the words consent used. */
  const connectedApps = async (account: Current['account']) => {
    const grants = (await sessions.listGrants(account.id)).filter((g) => g.clientId !== CONSOLE_CLIENT_ID);
    const words = await scopeWordsFor(
      deps,
      account,
      grants.flatMap((g) => Object.keys(g.resourceScopes)),
    );
    return grants.map((g) => ({
      ...g,
      access: describeConsent({ missingOIDCScope: g.openidScopes, missingResourceScopes: g.resourceScopes }, words),
    }));
  };
  const render = async (
    ctx: Context,
    { session, account }: Current,
    messages: Pick<AccountView, 'notice' | 'error' | 'fieldErrors' | 'typedEmail'>,
    typed: Pick<DirectoryView, 'typed' | 'fieldErrors'> = {},
  ) => {
    const [entry, editable] = await Promise.all([
      deps.personDirectory.entryOf(account.id),
      deps.personEntries.editableAttributes(account.id),
    ]);
    ctx.type = 'html';
    ctx.body = accountPage({
      email: account.email,
      name: account.name,
      emailVerified: account.emailVerified,
      mailEnabled: deps.mailEnabled,
      sessions: await sessions.listSessions(account.id, session.uid),
      grants: await connectedApps(account),
      directory: { roles: entry.roles, groups: entry.groups, editable, ...typed },
      scripts: [localTimeScript(ctx)],
      ...messages,
    });
  };

  router.get('/', async (ctx) => {
    const current = await signedIn(ctx);
    if (!current) {
      consoleAuth.redirectToSignIn(ctx);
      return;
    }
    await render(ctx, current, { notice: noticeOf(ctx.query.done) });
  });

  /**
   * The console's own sign-in comes back here. Finished, the session is set: on to the page that
   * sent the person (its `state`), else /account. Cancelled or refused (`error`), going to /account
   * would start a new sign-in page at once: a page says what happened instead.
   */
  router.get('/callback', (ctx) => {
    if (typeof ctx.query.error === 'string') {
      ctx.type = 'html';
      ctx.body = signInCancelledPage({ cancelled: ctx.query.error === 'access_denied' });
      return;
    }
    ctx.status = 303;
    ctx.redirect(accountPageOf(ctx.query.state));
  });

  const guard = formGuard(new URL(issuer).origin);
  /** Runs a console action and goes back to the console; refusals are shown on the page. */
  const action = (handler: (ctx: Context, current: Current) => Promise<string>) => async (ctx: Context) => {
    const current = await signedIn(ctx);
    if (!current) return ctx.throw(401, t('console.refusal.sessionEnded'));
    try {
      const done = await handler(ctx, current);
      ctx.status = 303;
      ctx.redirect(`/account?done=${done}`);
    } catch (error) {
      const message = answerRefusal(ctx, error);
      if (message === undefined) throw error;
      await render(ctx, current, { error: refusalText(error, message) });
    }
  };

  router.post(
    '/sessions/revoke-others',
    guard,
    action(async (ctx, { session, account }) => {
      await sessions.revokeSessions(account.id, actorOf(ctx), session.uid);
      return 'others-ended';
    }),
  );

  router.post(
    '/sessions/:uid/revoke',
    guard,
    action(async (ctx, { account }) => {
      await sessions.revokeSession(account.id, String(ctx.params.uid), actorOf(ctx));
      return 'session-ended';
    }),
  );

  router.post(
    '/grants/:grantId/revoke',
    guard,
    action(async (ctx, { account }) => {
      await sessions.revokeGrant(account.id, String(ctx.params.grantId), actorOf(ctx));
      return 'access-removed';
    }),
  );

  /**
   * A refusal a form shows under one of its fields: 400 and the page again, or a refusal of the
   * whole request (throttled) at the top, with its own status.
   */
  const refuseFields = async (
    ctx: Context,
    current: Current,
    fieldErrors: Record<string, string>,
    typedEmail?: string,
  ) => {
    ctx.status = 400;
    await render(ctx, current, { fieldErrors, typedEmail });
  };

  /**
   * The new password typed twice, checked here (a mistyped one would lock the person out); every
   * refusal under the field it concerns.
   */
  router.post('/password', guard, form, async (ctx) => {
    const current = await signedIn(ctx);
    if (!current) return ctx.throw(401, t('console.refusal.sessionEnded'));
    const parsed = passwordForm.safeParse(ctx.request.body ?? {});
    if (!parsed.success) return ctx.throw(400, t('account.refusal.passwordMissing'));
    const typed = parsed.data;
    const empty = missing(typed, {
      current: t('console.error.enterCurrentPassword'),
      next: t('account.error.enterNewPassword'),
      confirm: t('account.error.enterPasswordAgain'),
    });
    if (Object.keys(empty).length > 0) return refuseFields(ctx, current, empty);
    if (typed.confirm !== typed.next)
      return refuseFields(ctx, current, { confirm: t('account.error.passwordsDiffer') });
    try {
      await accountAdmin.changePassword(
        current.account.id,
        typed.current,
        typed.next,
        current.session.uid,
        actorOf(ctx),
        await device.read(ctx),
      );
    } catch (error) {
      if (error instanceof GatehouseError && error.code === 'ERR_PASSWORD_MISMATCH')
        return refuseFields(ctx, current, { current: t('console.error.passwordIncorrect') });
      if (error instanceof GatehouseError && error.code === 'ERR_PASSWORD_POLICY')
        return refuseFields(ctx, current, { next: asSentence(error.message) });
      const message = answerRefusal(ctx, error);
      if (message === undefined) throw error;
      return render(ctx, current, { error: asSentence(refusalText(error, message)) });
    }
    ctx.status = 303;
    ctx.redirect('/account?done=password-changed');
  });

  router.post(
    '/email/verify',
    guard,
    action(async (ctx, { account }) => {
      if (!deps.mailEnabled) return ctx.throw(404, t('console.refusal.noMail'));
      await deps.emailAddress.sendVerification(account.id, {
        ip: ctx.ip,
        userAgent: ctx.get('User-Agent') || undefined,
        locale: currentPage().language.locale,
      });
      return 'verification-sent';
    }),
  );

  /**
   * The attributes the operator marked self-editable: every field checked, nothing saved on a
   * mistake, each refusal shown next to its field (naming the attribute); audited with the person as actor.
   */
  router.post('/attributes', guard, form, async (ctx) => {
    const current = await signedIn(ctx);
    if (!current) return ctx.throw(401, t('console.refusal.sessionEnded'));
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries((ctx.request.body ?? {}) as Record<string, unknown>)) {
      if (!key.startsWith(FIELD_PREFIX)) continue;
      if (typeof value !== 'string') return ctx.throw(400, t('directory.refusal.oneValue'));
      fields[key.slice(FIELD_PREFIX.length)] = value;
    }
    try {
      const { errors } = await deps.personEntries.updateOwnAttributes(current.account, fields, actorOf(ctx));
      if (Object.keys(errors).length === 0) {
        ctx.status = 303;
        ctx.redirect('/account?done=details-saved');
        return;
      }
      // Each refusal next to its field, worded in the page's language and naming the field as the form labels it.
      const labels = new Map(
        (await deps.personEntries.editableAttributes(current.account.id)).map(({ definition }) => [
          definition.name,
          attributeLabel(definition),
        ]),
      );
      const fieldErrors = Object.fromEntries(
        Object.entries(errors).map(([name, error]) => [
          name,
          refusalText(error, undefined, { field: labels.get(name) }),
        ]),
      );
      ctx.status = 400;
      await render(ctx, current, { error: t('account.error.detailsNotSaved') }, { typed: fields, fieldErrors });
    } catch (error) {
      const message = answerRefusal(ctx, error);
      if (message === undefined) throw error;
      await render(ctx, current, { error: refusalText(error, message) });
    }
  });

  router.post('/email', guard, form, async (ctx) => {
    if (!deps.mailEnabled) return ctx.throw(404, t('console.refusal.noMail'));
    const current = await signedIn(ctx);
    if (!current) return ctx.throw(401, t('console.refusal.sessionEnded'));
    const parsed = emailForm.safeParse(ctx.request.body ?? {});
    if (!parsed.success) return ctx.throw(400, t('account.refusal.emailChangeMissing'));
    const email = parsed.data.email.trim();
    const empty = missing(
      { 'new-email': email, 'email-current': parsed.data.current },
      { 'new-email': t('account.error.enterNewEmail'), 'email-current': t('console.error.enterCurrentPassword') },
    );
    if (Object.keys(empty).length > 0) return refuseFields(ctx, current, empty, email);
    try {
      await deps.emailAddress.requestChange(current.account.id, parsed.data.current, email, {
        ip: ctx.ip,
        userAgent: ctx.get('User-Agent') || undefined,
        device: await device.read(ctx),
        locale: currentPage().language.locale,
      });
    } catch (error) {
      if (error instanceof GatehouseError && error.code === 'ERR_PASSWORD_MISMATCH')
        return refuseFields(ctx, current, { 'email-current': t('console.error.passwordIncorrect') }, email);
      // Not an address, outside the allowed domains, already this account's: said under the address.
      if (error instanceof GatehouseError && error.code.startsWith('ERR_EMAIL_'))
        return refuseFields(ctx, current, { 'new-email': asSentence(error.message) }, email);
      const message = answerRefusal(ctx, error);
      if (message === undefined) throw error;
      return render(ctx, current, { error: asSentence(refusalText(error, message)), typedEmail: email });
    }
    ctx.status = 303;
    ctx.redirect('/account?done=email-change-sent');
  });

  return router;
}
