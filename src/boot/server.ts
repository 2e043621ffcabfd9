import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Config } from '../config/load-config.js';
import { prepareDatabase } from './prepare-database.js';
import { createContainer } from './container.js';
import { systemClock } from '../kernel/clock.js';
import { createApp } from './create-app.js';
import type { Logger } from '../kernel/logger.js';
import { startExpirySweeper } from '../oidc/expiry-sweeper.js';
import { startKeyRefresher } from '../oidc/key-refresher.js';
import { startAuditRetention } from '../audit/audit-retention.js';
import { startLeaderLease } from '../background/leader-lease.js';
import { startPeriodicJob } from '../background/start-periodic-job.js';
import { createMetrics } from '../metrics/create-metrics.js';
import { startMetricsServer } from '../metrics/metrics-server.js';
import { startOutboxDelivery } from '../mail/start-outbox-delivery.js';
import { lowerHashThreadPriority } from '../accounts/hash-thread-priority.js';
import { startWalCheckpointer } from '../db/wal-checkpointer.js';
import { sqlitePath } from '../db/create-prisma.js';
import { startIdleHeapReducer } from '../kernel/idle-heap-reducer.js';
// The composition root wires the UI layer's routes; nothing else under src/ imports interactions/.
import { interactionRoutes } from '../../interactions/interaction-routes.js';
import { accountRoutes } from '../../interactions/account/account-routes.js';
import { mfaRoutes } from '../../interactions/account/mfa-routes.js';
import { passkeyRoutes } from '../../interactions/account/passkey-routes.js';
import { consoleSession } from '../../interactions/account/console-session.js';
import { passwordResetRoutes } from '../../interactions/password/password-reset-routes.js';
import { emailRoutes } from '../../interactions/email/email-routes.js';
import { registrationRoutes } from '../../interactions/register/registration-routes.js';
import { adminRoutes } from '../../interactions/admin/admin-frame.js';
import { overviewPage } from '../../interactions/admin/overview-page.js';
import { peoplePages } from '../../interactions/admin/people-pages.js';
import { applicationsSection } from '../../interactions/admin/applications-section.js';
import { apisSection } from '../../interactions/admin/apis-section.js';
import { auditLogSection } from '../../interactions/admin/audit-log-section.js';
import { ADMIN_API_BASE } from '../admin-api/admin-api-base.js';
import { managementApiIdentifier } from '../resources/management-api.js';
import { identityRoutes } from '../../interactions/account/identity-routes.js';
import { returnToApp } from '../../interactions/sign-in/return-to-app.js';
import { landingRoutes } from '../../interactions/landing/landing-routes.js';
import { pageContextMiddleware } from '../../interactions/page/page-context-middleware.js';
import { languageRoutes } from '../../interactions/page/language-routes.js';
import { brandAssetsOf } from '../http/brand-assets.js';

/** How long in-flight requests get after SIGTERM before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  /** Where /metrics is served, when METRICS_PORT is set. */
  readonly metricsUrl?: string;
  /** Looks for rotated keys now rather than at the next tick; resolves true when they changed. */
  refreshKeys(): Promise<boolean>;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  // The one clock of the process: every part that reads the time gets this one (src/kernel/clock.ts).
  const clock = systemClock;
  const { applied, createdKeys, sealedKeys, hashedSecrets, kek, fileNotes, managementApi } = await prepareDatabase(
    config,
    clock,
  );
  for (const note of fileNotes) logger.warn(note);
  if (kek.source === 'file') {
    // Said at every start: the KEK sits on the same disk as the database, so a copy of that disk
    // (or its backups) still yields the keys. Production keeps it in a secret store.
    logger.warn(
      { kekFile: kek.file, created: kek.created, store: config.store },
      `private keys are sealed with the key-encryption key in ${kek.file}${kek.created ? ' (generated now)' : ''}; ` +
        "in production set GATEHOUSE_KEK from a secret store kept off the database's disk" +
        (config.store === 'postgresql' ? ', or give every instance this same file (GATEHOUSE_KEK_FILE)' : ''),
    );
  }
  if (sealedKeys.length) logger.info({ kids: sealedKeys }, 'sealed keys that were stored in the clear');
  if (applied.length) logger.info({ applied }, 'applied migrations');
  if (hashedSecrets.length) logger.info({ clientIds: hashedSecrets }, 'hashed client secrets stored in the clear');
  if (createdKeys.length) logger.info({ kids: createdKeys }, 'generated keys');
  if (managementApi) logger.info({ identifier: managementApi }, 'registered the management API');

  const reniced = await lowerHashThreadPriority(config.hashing.threadNice);
  if (reniced)
    logger.info(
      { threads: reniced, nice: config.hashing.threadNice },
      'password hashing threads yield the CPU to requests',
    );

  // Counted always (cheap); served only on METRICS_PORT.
  const metrics = createMetrics(clock);
  const container = await createContainer(config, kek.key, clock, { logger, metrics });
  // SQLite's checkpoints (writing the log back into the file, with an fsync) stay off the event loop
  // while it is busy (src/db/wal-checkpointer.ts).
  const checkpointer =
    container.driver.store === 'sqlite'
      ? await startWalCheckpointer(sqlitePath(config.databaseUrl), container.driver.outsideTransaction, logger)
      : undefined;
  const { issuer } = config;
  const returnTo = returnToApp({ providers: container.providers, issuer });
  const screenRouters = [
    // The language switcher on every page.
    languageRoutes({ issuer }),
    landingRoutes({ issuer }),
    interactionRoutes({
      ...container,
      issuer,
      rememberDeviceSeconds: config.mfa.rememberDeviceSeconds,
      mailEnabled: Boolean(config.mail),
      registrationEnabled: container.registration.enabled,
    }),
    passwordResetRoutes({
      issuer,
      passwordReset: container.passwordReset,
      mailEnabled: Boolean(config.mail),
      rememberedDevices: container.rememberedDevices,
      returnTo,
    }),
    accountRoutes({ ...container, issuer, sessionTimeouts: config.session, mailEnabled: Boolean(config.mail) }),
    emailRoutes({ issuer, emailAddress: container.emailAddress, mailEnabled: Boolean(config.mail) }),
    registrationRoutes({
      issuer,
      registration: container.registration,
      domains: config.registration.mode === 'domain' ? config.registration.domains : [],
      returnTo,
      unavailable: container.registration.enabled
        ? undefined
        : // The reason's words are in the catalogues (register.unavailable.*), shown in the page's language.
          config.registration.mode === 'off'
          ? 'off'
          : 'noMail',
    }),
    mfaRoutes({
      ...container,
      issuer,
      console: consoleSession({ ...container, issuer, sessionTimeouts: config.session }),
    }),
    passkeyRoutes({
      ...container,
      issuer,
      console: consoleSession({ ...container, issuer, sessionTimeouts: config.session }),
    }),
    // The admin console (interactions/admin/admin-frame.ts says how a page module mounts itself).
    adminRoutes(
      {
        ...container,
        issuer,
        sessionTimeouts: config.session,
        console: consoleSession({ ...container, issuer, sessionTimeouts: config.session }),
        maxAgeSeconds: config.adminConsole.sessionMaxAgeSeconds,
        apiBase: ADMIN_API_BASE,
      },
      [
        overviewPage(container),
        peoplePages(container),
        applicationsSection(container),
        apisSection({ ...container, managementApi: managementApiIdentifier(issuer) }),
        auditLogSection(container),
      ],
    ),
    identityRoutes({
      ...container,
      issuer,
      console: consoleSession({ ...container, issuer, sessionTimeouts: config.session }),
    }),
  ];
  const brandAssets = brandAssetsOf(config.brand);
  const app = createApp({
    ...container,
    logger,
    trustProxy: config.trustProxy,
    proxyHops: config.proxyHops,
    issuer,
    screenRouters,
    pageContext: pageContextMiddleware({
      brand: {
        productName: config.productName,
        logoHref: brandAssets.logo?.href,
        stylesheetHref: brandAssets.stylesheet?.href,
        links: config.brand.links,
      },
      messages: container.messages,
      defaultLocale: config.defaultLocale,
    }),
    brandAssets,
    clientRegistration: config.dynamicClients.registration,
  });
  const handler = app.callback();
  const server = config.tls
    ? createHttpsServer({ cert: config.tls.cert, key: config.tls.key }, handler)
    : createHttpServer(handler);
  // Bound how long a client may take to send its request (slowloris).
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  // One instance of a cluster runs the background jobs at a time (they share one lease).
  const leadership = startLeaderLease({
    queries: container.leases,
    leaseMs: config.leaderLeaseMs,
    clock,
    logger,
    onChange: metrics.leaderChanged,
  });
  const background = { leadership, observe: metrics.jobRun };
  const stopSweeper = startExpirySweeper(
    [
      container.records,
      container.throttleCounters,
      container.webAuthnChallenges,
      container.idempotencyKeys,
      container.upstreamAttempts,
    ],
    clock,
    config.sweepIntervalMs,
    logger,
    background,
  );
  const stopAuditRetention = startAuditRetention(
    container.audit,
    config.auditRetentionDays,
    config.sweepIntervalMs,
    logger,
    background,
  );
  // Self-registered clients with no token for DYNAMIC_CLIENT_IDLE_DAYS go (src/clients/idle-dynamic-clients.ts).
  const stopIdleClientSweep = startPeriodicJob(
    { name: 'idle client sweep', intervalMs: config.sweepIntervalMs, run: () => container.idleDynamicClients.sweep() },
    logger,
    background,
  );
  const keyRefresher = startKeyRefresher(container.providers, config.keyRefreshMs, logger);
  // Mail and back-channel logout notices (also those the CLI queued) leave from here, with retries.
  const stopOutbox = startOutboxDelivery(
    container.outbox,
    container.outboxDelivery,
    config.outboxIntervalMs,
    logger,
    background,
  );
  if (!config.mail) {
    logger.warn(
      { mail: 'off' },
      'mail is off because SMTP_URL is unset: password reset, email verification and email change are unavailable ' +
        `${config.registration.mode !== 'off' ? 'and so is self-registration (REGISTRATION is ignored) ' : ''}(the pages say so); ` +
        'set SMTP_URL and MAIL_FROM to turn it on',
    );
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `${config.tls ? 'https' : 'http'}://localhost:${port}`;
  const metricsServer = config.metrics
    ? await startMetricsServer(metrics.registry, config.metrics.port, config.metrics.host)
    : undefined;
  const metricsUrl = metricsServer && `http://localhost:${metricsServer.port}/metrics`;
  logger.info({ url, issuer: config.issuer, store: config.store, metricsUrl }, 'gatehouse listening');
  // What the start-up and any burst of requests left in V8's heap goes back once the server is quiet.
  const stopHeapReducer = startIdleHeapReducer(logger);

  let closing: Promise<void> | undefined;
  return {
    server,
    url,
    metricsUrl,
    refreshKeys: keyRefresher.refresh,
    close() {
      closing ??= (async () => {
        stopHeapReducer();
        stopSweeper();
        stopAuditRetention();
        stopIdleClientSweep();
        keyRefresher.stop();
        await stopOutbox();
        // Handed over at once, so another instance need not wait for the lease to lapse.
        await leadership.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Keep-alive connections close as soon as their request is answered, and none outlives
          // the grace period (an orchestrator would kill us soon after anyway).
          const idle = setInterval(() => server.closeIdleConnections(), 100);
          const grace = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
          server.once('close', () => {
            clearInterval(idle);
            clearTimeout(grace);
          });
          server.closeIdleConnections();
        });
        await metricsServer?.close();
        await checkpointer?.stop();
        await container.close();
        logger.info('gatehouse stopped');
      })();
      return closing;
    },
  };
}
