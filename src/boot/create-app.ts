import Koa from 'koa';
import type Router from '@koa/router';
import type { Logger } from '../kernel/logger.js';
import { requestContext } from '../http/request-context.js';
import { finishSecurityHeaders, offerScriptSources } from '../http/security-headers.js';
import { responseFinishers } from '../http/response-finishers.js';
import { noCachePragma } from '../http/no-cache-pragma.js';
import { errorHandler } from '../http/error-handler.js';
import { bodyLimit } from '../http/body-limit.js';
import { issuerHost } from '../http/issuer-host.js';
import { notFound } from '../http/not-found.js';
import { healthRoutes } from '../http/health-routes.js';
import { assetRoutes } from '../http/asset-routes.js';
import type { BrandAssets } from '../http/brand-assets.js';
import { ownRoutes } from '../http/own-routes.js';
import type { LazyRouter } from '../http/lazy-router.js';
import { sessionActivity } from '../http/session-activity.js';
import type { SessionService } from '../sessions/session-service.js';
import { structuredTokenEndpoints, type StructuredTokenEndpointDeps } from '../oidc/structured-token-endpoints.js';
import { mountProvider } from './mount-provider.js';
import { emptyRevocationAnswer } from '../http/empty-revocation-answer.js';
import { formPostRedirect } from '../oidc/form-post-redirect.js';
import { deviceCodeGate, type DeviceCodeGateDeps } from '../oidc/device-code-gate.js';
import type { ProviderHost } from '../oidc/provider-host.js';
import { createRenderErrorPage } from '../http/render-error-page.js';
import type { Screens } from '../http/screens.js';
import type { Metrics } from '../metrics/create-metrics.js';
import { httpMetrics } from '../metrics/http-metrics.js';
import { retryAfter } from '../http/retry-after.js';
import { problemBoundary } from '../admin-api/problem.js';
import { ADMIN_API_BASE } from '../admin-api/admin-api-base.js';
import { authorizationServerMetadata } from '../oidc/authorization-server-metadata.js';
import { registrationGate, type RegistrationGateDeps } from '../oidc/registration-gate.js';

export interface AppDeps extends StructuredTokenEndpointDeps, DeviceCodeGateDeps, RegistrationGateDeps {
  // Both gates record refusals; the device gate cannot do without it, registration's may.
  readonly audit: DeviceCodeGateDeps['audit'];
  readonly providers: ProviderHost;
  readonly sessions: SessionService;
  readonly logger: Logger;
  readonly trustProxy: boolean;
  /** Proxies that append to X-Forwarded-For; see Config.proxyHops. */
  readonly proxyHops: number;
  readonly pingDatabase: () => Promise<void>;
  readonly screens: Screens;
  /** Requests must be addressed to the issuer's host (src/http/issuer-host.ts). */
  readonly issuer: string;
  /** The UI layer's routers (sign-in and consent, the account console), built by the composition root. */
  readonly screenRouters: readonly Router[];
  /** Request durations and endpoint outcomes (src/metrics), when counted. */
  readonly metrics?: Metrics;
  /** The management API's router (src/admin-api), under /admin/api/v1, made at its first request. */
  readonly adminApi?: LazyRouter;
  /** Sets who pages are rendered for (brand, language), before any page or error page is made (interactions/page). */
  readonly pageContext?: Koa.Middleware;
  /** The operator's logo and brand stylesheet, served under /assets (src/http/brand-assets.ts). */
  readonly brandAssets?: BrandAssets;
}

/**
 * Request flow: metrics → request id and log → page context (brand, language) → response finishers (an
 * empty revocation answer untyped, Retry-After on 503, Pragma beside no-store, security headers) → error handler →
 * problem+json for the management API → issuer host (421) → body limit → 404 shaping → our routes
 * (health, assets, the management API, interactions, account console; only under their own paths)
 * → the device flow's user-code throttle → oidc-provider for every protocol endpoint.
 */
export function createApp(deps: AppDeps): Koa {
  // Koa's `ip` is the first of the last `maxIpsCount` X-Forwarded-For entries: exactly the entry
  // our outermost proxy appended. Entries left of it are whatever the client sent (forgeable).
  const app = new Koa({ proxy: deps.trustProxy, maxIpsCount: deps.proxyHops });
  app.silent = true; // errors are logged by errorHandler with the request id, not printed twice
  // The provider runs mounted in this app and sets signed cookies through this app's context.
  app.keys = deps.providers.current().provider.keys;

  if (deps.metrics) app.use(httpMetrics(deps.metrics));
  app.use(requestContext(deps.logger, deps.trustProxy));
  if (deps.pageContext) app.use(deps.pageContext);
  // Innermost first: Retry-After on a 503, Pragma beside no-store, then the security headers.
  app.use(
    responseFinishers(offerScriptSources, [emptyRevocationAnswer, retryAfter, noCachePragma, finishSecurityHeaders]),
  );
  app.use(errorHandler(createRenderErrorPage(deps.screens.errorPage)));
  // Under /admin/api/v1 every error is application/problem+json (RFC 9457), these two's included.
  app.use(problemBoundary(ADMIN_API_BASE));
  app.use(issuerHost(deps.issuer));
  app.use(bodyLimit());
  app.use(notFound());
  app.use(
    ownRoutes([
      healthRoutes(deps),
      assetRoutes(deps.brandAssets),
      ...(deps.adminApi ? [deps.adminApi] : []),
      ...deps.screenRouters,
    ]),
  );
  app.use(sessionActivity(deps.sessions));
  // Introspection and revocation of JWT access tokens, which the provider cannot look up itself.
  app.use(structuredTokenEndpoints(deps));
  // POST at the authorization and end-session endpoints, as OIDC requires, with SameSite=Lax cookies.
  app.use(formPostRedirect(deps.providers));
  // The device flow (RFC 8628): wrong user codes are throttled per address before the provider sees them.
  app.use(deviceCodeGate(deps));
  // RFC 8414 metadata (the provider's discovery document), and the policy in front of RFC 7591 registration.
  app.use(authorizationServerMetadata(deps.issuer));
  app.use(registrationGate(deps));
  app.use(mountProvider(deps.providers));
  return app;
}
