// `npm run bench -- --thread-profile [--postgresql] [--sign-in]`: where the main thread of bare
// oidc-provider (rung 1), of durable storage alone (rung 2) and of Gatehouse spends its CPU, per
// request (or sign-in), side by side, scenario by scenario of issue 25's goals. Needs perf
// (Debian's linux-perf).
//
// The main thread is sampled by the kernel, and only while it runs (perf's cpu-clock event on that
// one thread), every 250 µs of its CPU: on a core it shares with argon2id's threads, `node
// --cpu-prof`, which samples at intervals of wall time, charged a function for time its thread
// spent waiting for the core, and ranked storage alone busier than Gatehouse
// (docs/benchmarks.md). A sample taken in the kernel gets a row of its own; any other goes to the
// innermost JavaScript on its stack, traced through the bundle's source maps to its package or
// source file (bench/code-owner.ts), with the native code that JavaScript called. V8 names its code
// through `--perf-basic-prof` (bench/latest-code-map.ts reads the names).
// Prints the table; writes nothing. BENCH_SECONDS (15) of each scenario sampled per server, after
// BENCH_WARMUP (5) of it and BENCH_SETTLE (2) not counted; BENCH_ONLY as for the ladder; BENCH_TOP
// (20) rows per table; BENCH_BY=function names each owner's functions apart.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { codeOwner } from './code-owner.js';
import { prepareFixtures, type Fixtures } from './fixtures.js';
import { benchServerEnv, costUnit, goalRunSettings, goalScenarios } from './goal-scenarios.js';
import { perfMapOf } from './latest-code-map.js';
import { SAMPLE_US, recordMainThread, type FrameOwner } from './thread-samples.js';
import { startGatehouse, startLadderRung, type Target } from './targets.js';

const SERVER_CORE = 0;
const LOAD_CORE = 1;
const ROLES = ['bare', 'storage alone', 'Gatehouse'] as const;
type Role = (typeof ROLES)[number];

export async function runThreadProfileBench(): Promise<void> {
  const { seconds, warmup, settle, store, signIns } = goalRunSettings({ seconds: 15, warmup: 5, settle: 2 });
  const top = Number(process.env.BENCH_TOP ?? 20);
  const unit = costUnit(signIns);
  execFileSync('taskset', ['-cp', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
  const env = { ...benchServerEnv(), NODE_OPTIONS: '--perf-basic-prof' };
  // As the goals run: for sign-ins, rungs 1 and 2 hash with glibc's defaults.
  const rungOptions = { serveMalloc: !signIns };
  const servers = new Map<Role, Target>();
  try {
    servers.set('bare', await startLadderRung(1, store, SERVER_CORE, env, rungOptions));
    servers.set('storage alone', await startLadderRung(2, store, SERVER_CORE, env, rungOptions));
    servers.set('Gatehouse', await startGatehouse(store, SERVER_CORE, env));
    const ownerOf: FrameOwner =
      process.env.BENCH_BY === 'function'
        ? (url, line, column, name) => `${codeOwner(url, line, column)} ${name || '(anonymous)'}`
        : codeOwner;
    const fixtures = new Map<Role, Fixtures>();
    for (const [role, target] of servers) fixtures.set(role, await prepareFixtures(target));
    console.log(
      `Thread profile (${store}), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: the main thread's CPU ${unit.name} per ${signIns ? 'sign-in' : 'request'}, by the JavaScript that owned it; ${seconds} s sampled per server after ${warmup} s of warm-up and ${settle} s not counted, servers pinned to core ${SERVER_CORE}, the load on core ${LOAD_CORE}.`,
    );
    for (const scenario of goalScenarios(signIns)) {
      const perRequest = new Map<Role, Map<string, number>>();
      for (const [role, target] of servers) {
        const fx = fixtures.get(role) as Fixtures;
        await scenario.run(fx, warmup);
        let recording: Awaited<ReturnType<typeof recordMainThread>> | undefined;
        const load = await scenario.run(
          fx,
          seconds,
          async () => {
            recording = await recordMainThread(target.pid, ownerOf);
          },
          settle,
        );
        if (!recording) throw new Error(`${scenario.name} never said when its load began`);
        const samples = await recording.stop();
        const cost = (n: number) => (n * SAMPLE_US * unit.per) / 1000 / Math.max(1, load.ok);
        perRequest.set(role, new Map([...samples].map(([owner, n]) => [owner, cost(n)])));
      }
      printTable(scenario.name, perRequest, top, unit.digits + 2);
    }
  } finally {
    for (const target of servers.values()) {
      await target.close().catch(() => undefined);
      rmSync(perfMapOf(target.pid), { force: true });
    }
  }
}

/** The owners whose cost Gatehouse adds most to storage alone's, then the rest and the totals. */
function printTable(name: string, costs: Map<Role, Map<string, number>>, top: number, digits: number) {
  const of = (role: Role, owner: string) => costs.get(role)?.get(owner) ?? 0;
  const total = (role: Role) => [...(costs.get(role)?.values() ?? [])].reduce((a, b) => a + b, 0);
  const owners = [...new Set(ROLES.flatMap((role) => [...(costs.get(role)?.keys() ?? [])]))];
  const added = (owner: string) => of('Gatehouse', owner) - of('storage alone', owner);
  owners.sort((a, b) => added(b) - added(a));
  const shown = owners.slice(0, top);
  const row = (label: string, values: number[]) =>
    `| ${label} | ${values.map((v, i) => (i === values.length - 1 && v > 0 ? '+' : '') + v.toFixed(digits)).join(' | ')} |`;
  console.log(`\n${name}\n\n| Owner | ${ROLES.join(' | ')} | Gatehouse − storage alone |\n|---|---:|---:|---:|---:|`);
  for (const owner of shown) console.log(row(owner, [...ROLES.map((r) => of(r, owner)), added(owner)]));
  const rest = (role: Role) => total(role) - shown.reduce((sum, owner) => sum + of(role, owner), 0);
  console.log(
    row(`the other ${owners.length - shown.length}`, [...ROLES.map(rest), rest('Gatehouse') - rest('storage alone')]),
  );
  console.log(row('**the main thread**', [...ROLES.map(total), total('Gatehouse') - total('storage alone')]));
}
