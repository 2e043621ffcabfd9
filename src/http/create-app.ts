import Koa from 'koa';
import mount from 'koa-mount';
import type Provider from 'oidc-provider';
import type { Logger } from './logger.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';
import { errorHandler } from './error-handler.js';
import { bodyLimit } from './body-limit.js';
import { healthRoutes } from './health-routes.js';
import { assetRoutes } from './asset-routes.js';
import { interactionRoutes } from '../../interactions/interaction-routes.js';

export interface AppDeps {
  readonly provider: Provider;
  readonly logger: Logger;
  readonly trustProxy: boolean;
  readonly pingDatabase: () => Promise<void>;
}

/**
 * Request flow: request id and log → security headers → error handler → body limit → our routes (health,
 * assets, interactions) → oidc-provider for every protocol endpoint.
 */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: deps.trustProxy });
  app.silent = true; // errors are logged by errorHandler with the request id, not printed twice
  deps.provider.proxy = deps.trustProxy;

  app.use(requestContext(deps.logger, deps.trustProxy));
  app.use(securityHeaders());
  app.use(errorHandler());
  app.use(bodyLimit());
  for (const router of [healthRoutes(deps), assetRoutes(), interactionRoutes(deps)]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  app.use(mount(deps.provider));
  return app;
}
