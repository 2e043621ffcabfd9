import type { Config } from './config/load-config.js';
import { createDatabase } from './db/create-prisma.js';
import { createPreparedOidcRecords } from './oidc/prepared-oidc-records.js';
import { createOidcRecordQueries } from './oidc/oidc-record-queries.js';
import { createKeyQueries } from './keys/key-queries.js';
import { createKeyService } from './keys/key-service.js';
import { createAccountQueries } from './accounts/account-queries.js';
import { createPreparedAccountLookups } from './accounts/prepared-account-lookups.js';
import { createAccountService } from './accounts/account-service.js';
import { createPasswordHasher } from './accounts/password-hasher.js';
import { createClientService } from './clients/client-service.js';
import { createResourceQueries } from './resources/resource-queries.js';
import { createPreparedResourceLookups } from './resources/prepared-resource-lookups.js';
import { createResourceService } from './resources/resource-service.js';
import { createAuditQueries } from './audit/audit-queries.js';
import { createAuditService } from './audit/audit-service.js';
import { createSignInThrottle } from './throttle/sign-in-throttle.js';
import { createConcurrencyGate } from './accounts/concurrency-gate.js';
import { createSignInService } from './accounts/sign-in-service.js';
import { createPasswordCheck } from './accounts/password-check.js';
import { createDeviceCookies } from './throttle/device-cookies.js';
import { createSessionActivityQueries } from './sessions/session-activity-queries.js';
import { createSessionService } from './sessions/session-service.js';
import { createAccountAdminService } from './accounts/account-admin-service.js';
import type { Logger } from './http/logger.js';
import { createBackchannelNotifier } from './sessions/backchannel-notifier.js';
import { createStructuredAccessTokens } from './oidc/structured-access-tokens.js';
import { createProviderHost } from './oidc/provider-host.js';
import { createProviderBuilder } from './oidc/build-provider.js';
import { createMfaQueries } from './mfa/mfa-queries.js';
import { createMfaService } from './mfa/mfa-service.js';
import { createSecondStepThrottle } from './mfa/second-step-throttle.js';
import { createSecondStepPolicy } from './mfa/second-step-policy.js';
import { rememberedDeviceCookie } from './mfa/remembered-device-cookie.js';
import { createSecondStepGate } from './oidc/second-step-gate.js';
import { createMfaConsoleService } from './mfa/mfa-console-service.js';
// The composition root is the one place outside interactions/ that knows the UI layer.
import { screens } from '../interactions/screens.js';

/**
 * Every dependency, built once from the Config and passed down explicitly. `kek` is the one
 * prepareDatabase resolved (src/keys/resolve-kek.ts), so the keys it created open here.
 */
export async function createContainer(config: Config, kek: Buffer, logger?: Logger) {
  const { db, driver, close } = createDatabase(config.databaseUrl);
  const records = createOidcRecordQueries(db, createPreparedOidcRecords(driver));
  const keys = createKeyService(createKeyQueries(db), { kek });
  const hasher = createPasswordHasher(config.argon2);
  const accountQueries = createAccountQueries(db, createPreparedAccountLookups(driver));
  const accounts = createAccountService(accountQueries, hasher);
  const clock = () => Date.now();
  const auditQueries = createAuditQueries(db);
  const audit = createAuditService(auditQueries, logger, clock);
  // Sessions ended outside the provider notify its clients; the provider is built below.
  const sessions = createSessionService(records, createSessionActivityQueries(db), audit, (session) => sessionEnded(session));
  // libuv runs four hashes at a time by default; a short queue behind them, then 503 (argon2id
  // holds 19 MiB or more per hash, so this bounds memory under a flood of sign-ins).
  const gate = createConcurrencyGate(config.hashing.concurrency, config.hashing.queue);
  // Every password verification (sign-in, re-authentication) goes through this one check.
  const passwordCheck = createPasswordCheck({ accounts: accountQueries, hasher, gate, throttle: createSignInThrottle(db), audit });
  const accountAdmin = createAccountAdminService(accounts, sessions, audit, passwordCheck);
  const signIn = createSignInService(passwordCheck);
  const deviceCookies = createDeviceCookies({ cookieKeys: keys.cookieKeys });

  // Clients are validated by the provider's own schema: the closure only runs once `provider` exists.
  // Likewise, grants name APIs of the resource service, which is built on the client service.
  const clients = createClientService(
    records,
    (metadata) => providers.current().provider.Client.validate(metadata),
    (identifier) => resources.find(identifier),
  );
  const resources = createResourceService(createResourceQueries(db, createPreparedResourceLookups(driver)), clients);

  const mfaQueries = createMfaQueries(db);
  const mfa = createMfaService({ queries: mfaQueries, audit, throttle: createSecondStepThrottle(db), kek, productName: config.productName, clock });
  const deviceCookie = rememberedDeviceCookie(config.issuer.startsWith('https:'));
  const secondStepPolicy = createSecondStepPolicy({ mfa, queries: mfaQueries, audit: auditQueries, mode: config.mfa.policy, clock });
  const secondStep = createSecondStepGate({ policy: secondStepPolicy, audit, rememberedDevice: (ctx) => deviceCookie.read(ctx.cookies) });

  const mfaConsole = createMfaConsoleService({ mfa, passwordCheck, sessions, audit: auditQueries });

  const structuredTokens = createStructuredAccessTokens(records);
  const providers = await createProviderHost(
    createProviderBuilder({ config, logger, records, keys, accounts, resources, sessions, audit, structuredTokens, screens, secondStep }),
    keys.keySet,
  );
  const sessionEnded = createBackchannelNotifier(() => providers.current().provider, records, logger);

  return {
    config,
    screens,
    db,
    records,
    providers,
    keys,
    accounts,
    clients,
    resources,
    structuredTokens,
    audit,
    sessions,
    signIn,
    accountAdmin,
    mfa,
    deviceCookie,
    secondStepPolicy,
    mfaConsole,
    clock,
    deviceCookies,
    pingDatabase: async () => {
      await db.$queryRawUnsafe('SELECT 1');
    },
    close,
  };
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
