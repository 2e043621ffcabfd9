import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import type { InteractionSession } from './interaction-session.js';
import type { SignInService } from '../../src/accounts/sign-in-service.js';
import { GateFullError } from '../../src/accounts/concurrency-gate.js';
import type { UpstreamSignIn, Resolution, RequestInfo } from '../../src/connections/upstream-sign-in.js';
import { UpstreamTripError } from '../../src/connections/upstream-sign-in.js';
import { UpstreamError, tripStartStatus } from '../../src/connections/upstream-profile.js';
import type { ConnectionService } from '../../src/connections/connection-service.js';
import type { RememberedDeviceCookie } from '../../src/mfa/remembered-device-cookie.js';
import { linkAccountPage, upstreamErrorPage } from '../views/upstream-pages.js';
import { upstreamRedirectUri } from '../../src/connections/upstream-connections.js';
import { t } from '../page/translate.js';
import { upstreamBindingCookie } from './upstream-binding-cookie.js';

export interface UpstreamStepDeps {
  readonly issuer: string;
  readonly session: InteractionSession;
  readonly upstreamSignIn: UpstreamSignIn;
  readonly connections: Pick<ConnectionService, 'list' | 'forEmail'>;
  readonly signIn: SignInService;
  readonly rememberedDevices: RememberedDeviceCookie;
  readonly form: Middleware;
  readonly guard: Middleware;
  /** Shows the sign-in page again with a message (the password form keeps working). */
  readonly showLogin: (ctx: Context, uid: string, params: Record<string, unknown>, error: string) => Promise<void>;
}

const linkForm = z.object({ attempt: z.string().min(1).max(128), password: z.string().min(1).max(4096) });
const attemptParam = z.string().min(1).max(128);

/**
 * Sign-in with another identity provider inside this interaction (src/connections): out through
 * POST /interaction/:uid/upstream/:connection, back at the one fixed redirect URI
 * /interaction/upstream/callback (the interaction cookie is scoped to /interaction/:uid, so the
 * callback hands over to /interaction/:uid/upstream/return, where it is read), then the account.
 */
export function upstreamRoutes(deps: UpstreamStepDeps) {
  const { session, upstreamSignIn } = deps;
  const cookie = upstreamBindingCookie(deps.issuer);
  const binding = (ctx: Context) => cookie.read(ctx);
  const info = (ctx: Context, clientId?: unknown): RequestInfo => ({
    ip: ctx.ip,
    userAgent: ctx.get('User-Agent'),
    clientId: typeof clientId === 'string' ? clientId : undefined,
  });

  async function leave(
    ctx: Context,
    uid: string,
    params: Record<string, unknown>,
    connectionId: string,
    loginHint?: string,
  ) {
    try {
      const trip = await upstreamSignIn.start({ connectionId, uid, loginHint });
      cookie.set(ctx, trip.binding);
      ctx.status = 303;
      ctx.redirect(trip.url.toString());
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      // Upstream down, misconfigured or gone: say so here; the password form stays usable.
      ctx.status = tripStartStatus(error.reason);
      if (ctx.status === 503) ctx.set('Retry-After', '30');
      await deps.showLogin(
        ctx,
        uid,
        params,
        error.reason === 'unavailable' ? t('upstream.unreachable') : t('upstream.notAvailable'),
      );
    }
  }

  async function conclude(
    ctx: Context,
    uid: string,
    params: Record<string, unknown>,
    outcome: Resolution,
    attempt: string,
  ) {
    if (outcome.kind === 'signed_in') {
      // The binding cookie stays until it expires: a link waiting for the second step still needs it.
      // The adaptive second step still follows as the `mfa` prompt when the policy asks (src/second-step).
      await session.finish(
        ctx,
        { login: { accountId: outcome.accountId, remember: true, amr: outcome.amr, acr: outcome.acr } },
        false,
      );
      return;
    }
    if (outcome.kind === 'prove') {
      ctx.body = linkAccountPage({ uid, attempt, email: outcome.email, provider: outcome.connection.buttonLabel });
      return;
    }
    ctx.status = 403;
    await deps.showLogin(ctx, uid, params, outcome.message);
  }

  const gone = (ctx: Context, uid: string) => {
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = upstreamErrorPage({
      provider: t('upstream.unknownProvider'),
      reason: 'bad_state',
      retryUrl: `/interaction/${uid}`,
    });
  };

  return {
    /** Home-realm discovery for the password form: an email at a connection's domains goes there. */
    async homeRealm(ctx: Context, uid: string, email: string): Promise<boolean> {
      if (!email.includes('@')) return false;
      const connection = await deps.connections.forEmail(email);
      if (!connection) return false;
      const { params } = await session.details(ctx);
      await leave(ctx, uid, params, connection.id, email);
      return true;
    },

    /** The second step of this interaction succeeded: an identity waiting for it is linked. */
    async afterSecondStep(ctx: Context, _uid: string, accountId: string): Promise<void> {
      await upstreamSignIn.afterSecondStep(accountId, binding(ctx), info(ctx));
    },

    async buttons() {
      return (await deps.connections.list()).map((c) => ({ id: c.id, label: c.buttonLabel }));
    },

    register(router: Router) {
      router.get('/upstream/callback', async (ctx) => {
        let back;
        try {
          back = await upstreamSignIn.callback(
            new URL(`${upstreamRedirectUri(deps.issuer)}?${ctx.querystring}`),
            binding(ctx),
            info(ctx),
          );
        } catch (error) {
          if (!(error instanceof UpstreamTripError)) throw error;
          ctx.status = error.reason === 'unavailable' ? 502 : 400;
          ctx.type = 'html';
          ctx.body = upstreamErrorPage({
            provider: error.connectionName ?? t('upstream.unknownProvider'),
            reason: error.reason,
            retryUrl: error.uid ? `/interaction/${error.uid}` : undefined,
          });
          return;
        }
        if (!back.uid) {
          // A trip from the console (link another provider): it finishes there, under the console session.
          ctx.status = 303;
          ctx.redirect(`/account/identities/return?attempt=${encodeURIComponent(back.attemptId)}`);
          return;
        }
        ctx.status = 303;
        ctx.redirect(`/interaction/${back.uid}/upstream/return?attempt=${encodeURIComponent(back.attemptId)}`);
      });

      router.post('/:uid/upstream/link', deps.guard, deps.form, async (ctx) => {
        const { uid, prompt, params } = await session.details(ctx);
        if (prompt.name !== 'login') ctx.throw(400, t('error.notWaiting.signIn'));
        const parsed = linkForm.safeParse(ctx.request.body ?? {});
        const attempt =
          typeof (ctx.request.body as { attempt?: unknown })?.attempt === 'string'
            ? (ctx.request.body as { attempt: string }).attempt
            : '';
        const pending = attempt ? await upstreamSignIn.pendingLink(uid, attempt, binding(ctx)) : undefined;
        if (!pending) return gone(ctx, uid);
        const page = (status: number, error: string) => {
          ctx.status = status;
          ctx.body = linkAccountPage({
            uid,
            attempt,
            email: pending.account.email,
            provider: pending.connection.buttonLabel,
            error,
          });
        };
        if (!parsed.success) return page(400, t('upstream.link.error.enterPassword'));
        let outcome;
        try {
          // The one password check: throttled, audited, the same as the sign-in form's.
          outcome = await deps.signIn.signIn({
            email: pending.account.email,
            password: parsed.data.password,
            ip: ctx.ip,
            userAgent: ctx.get('User-Agent'),
            clientId: String(params.client_id),
            rememberedDevice: deps.rememberedDevices.read(ctx.cookies),
          });
        } catch (error) {
          if (!(error instanceof GateFullError)) throw error;
          ctx.set('Retry-After', String(error.retryAfterSeconds));
          return page(503, t('upstream.link.error.busy'));
        }
        if (!outcome.ok) {
          if (outcome.reason === 'throttled') {
            ctx.set('Retry-After', String(outcome.retryAfterSeconds));
            return page(429, t('upstream.link.error.throttled'));
          }
          return page(401, t('upstream.link.error.incorrect'));
        }
        const linked = await upstreamSignIn.link(
          uid,
          attempt,
          binding(ctx),
          outcome.account.id,
          info(ctx, params.client_id),
        );
        if (!linked) return gone(ctx, uid);
        await conclude(ctx, uid, params, linked, attempt);
      });

      router.post('/:uid/upstream/:connection', deps.guard, deps.form, async (ctx) => {
        const { uid, prompt, params } = await session.details(ctx);
        if (prompt.name !== 'login') ctx.throw(400, t('error.notWaiting.signIn'));
        await leave(ctx, uid, params, String(ctx.params.connection));
      });

      router.get('/:uid/upstream/return', async (ctx) => {
        const { uid, prompt, params } = await session.details(ctx);
        const attempt = attemptParam.safeParse(ctx.query.attempt);
        if (prompt.name !== 'login' || !attempt.success) return gone(ctx, uid);
        const outcome = await upstreamSignIn.resolve(uid, attempt.data, binding(ctx), info(ctx, params.client_id));
        if (!outcome) return gone(ctx, uid);
        await conclude(ctx, uid, params, outcome, attempt.data);
      });
    },
  };
}
