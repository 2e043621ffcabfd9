import Router from '@koa/router';
import { localTimeScript } from '../views/utc-time.js';
import type { Context } from 'koa';
import { z } from 'zod';
import type { ConsoleSession } from './console-session.js';
import type { IdentityService } from '../../src/connections/identity-service.js';
import type { ConnectionService } from '../../src/connections/connection-service.js';
import type { UpstreamSignIn } from '../../src/connections/upstream-sign-in.js';
import { UpstreamError, tripStartStatus } from '../../src/connections/upstream-profile.js';
import { formGuard } from '../form-guard.js';
import { answerRefusal } from '../answer-refusal.js';
import { identitiesPage } from './identities-page.js';
import { upstreamBindingCookie } from '../sign-in/upstream-binding-cookie.js';
import { accountStateFor } from './account-return-path.js';
import { REAUTH_WINDOW_SECONDS } from '../../src/account-lifecycle/fresh-authentication.js';
import type { Clock } from '../../src/kernel/clock.js';
import type { MessageKey } from '../../src/i18n/message-catalogue.js';
import { t } from '../page/translate.js';
import { refusalText } from '../refusal-text.js';

export interface IdentityRouteDeps {
  readonly issuer: string;
  readonly console: ConsoleSession;
  readonly linkedIdentities: IdentityService;
  readonly connections: Pick<ConnectionService, 'list'>;
  readonly upstreamSignIn: UpstreamSignIn;
  readonly clock: Clock;
}

const NOTICES = {
  linked: 'identities.notice.linked',
  unlinked: 'identities.notice.unlinked',
} satisfies Record<string, MessageKey>;
const noticeOf = (done: unknown) =>
  typeof done === 'string' && Object.hasOwn(NOTICES, done) ? t(NOTICES[done as keyof typeof NOTICES]) : undefined;
const ID = z.uuid();

/**
 * /account/identities: the person's identities at other providers, "Unlink" (refused when it is
 * the last way in), and "Link" another connection: a trip to that provider from the console, back
 * through the same fixed redirect URI as sign-in.
 */
export function identityRoutes(deps: IdentityRouteDeps): Router {
  const { console: consoleAuth, linkedIdentities, upstreamSignIn } = deps;
  const router = new Router({ prefix: '/account/identities' });
  const guard = formGuard(new URL(deps.issuer).origin);
  const cookie = upstreamBindingCookie(deps.issuer);
  const info = (ctx: Context) => ({ ip: ctx.ip, userAgent: ctx.get('User-Agent') });

  type Current = NonNullable<Awaited<ReturnType<ConsoleSession['signedIn']>>>;
  const signedInAgo = ({ session }: Current) => Math.floor(deps.clock() / 1000) - Number(session.loginTs ?? 0);
  const render = async (ctx: Context, { account }: Current, messages: { notice?: string; error?: string } = {}) => {
    const [identities, connections] = await Promise.all([linkedIdentities.list(account.id), deps.connections.list()]);
    const linked = new Set(identities.map((i) => i.connection));
    ctx.type = 'html';
    ctx.body = identitiesPage({
      identities,
      linkable: connections.filter((c) => !linked.has(c.name)).map((c) => ({ id: c.id, label: c.buttonLabel })),
      scripts: [localTimeScript(ctx)],
      ...messages,
    });
  };
  const action = (handler: (ctx: Context, current: Current) => Promise<void>) => async (ctx: Context) => {
    const current = await consoleAuth.signedIn(ctx);
    if (!current) return ctx.throw(401, t('console.refusal.sessionEnded'));
    try {
      await handler(ctx, current);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_SIGN_IN_AGAIN') return signInAgain(ctx);
      const refusal =
        error instanceof UpstreamError
          ? t(error.reason === 'unknown_connection' ? 'identities.refusal.noProvider' : 'identities.error.unreachable')
          : answerRefusal(ctx, error);
      if (refusal === undefined) throw error;
      const message = refusalText(error, refusal);
      if (error instanceof UpstreamError) ctx.status = tripStartStatus(error.reason);
      await render(ctx, current, { error: message });
    }
  };
  /**
   * A console session older than REAUTH_WINDOW_SECONDS: to the sign-in screens with prompt=login
   * and max_age (OIDC Core §3.1.2.1), whatever way in the account has (a password, a passkey, another
   * provider), then back to this page, where "Link" now works. The POST is not replayed.
   */
  const signInAgain = (ctx: Context) =>
    consoleAuth.redirectToSignIn(ctx, {
      state: accountStateFor('/account/identities'),
      params: { prompt: 'login', max_age: String(REAUTH_WINDOW_SECONDS) },
    });
  const done = (ctx: Context, what: keyof typeof NOTICES) => {
    ctx.status = 303;
    ctx.redirect(`/account/identities?done=${what}`);
  };

  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  });

  router.get('/', async (ctx) => {
    const current = await consoleAuth.signedIn(ctx);
    if (!current) return consoleAuth.redirectToSignIn(ctx, { state: accountStateFor('/account/identities') });
    await render(ctx, current, { notice: noticeOf(ctx.query.done) });
  });

  // Back from the provider (the callback hands over here for a console trip).
  router.get(
    '/return',
    action(async (ctx, { account }) => {
      const attempt = z.string().min(1).max(128).safeParse(ctx.query.attempt);
      if (!attempt.success) return ctx.throw(400, t('identities.refusal.linkGone'));
      await upstreamSignIn.finishConsoleLink(attempt.data, cookie.read(ctx), account.id, info(ctx));
      done(ctx, 'linked');
    }),
  );

  router.post(
    '/link/:connection',
    guard,
    action(async (ctx, current) => {
      const connection = ID.safeParse(ctx.params.connection);
      if (!connection.success) return ctx.throw(404, t('identities.refusal.noProvider'));
      const trip = await upstreamSignIn.start({
        connectionId: connection.data,
        accountId: current.account.id,
        signedInSecondsAgo: signedInAgo(current),
      });
      cookie.set(ctx, trip.binding);
      ctx.status = 303;
      ctx.redirect(trip.url.toString());
    }),
  );

  router.post(
    '/:id/unlink',
    guard,
    action(async (ctx, { account }) => {
      const id = ID.safeParse(ctx.params.id);
      if (!id.success) return ctx.throw(404, t('identities.refusal.noIdentity'));
      await linkedIdentities.unlink(account.id, id.data, info(ctx));
      done(ctx, 'unlinked');
    }),
  );

  return router;
}
