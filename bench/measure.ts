// How a bench run measures one load against one server: the server's own CPU time (from /proc)
// around the load, divided by the requests that succeeded, and its peak resident memory.
import type { Load } from './scenarios.js';
import type { Target } from './targets.js';

export interface Sample {
  rps: number;
  p50: number;
  p99: number;
  cpuMs: number;
  rss: number;
  failed: number;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Runs `load` against one target, reading the server's CPU time and sampling its RSS around it. */
export async function measure(target: Target, load: () => Promise<Load>): Promise<Sample> {
  let rss = target.rssMb();
  const sampler = setInterval(() => {
    rss = Math.max(rss, target.rssMb());
  }, 100);
  const cpuBefore = target.cpuSeconds();
  try {
    const result = await load();
    const cpu = target.cpuSeconds() - cpuBefore;
    return {
      rps: result.ok / result.seconds,
      p50: result.p50,
      p99: result.p99,
      cpuMs: (cpu * 1000) / Math.max(1, result.ok),
      rss,
      failed: result.failed,
    };
  } finally {
    clearInterval(sampler);
  }
}
