import Provider from 'oidc-provider';
import type { Config } from '../config/load-config.js';
import type { Logger } from '../kernel/logger.js';
import type { KeyService } from '../keys/key-service.js';
import type { AccountService } from '../accounts/account-service.js';
import type { ResourceService } from '../resources/resource-service.js';
import type { SessionService } from '../sessions/session-service.js';
import type { AuditService } from '../audit/audit-service.js';
import type { OidcRecordQueries } from '../db/oidc-record-queries.js';
import { createPrismaAdapter } from './prisma-adapter.js';
import type { ClientRecordCache } from './client-record-cache.js';
import { providerConfiguration } from './provider-configuration.js';
import { createFindAccount } from './find-account.js';
import { auditRefreshTokenReuse } from './refresh-token-reuse.js';
import type { StructuredAccessTokens } from './structured-access-tokens.js';
import { publicJwks } from './structured-token-endpoints.js';
import { auditLogout } from '../audit/audit-logout.js';
import type { ProviderGeneration } from './provider-host.js';
import type { Screens } from '../http/screens.js';
import type { SecondStepGate } from '../second-step/second-step-gate.js';
import type { BackchannelNotice } from '../sessions/backchannel-notifier.js';
import { applyProviderOverrides } from './provider-overrides.js';
import { MAX_SIGNED_TOKEN_TTL } from '../kernel/token-lifetimes.js';
import type { Clock } from '../kernel/clock.js';
import type { PersonDirectory } from '../directory/person-directory.js';
import { claimScopeSetOf } from './claim-scopes.js';
import { deviceAuthorizationAnswers } from './device-flow.js';
import { paceDevicePolls } from './device-poll-pace.js';
import type { ThrottleCounters } from '../throttle/throttle-counters.js';
import type { DynamicClientQueries } from '../clients/dynamic-client-queries.js';
import { watchDynamicClients } from './dynamic-client-events.js';

export interface ProviderBuildDeps {
  readonly config: Config;
  readonly logger?: Logger;
  readonly records: OidcRecordQueries;
  readonly clock: Clock;
  /** Where the adapter finds clients (in memory while nothing can change them unseen). */
  readonly clientCache?: ClientRecordCache;
  readonly keys: KeyService;
  /** The throttles' counters; the device grant's polls are paced on them. */
  readonly throttleCounters: ThrottleCounters;
  readonly accounts: AccountService;
  readonly resources: ResourceService;
  readonly sessions: SessionService;
  readonly audit: AuditService;
  readonly structuredTokens: StructuredAccessTokens;
  readonly screens: Screens;
  readonly secondStep: SecondStepGate;
  /** Roles, groups, attribute values and custom scopes (src/directory). */
  readonly directory: PersonDirectory;
  /** Self-registered clients' registration and last token (src/clients/dynamic-client-queries.ts). */
  readonly dynamicClientUse: DynamicClientQueries;
  /** Atomic counts: how often each initial access token was used (dynamic-clients.ts). */
  readonly counters: Pick<ThrottleCounters, 'add' | 'live'>;
  /** A logout token the provider's own end_session could not deliver: retried through the outbox. */
  readonly backchannelFailed?: (notice: BackchannelNotice, error: unknown) => Promise<void>;
}

/** What a provider built now would be built from (provider-host.ts compares it with the current one). */
export function createGenerationSource(
  keys: Pick<KeyService, 'keySet'>,
  directory: Pick<PersonDirectory, 'claimScopes'>,
) {
  return async () => ({ keySet: await keys.keySet(), claimScopeSet: claimScopeSetOf(await directory.claimScopes()) });
}

/** Builds a fully wired Provider from the keys and custom scopes stored right now. */
export function createProviderBuilder(deps: ProviderBuildDeps): () => Promise<ProviderGeneration> {
  const { config, records, keys } = deps;
  // A spent code is remembered while anything it issued can live: a refresh token chain up to its
  // absolute cap, an access or ID token up to the signed-token cap (prisma-adapter.ts).
  const spentCodeSeconds = Math.max(config.refreshTokens.absoluteSeconds, MAX_SIGNED_TOKEN_TTL);
  // Device codes looked up by a poll at the token endpoint are paced (RFC 8628 §3.5, device-poll-pace.ts).
  const adapter = paceDevicePolls(
    createPrismaAdapter(records, deps.clock, deps.clientCache, spentCodeSeconds),
    deps.throttleCounters,
    deps.clock,
  );

  return async () => {
    const keySet = await keys.keySet();
    const claimScopes = await deps.directory.claimScopes();
    const jwks = await keys.signingJwks();
    const cookieKeys = await keys.cookieKeys();
    const provider = new Provider(
      config.issuer,
      providerConfiguration({
        adapter,
        findAccount: createFindAccount(deps.accounts, deps.directory, claimScopes),
        claimScopes,
        directory: deps.directory,
        jwks,
        cookieKeys,
        secureCookies: config.issuer.startsWith('https:'),
        issuer: config.issuer,
        productName: config.productName,
        outboundAllowPrivateNetworks: config.outboundAllowPrivateNetworks,
        resources: deps.resources,
        refreshTokens: config.refreshTokens,
        session: config.session,
        findGrantId: deps.sessions.findGrantId,
        screens: deps.screens,
        audit: deps.audit,
        secondStep: deps.secondStep,
        clientAssertionMaxLifetimeSeconds: config.clientAssertionMaxLifetimeSeconds,
        dynamicClients: config.dynamicClients,
        counters: deps.counters,
        clock: deps.clock,
      }),
    );
    // The provider is a Koa app too: contexts it makes itself (interactionDetails, Session.get
    // on a bare request) must read the client address exactly as our app does.
    provider.proxy = config.trustProxy;
    provider.maxIpsCount = config.proxyHops;
    // URLs from the issuer, `sid` in every ID token, hashed client secrets, loopback redirects for
    // implicit web clients, JWT access tokens on record: each replaces upstream code (see there).
    applyProviderOverrides(provider, { structuredTokens: deps.structuredTokens });
    // oidc-provider answers its own 5xx (as server_error, without internals); log what caused them.
    provider.on('server_error', (ctx: { state?: { log?: Logger } }, error: unknown) => {
      (ctx.state?.log ?? deps.logger)?.error({ err: error }, 'provider error');
    });
    auditRefreshTokenReuse(provider, deps.audit);
    deviceAuthorizationAnswers(provider);
    watchDynamicClients(provider, {
      audit: deps.audit,
      queries: deps.dynamicClientUse,
      clock: deps.clock,
      logger: deps.logger,
    });
    auditLogout(provider, deps.audit);
    // end_session tries each back-channel logout once and only emits the failure; it must not be
    // silent (OIDC Back-Channel Logout §2.8 lets the OP retry), so it is logged, audited and retried.
    provider.on(
      'backchannel.error',
      (_ctx: unknown, error: unknown, client: { clientId: string }, accountId: string, sid?: string) => {
        deps.logger?.warn({ err: error, clientId: client.clientId }, 'back-channel logout failed; will retry');
        deps
          .backchannelFailed?.({ clientId: client.clientId, sub: accountId, sid }, error)
          .catch((failure: unknown) =>
            deps.logger?.error({ err: failure }, 'could not queue the back-channel logout retry'),
          );
      },
    );
    // A sign-in that completed records its network and the second-step decision (asked or skipped, and why).
    provider.on('authorization.success', (ctx) => {
      deps.secondStep
        .completed(ctx)
        .catch((error: unknown) => deps.logger?.error({ err: error }, 'could not record the completed sign-in'));
    });
    return {
      provider,
      verificationKeys: publicJwks(jwks),
      keySet,
      claimScopeSet: claimScopeSetOf(claimScopes),
      cookieKeys,
    };
  };
}
