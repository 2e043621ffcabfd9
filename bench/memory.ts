// `npm run bench -- --memory`: Gatehouse's resident memory through a day's shapes of work, and what
// each costs in CPU. One `gatehouse serve` on a fresh SQLite file, pinned to core 0 (the load on
// core 1): RSS after start, after the bench's setup (APIs, client, user), after a burst of
// sign-ins (argon2id, 8 at a time) and after a client_credentials flood, with the server's CPU per
// sign-in and per token request read from /proc. Each point is read after a short pause, so it is
// what the process keeps, not what a request holds for a moment; after the setup and after the
// flood it is read again once the server has been quiet for a while (IDLE_MS), as a server between
// bursts of work is (its idle heap reducer, src/kernel/idle-heap-reducer.ts, has then run).
//
// MEMORY_RUNS (1) repeats it on fresh servers; MEMORY_SIGN_INS (32) and MEMORY_SECONDS (8) size
// the loads; MEMORY_CHECKOUT runs the server of another checkout (built), for a before and after. Any SERVER_X=value in the environment is passed to the server as X=value (for
// example SERVER_MALLOC_ARENA_MAX=2 or SERVER_NODE_OPTIONS=--max-semi-space-size=4), so settings
// can be compared without changing the bench's own process.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { OPAQUE_API } from './bare-provider.js';
import { prepareFixtures } from './fixtures.js';
import { startGatehouse, type Target } from './targets.js';
import { benchServerEnv } from './goal-scenarios.js';

const SERVER_CORE = 0;
const LOAD_CORE = 1;
const SIGN_INS = Number(process.env.MEMORY_SIGN_INS ?? 32);
const AT_ONCE = 8;
const SECONDS = Number(process.env.MEMORY_SECONDS ?? 8);
const RUNS = Number(process.env.MEMORY_RUNS ?? 1);
const SETTLE_MS = 1500;
/** Long enough for the idle heap reducer (30 s of quiet, looked at every 5 s) and the checkpoint worker (gone after 10 s). */
const IDLE_MS = 40_000;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** VmRSS split as the kernel counts it: anonymous memory, file pages, shared memory (MB). */
function rssParts(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}
const show = (label: string, target: Target) => {
  const { rss, anon, file } = rssParts(target.pid);
  console.log(
    `  ${label.padEnd(34)} RSS ${rss.toFixed(0).padStart(4)} MB  (anonymous ${anon.toFixed(0)}, file ${file.toFixed(0)})`,
  );
  return rss;
};

async function oneRun(env: Record<string, string>) {
  const target = await startGatehouse('sqlite', SERVER_CORE, env, process.env.MEMORY_CHECKOUT);
  try {
    await pause(SETTLE_MS);
    const afterStart = show('after start', target);
    const fx = await prepareFixtures(target);
    // One person per concurrent sign-in: one account signing in 8 times at once would be throttled.
    const people = Array.from({ length: AT_ONCE }, (_, i) => ({
      email: `memory-${i}@example.com`,
      password: 'correct horse battery staple',
    }));
    for (const p of people) await target.cli('user', 'add', '--email', p.email, '--password', p.password);
    await pause(SETTLE_MS);
    const afterSetup = show('after setup', target);
    await pause(IDLE_MS);
    const idleAfterSetup = show(`after setup, quiet for ${(SETTLE_MS + IDLE_MS) / 1000} s`, target);

    let cpu = target.cpuSeconds();
    let next = 0;
    let failed = 0;
    await Promise.all(
      people.map(async (person) => {
        while (next < SIGN_INS) {
          next += 1;
          await fx.signIn({}, person).catch((error: unknown) => {
            if (failed === 0) console.error(`  a sign-in failed: ${String(error)}`);
            failed += 1;
          });
        }
      }),
    );
    const signInMs = ((target.cpuSeconds() - cpu) * 1000) / Math.max(1, SIGN_INS - failed);
    await pause(SETTLE_MS);
    const afterSignIns = show(`after ${SIGN_INS} sign-ins, ${AT_ONCE} at a time`, target);

    cpu = target.cpuSeconds();
    const result = await autocannon({
      url: target.issuer,
      duration: SECONDS,
      connections: 16,
      requests: [
        {
          method: 'POST',
          path: '/token',
          headers: { authorization: fx.app, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            resource: OPAQUE_API,
            scope: 'read',
          }).toString(),
        },
      ],
    });
    const tokenMs = ((target.cpuSeconds() - cpu) * 1000) / Math.max(1, result['2xx']);
    await pause(SETTLE_MS);
    const afterFlood = show(`after ${SECONDS} s of client_credentials`, target);
    await pause(IDLE_MS);
    const idleAfterFlood = show(`  then quiet for ${(SETTLE_MS + IDLE_MS) / 1000} s`, target);
    console.log(
      `  CPU ${signInMs.toFixed(1)} ms per sign-in${failed ? ` (${failed} failed)` : ''}, ${tokenMs.toFixed(3)} ms per token request (${(result['2xx'] / result.duration).toFixed(0)}/s)`,
    );
    return { afterStart, afterSetup, idleAfterSetup, afterSignIns, afterFlood, idleAfterFlood, signInMs, tokenMs };
  } finally {
    await target.close();
  }
}

export async function runMemoryBench() {
  execFileSync('taskset', ['-cp', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
  const env = benchServerEnv();
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('SERVER_') && value !== undefined) env[name.slice('SERVER_'.length)] = value;
  }
  const extra = Object.keys(env).filter((k) => !k.startsWith('ARGON2_') && k !== 'LOG_LEVEL');
  console.log(`memory: ${RUNS} run(s); server settings: ${extra.map((k) => `${k}=${env[k]}`).join(' ') || 'defaults'}`);
  const runs: Awaited<ReturnType<typeof oneRun>>[] = [];
  for (let i = 0; i < RUNS; i += 1) runs.push(await oneRun(env));
  if (RUNS > 1) {
    // Ranges, not one figure: on a shared machine the spread is part of the result.
    const range = (k: keyof (typeof runs)[number], digits: number) => {
      const xs = runs.map((r) => r[k]);
      return `${Math.min(...xs).toFixed(digits)} to ${Math.max(...xs).toFixed(digits)}`;
    };
    console.log(
      `over ${RUNS} runs: start ${range('afterStart', 0)}, setup ${range('afterSetup', 0)} (quiet ${range('idleAfterSetup', 0)}), sign-ins ${range('afterSignIns', 0)}, flood ${range('afterFlood', 0)} (quiet ${range('idleAfterFlood', 0)}) MB; ${range('signInMs', 1)} ms per sign-in, ${range('tokenMs', 3)} ms per token request`,
    );
  }
}
