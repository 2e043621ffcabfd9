// `BENCH_ONLY=scale npm run bench` (or `-- --scale`), issue 25 "flat as data grows": on Gatehouse
// over SQLite and over PostgreSQL, the token scenarios' CPU per request on the small tables of a
// fresh install, then again after 1,000,000 live OidcRecord rows and 100,000 accounts are written
// straight into the database (bulk SQL, not the API: minutes, not hours); then token latency while
// the expiry sweep deletes 200,000 expired rows. Writes between the scale markers of docs/benchmarks.md.
// BENCH_ROUNDS (1) and BENCH_SECONDS (3) per scenario and phase; BENCH_SCALE_ROWS to try smaller; BENCH_STORES (sqlite,postgresql).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createDatabase, type DriverConnection } from '../src/db/create-prisma.js';
import { createPreparedOidcRecords } from '../src/db/prepared-oidc-records.js';
import { SWEEP_BATCH } from '../src/oidc/expiry-sweeper.js';
import { OPAQUE_API } from './bare-provider.js';
import { prepareFixtures, type Fixtures } from './fixtures.js';
import { measure, median, type Sample } from './measure.js';
import { scenarios } from './scenarios.js';
import { freePort, startGatehouse, type Target } from './targets.js';
import { generateRows } from './scale-rows.js';
import { timeStatements, type StatementCosts } from './scale-statements.js';
import { benchServerEnv } from './goal-scenarios.js';

const SERVER_CORE = 0;
const LOAD_CORE = 1;
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const LIVE_ROWS = Number(process.env.BENCH_SCALE_ROWS ?? 1_000_000);
const ACCOUNTS = Math.round(LIVE_ROWS / 10);
const EXPIRED_ROWS = Math.round(LIVE_ROWS / 5);
const SWEEP_SECONDS = 10; // SWEEP_INTERVAL_SECONDS' minimum (src/config/env-schema.ts)
const SWEEP_CONNECTIONS = 4;
const GOAL_CPU_PERCENT = 10;
const GOAL_SWEEP_P99_MS = 50;
const BATCH_SIZES = [100, 200, 500, 1000, 2000];
// The token scenarios (the sign-in ones measure argon2id, which no table size changes).
const tokenScenarios = scenarios.filter((s) => !s.name.includes('sign-in'));

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
const secondsSince = (t: number) => ((performance.now() - t) / 1000).toFixed(1);

/** The server's /metrics, one sample by name and labels (`name{a="b"}`), 0 when absent. */
async function metric(metricsUrl: string, sample: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}
const SWEEP_RUNS = 'gatehouse_background_job_runs_total{job="expiry_sweep",result="ok"}';
const SWEEP_BATCH_SUM = 'gatehouse_db_query_duration_seconds_sum{operation="OidcRecord.sweepExpired"}';
const SWEEP_BATCH_COUNT = 'gatehouse_db_query_duration_seconds_count{operation="OidcRecord.sweepExpired"}';

/** Resolves just after the server's next expiry sweep has run (so the next is a whole interval away). */
async function afterNextSweep(metricsUrl: string): Promise<void> {
  const runs = await metric(metricsUrl, SWEEP_RUNS);
  const until = performance.now() + (SWEEP_SECONDS + 5) * 1000;
  while ((await metric(metricsUrl, SWEEP_RUNS)) === runs) {
    if (performance.now() > until) throw new Error('no expiry sweep ran within its interval');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function expiredCount(driver: DriverConnection, now: Date): Promise<number> {
  if (driver.store === 'sqlite') {
    const row = (await driver.outsideTransaction((db) =>
      db
        .prepare('SELECT count(*) AS n FROM "OidcRecord" WHERE "expiresAt" <= ?')
        .get(now.toISOString().replace('Z', '+00:00')),
    )) as { n: number | bigint };
    return Number(row.n);
  }
  const { rows } = await driver.pool.query<{ n: string }>(
    'SELECT count(*) AS n FROM "OidcRecord" WHERE "expiresAt" <= $1',
    [now.toISOString().replace('T', ' ').replace('Z', '')],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * client_credentials on `connections` keep-alive connections until `done()`, each request timed
 * from send to the last byte and stamped with its start, so latency can be cut into the windows
 * before, during and after the sweep (autocannon only gives a whole run's percentiles).
 */
async function timedTokens(fx: Fixtures, connections: number, done: () => boolean) {
  const samples: { at: number; ms: number }[] = [];
  let failed = 0;
  const body = new URLSearchParams({ grant_type: 'client_credentials', resource: OPAQUE_API, scope: 'read' });
  const url = new URL('/token', fx.target.issuer);
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (!done()) {
        const at = performance.now();
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { authorization: fx.app, 'content-type': 'application/x-www-form-urlencoded' },
            body,
          });
          await res.arrayBuffer();
          if (res.status === 200) samples.push({ at, ms: performance.now() - at });
          else failed += 1;
        } catch {
          // A keep-alive connection the server closed as the request went out: counted, not fatal.
          failed += 1;
        }
      }
    }),
  );
  return { samples, failed };
}

interface StoreResult {
  store: Target['name'];
  small: Map<string, Sample[]>;
  large: Map<string, Sample[]>;
  timings: string[];
  sweep: {
    baselineP99: number;
    baselineP50: number;
    duringP99: number;
    duringP50: number;
    duringRequests: number;
    sweepSeconds: number;
    batches: number;
    batchMeanMs: number;
    failed: number;
  };
  batchCost: { size: number; ms: number }[];
  statements: { small: StatementCosts; large: StatementCosts };
}

async function runScenarios(target: Target, fx: Fixtures, into: Map<string, Sample[]>, phase: string) {
  for (let round = 0; round < rounds; round += 1) {
    for (const scenario of tokenScenarios) {
      const sample = await measure(target, (begins) => scenario.run(fx, seconds, begins));
      into.set(scenario.name, [...(into.get(scenario.name) ?? []), sample]);
      console.log(
        `  ${target.name.padEnd(10)} ${phase} ${scenario.name.padEnd(30)} ${sample.rps.toFixed(0).padStart(6)}/s  p99 ${sample.p99.toFixed(1)} ms  ${sample.cpuMs.toFixed(3)} ms CPU${sample.failed ? `  ${sample.failed} failed` : ''}`,
      );
    }
  }
}

async function runStore(store: 'sqlite' | 'postgresql', env: Record<string, string>): Promise<StoreResult> {
  const metricsPort = await freePort();
  const target = await startGatehouse(store, SERVER_CORE, {
    ...env,
    SWEEP_INTERVAL_SECONDS: String(SWEEP_SECONDS),
    METRICS_PORT: String(metricsPort),
    METRICS_HOST: '127.0.0.1',
  });
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  // The bench's own connection to the server's database: bulk writes and the expired-row count.
  const { driver, close } = createDatabase(target.env.DATABASE_URL as string);
  const timings: string[] = [];
  const small = new Map<string, Sample[]>();
  const large = new Map<string, Sample[]>();
  try {
    const fx = await prepareFixtures(target);
    // One unmeasured second of each first: code compiled and caches warm, as on a server in service
    // (the large phase follows on a server warmed by the small one).
    for (const scenario of tokenScenarios) await scenario.run(fx, 1);
    await runScenarios(target, fx, small, 'small');
    const smallStatements = await timeStatements(driver, 'small');

    const now = Date.now();
    let t = performance.now();
    await generateRows(driver, 'live', LIVE_ROWS, now);
    timings.push(`${LIVE_ROWS.toLocaleString('en')} live OidcRecord rows in ${secondsSince(t)} s`);
    t = performance.now();
    await generateRows(driver, 'accounts', ACCOUNTS, now);
    timings.push(`${ACCOUNTS.toLocaleString('en')} accounts in ${secondsSince(t)} s`);
    t = performance.now();
    // As an operator would after a bulk load: statistics for the planner, and the load's own write
    // debt paid (SQLite's WAL checkpointed, PostgreSQL's visibility map set), not the server's bill.
    if (driver.store === 'sqlite')
      await driver.outsideTransaction((db) => db.exec('ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)'));
    else await driver.pool.query('VACUUM ANALYZE');
    timings.push(`${driver.store === 'sqlite' ? 'ANALYZE and checkpoint' : 'VACUUM ANALYZE'} in ${secondsSince(t)} s`);
    for (const line of timings) console.log(`  ${store}: ${line}`);

    await runScenarios(target, fx, large, 'large');
    const largeStatements = await timeStatements(driver, 'large');

    // The sweep: load throughout; a baseline window, then the expired rows are written just after a
    // sweep ran (so the next, the one measured, comes once they are all in), then until it is done.
    let stop = false;
    const load = timedTokens(fx, SWEEP_CONNECTIONS, () => stop);
    let baselineEnd = 0;
    let sweepStart = 0;
    let sweepEnd = 0;
    const before = { sum: 0, count: 0 };
    try {
      await new Promise((r) => setTimeout(r, Math.max(5, seconds * 2) * 1000));
      await afterNextSweep(metricsUrl);
      baselineEnd = performance.now();
      before.sum = await metric(metricsUrl, SWEEP_BATCH_SUM);
      before.count = await metric(metricsUrl, SWEEP_BATCH_COUNT);
      t = performance.now();
      await generateRows(driver, 'expired', EXPIRED_ROWS, Date.now());
      // The bulk insert's WAL is the bench's debt, not the sweep's: a server whose rows expired over
      // time would have checkpointed them long ago (untested hypothesis for the stalled 1M sweep).
      if (driver.store === 'sqlite')
        await driver.outsideTransaction((db) => db.exec('PRAGMA wal_checkpoint(TRUNCATE)'));
      timings.push(`${EXPIRED_ROWS.toLocaleString('en')} expired rows in ${secondsSince(t)} s`);
      // Polled every 100 ms: the sweep began at the last poll that still saw every row, ended at the first that saw none.
      let lastFull = performance.now();
      let lastPrint = lastFull;
      const until = performance.now() + (SWEEP_SECONDS * 3 + 240) * 1000;
      for (;;) {
        const left = await expiredCount(driver, new Date());
        const at = performance.now();
        if (at - lastPrint > 2000) {
          lastPrint = at;
          const batches = (await metric(metricsUrl, SWEEP_BATCH_COUNT)) - before.count;
          const ms = batches ? (((await metric(metricsUrl, SWEEP_BATCH_SUM)) - before.sum) * 1000) / batches : 0;
          console.log(`  ${store}: ${left} expired rows left, ${batches} batches so far, ${ms.toFixed(1)} ms each`);
        }
        if (left >= EXPIRED_ROWS) lastFull = at;
        if (left === 0) {
          sweepStart = lastFull;
          sweepEnd = at;
          break;
        }
        if (at > until) throw new Error(`${store}: ${left} expired rows still there after the sweep's time`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      stop = true;
    }
    const { samples, failed } = await load;
    const baseline = samples.filter((s) => s.at > 1000 && s.at < baselineEnd).map((s) => s.ms);
    const during = samples.filter((s) => s.at >= sweepStart && s.at <= sweepEnd).map((s) => s.ms);
    const batches = (await metric(metricsUrl, SWEEP_BATCH_COUNT)) - before.count;
    const batchSum = (await metric(metricsUrl, SWEEP_BATCH_SUM)) - before.sum;
    const sweep = {
      baselineP50: quantile(baseline, 0.5),
      baselineP99: quantile(baseline, 0.99),
      duringP50: quantile(during, 0.5),
      duringP99: quantile(during, 0.99),
      duringRequests: during.length,
      sweepSeconds: (sweepEnd - sweepStart) / 1000,
      batches,
      batchMeanMs: batches ? (batchSum * 1000) / batches : 0,
      failed,
    };
    console.log(
      `  ${store}: sweep of ${EXPIRED_ROWS} rows took ~${sweep.sweepSeconds.toFixed(1)} s in ${batches} batches (${sweep.batchMeanMs.toFixed(2)} ms each in the server); ` +
        `token p99 ${sweep.baselineP99.toFixed(1)} ms before, ${sweep.duringP99.toFixed(1)} ms during (${during.length} requests)`,
    );

    const batchCost = await timeBatchSizes(driver, metricsUrl);
    return {
      store,
      small,
      large,
      timings,
      sweep,
      batchCost,
      statements: { small: smallStatements, large: largeStatements },
    };
  } finally {
    await close();
    await target.close();
  }
}

/**
 * What one sweep batch costs by its size, timed here with the product's own statement: on SQLite
 * that time blocks the server's event loop, so it is what a token request may wait behind. The rows
 * expired in 2000 and the cut-off is 2000 too, just after the server swept, so only these go.
 */
async function timeBatchSizes(driver: DriverConnection, metricsUrl: string) {
  const statements = createPreparedOidcRecords(driver, () => Date.now());
  const cutoff = new Date(Date.UTC(2000, 0, 2));
  const out: { size: number; ms: number }[] = [];
  for (const size of BATCH_SIZES) {
    await afterNextSweep(metricsUrl);
    await generateRows(driver, 'ancient', size * 3, Date.now());
    const times: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const t = performance.now();
      const removed = await statements.sweepExpired(cutoff, size);
      times.push(performance.now() - t);
      if (removed !== size) throw new Error(`batch of ${size}: removed ${removed} (the server's sweep came between?)`);
    }
    out.push({ size, ms: median(times) });
    console.log(`  ${driver.store}: a sweep batch of ${size} rows takes ${median(times).toFixed(2)} ms`);
  }
  return out;
}

export async function runScaleBench(): Promise<void> {
  const began = performance.now();
  execFileSync('taskset', ['-cp', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
  const load = loadavg()[0]?.toFixed(1);
  const env = benchServerEnv();
  console.log(
    `scale bench: ${LIVE_ROWS} live rows, ${ACCOUNTS} accounts, ${EXPIRED_ROWS} expired; ${rounds} × ${seconds} s`,
  );
  const results: StoreResult[] = [];
  const stores = (process.env.BENCH_STORES ?? 'sqlite,postgresql').split(',') as ('sqlite' | 'postgresql')[];
  for (const store of stores) results.push(await runStore(store, env));
  writeReport(results, { began, load });
}

const LABEL: Record<string, string> = { sqlite: 'SQLite', postgresql: 'PostgreSQL', bare: 'bare' };

function writeReport(results: StoreResult[], { began, load }: { began: number; load?: string }) {
  const cpuOf = (runs: Sample[] | undefined) => median((runs ?? []).map((s) => s.cpuMs));
  const rows = [
    '| Scenario | Store | CPU ms / request, small | CPU ms / request, large | Change | p99 ms small → large |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const scenario of tokenScenarios) {
    for (const r of results) {
      const [a, b] = [cpuOf(r.small.get(scenario.name)), cpuOf(r.large.get(scenario.name))];
      const change = a ? ((b - a) / a) * 100 : 0;
      const p99 = (runs: Sample[] | undefined) => median((runs ?? []).map((s) => s.p99)).toFixed(1);
      rows.push(
        `| ${scenario.name} | ${LABEL[r.store]} | ${a.toFixed(3)} | ${b.toFixed(3)} | ${change >= 0 ? '+' : ''}${change.toFixed(1)} %${Math.abs(change) > GOAL_CPU_PERCENT ? ' ⚠' : ''} | ${p99(r.small.get(scenario.name))} → ${p99(r.large.get(scenario.name))} |`,
      );
    }
  }
  const sweepRows = [
    `| Store | Token p50 / p99 ms, no sweep | Token p50 / p99 ms, during the sweep | Requests during | Sweep took s | Batches (of ${SWEEP_BATCH}) | Mean batch ms (server) |`,
    '|---|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      ({ store, sweep: s }) =>
        `| ${LABEL[store]} | ${s.baselineP50.toFixed(1)} / ${s.baselineP99.toFixed(1)} | ${s.duringP50.toFixed(1)} / ${s.duringP99.toFixed(1)}${s.duringP99 > GOAL_SWEEP_P99_MS ? ' ⚠' : ''} | ${s.duringRequests}${s.failed ? ` (${s.failed} failed in the run)` : ''} | ${s.sweepSeconds.toFixed(1)} | ${s.batches} | ${s.batchMeanMs.toFixed(2)} |`,
    ),
  ];
  const batchRows = [
    `| Store | ${BATCH_SIZES.map((n) => `${n} rows`).join(' | ')} |`,
    `|---|${BATCH_SIZES.map(() => '---:').join('|')}|`,
    ...results.map(
      (r) =>
        `| ${LABEL[r.store]} | ${r.batchCost.map((b) => `${b.ms.toFixed(2)} ms (${((b.ms * 1000) / b.size).toFixed(1)} µs/row)`).join(' | ')} |`,
    ),
  ];
  const statementRows = [
    '| Statement | Store | µs / call, small | µs / call, large | Change |',
    '|---|---|---:|---:|---:|',
    ...results.flatMap((r) =>
      Object.entries(r.statements.small).map(([name, a]) => {
        const b = r.statements.large[name] ?? 0;
        const change = ((b - a) / a) * 100;
        return `| ${name} | ${LABEL[r.store]} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${change >= 0 ? '+' : ''}${change.toFixed(1)} %${Math.abs(change) > GOAL_CPU_PERCENT ? ' ⚠' : ''} |`;
      }),
    ),
  ];
  const generated = [
    '<!-- scale:start (written by `BENCH_ONLY=scale npm run bench`) -->',
    `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, Node ${process.version}, ` +
      `load average ${load ?? '?'} at the start; servers pinned to core ${SERVER_CORE}, load on core ${LOAD_CORE}; ${rounds} round(s) of ${seconds} s per scenario and phase; ` +
      `small = a fresh install's tables, large = plus ${LIVE_ROWS.toLocaleString('en')} live OidcRecord rows and ${ACCOUNTS.toLocaleString('en')} accounts. Took ${((performance.now() - began) / 1000).toFixed(0)} s.`,
    '',
    ...rows,
    '',
    "The hot path's OidcRecord statements, timed from the bench process with the server idle (median of 5 rounds of 2,000 calls; the insert 500):",
    '',
    ...statementRows,
    '',
    `Expiry sweep of ${EXPIRED_ROWS.toLocaleString('en')} expired rows among the live ones, client_credentials (opaque) on ${SWEEP_CONNECTIONS} connections throughout:`,
    '',
    ...sweepRows,
    '',
    'One sweep batch (the prepared statement, timed from the bench process), by size:',
    '',
    ...batchRows,
    '',
    'Data generation: ' + results.map((r) => `${LABEL[r.store]}: ${r.timings.join(', ')}`).join('; ') + '.',
    '<!-- scale:end -->',
  ].join('\n');
  const docPath = new URL('../docs/benchmarks.md', import.meta.url);
  const current = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n';
  const updated = /<!-- scale:start[^]*?<!-- scale:end -->/.test(current)
    ? current.replace(/<!-- scale:start[^]*?<!-- scale:end -->/, () => generated)
    : `${current.trimEnd()}\n\n${generated}\n`;
  writeFileSync(docPath, updated);
  console.log(`\n${generated}\n\nwrote docs/benchmarks.md in ${((performance.now() - began) / 1000).toFixed(0)} s`);
}
