import type { Context, Middleware } from 'koa';
import type { SessionService } from '../sessions/session-service.js';
import { hasSecondFactor } from '../mfa/authentication-context.js';

interface ProviderState {
  session?: { uid?: string; accountId?: string; destroyed?: boolean; amr?: string[] };
  entities?: { Interaction?: { uid?: string; prompt?: { name?: string } } };
}

/**
 * This response starts the second step (the `mfa` prompt, src/second-step/mfa-prompt.ts) for a
 * session that has only its first factor: the person has typed a password and nothing more. The
 * provider already keeps the account in that session (the `login` prompt is done), but the sign-in
 * is not finished, so it is no activity of a signed-in session. oidc-provider records the
 * interaction it starts as the request's Interaction entity and redirects to its page.
 */
function startsSecondStep(ctx: Context, oidc: ProviderState): boolean {
  const interaction = oidc.entities?.Interaction;
  if (interaction?.prompt?.name !== 'mfa' || !interaction.uid) return false;
  const location = ctx.response.get('Location');
  return location.endsWith(`/interaction/${interaction.uid}`) && !hasSecondFactor(oidc.session?.amr);
}

/**
 * After oidc-provider has handled a request that carried a signed-in session, note the browser,
 * address and time, so the account console can show "last seen" for each session. A session
 * that has never been noted has not finished signing in (its second step is pending or was given
 * up): the session lists leave it out (src/sessions/session-service.ts).
 */
export function sessionActivity(sessions: SessionService): Middleware {
  return async (ctx, next) => {
    await next();
    const oidc = (ctx as { oidc?: ProviderState }).oidc;
    const session = oidc?.session;
    if (!oidc || !session?.uid || !session.accountId || session.destroyed) return;
    if (startsSecondStep(ctx, oidc)) return;
    try {
      await sessions.touch(session.uid, session.accountId, ctx.ip, ctx.get('User-Agent') || null);
    } catch (error) {
      ctx.state.log.warn({ err: error }, 'could not record session activity');
    }
  };
}
