import type { Middleware } from 'koa';
import { mailOffPage } from './views/password-reset-pages.js';

/**
 * For the routes that only make sense when the server sends mail: never cached, and without
 * SMTP_URL a plain 404 page that says mail is off (no dead links, no half-working forms).
 */
export function mailRequired(mailEnabled: boolean): Middleware {
  return async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    if (!mailEnabled) {
      ctx.status = 404;
      ctx.type = 'html';
      ctx.body = mailOffPage();
      return;
    }
    await next();
  };
}
