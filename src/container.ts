import Provider from 'oidc-provider';
import type { Config } from './config/load-config.js';
import { createPrisma, type Db } from './db/create-prisma.js';
import { createOidcRecordQueries } from './oidc/oidc-record-queries.js';
import { createPrismaAdapter } from './oidc/prisma-adapter.js';
import { providerConfiguration } from './oidc/provider-configuration.js';
import { createFindAccount } from './oidc/find-account.js';
import { createKeyQueries } from './keys/key-queries.js';
import { createKeyService } from './keys/key-service.js';
import { createAccountQueries } from './accounts/account-queries.js';
import { createAccountService } from './accounts/account-service.js';
import { createPasswordHasher } from './accounts/password-hasher.js';
import { createClientService } from './clients/client-service.js';
import { createResourceQueries } from './resources/resource-queries.js';
import { createResourceService } from './resources/resource-service.js';
import { createAuditQueries } from './audit/audit-queries.js';
import { createAuditService } from './audit/audit-service.js';
import { createSignInThrottle } from './throttle/sign-in-throttle.js';
import { createConcurrencyGate } from './accounts/concurrency-gate.js';
import { createSignInService } from './accounts/sign-in-service.js';
import { createSessionActivityQueries } from './sessions/session-activity-queries.js';
import { createSessionService } from './sessions/session-service.js';
import { createAccountAdminService } from './accounts/account-admin-service.js';
import type { Logger } from './http/logger.js';
import { auditRefreshTokenReuse } from './oidc/refresh-token-reuse.js';
import { createBackchannelNotifier } from './sessions/backchannel-notifier.js';
import { createStructuredAccessTokens, trackStructuredAccessTokens } from './oidc/structured-access-tokens.js';
import { publicJwks } from './oidc/structured-token-endpoints.js';
import { auditLogout } from './audit/audit-logout.js';

/** Every dependency, built once from the Config and passed down explicitly. */
export async function createContainer(config: Config, logger?: Logger) {
  const db: Db = createPrisma(config.databaseUrl);
  const records = createOidcRecordQueries(db);
  const keys = createKeyService(createKeyQueries(db), { kek: config.kek });
  const hasher = createPasswordHasher(config.argon2);
  const accountQueries = createAccountQueries(db);
  const accounts = createAccountService(accountQueries, hasher);
  const audit = createAuditService(createAuditQueries(db), logger);
  // Sessions ended outside the provider notify its clients; the provider is built below.
  const sessions = createSessionService(records, createSessionActivityQueries(db), audit, (session) => sessionEnded(session));
  // libuv runs four hashes at a time by default; a short queue behind them, then 503 (argon2id
  // holds 19 MiB or more per hash, so this bounds memory under a flood of sign-ins).
  const gate = createConcurrencyGate(config.hashing.concurrency, config.hashing.queue);
  const accountAdmin = createAccountAdminService(accounts, sessions, audit);
  const signIn = createSignInService({ accounts: accountQueries, hasher, gate, throttle: createSignInThrottle(db), audit });

  // Clients are validated by the provider's own schema: the closure only runs once `provider` exists.
  const clients = createClientService(records, (metadata) => provider.Client.validate(metadata));
  const resources = createResourceService(createResourceQueries(db), clients);

  const jwks = await keys.signingJwks();
  const provider = new Provider(config.issuer, providerConfiguration({
    adapter: createPrismaAdapter(records),
    findAccount: createFindAccount(accounts),
    jwks,
    cookieKeys: await keys.cookieKeys(),
    secureCookies: config.issuer.startsWith('https:'),
    issuer: config.issuer,
    outboundAllowPrivateNetworks: config.outboundAllowPrivateNetworks,
    resources,
    refreshTokens: config.refreshTokens,
    session: config.session,
    findGrantId: sessions.findGrantId,
  }));
  // Every ID token carries `sid`, not only those of clients with back-channel logout, so any RP can
  // correlate its sessions with logout notices (OIDC Back-Channel Logout §2.1).
  provider.Client.prototype.includeSid = () => true;
  auditRefreshTokenReuse(provider, audit);
  const structuredTokens = createStructuredAccessTokens(records);
  trackStructuredAccessTokens(provider, structuredTokens);
  const sessionEnded = createBackchannelNotifier(() => provider, records, logger);
  auditLogout(provider, audit);

  return {
    config,
    db,
    records,
    provider,
    keys,
    accounts,
    clients,
    resources,
    structuredTokens,
    verificationKeys: publicJwks(jwks),
    audit,
    sessions,
    signIn,
    accountAdmin,
    pingDatabase: async () => {
      await db.$queryRawUnsafe('SELECT 1');
    },
    close: () => db.$disconnect(),
  };
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
