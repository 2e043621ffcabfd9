// One measured run of a load against one server, shared by the main bench (bench/run.ts) and the
// ladder (bench/ladder.ts): the server's own CPU time from /proc around the load, and its peak RSS.
import type { Load, LoadBegins } from './scenarios.js';
import { mainThreadCpuOf, type Target } from './targets.js';

export interface Sample {
  rps: number;
  p50: number;
  p99: number;
  cpuMs: number;
  /** Of cpuMs, the main thread's (the JavaScript); the rest is libuv's threads (argon2id) and V8's helpers. */
  mainCpuMs: number;
  rss: number;
  failed: number;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * Runs `load` against one target, reading the server's CPU time from the moment the load begins
 * (after what it prepares: a refresh run's sign-ins are not charged to its refreshes) and
 * sampling its RSS throughout.
 */
export async function measure(target: Target, load: (begins: LoadBegins) => Promise<Load>): Promise<Sample> {
  let rss = target.rssMb();
  const sampler = setInterval(() => {
    rss = Math.max(rss, target.rssMb());
  }, 100);
  let cpuBefore: number | undefined;
  let mainBefore = 0;
  try {
    const result = await load(async () => {
      cpuBefore = target.cpuSeconds();
      mainBefore = mainThreadCpuOf(target.pid);
    });
    if (cpuBefore === undefined) throw new Error(`${target.name}: the load never said when it began`);
    const cpu = target.cpuSeconds() - cpuBefore;
    const main = mainThreadCpuOf(target.pid) - mainBefore;
    return {
      rps: result.ok / result.seconds,
      p50: result.p50,
      p99: result.p99,
      cpuMs: (cpu * 1000) / Math.max(1, result.ok),
      mainCpuMs: (main * 1000) / Math.max(1, result.ok),
      rss,
      failed: result.failed,
    };
  } finally {
    clearInterval(sampler);
  }
}
