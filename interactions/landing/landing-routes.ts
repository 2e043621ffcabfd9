import Router from '@koa/router';
import { landingPage } from '../views/landing-page.js';

/** The server's root (`GET /`): a small landing page instead of a 404. */
export function landingRoutes({ issuer }: { issuer: string }): Router {
  const router = new Router();
  // OIDC Discovery 1.0 §4: the configuration lives under the issuer's path.
  const discoveryUrl = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.body = landingPage({ discoveryUrl });
  });
  return router;
}
