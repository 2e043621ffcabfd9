import type { Middleware } from 'koa';
import type { SessionService } from '../sessions/session-service.js';

/**
 * After oidc-provider has handled a request that carried a signed-in session, note the browser,
 * address and time, so the account console can show "last seen" for each session.
 */
export function sessionActivity(sessions: SessionService): Middleware {
  return async (ctx, next) => {
    await next();
    const session = (ctx as { oidc?: { session?: { uid?: string; accountId?: string; destroyed?: boolean } } }).oidc
      ?.session;
    if (!session?.uid || !session.accountId || session.destroyed) return;
    try {
      await sessions.touch(session.uid, session.accountId, ctx.ip, ctx.get('User-Agent') || null);
    } catch (error) {
      ctx.state.log.warn({ err: error }, 'could not record session activity');
    }
  };
}
