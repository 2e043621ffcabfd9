// `npm run bench -- --ladder [--postgresql] [--sign-in]`: where Gatehouse's CPU per token request
// (or, with --sign-in, per full sign-in) goes, as a ladder from bare oidc-provider to Gatehouse, one
// layer per rung (bench/ladder-provider.ts says what each rung adds): rungs 1–6 and Gatehouse
// itself (rung 7), all pinned to core 0, driven from core 1, scenario by scenario in alternating
// order round by round, as bench/run.ts does. Writes the medians between the markers of its table
// in docs/benchmarks.md (one per store and kind). Rungs 2–6 and Gatehouse store in SQLite, or
// with --postgresql in a fresh PostgreSQL database each (BENCH_POSTGRES_URL's server).
// `--allocations`: instead of CPU time, what each request allocates (KiB, collected objects
// included) and the promises it creates, counted inside each server (bench/allocation-probe.mjs):
// figures that follow the work and not the machine's load, so one round of each is enough.
// BENCH_ROUNDS (3), BENCH_SECONDS (3) and BENCH_ONLY as for the main bench; BENCH_WARMUP (3): the
// seconds of each scenario on each server before its first round, and BENCH_SETTLE (3): of each
// measured run's own load, after its preparation and before its window, neither counted.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocationProbeEnv, allocationsDuring, type AllocationSample } from './allocation-sample.js';
import { writeBetweenMarkers } from './doc-markers.js';
import { reportAllocations } from './ladder-allocations.js';
import { prepareFixtures, type Fixtures } from './fixtures.js';
import { LAST_BUILT_RUNG } from './ladder-rungs.js';
import { goalLine, goalOf } from './ladder-goals.js';
import { measure, median, type Sample } from './measure.js';
import { SETTLE_SECONDS } from './scenarios.js';
import { benchServerEnv, costUnit, goalScenarios } from './goal-scenarios.js';
import type { LoadBegins, Scenario } from './scenarios.js';
import { startGatehouse, startLadderRung, type Store, type Target } from './targets.js';

const SERVER_CORE = 0;
const LOAD_CORE = 1;
export async function runLadderBench(): Promise<void> {
  const allocations = process.argv.includes('--allocations');
  const rounds = Number(process.env.BENCH_ROUNDS ?? (allocations ? 1 : 3));
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  const warmup = Number(process.env.BENCH_WARMUP ?? 3);
  const settle = Number(process.env.BENCH_SETTLE ?? SETTLE_SECONDS);
  const store: Store = process.argv.includes('--postgresql') ? 'postgresql' : 'sqlite';
  const signIns = process.argv.includes('--sign-in');
  const began = performance.now();
  const scenarios = goalScenarios(signIns);
  const unit = costUnit(signIns);
  execFileSync('taskset', ['-cp', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
  const probeDir = allocations ? mkdtempSync(join(tmpdir(), 'gatehouse-allocations-')) : undefined;
  const env: Record<string, string> = {
    ...(probeDir ? allocationProbeEnv(probeDir) : {}),
    ...benchServerEnv(),
  };
  console.log(
    `ladder (${store}): ${warmup} s of warm-up, then ${rounds} round(s) of ${seconds} s per scenario and rung`,
  );

  // rungs[i] is rung i + 1; the last is Gatehouse.
  const rungs: Target[] = [];
  const samples = new Map<string, Sample[]>();
  const allocated = new Map<string, AllocationSample[]>();
  try {
    // Sign-ins: rungs 1–6 hash with glibc's defaults, as the main bench's bare provider does.
    // serve's one-arena settings are tuned with Gatehouse's hashing gate (one hash per core); the
    // bare provider has none, and four hashes at once in one arena trim and grow it again at every
    // hash (a verify then costs 87 ms of CPU against 26, docs/benchmarks.md).
    for (let rung = 1; rung <= LAST_BUILT_RUNG; rung += 1)
      rungs.push(await startLadderRung(rung, store, SERVER_CORE, env, { serveMalloc: !signIns }));
    rungs.push(await startGatehouse(store, SERVER_CORE, env));
    const fixtures = new Map<Target, Fixtures>();
    for (const target of rungs) fixtures.set(target, await prepareFixtures(target));
    const load =
      (scenario: Scenario, target: Target, secs: number, settling = 0) =>
      (begins: LoadBegins) =>
        scenario.run(fixtures.get(target) as Fixtures, secs, begins, settling);

    // Until V8 has compiled the scenario's hot paths: the first round of a run used to be the
    // dearest on every rung (client_credentials on bare: 154 µs in round 1, 108 to 120 µs later).
    if (warmup > 0)
      for (const scenario of scenarios)
        for (const target of rungs) await measure(target, load(scenario, target, warmup));

    for (let round = 0; round < rounds; round += 1) {
      for (const scenario of scenarios) {
        // Alternate the order so no rung always runs first (or last) after a scenario starts.
        const order = round % 2 === 0 ? rungs : [...rungs].reverse();
        for (const target of order) {
          const rung = rungs.indexOf(target) + 1;
          // Seconds of the same load first, not counted, after the run's preparation (Scenario.run):
          // a server that sat idle while the other rungs ran has given memory back (Gatehouse's idle
          // heap reducer after 30 s), and the preparation's sign-ins deoptimized the path measured;
          // the first seconds of load pay for both.
          const key = `${scenario.name}|${rung}`;
          if (probeDir) {
            const counted = await allocationsDuring(target, probeDir, load(scenario, target, seconds, settle));
            allocated.set(key, [...(allocated.get(key) ?? []), counted]);
            console.log(
              `  round ${round + 1} ${scenario.name.padEnd(30)} rung ${rung} ${counted.kib.toFixed(1).padStart(7)} KiB ${counted.promises.toFixed(1).padStart(6)} promises per ${signIns ? 'sign-in' : 'request'}`,
            );
            continue;
          }
          const sample = await measure(target, load(scenario, target, seconds, settle));
          samples.set(key, [...(samples.get(key) ?? []), sample]);
          console.log(
            `  round ${round + 1} ${scenario.name.padEnd(30)} rung ${rung} ${sample.rps.toFixed(1).padStart(8)}/s  ${(sample.cpuMs * unit.per).toFixed(unit.digits).padStart(5)} ${unit.name} CPU (main thread ${(sample.mainCpuMs * unit.per).toFixed(unit.digits)})${sample.failed ? `  ${sample.failed} failed` : ''}`,
          );
        }
      }
    }
  } finally {
    for (const target of rungs) await target.close().catch(() => undefined);
    if (probeDir) rmSync(probeDir, { recursive: true, force: true });
  }
  if (allocations) return reportAllocations(scenarios, allocated, { store, signIns, rounds, seconds, began });

  // ---- the report: CPU per request (or sign-in) per rung (medians), and each rung's step from the one below ----
  const count = LAST_BUILT_RUNG + 1;
  const rows = [
    `| Scenario | ${Array.from({ length: count }, (_, i) => `${i + 1}${i + 1 === count ? ' Gatehouse' : ''}`).join(' | ')} |`,
    `|---|${'---:|'.repeat(count)}`,
  ];
  const failures: string[] = [];
  const goals: string[] = [];
  for (const scenario of scenarios) {
    const cells: string[] = [];
    const costs: number[] = [];
    let below: number | undefined;
    for (let rung = 1; rung <= count; rung += 1) {
      const runs = samples.get(`${scenario.name}|${rung}`) ?? [];
      const failed = runs.reduce((n, s) => n + s.failed, 0);
      if (failed) failures.push(`${scenario.name} on rung ${rung}: ${failed} failed`);
      const cost = median(runs.map((s) => s.cpuMs)) * unit.per;
      const step =
        below === undefined ? '' : ` (${cost - below >= 0 ? '+' : '−'}${Math.abs(cost - below).toFixed(unit.digits)})`;
      // A sign-in's CPU is mostly argon2id on libuv's threads: the main thread's share is ours to read.
      const main = signIns ? `; main thread ${(median(runs.map((s) => s.mainCpuMs)) * unit.per).toFixed(1)}` : '';
      cells.push(`${cost.toFixed(unit.digits)}${step}${main}`);
      costs.push(cost);
      below = cost;
    }
    rows.push(`| ${scenario.name} | ${cells.join(' | ')} |`);
    goals.push(`- ${goalLine(scenario.name, costs, goalOf(signIns, store))}`);
  }
  // One table per store and kind, each between markers of its own.
  const marker = `ladder${signIns ? '-sign-in' : ''}${store === 'postgresql' ? '-postgresql' : ''}`;
  const command = `npm run bench -- --ladder${store === 'postgresql' ? ' --postgresql' : ''}${signIns ? ' --sign-in' : ''}`;
  const generated = [
    `<!-- ${marker}:start (written by \`${command}\`; edit the prose around it, not this) -->`,
    `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: \`${command}\` ` +
      `on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, Node ${process.version}; rungs 2–7 on ${store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}; ` +
      `servers pinned to core ${SERVER_CORE}, ${signIns ? '4 scripted browsers' : 'autocannon (16 connections)'} on core ${LOAD_CORE}; ${warmup} s of warm-up, then ${rounds} round(s) of ${seconds} s per scenario and rung, each after its preparation and ${settle} s of its load not counted, ` +
      `in alternating order; CPU ${unit.name} per ${signIns ? 'completed sign-in (authorize to token)' : 'request answered 2xx'} (user + system of the server process), medians; in brackets the step from the rung before${signIns ? ", then the server's main thread alone (the rest is argon2id on libuv's threads and V8's helpers); rungs 1–6 with glibc's malloc defaults, as the main bench's bare provider" : ''}. ` +
      `Took ${((performance.now() - began) / 1000).toFixed(0)} s.`,
    '',
    ...rows,
    '',
    'Per goal (issue 25), rung 7 against rung 1 by CPU, and where a missed goal is already missed:',
    '',
    ...goals,
    ...(failures.length ? ['', `Failed requests: ${failures.join('; ')}.`] : []),
    `<!-- ${marker}:end -->`,
  ].join('\n');

  writeBetweenMarkers(marker, generated);
  console.log(`\n${generated}\n\nwrote docs/benchmarks.md in ${((performance.now() - began) / 1000).toFixed(0)} s`);
}
