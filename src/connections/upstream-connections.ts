import type { Db } from '../db/create-prisma.js';
import type { Clock } from '../kernel/clock.js';
import type { AuditService } from '../audit/audit-service.js';
import type { AccountQueries } from '../accounts/account-queries.js';
import type { AccountService } from '../accounts/account-service.js';
import { createGuardedFetch } from '../oidc/guarded-fetch.js';
import type { CacheGuard, CacheLookup } from '../oidc/guarded-cache.js';
import { createConnectionQueries, type PreparedConnectionList } from './connection-queries.js';
import { createConnectionService } from './connection-service.js';
import { createIdentityQueries } from './identity-queries.js';
import { createAttemptQueries } from './attempt-queries.js';
import { createUpstreamClient } from './upstream-client.js';
import { createUpstreamSignIn } from './upstream-sign-in.js';
import { createIdentityService } from './identity-service.js';
import { createConnectionListCache } from './connection-list-cache.js';

/** The fixed redirect URI every upstream registers (README, "Sign in with another provider"). */
export const upstreamRedirectUri = (issuer: string) => `${issuer.replace(/\/$/, '')}/interaction/upstream/callback`;

export interface UpstreamConnectionsDeps {
  readonly db: Db;
  /** The sign-in page's list of connections, prepared on Prisma's connection (instrumented by the container). */
  readonly connectionList: PreparedConnectionList;
  /** What vouches for that list kept in memory (the caches' watch of the store, src/oidc/create-caches.ts). */
  readonly connectionGuard: CacheGuard;
  readonly onConnectionLookup?: (result: CacheLookup) => void;
  readonly issuer: string;
  readonly kek: Buffer;
  readonly clock: Clock;
  readonly audit: AuditService;
  readonly accounts: Pick<AccountQueries, 'findByEmail' | 'findById'>;
  readonly createAccount: AccountService['create'];
  readonly allowPrivateNetworks: boolean;
  readonly registrationDomains: readonly string[];
  readonly hasPasskey: (accountId: string) => Promise<boolean>;
  readonly hasSecondFactor: (accountId: string) => Promise<boolean>;
}

/** The connections floor wired from its parts (one call from the container). */
export function createUpstreamConnections(deps: UpstreamConnectionsDeps) {
  // The list from memory (connection-list-cache.ts); every change this process makes forgets it.
  const listCache = createConnectionListCache(deps.connectionGuard, { onLookup: deps.onConnectionLookup });
  const connectionQueries = listCache.forgetOnWrite(
    createConnectionQueries(deps.db, listCache.list(deps.connectionList)),
  );
  const connections = createConnectionService({
    queries: connectionQueries,
    audit: deps.audit,
    kek: deps.kek,
    clock: deps.clock,
  });
  const identities = createIdentityQueries(deps.db);
  const upstream = createUpstreamClient({
    fetch: createGuardedFetch(deps.allowPrivateNetworks),
    secretOf: connections.secretOf,
    redirectUri: upstreamRedirectUri(deps.issuer),
    clock: deps.clock,
  });
  const upstreamAttempts = createAttemptQueries(deps.db);
  const upstreamSignIn = createUpstreamSignIn({
    connections,
    identities,
    attempts: upstreamAttempts,
    accounts: deps.accounts,
    createAccount: deps.createAccount,
    upstream,
    audit: deps.audit,
    clock: deps.clock,
    registrationDomains: deps.registrationDomains,
    hasSecondFactor: deps.hasSecondFactor,
  });
  const linkedIdentities = createIdentityService({
    identities,
    connections: connectionQueries,
    accounts: deps.accounts,
    hasPasskey: deps.hasPasskey,
    audit: deps.audit,
  });
  return { connections, linkedIdentities, upstreamSignIn, upstreamAttempts };
}
