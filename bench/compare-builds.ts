// `npm run bench -- --compare CHECKOUT[#VAR=value…] …`: two or more Gatehouse builds side by side,
// the way a change is judged on a machine whose speed drifts. Each is `node bin/gatehouse.js
// serve` from its checkout (built: `npm run build` there), with the variables after `#` set for it
// alone (`/work/main#GATEHOUSE_NO_REEXEC=1`); all pinned to core 0, the load on core 1, scenario by
// scenario in alternating order round by round, and the CPU per request of each as the medians of
// the rounds after the first, which only warms the JIT, with each build's median ratio to the first
// build within a round, for the whole process and for its main thread alone. Prints the table;
// writes nothing. The fixtures are made with this checkout's CLI, so the builds compared must
// share its schema.
// BENCH_ONLY (a comma-separated list of words), BENCH_ROUNDS (6), BENCH_SECONDS (4), BENCH_SETTLE
// (3: seconds of each run's load after its preparation, not counted), BENCH_STORE (sqlite or
// postgresql).
import { execFileSync } from 'node:child_process';
import { prepareFixtures, type Fixtures } from './fixtures.js';
import { measure, median } from './measure.js';
import { SETTLE_SECONDS, scenarios as allScenarios } from './scenarios.js';
import { startGatehouse, type Store, type Target } from './targets.js';
import { benchServerEnv } from './goal-scenarios.js';

const SERVER_CORE = 0;
const LOAD_CORE = 1;

/** `DIR#A=1#B=2` → the checkout and the variables it runs with. */
function parseBuild(spec: string): { spec: string; checkout: string; env: Record<string, string> } {
  const [checkout = '', ...vars] = spec.split('#');
  const env = Object.fromEntries(vars.map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]));
  return { spec, checkout, env };
}

export async function runCompareBuilds(specs: readonly string[]): Promise<void> {
  if (specs.length < 2) throw new Error('usage: npm run bench -- --compare CHECKOUT[#VAR=value…] CHECKOUT…');
  const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
  const seconds = Number(process.env.BENCH_SECONDS ?? 4);
  const settle = Number(process.env.BENCH_SETTLE ?? SETTLE_SECONDS);
  const store = (process.env.BENCH_STORE ?? 'sqlite') as Store;
  const words = (process.env.BENCH_ONLY ?? 'client_credentials (opaque),introspection (opaque),userinfo').split(',');
  const scenarios = allScenarios.filter((s) => words.some((w) => s.name.includes(w.trim())));
  execFileSync('taskset', ['-cp', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
  const base = benchServerEnv();
  const builds: { spec: string; target: Target; fixtures: Fixtures }[] = [];
  try {
    for (const build of specs.map(parseBuild)) {
      const target = await startGatehouse(store, SERVER_CORE, { ...base, ...build.env }, build.checkout);
      builds.push({ spec: build.spec, target, fixtures: await prepareFixtures(target) });
    }
    const cpu = new Map<string, number[]>();
    // The main thread's share alone (the JavaScript): a sign-in's total is mostly argon2id on
    // libuv's threads, whose noise hides a change to the code around it.
    const mainCpu = new Map<string, number[]>();
    for (let round = 0; round < rounds; round += 1) {
      for (const scenario of scenarios) {
        for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
          const sample = await measure(build.target, (begins) => scenario.run(build.fixtures, seconds, begins, settle));
          const key = `${scenario.name}|${build.spec}`;
          if (round > 0) {
            cpu.set(key, [...(cpu.get(key) ?? []), sample.cpuMs * 1000]);
            mainCpu.set(key, [...(mainCpu.get(key) ?? []), sample.mainCpuMs * 1000]);
          }
          console.log(
            `  round ${round + 1}${round === 0 ? ' (warm-up)' : ''} ${scenario.name} ${build.spec}: ${(sample.cpuMs * 1000).toFixed(0)} µs (main thread ${(sample.mainCpuMs * 1000).toFixed(0)})`,
          );
        }
      }
    }
    // On a machine whose speed drifts between rounds, the ratio to the first build within each round
    // (they ran minutes apart at most) is steadier than either build's own median.
    console.log(
      `\n| Scenario | Build (${store}) | CPU µs / request, median | Against the first, median of rounds | Main thread µs, median | Against the first | Rounds |\n|---|---|---:|---:|---:|---:|---|`,
    );
    const againstFirst = (of: Map<string, number[]>, scenario: string, spec: string) => {
      const first = of.get(`${scenario}|${builds[0]?.spec}`) ?? [];
      const runs = of.get(`${scenario}|${spec}`) ?? [];
      return { runs, median: median(runs), ratio: median(runs.map((x, i) => x / (first[i] ?? Number.NaN))) };
    };
    for (const scenario of scenarios) {
      for (const { spec } of builds) {
        const total = againstFirst(cpu, scenario.name, spec);
        const main = againstFirst(mainCpu, scenario.name, spec);
        console.log(
          `| ${scenario.name} | ${spec} | ${total.median.toFixed(0)} | ${total.ratio.toFixed(2)}x | ${main.median.toFixed(0)} | ${main.ratio.toFixed(2)}x | ${total.runs.map((x) => x.toFixed(0)).join(' ')} |`,
        );
      }
    }
  } finally {
    for (const build of builds) await build.target.close().catch(() => undefined);
  }
}
