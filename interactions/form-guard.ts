import type { Middleware } from 'koa';
import { t } from './page/translate.js';

/**
 * Refuses cross-site form posts. Browsers say where a request comes from: Fetch Metadata's
 * Sec-Fetch-Site where supported (it decides), else the Origin header of the POST. A sign-in or
 * consent form must come from our own pages. Requests that carry neither header are not from a
 * browser page, and still need the interaction or session cookie, which is SameSite=Lax and so
 * never sent on a cross-site POST.
 */
export function formGuard(issuerOrigin: string): Middleware {
  return async (ctx, next) => {
    const site = ctx.get('Sec-Fetch-Site');
    const origin = ctx.get('Origin');
    const crossSite = site ? site !== 'same-origin' && site !== 'none' : Boolean(origin) && origin !== issuerOrigin;
    if (crossSite) {
      ctx.throw(403, t('form.refusal.crossSite'), { error: 'access_denied' });
    }
    await next();
  };
}
