// What one statement costs the main thread when it is sent as a sign-in sends its statements:
// one at a time, with the process otherwise idle between them, so the main thread sleeps on every
// round trip and wakes for its answer; and the same while argon2id hashes on the same core, as a
// sign-in burst's hashing does (bench/round-trip.ts prints both beside the statements in a loop).
// Three kinds of window of the same length, alternating round by round:
//   idle:      only what runs without the chain (the hashes' callbacks, when they run);
//   timers:    a chain of 1 ms timers, each waking the main thread once;
//   statement: the same chain, each timer followed by one statement awaited.
// Main-thread CPU = seconds × idle rate + wakes × timer cost (+ statements × statement cost), so a
// statement's own cost is what its window spent beyond the idle rate and its chain's timers.
import { setTimeout as sleep } from 'node:timers/promises';
import { median } from './measure.js';
import { mainThreadCpuOf } from './targets.js';
import { benchServerEnv } from './goal-scenarios.js';
import { createPasswordHasher } from '../src/accounts/password-hasher.js';

const WINDOW_MS = 3000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const HASHES_IN_FLIGHT = 4;

interface Window {
  readonly cpuUs: number;
  readonly seconds: number;
  readonly wakes: number;
}

/** The server's own hasher at the benches' cost, `HASHES_IN_FLIGHT` at once until stopped: a sign-in burst's hashing. */
function hashUntilStopped(): () => Promise<void> {
  const env = benchServerEnv();
  const hasher = createPasswordHasher({
    memoryKiB: Number(env.ARGON2_MEMORY_KIB),
    iterations: Number(env.ARGON2_ITERATIONS),
    parallelism: Number(env.ARGON2_PARALLELISM),
  });
  let stopped = false;
  const loops = Array.from({ length: HASHES_IN_FLIGHT }, async () => {
    while (!stopped) await hasher.hash('correct horse battery staple');
  });
  return async () => {
    stopped = true;
    await Promise.all(loops);
  };
}

async function measureWindow(step: (() => Promise<unknown>) | undefined, chained: boolean): Promise<Window> {
  const before = mainThreadCpuOf(process.pid);
  const began = performance.now();
  let wakes = 0;
  if (!chained) await sleep(WINDOW_MS);
  else
    while (performance.now() - began < WINDOW_MS) {
      await sleep(1);
      wakes += 1;
      if (step) await step();
    }
  return {
    cpuUs: (mainThreadCpuOf(process.pid) - before) * 1e6,
    seconds: (performance.now() - began) / 1000,
    wakes,
  };
}

/**
 * The main thread's µs per statement sent one at a time with sleeps between, and per timer wake,
 * medians over the rounds; with `hashing`, while argon2id hashes on libuv's threads of this process.
 */
export async function spacedStatementCost(select: () => Promise<unknown>, hashing: boolean) {
  const stop = hashing ? hashUntilStopped() : undefined;
  const perStatement: number[] = [];
  const perWake: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      const kinds = ['idle', 'timers', 'statement'] as const;
      const order = round % 2 === 0 ? kinds : [...kinds].reverse();
      const seen = {} as Record<(typeof kinds)[number], Window>;
      for (const kind of order)
        seen[kind] = await measureWindow(kind === 'statement' ? select : undefined, kind !== 'idle');
      const idleRate = seen.idle.cpuUs / seen.idle.seconds;
      const wake = (seen.timers.cpuUs - idleRate * seen.timers.seconds) / seen.timers.wakes;
      const { cpuUs, seconds, wakes } = seen.statement;
      perWake.push(wake);
      perStatement.push((cpuUs - idleRate * seconds) / wakes - wake);
    }
  } finally {
    await stop?.();
  }
  return { statementUs: median(perStatement), wakeUs: median(perWake) };
}
