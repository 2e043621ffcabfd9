import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { z } from 'zod';
import type { AccountAdminService } from '../../src/account-lifecycle/account-admin-service.js';
import type { Actor } from '../../src/sessions/session-service.js';
import { formGuard } from '../form-guard.js';
import { answerRefusal } from '../answer-refusal.js';
import { accountPage } from './account-page.js';
import { CONSOLE_CLIENT_ID } from '../../src/clients/console-client.js';
import { consoleSession, type ConsoleSessionDeps } from './console-session.js';
import type { DeviceCookies } from '../../src/throttle/device-cookies.js';
import { deviceCookie } from '../device-cookie.js';
import type { EmailAddressService } from '../../src/accounts/email-address-service.js';
import type { PersonEntryService } from '../../src/directory/person-entry-service.js';
import type { PersonDirectory } from '../../src/directory/person-directory.js';
import { FIELD_PREFIX, type DirectoryView } from './directory-section.js';
import type { ResourceService } from '../../src/resources/resource-service.js';
import { describeConsent } from '../describe-scopes.js';
import { scopeWordsFor } from '../scope-words.js';

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
const NOTICES: Record<string, string> = {
  'session-ended': 'That session has been signed out.',
  'others-ended': 'All your other sessions have been signed out.',
  'access-removed': 'The app no longer has access to your account.',
  'password-changed': 'Your password has been changed and your other sessions signed out.',
  'verification-sent': 'A confirmation link is on its way to your address. It works once, for 24 hours.',
  'email-change-sent': 'A link is on its way to your new address. Your address changes when you use it.',
  'details-saved': 'Your details have been saved.',
};

const passwordForm = z.object({ current: z.string().min(1).max(4096), next: z.string().min(1).max(4096) });
const emailForm = z.object({ email: z.string().trim().min(1).max(320), current: z.string().min(1).max(4096) });

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
    messages: { notice?: string; error?: string },
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
      ...messages,
    });
  };

  router.get('/', async (ctx) => {
    const current = await signedIn(ctx);
    if (!current) {
      consoleAuth.redirectToSignIn(ctx);
      return;
    }
    await render(ctx, current, { notice: typeof ctx.query.done === 'string' ? NOTICES[ctx.query.done] : undefined });
  });

  router.get('/callback', (ctx) => {
    ctx.status = 303;
    ctx.redirect('/account');
  });

  const guard = formGuard(new URL(issuer).origin);
  /** Runs a console action and goes back to the console; refusals are shown on the page. */
  const action = (handler: (ctx: Context, current: Current) => Promise<string>) => async (ctx: Context) => {
    const current = await signedIn(ctx);
    if (!current) return ctx.throw(401, 'Your session has ended. Sign in again.');
    try {
      const done = await handler(ctx, current);
      ctx.status = 303;
      ctx.redirect(`/account?done=${done}`);
    } catch (error) {
      const message = answerRefusal(ctx, error);
      if (message === undefined) throw error;
      await render(ctx, current, { error: message });
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

  router.post('/password', guard, form, async (ctx) => {
    const parsed = passwordForm.safeParse(ctx.request.body ?? {});
    if (!parsed.success) return ctx.throw(400, 'Enter your current password and a new one.');
    return action(async (c, { session, account }) => {
      await accountAdmin.changePassword(
        account.id,
        parsed.data.current,
        parsed.data.next,
        session.uid,
        actorOf(c),
        await device.read(c),
      );
      return 'password-changed';
    })(ctx);
  });

  router.post(
    '/email/verify',
    guard,
    action(async (ctx, { account }) => {
      if (!deps.mailEnabled) return ctx.throw(404, 'This server sends no mail.');
      await deps.emailAddress.sendVerification(account.id, {
        ip: ctx.ip,
        userAgent: ctx.get('User-Agent') || undefined,
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
    if (!current) return ctx.throw(401, 'Your session has ended. Sign in again.');
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries((ctx.request.body ?? {}) as Record<string, unknown>)) {
      if (!key.startsWith(FIELD_PREFIX)) continue;
      if (typeof value !== 'string') return ctx.throw(400, 'Each detail takes one value.');
      fields[key.slice(FIELD_PREFIX.length)] = value;
    }
    try {
      const { errors } = await deps.personEntries.updateOwnAttributes(current.account, fields, actorOf(ctx));
      if (Object.keys(errors).length === 0) {
        ctx.status = 303;
        ctx.redirect('/account?done=details-saved');
        return;
      }
      ctx.status = 400;
      await render(
        ctx,
        current,
        { error: 'Your details were not saved: see below.' },
        { typed: fields, fieldErrors: errors },
      );
    } catch (error) {
      const message = answerRefusal(ctx, error);
      if (message === undefined) throw error;
      await render(ctx, current, { error: message });
    }
  });

  router.post('/email', guard, form, async (ctx) => {
    if (!deps.mailEnabled) return ctx.throw(404, 'This server sends no mail.');
    const parsed = emailForm.safeParse(ctx.request.body ?? {});
    if (!parsed.success) return ctx.throw(400, 'Enter the new address and your current password.');
    return action(async (c, { account }) => {
      await deps.emailAddress.requestChange(account.id, parsed.data.current, parsed.data.email, {
        ip: c.ip,
        userAgent: c.get('User-Agent') || undefined,
        device: await device.read(c),
      });
      return 'email-change-sent';
    })(ctx);
  });

  return router;
}
