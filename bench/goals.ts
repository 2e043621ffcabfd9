// `npm run bench -- --goals [--postgresql] [--sign-in]`: issue 25's goals read in pairs. The
// ladder (bench/ladder.ts) runs seven servers scenario by scenario, so bare and Gatehouse are
// measured up to a minute apart, and on these shared machines the same build read five of six goals
// met in one half hour and none in the next. Here only three servers run: bare (rung 1), durable
// storage alone (rung 2) and Gatehouse, all rounds of a scenario back to back, Gatehouse always
// right next to bare (bare, Gatehouse, storage; then storage, Gatehouse, bare). Each round gives
// its own ratios, and a goal's verdict comes from the interval of their median
// (bench/median-interval.ts): met, missed, or within the noise. Where Gatehouse misses a goal, rung
// 2 says whether storage alone, with nothing of ours around the provider, misses it too, and
// Gatehouse's statements per request in its measured windows (bench/statement-counts.ts) say how
// many statements of its own it runs beyond the provider's storage.
// A scenario whose verdict after BENCH_ROUNDS (9) is within the noise, by CPU or by throughput, gets
// BENCH_MORE_ROUNDS (6) more before its verdict: fifteen rounds narrow the interval from the 2nd to
// the 4th sample from each end. BENCH_SECONDS (2), BENCH_WARMUP (3) and BENCH_SETTLE (2), BENCH_ONLY
// as for the ladder.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { writeBetweenMarkers } from './doc-markers.js';
import { prepareFixtures, type Fixtures } from './fixtures.js';
import { benchServerEnv, costUnit, goalRunSettings, goalScenarios } from './goal-scenarios.js';
import { goalOf, verdictOf, type Verdict } from './ladder-goals.js';
import { median, measure, type Sample } from './measure.js';
import { medianInterval, type MedianInterval } from './median-interval.js';
import type { LoadBegins, Scenario } from './scenarios.js';
import { createStatementTally } from './statement-counts.js';
import { freePort, startGatehouse, startLadderRung, type Target } from './targets.js';

const SERVER_CORE = 0;
const LOAD_CORE = 1;

type Role = 'bare' | 'storage' | 'gatehouse';
type Rounds = Record<Role, Sample[]>;

/** The per-round ratios a verdict is read from, each with its interval. */
function ratiosOf(runs: Rounds) {
  const perRound = (f: (bare: Sample, other: Sample) => number, other: Role) =>
    medianInterval(runs.bare.map((bare, i) => f(bare, runs[other][i] as Sample)));
  const byCpu = (bare: Sample, other: Sample) => bare.cpuMs / other.cpuMs;
  const byRate = (bare: Sample, other: Sample) => other.rps / bare.rps;
  return {
    cpu: perRound(byCpu, 'gatehouse'),
    rate: perRound(byRate, 'gatehouse'),
    storageCpu: perRound(byCpu, 'storage'),
    storageRate: perRound(byRate, 'storage'),
  };
}

const range = (i: MedianInterval) => `${i.median.toFixed(2)}x (${i.low.toFixed(2)}–${i.high.toFixed(2)})`;

export async function runGoalsBench(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
  const moreRounds = Number(process.env.BENCH_MORE_ROUNDS ?? 6);
  const { seconds, warmup, settle, store, signIns } = goalRunSettings({ seconds: 2, warmup: 3, settle: 2 });
  const goal = goalOf(signIns, store);
  const began = performance.now();
  const scenarios = goalScenarios(signIns);
  const unit = costUnit(signIns);
  execFileSync('taskset', ['-cp', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
  console.log(`goals (${store}): ${rounds} round(s) of ${seconds} s per scenario and server, in pairs`);

  const env = benchServerEnv();
  // As the ladder: for sign-ins, rungs 1 and 2 hash with glibc's defaults, as the main bench's bare provider.
  const rungOptions = { serveMalloc: !signIns };
  const servers = {} as Record<Role, Target>;
  const measured = new Map<Scenario, Rounds>();
  // Gatehouse's statements per request in its measured windows, summed over the rounds.
  const metricsUrl = `http://127.0.0.1:${await freePort()}/metrics`;
  const statements = createStatementTally(metricsUrl);
  try {
    servers.bare = await startLadderRung(1, store, SERVER_CORE, env, rungOptions);
    servers.storage = await startLadderRung(2, store, SERVER_CORE, env, rungOptions);
    const metricsPort = new URL(metricsUrl).port;
    servers.gatehouse = await startGatehouse(store, SERVER_CORE, {
      ...env,
      METRICS_PORT: metricsPort,
      METRICS_HOST: '127.0.0.1',
    });
    const fixtures = new Map<Target, Fixtures>();
    for (const target of Object.values(servers)) fixtures.set(target, await prepareFixtures(target));

    for (const scenario of scenarios) {
      const runs: Rounds = { bare: [], storage: [], gatehouse: [] };
      measured.set(scenario, runs);
      for (const target of Object.values(servers))
        if (warmup > 0)
          await measure(target, (begins) => scenario.run(fixtures.get(target) as Fixtures, warmup, begins));
      const noisy = () => {
        const { cpu, rate } = ratiosOf(runs);
        return verdictOf(cpu, goal) === 'within the noise' || verdictOf(rate, goal) === 'within the noise';
      };
      // Extended once, after the planned rounds, not round by round until a verdict turns up.
      let planned = rounds;
      for (let round = 0; round < planned; round += 1) {
        // Gatehouse in the middle, so it always runs right after or right before bare.
        const order: Role[] = round % 2 === 0 ? ['bare', 'gatehouse', 'storage'] : ['storage', 'gatehouse', 'bare'];
        for (const role of order) {
          const target = servers[role];
          const run = (begins: LoadBegins) => scenario.run(fixtures.get(target) as Fixtures, seconds, begins, settle);
          const counted = role === 'gatehouse' ? statements.window(scenario.name, run) : undefined;
          const sample = await measure(target, counted?.run ?? run);
          await counted?.finish();
          runs[role].push(sample);
          console.log(
            `  round ${round + 1} ${scenario.name.padEnd(30)} ${role.padEnd(9)} ${sample.rps.toFixed(1).padStart(8)}/s  ${(sample.cpuMs * unit.per).toFixed(unit.digits).padStart(5)} ${unit.name} CPU${sample.failed ? `  ${sample.failed} failed` : ''}`,
          );
        }
        if (round + 1 === rounds && noisy()) planned += moreRounds;
      }
    }
  } finally {
    for (const target of Object.values(servers)) await target.close().catch(() => undefined);
  }

  // ---- the report: per scenario, the interval of the per-round ratios, and the verdicts ----
  const rows = [
    `| Scenario | Rounds | bare ${unit.name} | Gatehouse ${unit.name} | by CPU: Gatehouse | verdict | by throughput: Gatehouse | verdict | storage alone (rung 2): by CPU; by throughput |`,
    '|---|---:|---:|---:|---|---|---|---|---|',
  ];
  const failures: string[] = [];
  let coverage = 1;
  for (const [scenario, runs] of measured) {
    const failed = Object.values(runs)
      .flat()
      .reduce((n, s) => n + s.failed, 0);
    if (failed) failures.push(`${scenario.name}: ${failed}`);
    const ratios = ratiosOf(runs);
    coverage = Math.min(coverage, ratios.cpu.coverage);
    const cost = (role: Role) => (median(runs[role].map((s) => s.cpuMs)) * unit.per).toFixed(unit.digits);
    const verdicts = { cpu: verdictOf(ratios.cpu, goal), rate: verdictOf(ratios.rate, goal) };
    // Storage alone is a reason only where Gatehouse does not meet the goal.
    const storageNote = (interval: MedianInterval, verdict: Verdict) =>
      `${range(interval)}${verdict === 'met' ? '' : `: ${verdictOf(interval, goal)}`}`;
    rows.push(
      `| ${scenario.name} | ${runs.bare.length} | ${cost('bare')} | ${cost('gatehouse')} | ${range(ratios.cpu)} | **${verdicts.cpu}** | ${range(ratios.rate)} | **${verdicts.rate}** | ${storageNote(ratios.storageCpu, verdicts.cpu)}; ${storageNote(ratios.storageRate, verdicts.rate)} |`,
    );
  }
  const marker = `goals${signIns ? '-sign-in' : ''}${store === 'postgresql' ? '-postgresql' : ''}`;
  const command = `npm run bench -- --goals${store === 'postgresql' ? ' --postgresql' : ''}${signIns ? ' --sign-in' : ''}`;
  const generated = [
    `<!-- ${marker}:start (written by \`${command}\`; edit the prose around it, not this) -->`,
    `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: \`${command}\` ` +
      `on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}, Node ${process.version}; rung 2 and Gatehouse on ${store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}; ` +
      `servers pinned to core ${SERVER_CORE}, the load on core ${LOAD_CORE}; per scenario ${warmup} s of warm-up, then ${rounds} rounds of ${seconds} s on each server (${moreRounds} more where a verdict was within the noise), each after its preparation and ${settle} s of its load not counted; ` +
      `goal ${goal}x. Costs are medians of CPU ${unit.name} per ${signIns ? 'completed sign-in' : 'request answered 2xx'}; ratios are the median of the rounds' own ratios to bare, ` +
      `with the interval that holds the true median with at least ${Math.floor(coverage * 100)} % probability (order statistics). ` +
      `Took ${((performance.now() - began) / 1000).toFixed(0)} s.`,
    '',
    ...rows,
    '',
    `The main thread alone (the JavaScript; the rest is argon2id on libuv's threads and V8's helpers), medians in ${unit.name}: ${[
      ...measured,
    ]
      .map(([scenario, runs]) => {
        const main = (role: Role) => (median(runs[role].map((s) => s.mainCpuMs)) * unit.per).toFixed(unit.digits);
        return `${scenario.name} bare ${main('bare')}, storage ${main('storage')}, Gatehouse ${main('gatehouse')}`;
      })
      .join('; ')}.`,
    '',
    `Gatehouse's statements per ${signIns ? 'sign-in' : 'request'} in its measured windows (calls, from its query metrics; on PostgreSQL each a round trip unless merged with other requests' calls of the same statement in one turn): the provider's storage (OidcRecord, as rung 2) and its own:`,
    '',
    ...statements.described().map(([scenario, described]) => `- ${scenario}: ${described}`),
    ...(failures.length ? ['', `Failed requests: ${failures.join('; ')}.`] : []),
    `<!-- ${marker}:end -->`,
  ].join('\n');
  writeBetweenMarkers(marker, generated);
  console.log(`\n${generated}\n\nwrote docs/benchmarks.md in ${((performance.now() - began) / 1000).toFixed(0)} s`);
}
