import Router from '@koa/router';
import type Provider from 'oidc-provider';
import { renderErrorPage } from '../src/http/render-error-page.js';

export interface InteractionDeps {
  readonly provider: Provider;
}

/** Sign-in, MFA and consent screens, mounted under /interaction/:uid. */
export function interactionRoutes(_deps: InteractionDeps): Router {
  const router = new Router();
  router.use(async (ctx, next) => {
    ctx.set('Cache-Control', 'no-store');
    await next();
  });
  router.get('/interaction/:uid', (ctx) => {
    ctx.status = 503;
    renderErrorPage(ctx, {
      title: 'Sign-in is not available yet',
      error: 'temporarily_unavailable',
      description: 'This server does not offer sign-in screens yet.',
    });
  });
  return router;
}
