import Router from '@koa/router';
import type { AccountService } from '../accounts/account-service.js';
import type { AccountAdminService } from '../account-lifecycle/account-admin-service.js';
import type { AuditService } from '../audit/audit-service.js';
import type { ClientService } from '../clients/client-service.js';
import type { AttributeService } from '../directory/attribute-service.js';
import type { ClaimScopeService } from '../directory/claim-scope-service.js';
import type { GroupService } from '../directory/group-service.js';
import type { PersonEntryService } from '../directory/person-entry-service.js';
import type { RoleService } from '../directory/role-service.js';
import type { Clock } from '../kernel/clock.js';
import type { KeyService } from '../keys/key-service.js';
import type { ProviderHost } from '../oidc/provider-host.js';
import type { StructuredAccessTokens } from '../oidc/structured-access-tokens.js';
import { managementApiIdentifier } from '../resources/management-api.js';
import type { ResourceService } from '../resources/resource-service.js';
import type { SessionService } from '../sessions/session-service.js';
import type { ThrottleCounters } from '../throttle/throttle-counters.js';
import type { AnyApiRoute } from './api-route.js';
import { createBearerAuth } from './bearer-auth.js';
import { createClientRateLimit } from './client-rate-limit.js';
import type { IdempotencyQueries } from './idempotency-queries.js';
import { createIdempotentCreate } from './idempotent-create.js';
import { mountRoute } from './mount-route.js';
import { createPageCursors } from './page-cursor.js';
import { userRoutes } from './user-routes.js';
import { userChangeRoutes } from './user-change-routes.js';
import { userSessionRoutes } from './user-session-routes.js';
import { auditRoutes } from './audit-routes.js';
import { keyRoutes } from './key-routes.js';
import { clientRoutes } from './client-routes.js';
import { resourceRoutes } from './resource-routes.js';
import { roleRoutes } from './role-routes.js';
import { directoryRoutes } from './directory-routes.js';
import { userDirectoryRoutes } from './user-directory-routes.js';
import { ADMIN_API_BASE } from './admin-api-base.js';
import { loadOnce } from '../kernel/load-once.js';

/** The document's `info.version`: the API's own version, not the server's. */
const API_VERSION = '1.0.0';

export interface AdminApiDeps {
  readonly issuer: string;
  readonly rateLimitPerMinute: number;
  /** The key-encryption key: cursors and stored idempotent answers are sealed with keys derived from it. */
  readonly kek: Buffer;
  readonly clock: Clock;
  readonly providers: ProviderHost;
  readonly structuredTokens: Pick<StructuredAccessTokens, 'find'>;
  readonly throttleCounters: Pick<ThrottleCounters, 'add'>;
  readonly idempotencyKeys: IdempotencyQueries;
  readonly accounts: AccountService;
  readonly accountAdmin: AccountAdminService;
  readonly sessions: SessionService;
  readonly audit: AuditService;
  readonly keys: KeyService;
  readonly clients: ClientService;
  readonly resources: ResourceService;
  readonly roles: RoleService;
  readonly groups: GroupService;
  readonly attributes: AttributeService;
  readonly claimScopes: ClaimScopeService;
  readonly personEntries: PersonEntryService;
}

/**
 * The management API (README "Management API"): every route module's routes, mounted under
 * ADMIN_API_BASE behind the token, scope, rate-limit and validation steps of mount-route.ts, and
 * the OpenAPI document generated from the same declarations. A new resource is one more
 * `xRoutes(deps)` module in the list below. The container makes it at the API's first request
 * (src/http/lazy-router.ts).
 */
export function createAdminApi(deps: AdminApiDeps) {
  const cursors = createPageCursors(deps.kek);
  const managementApi = managementApiIdentifier(deps.issuer);
  const routes: AnyApiRoute[] = [
    ...userRoutes({ ...deps, cursors }),
    ...userChangeRoutes(deps),
    ...userSessionRoutes(deps),
    ...auditRoutes({ ...deps, cursors }),
    ...keyRoutes(deps),
    ...clientRoutes({ ...deps, cursors }),
    ...resourceRoutes({ ...deps, cursors, managementApi }),
    ...roleRoutes(deps),
    ...directoryRoutes(deps),
    ...userDirectoryRoutes(deps),
  ];
  const runtime = {
    authenticate: createBearerAuth({ ...deps, audience: managementApi }),
    rateLimit: createClientRateLimit(deps.throttleCounters, deps.clock, deps.rateLimitPerMinute),
    idempotent: createIdempotentCreate(deps.idempotencyKeys, deps.clock, deps.kek),
  };
  // Made when first asked for, then kept: the API's callers work from a copy, and generated with the
  // API it kept 1 MB of heap and took a started server from 145 to 164 MB RSS (docs/benchmarks.md,
  // "Memory").
  const document = loadOnce(async () => {
    const { openApiDocument } = await import('./openapi-document.js');
    return openApiDocument(routes, { issuer: deps.issuer, base: ADMIN_API_BASE, version: API_VERSION });
  });
  const router = new Router({ prefix: ADMIN_API_BASE });
  // Public, like the provider's discovery document: it describes, it grants nothing.
  router.get('/openapi.json', async (ctx) => {
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = await document();
  });
  for (const route of routes) mountRoute(router, route, runtime, ADMIN_API_BASE);
  return { router, routes };
}

export type AdminApi = ReturnType<typeof createAdminApi>;
