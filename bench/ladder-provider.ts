// One rung of `npm run bench -- --ladder` (bench/ladder.ts): the bare provider of
// bench/bare-provider.ts with Gatehouse's layers added one at a time, so the CPU each layer costs a
// token request is the step from the rung below. LADDER_RUNG picks the rung:
// (rung 1, bare oidc-provider with its Map adapter, is bench/bare-provider.ts's own process)
//   2 + durable storage: the prepared statements Gatehouse runs (bench/ladder-storage.ts);
//   3 + mounted in a Koa app as Gatehouse mounts it (src/boot/mount-provider.ts);
//   4 + the access log (src/http/request-context.ts, the logger `serve` builds, at LOG_LEVEL);
//   5 + metrics (src/metrics/http-metrics.ts outermost, the provider's and the queries' metrics);
//   6 + the rest of Gatehouse's middleware: the app src/boot/create-app.ts builds, around the bare
//       provider (our own screens' routers and the services behind them left out).
// Rung 7, Gatehouse itself, is `gatehouse serve` (bench/targets.ts). Rungs 2–6 store in
// LADDER_DATABASE_URL (SQLite or PostgreSQL). Prints `ready <port>` when listening.
import { createServer } from 'node:http';
import Koa from 'koa';
import type Provider from 'oidc-provider';
import { buildBareProvider } from './bare-provider.js';
import { createLadderStorage } from './ladder-storage.js';
import { FIRST_BUILT_RUNG, LAST_BUILT_RUNG } from './ladder-rungs.js';
import { systemClock } from '../src/kernel/clock.js';
import { createLogger } from '../src/kernel/logger.js';
import { turnBatchedOutput } from '../src/kernel/turn-batched-output.js';
import { mountProvider } from '../src/boot/mount-provider.js';
import { requestContext } from '../src/http/request-context.js';
import { createMetrics, type Metrics } from '../src/metrics/create-metrics.js';
import { httpMetrics } from '../src/metrics/http-metrics.js';
import { watchProvider } from '../src/metrics/provider-metrics.js';
import { createApp } from '../src/boot/create-app.js';
import type { ProviderHost } from '../src/oidc/provider-host.js';
import { createStructuredAccessTokens } from '../src/oidc/structured-access-tokens.js';
import { createMessageCatalogue } from '../src/i18n/message-catalogue.js';
import { pageContextMiddleware } from '../interactions/page/page-context-middleware.js';
import { screens } from '../interactions/screens.js';

/** A host that always answers the one provider (Gatehouse's rebuilds it when keys rotate). */
const hostOf = (provider: Provider): ProviderHost => {
  const generation = { provider, verificationKeys: { keys: [] }, cookieKeys: [], keySet: '', claimScopeSet: '' };
  return { current: () => generation, refresh: async () => false };
};

async function startRung(rung: number, port: number) {
  const issuer = `http://127.0.0.1:${port}`;
  const clock = systemClock;
  const metrics: Metrics | undefined = rung >= 5 ? createMetrics(clock) : undefined;
  const storage = await createLadderStorage(process.env.LADDER_DATABASE_URL as string, clock, metrics?.query);
  const provider = await buildBareProvider(issuer, storage.adapter);
  if (rung === 2) return createServer(provider.callback()).listen(port, '127.0.0.1');

  const providers = hostOf(provider);
  const logger = createLogger(process.env.LOG_LEVEL ?? 'info', turnBatchedOutput()); // as `serve` builds it
  if (metrics) watchProvider(provider, metrics);
  let app: Koa;
  if (rung <= 5) {
    // As createApp sets it up (no proxy trusted: the bench talks to the server directly).
    app = new Koa({ proxy: false, maxIpsCount: 0 });
    app.silent = true;
    app.keys = provider.keys;
    if (metrics) app.use(httpMetrics(metrics));
    if (rung >= 4) app.use(requestContext(logger, false));
    app.use(mountProvider(providers));
  } else {
    // The bare provider has no device flow; the device gate only needs its page's address, once.
    const urlFor = provider.urlFor.bind(provider);
    provider.urlFor = (name, options) => (name === 'code_verification' ? `${issuer}/device` : urlFor(name, options));
    const messages = createMessageCatalogue({ strict: false });
    // What the token, introspection, revocation and userinfo paths reach is real; the services
    // behind our own screens, registration and the device flow are stand-ins that these paths never call.
    const unused = (): never => {
      throw new Error('not part of the ladder');
    };
    app = createApp({
      providers,
      logger,
      metrics,
      trustProxy: false,
      proxyHops: 0,
      issuer,
      screens,
      screenRouters: [],
      pingDatabase: async () => undefined,
      structuredTokens: createStructuredAccessTokens(storage.records, clock),
      resources: { findByClientId: async () => undefined },
      sessions: { touch: async () => undefined } as never,
      audit: { record: unused } as never,
      userCodeThrottle: { attempt: unused } as never,
      clientRegistration: 'off',
      pageContext: pageContextMiddleware({
        brand: { productName: 'Gatehouse' },
        messages,
        defaultLocale: 'en',
      }),
    });
  }
  return createServer(app.callback()).listen(port, '127.0.0.1');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  const port = Number(process.env.PORT ?? 3100);
  const rung = Number(process.env.LADDER_RUNG);
  if (!Number.isInteger(rung) || rung < FIRST_BUILT_RUNG || rung > LAST_BUILT_RUNG)
    throw new Error(`LADDER_RUNG must be ${FIRST_BUILT_RUNG} to ${LAST_BUILT_RUNG}`);
  const server = await startRung(rung, port);
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  process.stdout.write(`ready ${port}\n`);
  // Exit on the bench's SIGTERM, so a `--cpu-prof` run writes its profile.
  process.once('SIGTERM', () => process.exit(0));
}
