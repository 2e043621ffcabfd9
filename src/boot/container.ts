import type { Config } from '../config/load-config.js';
import type { Clock } from '../kernel/clock.js';
import { createDatabase } from '../db/create-prisma.js';
import { instrumentPrepared } from '../db/instrument-prepared.js';
import { createPreparedOidcRecords } from '../db/prepared-oidc-records.js';
import { batchTokenFinds } from '../oidc/batched-token-finds.js';
import { createOidcRecordQueries } from '../db/oidc-record-queries.js';
import { createCaches } from '../oidc/create-caches.js';
import { invalidateClientsOnWrite } from '../oidc/client-cache-invalidation.js';
import { createKeyQueries } from '../keys/key-queries.js';
import { createKeyService } from '../keys/key-service.js';
import { createAccountQueries } from '../accounts/account-queries.js';
import { createPreparedAccountLookups } from '../accounts/prepared-account-lookups.js';
import { createAccountService } from '../accounts/account-service.js';
import { createPasswordHasher } from '../accounts/password-hasher.js';
import { createClientService } from '../clients/client-service.js';
import { createResourceQueries } from '../resources/resource-queries.js';
import { createPreparedResourceLookups } from '../resources/prepared-resource-lookups.js';
import { createResourceService } from '../resources/resource-service.js';
import { managementApiIdentifier, managementApiMatcher } from '../resources/management-api.js';
import { knowsIssuer, type ProcessRole } from './process-role.js';
import { createAuditQueries } from '../audit/audit-queries.js';
import { createPreparedAuditInsert } from '../audit/prepared-audit-insert.js';
import { createAuditService } from '../audit/audit-service.js';
import { createSignInThrottle } from '../throttle/sign-in-throttle.js';
import { createPreparedThrottleCounters } from '../throttle/prepared-throttle-counters.js';
import { createConcurrencyGate } from '../accounts/concurrency-gate.js';
import { createSignInService } from '../accounts/sign-in-service.js';
import { createPasswordCheck } from '../accounts/password-check.js';
import { createDeviceCookies } from '../throttle/device-cookies.js';
import { createSessionActivityQueries } from '../sessions/session-activity-queries.js';
import { createPreparedSessionActivity } from '../sessions/prepared-session-activity.js';
import { createSessionService } from '../sessions/session-service.js';
import { createAccountAdminService } from '../account-lifecycle/account-admin-service.js';
import { createAccountErasureQueries } from '../accounts/account-erasure-queries.js';
import { createCredentialsChanged } from '../account-lifecycle/credentials-changed.js';
import type { Logger } from '../kernel/logger.js';
import { createBackchannelNotifier } from '../sessions/backchannel-notifier.js';
import { createStructuredAccessTokens } from '../oidc/structured-access-tokens.js';
import { createProviderHost } from '../oidc/provider-host.js';
import { createGenerationSource, createProviderBuilder } from '../oidc/build-provider.js';
import { createMfaQueries } from '../mfa/mfa-queries.js';
import { createPreparedTotpLookup } from '../mfa/prepared-totp-lookup.js';
import { createPreparedNetworkRecord } from '../mfa/prepared-network-record.js';
import { createMfaService } from '../mfa/mfa-service.js';
import { createSecondStepThrottle } from '../mfa/second-step-throttle.js';
import { createPasskeyConsoleService } from '../account-lifecycle/passkey-console-service.js';
import { createSecondFactorRequired } from '../account-lifecycle/second-factor-required.js';
import { createPasskeyService } from '../passkeys/passkey-service.js';
import { createPasskeyQueries } from '../passkeys/passkey-queries.js';
import { createPreparedPasskeyCount } from '../passkeys/prepared-passkey-count.js';
import { createWebAuthnChallengeQueries } from '../passkeys/webauthn-challenge-queries.js';
import { relyingPartyOf } from '../passkeys/relying-party.js';
import { createSecondStepPolicy } from '../second-step/second-step-policy.js';
import { createPreparedSecondFactors } from '../second-step/prepared-second-factors.js';
import { rememberedDeviceCookie } from '../mfa/remembered-device-cookie.js';
import { createSecondStepGate } from '../second-step/second-step-gate.js';
import { createMfaConsoleService } from '../account-lifecycle/mfa-console-service.js';
import { createFactorChangeNotices } from '../mfa/factor-change-notices.js';
import { createLeaseQueries } from '../background/lease-queries.js';
import type { Metrics } from '../metrics/create-metrics.js';
import { auditMetrics } from '../metrics/audit-metrics.js';
import { watchProvider } from '../metrics/provider-metrics.js';
import { createOutboxQueries } from '../mail/outbox-queries.js';
import { createOutbox } from '../mail/outbox.js';
import { createEmailTokenQueries } from '../mail/email-token-queries.js';
import { createEmailTokens } from '../mail/email-tokens.js';
import { createMailTransport } from '../mail/mail-transport.js';
import { createMailDelivery } from '../mail/mail-delivery.js';
import { createOutboxDelivery } from '../mail/outbox-delivery.js';
import { createDeliveryFailureAudit } from '../mail/audit-delivery-failure.js';
import { createBackchannelDelivery } from '../sessions/backchannel-delivery.js';
import { createBackchannelRetry } from '../sessions/backchannel-retry.js';
import type { BackchannelNotice } from '../sessions/backchannel-notifier.js';
import { createPasswordResetService } from '../account-lifecycle/password-reset-service.js';
import { createEmailRequestThrottle } from '../throttle/email-request-throttle.js';
import { createUserCodeThrottle } from '../throttle/user-code-throttle.js';
import { createAddressRequestThrottle } from '../throttle/address-request-throttle.js';
import { OPEN_REGISTRATION_BUDGET } from '../oidc/registration-gate.js';
import { createInitialAccessTokens } from '../oidc/initial-access-tokens.js';
import { createDynamicClientQueries } from '../clients/dynamic-client-queries.js';
import { createIdleDynamicClients } from '../clients/idle-dynamic-clients.js';
import { createEmailAddressService } from '../accounts/email-address-service.js';
import { createRegistrationService } from '../accounts/registration-service.js';
import { createRoleQueries } from '../directory/role-queries.js';
import { createRoleService } from '../directory/role-service.js';
import { createGroupQueries } from '../directory/group-queries.js';
import { createGroupService } from '../directory/group-service.js';
import { createAttributeQueries } from '../directory/attribute-queries.js';
import { createAttributeService } from '../directory/attribute-service.js';
import { createClaimScopeQueries } from '../directory/claim-scope-queries.js';
import { createClaimScopeService } from '../directory/claim-scope-service.js';
import { createPersonEntryQueries } from '../directory/person-entry-queries.js';
import { createPersonEntryService } from '../directory/person-entry-service.js';
import { createPersonDirectory } from '../directory/person-directory-service.js';
import { createIdempotencyQueries } from '../admin-api/idempotency-queries.js';
import { ADMIN_API_BASE } from '../admin-api/admin-api-base.js';
import { lazyRouter } from '../http/lazy-router.js';
import { createUpstreamConnections } from '../connections/upstream-connections.js';
import { createPreparedConnectionList } from '../connections/prepared-connection-list.js';
// The composition root is the one place outside interactions/ that knows the UI layer.
import { createAdminAccess } from '../admin-console/admin-access.js';
import { createConsoleQueries } from '../admin-console/console-queries.js';
import { createOverviewService } from '../admin-console/overview-service.js';
import { createPeopleService } from '../admin-console/people-service.js';
import { screens } from '../../interactions/screens.js';
import { upstreamBindingCookie } from '../../interactions/sign-in/upstream-binding-cookie.js';
import { createMessageCatalogue } from '../i18n/message-catalogue.js';

export interface ContainerOptions {
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  /** Whether this process knows its server's issuer, and so which API is the management API. */
  readonly role?: ProcessRole;
}

/**
 * Every dependency, built once from the Config and passed down explicitly. `kek` is the one
 * prepareDatabase resolved (src/keys/resolve-kek.ts), so the keys it created open here.
 */
export async function createContainer(
  config: Config,
  kek: Buffer,
  clock: Clock,
  { logger, metrics, role = 'server' }: ContainerOptions = {},
) {
  const { db, driver, close: closeDatabase } = createDatabase(config.databaseUrl, { onQuery: metrics?.query });
  const isManagementApi = managementApiMatcher(config.issuer, knowsIssuer(role, config));
  // The hot statements run prepared on Prisma's own connection, timed and classified like the rest.
  // Clients and APIs the token path looks up, and the sign-in page's connections (built with them
  // below), come from memory while no change to them can go unseen, and every change this process
  // makes to one forgets it.
  const caches = createCaches({
    driver,
    databaseUrl: config.databaseUrl,
    logger,
    onClientLookup: metrics?.clientCacheLookup,
    onResourceLookup: metrics?.resourceCacheLookup,
  });
  const clientCache = caches.clients;
  // Introspection's three look-ups of one token are one statement (batched-token-finds.ts).
  const prepared = batchTokenFinds(instrumentPrepared(db, 'OidcRecord', createPreparedOidcRecords(driver, clock)));
  const records = invalidateClientsOnWrite(createOidcRecordQueries(db, prepared), clientCache);
  const keys = createKeyService(createKeyQueries(db), { kek, clock });
  const hasher = createPasswordHasher(config.argon2);
  const accountQueries = createAccountQueries(
    db,
    instrumentPrepared(db, 'Account', createPreparedAccountLookups(driver)),
  );
  const accounts = createAccountService(accountQueries, hasher, clock);
  // Every throttle's counts (sign-in, second step, mail requests): prepared statements on the same table.
  const throttleCounters = instrumentPrepared(db, 'RateLimiterFlexible', createPreparedThrottleCounters(driver));
  const throttleDeps = { counters: throttleCounters, clock };
  // Mail and back-channel logout notices leave through the outbox; the server delivers them.
  const outboxQueries = createOutboxQueries(db);
  const outbox = createOutbox({ queries: outboxQueries, kek, clock });
  const emailTokenQueries = createEmailTokenQueries(db);
  const emailTokens = createEmailTokens({ queries: emailTokenQueries, outbox, issuer: config.issuer, clock });
  const mailTransport = config.mail ? createMailTransport(config.mail.smtpUrl, config.mail.from) : undefined;
  // The pages' and the mails' words in every shipped language. A message English lacks
  // shows its key in production (logged); typed keys and the tests keep that from happening.
  const messages = createMessageCatalogue({
    strict: false,
    onMissing: (key, locale) => logger?.error({ key, locale }, 'message missing from the English catalogue'),
  });
  const brand = {
    productName: config.productName,
    issuer: config.issuer,
    messages,
    defaultLocale: config.defaultLocale,
  };
  const auditQueries = createAuditQueries(db, instrumentPrepared(db, 'AuditEvent', createPreparedAuditInsert(driver)));
  const audit = createAuditService(auditQueries, logger, clock, metrics && auditMetrics(metrics));
  // Sessions ended outside the provider notify its clients through the outbox; the provider is
  // built below (it needs the sessions), hence the late-bound `currentProvider`.
  const currentProvider = () => providers.current().provider;
  const sessionEnded = createBackchannelNotifier(currentProvider, records, (notice) =>
    outbox.enqueue('backchannel_logout', notice),
  );
  const sessionActivity = createSessionActivityQueries(
    db,
    instrumentPrepared(db, 'SessionActivity', createPreparedSessionActivity(driver)),
  );
  const sessions = createSessionService(records, sessionActivity, audit, clock, sessionEnded);
  // libuv runs four hashes at a time by default; a short queue behind them, then 503 (argon2id
  // holds 19 MiB or more per hash, so this bounds memory under a flood of sign-ins).
  const gate = createConcurrencyGate(
    config.hashing.concurrency,
    config.hashing.queue,
    metrics && { waited: metrics.hashWaited, refused: metrics.hashRefused },
  );
  // Every password verification (sign-in, re-authentication) goes through this one check.
  const passwordCheck = createPasswordCheck({
    accounts: accountQueries,
    hasher,
    gate,
    throttle: createSignInThrottle(throttleDeps),
    audit,
  });
  const signIn = createSignInService(passwordCheck);
  // The cookie keys the provider was built with: read once per key set, not on every sign-in
  // (the key refresher rebuilds the provider when another instance rotates them).
  const deviceCookies = createDeviceCookies({ cookieKeys: async () => providers.current().cookieKeys, clock });

  // Clients are validated by the provider's own schema: the closure only runs once `provider` exists.
  // Likewise, grants name APIs of the resource service, which is built on the client service.
  const clients = createClientService(
    records,
    (metadata) => currentProvider().Client.validate(metadata),
    (identifier) => resources.find(identifier),
    clock,
    { audit, isManagementApi },
  );
  // An API scope may not share a name with a custom claim scope (src/directory).
  const claimScopeQueries = createClaimScopeQueries(db);
  const resourceQueries = createResourceQueries(
    db,
    instrumentPrepared(db, 'Resource', createPreparedResourceLookups(driver)),
  );
  // Its changes read and write the table itself; its look-ups are the token path's, from memory.
  const resources = caches.resources.lookups(
    createResourceService(caches.resources.forgetOnWrite(resourceQueries), clients, {
      claimScopeNamed: (scope) => claimScopeQueries.exists(scope),
      builtIn: managementApiIdentifier(config.issuer),
      isBuiltIn: isManagementApi,
      audit,
    }),
  );

  // The directory: roles, groups, declared attributes, claim scopes, and each person's place in
  // them; personDirectory is what the protocol layer reads for every token.
  const attributeQueries = createAttributeQueries(db);
  const personDirectory = createPersonDirectory(db);
  const roles = createRoleService({ queries: createRoleQueries(db), audit });
  const groups = createGroupService({ queries: createGroupQueries(db), audit });
  const attributes = createAttributeService({ queries: attributeQueries, audit });
  const claimScopes = createClaimScopeService({
    queries: claimScopeQueries,
    attributes: attributeQueries,
    resources,
    audit,
  });
  const personEntries = createPersonEntryService({
    accounts,
    attributes: attributeQueries,
    queries: createPersonEntryQueries(db),
    directory: personDirectory,
    audit,
  });

  // The passkey count, the authenticator-app look-up and the seen-network write of every sign-in.
  const passkeyCount = instrumentPrepared(db, 'Passkey', createPreparedPasskeyCount(driver));
  const mfaQueries = createMfaQueries(db, {
    totp: instrumentPrepared(db, 'TotpFactor', createPreparedTotpLookup(driver)),
    networks: instrumentPrepared(db, 'SignInNetwork', createPreparedNetworkRecord(driver)),
    passkeys: passkeyCount,
  });
  // Without SMTP_URL no mail is queued (as for every other notice): factor changes are then only audited.
  const notices = mailTransport ? createFactorChangeNotices({ outbox, brand }) : undefined;
  // One second-step throttle: a wrong code and a failed passkey count on the same account counter.
  const secondStepThrottle = createSecondStepThrottle(throttleDeps);
  const mfa = createMfaService({
    queries: mfaQueries,
    audit,
    throttle: secondStepThrottle,
    kek,
    productName: config.productName,
    clock,
    notices,
  });
  const webAuthnChallenges = createWebAuthnChallengeQueries(db);
  const passkeys = createPasskeyService({
    queries: createPasskeyQueries(db, passkeyCount),
    challenges: webAuthnChallenges,
    relyingParty: relyingPartyOf(config.issuer, config.productName),
    audit,
    throttle: secondStepThrottle,
    mfa: mfaQueries,
    accounts: accountQueries,
    clock,
    notices,
  });
  const rememberedDevices = rememberedDeviceCookie(config.issuer.startsWith('https:'));
  const upstreamBinding = upstreamBindingCookie(config.issuer);
  const secondStepPolicy = createSecondStepPolicy({
    mfa,
    factors: instrumentPrepared(db, 'SecondFactors', createPreparedSecondFactors(driver)),
    queries: mfaQueries,
    audit: auditQueries,
    mode: config.mfa.policy,
    clock,
  });
  const secondStep = createSecondStepGate({
    policy: secondStepPolicy,
    audit,
    rememberedDevice: (ctx) => rememberedDevices.read(ctx.cookies),
    // Late-bound: the connections floor is built below; read on each request, once all is built.
    linkPending: (ctx, accountId) =>
      upstreamConnections.upstreamSignIn.waitingForSecondStep(accountId, upstreamBinding.read(ctx)),
  });

  // Every change of a password or second factor spends the account's mail links and remembered browsers.
  const credentialsChanged = createCredentialsChanged({ links: emailTokenQueries, devices: mfaQueries, clock });
  const accountAdmin = createAccountAdminService({
    accounts,
    sessions,
    audit,
    check: passwordCheck,
    erasure: createAccountErasureQueries(db),
    mfa,
    passkeys,
    credentialsChanged,
    // Late-bound: both are built below. Without SMTP_URL nothing is queued.
    welcome: config.mail
      ? {
          sendVerification: (accountId) => emailAddress.sendVerification(accountId),
          sendPasswordLink: (email) => passwordReset.queueLink(email),
        }
      : undefined,
  });
  // The last second factor stays while the policy or an app the person uses demands one.
  const secondFactorRequired = createSecondFactorRequired({ mfaPolicy: config.mfa.policy, sessions, clients });
  const mfaConsole = createMfaConsoleService({
    mfa,
    passwordCheck,
    sessions,
    audit: auditQueries,
    credentialsChanged,
    secondFactorRequired,
  });
  const passkeyConsole = createPasskeyConsoleService({
    passkeys,
    passwordCheck,
    sessions,
    credentialsChanged,
    secondFactorRequired,
  });

  const structuredTokens = createStructuredAccessTokens(records, clock);
  // Self-registered clients: registration and last token, for `client list --dynamic` and the idle sweep.
  const dynamicClientUse = createDynamicClientQueries(db);
  const buildProvider = createProviderBuilder({
    // Roles, groups, attributes and custom scopes, as tokens and claims read them (src/directory).
    directory: personDirectory,
    config,
    logger,
    records,
    clock,
    clientCache,
    keys,
    throttleCounters,
    accounts,
    resources,
    sessions,
    audit,
    structuredTokens,
    screens,
    secondStep,
    backchannelFailed: createBackchannelRetry({ audit, outbox }),
    counters: throttleCounters,
    dynamicClientUse,
  });
  const providers = await createProviderHost(
    async () => {
      const generation = await buildProvider();
      // Each generation (a new one when keys rotate) reports what it issues.
      if (metrics) watchProvider(generation.provider, metrics);
      return generation;
    },
    createGenerationSource(keys, personDirectory),
  );
  if (metrics) {
    metrics.sources.hashQueueLength = gate.queued;
    metrics.sources.newestSigningKeyAt = keys.newestSigningKeyAt;
  }

  const passwordReset = createPasswordResetService({
    accounts: accountQueries,
    hasher,
    gate,
    tokens: emailTokens,
    tokenQueries: emailTokenQueries,
    outbox,
    mfa,
    sessions,
    audit,
    throttle: createEmailRequestThrottle(throttleDeps, 'password-reset'),
    brand,
    credentialsChanged,
    clock,
  });

  const emailAddress = createEmailAddressService({
    accounts: accountQueries,
    tokens: emailTokens,
    tokenQueries: emailTokenQueries,
    outbox,
    passwordCheck,
    throttle: createEmailRequestThrottle(throttleDeps, 'email-change'),
    audit,
    brand,
    clock,
    domains: config.registration.mode === 'domain' ? config.registration.domains : [],
  });

  // Self-registration needs mail (the account exists once its address is proven): off without it.
  const registration = createRegistrationService({
    mode: config.mail ? config.registration.mode : 'off',
    domains: config.registration.domains,
    accounts: accountQueries,
    hasher,
    gate,
    tokens: emailTokens,
    tokenQueries: emailTokenQueries,
    outbox,
    throttle: createEmailRequestThrottle(throttleDeps, 'registration'),
    audit,
    brand,
    kek,
    clock,
  });

  const outboxDelivery = createOutboxDelivery({
    queries: outboxQueries,
    outbox,
    handlers: {
      backchannel_logout: (payload) => createBackchannelDelivery(currentProvider)(payload as BackchannelNotice),
      // Without SMTP_URL no mail is ever queued; rows left from before wait until it is set again.
      ...(mailTransport
        ? {
            mail: createMailDelivery(mailTransport, emailTokenQueries, clock),
            password_reset_request: passwordReset.resolveRequest,
            registration_request: registration.resolveRequest,
          }
        : {}),
    },
    onFailure: createDeliveryFailureAudit(audit),
    intervalMs: config.outboxIntervalMs,
    clock,
    logger,
  });

  // The management API (src/admin-api), served on the public listener under /admin/api/v1. Its
  // routes, schemas and their modules load with its first request: 2.3 MB of heap that a server
  // nobody manages through the API never needs (docs/benchmarks.md, "Memory").
  const idempotencyKeys = createIdempotencyQueries(db);
  const adminApi = lazyRouter(ADMIN_API_BASE, async () => {
    const { createAdminApi } = await import('../admin-api/admin-api.js');
    return createAdminApi({
      issuer: config.issuer,
      rateLimitPerMinute: config.adminApi.rateLimitPerMinute,
      kek,
      clock,
      providers,
      structuredTokens,
      throttleCounters,
      idempotencyKeys,
      accounts,
      accountAdmin,
      sessions,
      audit,
      keys,
      clients,
      resources,
      roles,
      groups,
      attributes,
      claimScopes,
      personEntries,
    }).router;
  });

  // The admin console's gate (interactions/admin): the admin role, a second factor, a recent sign-in.
  const adminAccess = createAdminAccess({
    accounts,
    personDirectory,
    clock,
    maxAgeSeconds: config.adminConsole.sessionMaxAgeSeconds,
  });
  const consoleQueries = createConsoleQueries(db);
  const adminOverview = createOverviewService({
    queries: consoleQueries,
    countApplications: async () => (await clients.list()).length,
    countApis: async () => (await resources.list()).length,
    clock,
  });
  const adminPeople = createPeopleService({
    accounts,
    accountAdmin,
    sessions,
    mfa,
    passkeys,
    personDirectory,
    audit,
    queries: consoleQueries,
  });
  // Sign-in with other identity providers (src/connections).
  const upstreamConnections = createUpstreamConnections({
    db,
    connectionList: instrumentPrepared(db, 'Connection', createPreparedConnectionList(driver)),
    connectionGuard: caches.connectionGuard,
    onConnectionLookup: metrics?.connectionCacheLookup,
    issuer: config.issuer,
    kek,
    clock,
    audit,
    accounts: accountQueries,
    createAccount: accounts.create,
    allowPrivateNetworks: config.outboundAllowPrivateNetworks,
    registrationDomains: config.registration.mode === 'domain' ? config.registration.domains : [],
    hasPasskey: async (accountId) => (await passkeys.list(accountId)).length > 0,
    hasSecondFactor: async (accountId) =>
      (await mfa.status(accountId)).totp || (await passkeys.list(accountId)).length > 0,
  });

  return {
    ...upstreamConnections,
    config,
    messages,
    screens,
    adminAccess,
    adminOverview,
    adminPeople,
    adminApi,
    idempotencyKeys,
    db,
    records,
    providers,
    keys,
    accounts,
    clients,
    resources,
    roles,
    groups,
    attributes,
    claimScopes,
    personEntries,
    personDirectory,
    structuredTokens,
    audit,
    sessions,
    signIn,
    accountAdmin,
    mfa,
    passkeys,
    webAuthnChallenges,
    rememberedDevices,
    secondStepPolicy,
    mfaConsole,
    passkeyConsole,
    outbox,
    outboxQueries,
    outboxDelivery,
    mailTransport,
    passwordReset,
    emailAddress,
    registration,
    clock,
    metrics,
    deviceCookies,
    throttleCounters,
    // Wrong device user codes per address (RFC 8628 §5.1), counted before the provider looks them up.
    userCodeThrottle: createUserCodeThrottle(throttleDeps),
    // CLIENT_REGISTRATION=open: registrations counted per address (src/oidc/registration-gate.ts).
    registrationThrottle:
      config.dynamicClients.registration === 'open'
        ? createAddressRequestThrottle(throttleDeps, 'client-registration', OPEN_REGISTRATION_BUDGET)
        : undefined,
    // `gatehouse registration token create` (RFC 7591 initial access tokens).
    initialAccessTokens: createInitialAccessTokens({
      provider: () => providers.current().provider,
      counters: throttleCounters,
      audit,
      clock,
      clientRegistration: config.dynamicClients.registration,
    }),
    idleDynamicClients: createIdleDynamicClients({
      queries: dynamicClientUse,
      clients,
      audit,
      clock,
      idleDays: config.dynamicClients.idleDays,
    }),
    leases: createLeaseQueries(db),
    /** The connection under Prisma; the server hands SQLite's checkpoints to a worker through it. */
    driver,
    pingDatabase: async () => {
      await db.$queryRawUnsafe('SELECT 1');
    },
    close: async () => {
      mailTransport?.close();
      await caches.close();
      await closeDatabase();
    },
  };
}

export type Container = Awaited<ReturnType<typeof createContainer>>;
