// `npm run bench` [-- --quick] [-- --enumeration] [-- --profile] [-- --admin-console] [-- --admin-audit-log] [-- --memory] [-- --ladder [--postgresql] [--sign-in] [--allocations]] [-- --goals [--postgresql] [--sign-in]] [-- --thread-profile [--postgresql] [--sign-in]] [-- --round-trip] [-- --scale] [-- --compare CHECKOUT…]: Gatehouse on SQLite, Gatehouse on PostgreSQL
// and bare oidc-provider (bench/bare-provider.ts), all pinned to core 0, driven from core 1 by
// autocannon, scenario by scenario in alternating order, so every ratio compares runs made side by
// side. Writes the results between the markers of docs/benchmarks.md (the prose stays).
// BENCH_ROUNDS (3; 1 with --quick) and BENCH_SECONDS (3; 2 with --quick) per run; BENCH_SETTLE
// (3; 0 with --quick): seconds of each run's load after its preparation, not counted (Scenario.run).
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { prepareFixtures, type Fixtures } from './fixtures.js';
import { SETTLE_SECONDS, scenarios as allScenarios } from './scenarios.js';
import { freePort, spawnPinned, startBare, startGatehouse, type Target, type TargetName } from './targets.js';
import { signInTiming } from './sign-in-timing.js';
import { measure, median, type Sample } from './measure.js';

// The modes that run one bench of their own instead of the main one, by the flag that asks for it.
// Each module is loaded only when its mode runs.
const modes: readonly { readonly asked: () => boolean; readonly run: () => Promise<void> }[] = [
  // `--compare CHECKOUT[#VAR=value…] …`: only Gatehouse builds side by side (bench/compare-builds.ts).
  {
    asked: () => process.argv.includes('--compare'),
    run: async () =>
      (await import('./compare-builds.js')).runCompareBuilds(process.argv.slice(process.argv.indexOf('--compare') + 1)),
  },
  // `--ladder`: only the ladder of layers between bare oidc-provider and Gatehouse (bench/ladder.ts);
  // with `--sign-in`, for full sign-ins instead of token requests; with `--allocations`, KiB and
  // promises per request instead of CPU time.
  { asked: () => process.argv.includes('--ladder'), run: async () => (await import('./ladder.js')).runLadderBench() },
  // `--goals`: only issue 25's goals, bare, storage alone and Gatehouse measured in pairs, each with
  // its verdict (bench/goals.ts); `--postgresql` and `--sign-in` as for the ladder.
  { asked: () => process.argv.includes('--goals'), run: async () => (await import('./goals.js')).runGoalsBench() },
  // `--thread-profile`: only where each server's main thread spends its CPU, sampled by perf while
  // it runs, bare, storage alone and Gatehouse side by side (bench/thread-profile.ts); `--postgresql`
  // and `--sign-in` as for the goals.
  {
    asked: () => process.argv.includes('--thread-profile'),
    run: async () => (await import('./thread-profile.js')).runThreadProfileBench(),
  },
  // `--round-trip`: only what one statement costs the server's CPU on each store (bench/round-trip.ts).
  {
    asked: () => process.argv.includes('--round-trip'),
    run: async () => (await import('./round-trip.js')).runRoundTripBench(),
  },
  // `--admin-console`: only the admin console's People list and search at 10,000 people (bench/admin-people.ts).
  {
    asked: () => process.argv.includes('--admin-console'),
    run: async () => (await import('./admin-people.js')).runAdminConsoleBench(),
  },
  // `--memory`: only Gatehouse's resident memory after start, setup, sign-ins and a token flood (bench/memory.ts).
  { asked: () => process.argv.includes('--memory'), run: async () => (await import('./memory.js')).runMemoryBench() },
  // `BENCH_ONLY=scale` (or `--scale`): only token CPU and latency as the tables grow to a million rows (bench/scale.ts).
  {
    asked: () => process.env.BENCH_ONLY === 'scale' || process.argv.includes('--scale'),
    run: async () => (await import('./scale.js')).runScaleBench(),
  },
  // `--admin-audit-log`: only the admin console's Audit log over a long trail (bench/admin-audit-log.ts).
  {
    asked: () => process.argv.includes('--admin-audit-log'),
    run: async () => (await import('./admin-audit-log.js')).runAdminAuditLogBench(),
  },
];
const mode = modes.find(({ asked }) => asked());
if (mode) {
  await mode.run();
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));
const seconds = Number(process.env.BENCH_SECONDS ?? (quick ? 2 : 3));
const settle = Number(process.env.BENCH_SETTLE ?? (quick ? 0 : SETTLE_SECONDS));
const SERVER_CORE = 0;
const LOAD_CORE = 1;
const argon = {
  memory: process.env.ARGON2_MEMORY_KIB ?? '19456',
  iterations: process.env.ARGON2_ITERATIONS ?? '2',
  parallelism: process.env.ARGON2_PARALLELISM ?? '1',
};
const began = performance.now();
// BENCH_ONLY=word runs only the scenarios whose name contains it (while working on one).
const scenarios = allScenarios.filter((s) => !process.env.BENCH_ONLY || s.name.includes(process.env.BENCH_ONLY));

// The load generator (this process) on its own core, away from the servers'.
execFileSync('taskset', ['-cp', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });

// `--profile`: every server runs under `node --cpu-prof`; `npx tsx bench/profile-summary.ts FILE`
// then shows where its time went.
const profileDir = new URL('../tmp/profiles/', import.meta.url).pathname;
const env: Record<string, string> = {
  LOG_LEVEL: 'info',
  ARGON2_MEMORY_KIB: argon.memory,
  ARGON2_ITERATIONS: argon.iterations,
  ARGON2_PARALLELISM: argon.parallelism,
  ...(process.argv.includes('--profile') ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } : {}),
};
console.log(`bench: ${rounds} round(s) of ${seconds} s per scenario and target`);
const targets: Target[] = [
  await startBare(SERVER_CORE, env),
  await startGatehouse('sqlite', SERVER_CORE, env),
  await startGatehouse('postgresql', SERVER_CORE, env),
];
const fixtures = new Map<TargetName, Fixtures>();
const startMs = new Map<TargetName, number>(targets.map((t) => [t.name, t.startMs]));
const idleRss = new Map<TargetName, number>();
const samples = new Map<string, Sample[]>();
const timing: string[] = [];

try {
  for (const target of targets) fixtures.set(target.name, await prepareFixtures(target));
  for (const target of targets) idleRss.set(target.name, target.rssMb());

  for (let round = 0; round < rounds; round += 1) {
    for (const scenario of scenarios) {
      // Alternate the order so each of ours has bare runs just before and just after it.
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        const fx = fixtures.get(target.name) as Fixtures;
        const sample = await measure(target, (begins) => scenario.run(fx, seconds, begins, settle));
        const key = `${scenario.name}|${target.name}`;
        samples.set(key, [...(samples.get(key) ?? []), sample]);
        console.log(
          `  round ${round + 1} ${scenario.name.padEnd(44)} ${target.name.padEnd(10)} ${sample.rps.toFixed(1).padStart(8)}/s  p99 ${sample.p99.toFixed(1)} ms  ${sample.cpuMs.toFixed(2)} ms CPU${sample.failed ? `  ${sample.failed} failed` : ''}`,
        );
      }
    }
  }

  if (process.argv.includes('--enumeration')) {
    for (const target of targets.filter((t) => t.name !== 'bare')) {
      timing.push(`[${target.name}]`, ...(await signInTiming(target, 10)));
    }
  }
} finally {
  for (const target of targets) await target.close().catch(() => undefined);
}

// Start to ready on an existing database and one CLI command, each the median of three.
const gatehouseBin = existsSync(new URL('../dist/gatehouse.js', import.meta.url))
  ? 'the bundle in dist/'
  : 'TypeScript through tsx';
const sqlite = await startGatehouse('sqlite', SERVER_CORE, env);
const restarts: number[] = [];
const cliRuns: number[] = [];
try {
  for (let i = 0; i < 3; i += 1) {
    const port = await freePort();
    const proc = await spawnPinned(
      SERVER_CORE,
      [process.execPath, 'bin/gatehouse.js', 'serve'],
      { ...sqlite.env, PORT: String(port), ISSUER: `http://127.0.0.1:${port}` },
      port,
      '/readyz',
    );
    restarts.push(proc.startMs);
    await proc.close();
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        'taskset',
        ['-c', String(SERVER_CORE), process.execPath, 'bin/gatehouse.js', 'client', 'list', '--json'],
        { env: { ...process.env, ...sqlite.env }, stdio: 'ignore' },
      );
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`gatehouse client list exited with ${code}`)),
      );
    });
    cliRuns.push(performance.now() - started);
  }
} finally {
  await sqlite.close();
}

// ---- the report ----
const names: TargetName[] = ['sqlite', 'postgresql', 'bare'];
const label: Record<TargetName, string> = {
  sqlite: 'Gatehouse, SQLite',
  postgresql: 'Gatehouse, PostgreSQL',
  bare: 'bare oidc-provider',
};
const rows: string[] = [
  '| Scenario | Server | Throughput /s | Ratio to bare | p50 ms | p99 ms | CPU ms / request | Peak RSS MB |',
  '|---|---|---:|---:|---:|---:|---:|---:|',
];
for (const scenario of scenarios) {
  const bare = median((samples.get(`${scenario.name}|bare`) ?? []).map((s) => s.rps));
  for (const name of names) {
    const runs = samples.get(`${scenario.name}|${name}`) ?? [];
    const rps = median(runs.map((s) => s.rps));
    const failed = runs.reduce((n, s) => n + s.failed, 0);
    rows.push(
      `| ${scenario.name} | ${label[name]} | ${rps.toFixed(1)} | ${name === 'bare' ? '1' : `${(rps / bare).toFixed(2)}x`} | ${median(runs.map((s) => s.p50)).toFixed(1)} | ${median(runs.map((s) => s.p99)).toFixed(1)} | ${median(runs.map((s) => s.cpuMs)).toFixed(2)} | ${Math.max(...runs.map((s) => s.rss)).toFixed(0)}${failed ? ` (${failed} failed)` : ''} |`,
    );
  }
}
const nodeVersion = process.version;
const cpu = cpus()[0]?.model ?? 'unknown';
const generated = [
  '<!-- bench:start (written by `npm run bench`; edit the prose around it, not this) -->',
  `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: \`npm run bench${quick ? ' -- --quick' : ''}\` on ${cpus().length} × ${cpu}, Node ${nodeVersion}, ` +
    `argon2id m=${argon.memory} KiB t=${argon.iterations} p=${argon.parallelism}; servers pinned to core ${SERVER_CORE}, autocannon on core ${LOAD_CORE}; ` +
    `${rounds} round(s) of ${seconds} s per scenario and server, in alternating order; medians; 16 connections for token scenarios, 4 sign-ins at a time. ` +
    `Gatehouse ran as ${gatehouseBin}, logging at info to /dev/null. Took ${((performance.now() - began) / 1000).toFixed(0)} s.`,
  '',
  ...rows,
  '',
  '| Server | Idle RSS MB (after setup) | Start to ready, fresh database (ms) |',
  '|---|---:|---:|',
  ...names.map(
    (name) => `| ${label[name]} | ${(idleRss.get(name) ?? 0).toFixed(0)} | ${(startMs.get(name) ?? 0).toFixed(0)} |`,
  ),
  '',
  `Gatehouse (${gatehouseBin}), SQLite, existing database: start to \`/readyz\` 200 in ${median(restarts).toFixed(0)} ms; ` +
    `\`gatehouse client list --json\` in ${median(cliRuns).toFixed(0)} ms (medians of 3).`,
  ...(timing.length ? ['', '```', ...timing, '```'] : []),
  '<!-- bench:end -->',
].join('\n');

const docPath = new URL('../docs/benchmarks.md', import.meta.url);
const current = existsSync(docPath)
  ? readFileSync(docPath, 'utf8')
  : '# Benchmarks\n\n<!-- bench:start -->\n<!-- bench:end -->\n';
const updated = /<!-- bench:start[^]*?<!-- bench:end -->/.test(current)
  ? current.replace(/<!-- bench:start[^]*?<!-- bench:end -->/, () => generated)
  : `${current.trimEnd()}\n\n${generated}\n`;
writeFileSync(docPath, updated);
console.log(`\nwrote docs/benchmarks.md in ${((performance.now() - began) / 1000).toFixed(0)} s`);
