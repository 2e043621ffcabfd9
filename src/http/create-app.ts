import Koa from 'koa';
import type { Logger } from './logger.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';
import { noCachePragma } from './no-cache-pragma.js';
import { errorHandler } from './error-handler.js';
import { bodyLimit } from './body-limit.js';
import { issuerHost } from './issuer-host.js';
import { notFound } from './not-found.js';
import { healthRoutes } from './health-routes.js';
import { assetRoutes } from './asset-routes.js';
import { interactionRoutes, type InteractionDeps } from '../../interactions/interaction-routes.js';
import { sessionActivity } from './session-activity.js';
import { accountRoutes, type AccountRouteDeps } from '../../interactions/account/account-routes.js';
import type { SessionService } from '../sessions/session-service.js';
import { structuredTokenEndpoints, type StructuredTokenEndpointDeps } from '../oidc/structured-token-endpoints.js';
import { mountProvider } from './mount-provider.js';
import { formPostRedirect } from '../oidc/form-post-redirect.js';
import type { ProviderHost } from '../oidc/provider-host.js';

export interface AppDeps extends InteractionDeps, AccountRouteDeps, StructuredTokenEndpointDeps {
  readonly providers: ProviderHost;
  readonly sessions: SessionService;
  readonly logger: Logger;
  readonly trustProxy: boolean;
  readonly pingDatabase: () => Promise<void>;
}

/**
 * Request flow: request id and log → security headers → Pragma beside no-store → error handler →
 * issuer host (421) → body limit → 404 shaping → our routes (health, assets, interactions, account
 * console) → oidc-provider for every protocol endpoint.
 */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa({ proxy: deps.trustProxy });
  app.silent = true; // errors are logged by errorHandler with the request id, not printed twice
  // The provider runs mounted in this app and sets signed cookies through this app's context.
  app.keys = deps.providers.current().provider.keys;

  app.use(requestContext(deps.logger, deps.trustProxy));
  app.use(securityHeaders());
  app.use(noCachePragma());
  app.use(errorHandler());
  app.use(issuerHost(deps.issuer));
  app.use(bodyLimit());
  app.use(notFound());
  for (const router of [healthRoutes(deps), assetRoutes(), interactionRoutes(deps), accountRoutes(deps)]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  app.use(sessionActivity(deps.sessions));
  // Introspection and revocation of JWT access tokens, which the provider cannot look up itself.
  app.use(structuredTokenEndpoints(deps));
  // POST at the authorization and end-session endpoints, as OIDC requires, with SameSite=Lax cookies.
  app.use(formPostRedirect(deps.providers));
  app.use(mountProvider(deps.providers));
  return app;
}
