import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock } from '../kernel/clock.js';
import { createKeyedHistogram } from './keyed-histogram.js';

/** A label value from a fixed vocabulary, or "other": no label may grow with traffic or carry data. */
const bounded = (value: string | undefined, allowed: RegExp = /^[a-z0-9_.:-]{1,48}$/i): string =>
  value && allowed.test(value) ? value : 'other';

export interface MetricsSources {
  /** Waiting password hashes (src/accounts/concurrency-gate.ts). */
  hashQueueLength?: () => number;
  /** When the newest active signing key was made; read at scrape time. */
  newestSigningKeyAt?: () => Promise<Date | undefined>;
}

/**
 * Every Prometheus series Gatehouse exposes, on a registry of its own (no global state). Labels
 * are route templates, grant types, outcomes and reason codes that Gatehouse itself defines; never
 * a user, an email, a client secret or a token, so cardinality stays bounded.
 */
export function createMetrics(clock: Clock) {
  const registry = new Registry();
  // Node's process metrics: event-loop lag, heap, GC, file descriptors, CPU.
  collectDefaultMetrics({ register: registry });
  const sources: MetricsSources = {};

  // This and dbDuration are observed on every request and every statement: keyed histograms, which
  // allocate nothing per observation (keyed-histogram.ts).
  const httpDuration = createKeyedHistogram(registry, {
    name: 'gatehouse_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const tokensIssued = new Counter({
    name: 'gatehouse_tokens_issued_total',
    help: 'Tokens issued at the token endpoint by grant type, kind and format',
    labelNames: ['grant_type', 'token', 'format'],
    registers: [registry],
  });
  const introspections = new Counter({
    name: 'gatehouse_introspections_total',
    help: 'Token introspection requests by result (active, inactive, refused)',
    labelNames: ['result'],
    registers: [registry],
  });
  const revocations = new Counter({
    name: 'gatehouse_revocations_total',
    help: 'Token revocation requests (RFC 7009) by result (revoked, refused), and grants revoked',
    labelNames: ['kind', 'result'],
    registers: [registry],
  });
  const signIns = new Counter({
    name: 'gatehouse_sign_ins_total',
    help: 'Password checks at sign-in and re-authentication by outcome',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const secondStep = new Counter({
    name: 'gatehouse_second_step_total',
    help: 'Second-step decisions (asked, skipped) by reason, and verifications by outcome',
    labelNames: ['stage', 'reason', 'outcome'],
    registers: [registry],
  });
  const dynamicClients = new Counter({
    name: 'gatehouse_dynamic_clients_total',
    help: 'Self-registered clients (RFC 7591) by event: registered, updated, deleted (by the client), idle_removed (by the sweep)',
    labelNames: ['event'],
    registers: [registry],
  });
  const passkeys = new Counter({
    name: 'gatehouse_passkeys_total',
    help: 'Passkey registrations and assertions (sign-in, second step) by outcome: success or the failure reason',
    labelNames: ['ceremony', 'outcome'],
    registers: [registry],
  });
  const deviceAuthorizations = new Counter({
    name: 'gatehouse_device_authorizations_total',
    help: 'Device authorizations (RFC 8628) answered by a person (approved, denied), and user codes refused by the throttle (throttled)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const upstream = new Counter({
    name: 'gatehouse_upstream_sign_ins_total',
    help: 'Sign-ins and links at other identity providers by connection, event (signin, linked, unlinked) and outcome: success or the refusal reason',
    labelNames: ['connection', 'event', 'outcome'],
    registers: [registry],
  });
  const hashWait = new Histogram({
    name: 'gatehouse_password_hash_wait_seconds',
    help: 'Time a password hash waited for a free slot',
    buckets: [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const hashRefused = new Counter({
    name: 'gatehouse_password_hash_refused_total',
    help: 'Password checks refused with 503 because the hash queue was full',
    registers: [registry],
  });
  new Gauge({
    name: 'gatehouse_password_hash_queue_length',
    help: 'Password hashes waiting for a free slot',
    registers: [registry],
    collect() {
      this.set(sources.hashQueueLength?.() ?? 0);
    },
  });
  const dbDuration = createKeyedHistogram(registry, {
    name: 'gatehouse_db_query_duration_seconds',
    help: 'Database operations by model and operation',
    labelNames: ['operation'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  });
  const dbErrors = new Counter({
    name: 'gatehouse_db_query_errors_total',
    help: 'Database operations that failed, by model and operation',
    labelNames: ['operation'],
    registers: [registry],
  });
  const clientCache = new Counter({
    name: 'gatehouse_client_cache_lookups_total',
    help: 'Client look-ups by the provider: hit (from memory), miss (read and kept), bypass (read; the cache could not vouch for itself)',
    labelNames: ['result'],
    registers: [registry],
  });
  const resourceCache = new Counter({
    name: 'gatehouse_resource_cache_lookups_total',
    help: 'API (resource) look-ups of the token path: hit (from memory), miss (read and kept), bypass (read; the cache could not vouch for itself)',
    labelNames: ['result'],
    registers: [registry],
  });
  const connectionCache = new Counter({
    name: 'gatehouse_connection_cache_lookups_total',
    help: "The sign-in page's list of connections (its buttons, home-realm discovery): hit (from memory), miss (read and kept), bypass (read; the cache could not vouch for itself)",
    labelNames: ['result'],
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: 'gatehouse_background_job_runs_total',
    help: 'Background job runs (expiry sweep, audit retention) by result',
    labelNames: ['job', 'result'],
    registers: [registry],
  });
  const jobRows = new Counter({
    name: 'gatehouse_background_job_rows_deleted_total',
    help: 'Rows background jobs deleted',
    labelNames: ['job'],
    registers: [registry],
  });
  const leader = new Gauge({
    name: 'gatehouse_background_leader',
    help: '1 while this instance holds the background-job lease',
    registers: [registry],
  });
  new Gauge({
    name: 'gatehouse_signing_key_age_seconds',
    help: 'Age of the newest active signing key (time since the last rotation)',
    registers: [registry],
    async collect() {
      const at = await sources.newestSigningKeyAt?.().catch(() => undefined);
      if (at) this.set((clock() - at.getTime()) / 1000);
      else this.reset();
    },
  });

  return {
    registry,
    sources,
    httpRequest(method: string, route: string, status: number, seconds: number) {
      httpDuration.observe(seconds, bounded(method, /^[A-Z]{1,10}$/), route, status);
    },
    tokenIssued(
      grantType: string | undefined,
      token: 'access_token' | 'refresh_token' | 'id_token',
      format: 'jwt' | 'opaque',
    ) {
      tokensIssued.inc({ grant_type: bounded(grantType, /^[a-z0-9_:.-]{1,64}$/), token, format });
    },
    introspection(result: 'active' | 'inactive' | 'refused') {
      introspections.inc({ result });
    },
    revocation(kind: 'token' | 'grant', result: 'revoked' | 'refused') {
      revocations.inc({ kind, result });
    },
    /** Connections are few and named by the operator; an unexpected name still counts, as "other". */
    upstream(connection: string | undefined, event: string, outcome: string) {
      upstream.inc({
        connection: bounded(connection, /^[\w .:-]{1,64}$/),
        event: bounded(event, /^[a-z_]{1,16}$/),
        outcome: bounded(outcome, /^[a-z_]{1,32}$/),
      });
    },
    signIn(kind: 'signin' | 'reauth', outcome: string) {
      signIns.inc({ kind, outcome: bounded(outcome, /^[a-z_]{1,32}$/) });
    },
    secondStep(stage: 'decision' | 'verify', reason: string | undefined, outcome: string) {
      secondStep.inc({
        stage,
        reason: bounded(reason ?? 'none', /^[a-z_]{1,32}$/),
        outcome: bounded(outcome, /^[a-z_]{1,32}$/),
      });
    },
    deviceAuthorization(outcome: 'approved' | 'denied' | 'throttled') {
      deviceAuthorizations.inc({ outcome });
    },
    dynamicClient(event: 'registered' | 'updated' | 'deleted' | 'idle_removed') {
      dynamicClients.inc({ event });
    },
    passkey(ceremony: 'registration' | 'authentication', outcome: string) {
      passkeys.inc({ ceremony, outcome: bounded(outcome, /^[a-z_]{1,32}$/) });
    },
    hashWaited(seconds: number) {
      hashWait.observe(seconds);
    },
    hashRefused() {
      hashRefused.inc();
    },
    query(operation: string, seconds: number, failed: boolean) {
      const label = bounded(operation, /^[A-Za-z0-9_.$]{1,64}$/);
      dbDuration.observe(seconds, label);
      if (failed) dbErrors.inc({ operation: label });
    },
    clientCacheLookup(result: 'hit' | 'miss' | 'bypass') {
      clientCache.inc({ result });
    },
    resourceCacheLookup(result: 'hit' | 'miss' | 'bypass') {
      resourceCache.inc({ result });
    },
    connectionCacheLookup(result: 'hit' | 'miss' | 'bypass') {
      connectionCache.inc({ result });
    },
    jobRun(job: string, outcome: { readonly removed: number } | { readonly failed: true }) {
      const name = bounded(job.replace(/\s+/g, '_'));
      if ('failed' in outcome) {
        jobRuns.inc({ job: name, result: 'failed' });
        return;
      }
      jobRuns.inc({ job: name, result: 'ok' });
      jobRows.inc({ job: name }, outcome.removed);
    },
    leaderChanged(isLeader: boolean) {
      leader.set(isLeader ? 1 : 0);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
