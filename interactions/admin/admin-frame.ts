/*
 * The admin console's frame (issue 21). How a page module mounts itself:
 *   export const widgetPages = (deps: WidgetDeps): AdminPageModule => (router, kit) => {
 *     router.get('/widgets', async (ctx) => kit.render(ctx, { title: 'Widgets', section: 'apis', body: html`…` }));
 *     router.post('/widgets/:id/remove', kit.action(async (ctx, admin) => { …; return kit.done('/admin/widgets', 'removed'); },
 *       async (ctx, admin, error) => kit.render(ctx, { …, error })));
 *   };
 * then add `widgetPages({ ...container })` to the list adminRoutes gets in src/boot/server.ts.
 * Paths are relative to /admin. Every route is already behind the gate below (sign-in, admin role,
 * second factor; for POST also a recent sign-in, the CSRF guard and a parsed form in ctx.request.body):
 * a module never checks access itself. Pass `kit.actorOf(ctx)` to services so changes are audited with
 * the administrator as actor; use admin-pagination.ts for lists and confirm-form.ts for destructive actions.
 */
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware, Next } from 'koa';
import type { ProviderHost } from '../../src/oidc/provider-host.js';
import type { AccountRow } from '../../src/accounts/account-queries.js';
import type { Actor, SessionService } from '../../src/sessions/session-service.js';
import type { AdminAccessService } from '../../src/admin-console/admin-access.js';
import { sessionTtl, type SessionTimeouts } from '../../src/oidc/session-ttl.js';
import { adminConsoleRedirectUri } from '../../src/clients/console-client.js';
import { MFA_ACR } from '../../src/mfa/authentication-context.js';
import type { Clock } from '../../src/kernel/clock.js';
import type { ConsoleSession } from '../account/console-session.js';
import { formGuard } from '../form-guard.js';
import { answerRefusal } from '../answer-refusal.js';
import { adminForbiddenPage, adminPage, adminSignInFailedPage, type AdminPageView } from './admin-shell.js';
import { localTimeScript } from '../views/utc-time.js';
import { currentPage } from '../page/page-context.js';
import { formPageOf, returnPathOf, stateFor } from './return-path.js';

/** The administrator behind an allowed request, as the gate left it in ctx.state.admin. */
export interface AdminContext {
  readonly account: AccountRow;
  /** For services: audited as this administrator, from this address and browser. */
  readonly actor: Actor;
}

export interface AdminKit {
  /** Renders a console page (navigation, messages, body) as this request's HTML answer. */
  render(ctx: Context, view: Omit<AdminPageView, 'adminEmail'>): void;
  /** The administrator of this request (the gate has let it through). */
  adminOf(ctx: Context): AdminContext;
  actorOf(ctx: Context): Actor;
  /**
   * A POST handler: runs `change` (which returns where to go, usually kit.done(…)) and answers 303;
   * a refusal the person can act on (a GatehouseError) is shown by `refused` with its status.
   */
  action(
    change: (ctx: Context, admin: AdminContext) => Promise<string>,
    refused: (ctx: Context, admin: AdminContext, error: string) => Promise<void>,
  ): Middleware;
  /** The address to go to after a change, with the key of the message to show there. */
  done(path: string, notice: string): string;
  /** The message the `done` key of this request names in `notices` (never free text from the URL). */
  noticeOf(ctx: Context, notices: Readonly<Record<string, string>>): string | undefined;
}

export type AdminPageModule = (router: Router, kit: AdminKit) => void;

export interface AdminFrameDeps {
  readonly issuer: string;
  readonly providers: ProviderHost;
  readonly sessions: SessionService;
  readonly sessionTimeouts: SessionTimeouts;
  readonly clock: Clock;
  readonly adminAccess: AdminAccessService;
  /** The account console's sign-in (interactions/account/console-session.ts), asked for more here. */
  readonly console: Pick<ConsoleSession, 'redirectToSignIn'>;
  /** ADMIN_SESSION_MAX_AGE_SECONDS. */
  readonly maxAgeSeconds: number;
  /** The management API lives under /admin too (/admin/api/v1): the console leaves it alone. */
  readonly apiBase: string;
}

const READS = new Set(['GET', 'HEAD']);

export function adminRoutes(deps: AdminFrameDeps, modules: readonly AdminPageModule[]): Router {
  const { issuer, providers, sessions, adminAccess, maxAgeSeconds, apiBase } = deps;
  const origin = new URL(issuer).origin;
  const router = new Router({ prefix: '/admin' });
  const ttl = sessionTtl(deps.sessionTimeouts, deps.clock);
  const guard = formGuard(origin);
  const form = bodyParser({ enableTypes: ['form'], formLimit: '32kb' });
  const isApi = (ctx: Context) => ctx.path.toLowerCase().startsWith(apiBase);

  /**
   * To the sign-in screens and back to `back` afterwards. `secondFactor`: the MFA ACR is demanded
   * (OIDC Core §3.1.2.1, read by src/second-step/second-step-gate.ts), so the second step is asked
   * and an administrator without an authenticator sets one up first. It is asked only once the
   * account is known to be an administrator's: a visitor is first signed in as anywhere else, so a
   * person without the role is never made to set up a factor only to be refused. `fresh`:
   * prompt=login and max_age (§3.1.2.1) make the provider ask for the password again.
   */
  const signIn = (ctx: Context, back: string, secondFactor: boolean, fresh = false) => {
    deps.console.redirectToSignIn(ctx, {
      redirectUri: adminConsoleRedirectUri(issuer),
      state: stateFor(back),
      params: {
        ...(secondFactor ? { acr_values: MFA_ACR } : {}),
        ...(fresh ? { prompt: 'login', max_age: String(maxAgeSeconds) } : {}),
      },
    });
  };

  /** The gate: every console URL (known or not) passes here first. */
  const gate: Middleware = async (ctx: Context, next: Next) => {
    if (isApi(ctx)) return next();
    ctx.set('Cache-Control', 'no-store');
    if (ctx.path.toLowerCase().replace(/\/+$/, '') === '/admin/callback') return next();
    const change = !READS.has(ctx.method);
    const session = await providers.current().provider.Session.get(ctx as never);
    const access = await adminAccess.decide(
      { accountId: session.accountId, amr: session.amr, loginTs: session.loginTs },
      change,
    );
    const back = change ? formPageOf(ctx.get('Referer'), origin) : `${ctx.path}${ctx.search}`;
    switch (access.kind) {
      case 'sign-in':
        return signIn(ctx, back, false);
      case 'second-factor':
        return signIn(ctx, back, true);
      case 'reauthenticate':
        return signIn(ctx, back, true, true);
      case 'forbidden':
        ctx.status = 403;
        ctx.type = 'html';
        ctx.body = adminForbiddenPage();
        return;
      case 'allowed':
        break;
    }
    await session.save(ttl(ctx as never, session as never));
    await sessions.touch(session.uid, access.account.id, ctx.ip, ctx.get('User-Agent') || null);
    const admin: AdminContext = {
      account: access.account,
      actor: {
        by: 'admin',
        admin: { accountId: access.account.id, email: access.account.email },
        ip: ctx.ip,
        userAgent: ctx.get('User-Agent') || undefined,
      },
    };
    ctx.state.admin = admin;
    if (!change) return next();
    // Every change: our CSRF guard (Fetch Metadata / Origin), then the form read at the edge.
    return guard(ctx, () => form(ctx, next));
  };
  // The admin console is written for operators in English only: its pages, refusals included, are
  // English whatever the browser asks, so a page never claims a language it is not written in.
  router.use((_ctx, next) => {
    currentPage().preferUiLocales('en');
    return next();
  });
  router.use(gate);

  /** The sign-in's way back: the code is not redeemed (the console reads the provider session itself). */
  router.get('/callback', (ctx) => {
    const back = returnPathOf(ctx.query.state);
    if (typeof ctx.query.error === 'string') {
      ctx.type = 'html';
      ctx.body = adminSignInFailedPage(back);
      return;
    }
    ctx.status = 303;
    ctx.redirect(back);
  });

  const kit: AdminKit = {
    render(ctx, view) {
      ctx.type = 'html';
      ctx.body = adminPage({
        ...view,
        // Times in the administrator's own zone (admin-format.ts `when`).
        scripts: [...(view.scripts ?? []), localTimeScript(ctx)],
        adminEmail: kit.adminOf(ctx).account.email,
      });
    },
    adminOf(ctx) {
      const admin = ctx.state.admin as AdminContext | undefined;
      if (!admin) throw new Error('an admin page ran outside the admin gate');
      return admin;
    },
    actorOf: (ctx) => kit.adminOf(ctx).actor,
    action: (change, refused) => async (ctx) => {
      const admin = kit.adminOf(ctx);
      try {
        const to = await change(ctx, admin);
        ctx.status = 303;
        ctx.redirect(to);
      } catch (error) {
        const message = answerRefusal(ctx, error);
        if (message === undefined) throw error;
        await refused(ctx, admin, message);
      }
    },
    done: (path, notice) => `${path}${path.includes('?') ? '&' : '?'}done=${encodeURIComponent(notice)}`,
    noticeOf: (ctx, notices) =>
      typeof ctx.query.done === 'string' && Object.hasOwn(notices, ctx.query.done)
        ? notices[ctx.query.done]
        : undefined,
  };

  for (const mount of modules) mount(router, kit);

  // Any other console address: behind the same gate (a non-administrator gets the same 403 as
  // everywhere), then the ordinary "nothing here". The management API's own 404s stay its own.
  router.all('/{*rest}', (ctx, next) => {
    if (isApi(ctx)) return next();
    return ctx.throw(404, 'There is nothing at this address.', { error: 'not_found' });
  });
  return router;
}
