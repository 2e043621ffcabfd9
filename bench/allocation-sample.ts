// What one measured run allocates per request, read by bench/allocation-probe.mjs inside the
// server (`npm run bench -- --ladder --allocations`).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Load, LoadBegins } from './scenarios.js';
import type { Target } from './targets.js';

const PROBE = new URL('./allocation-probe.mjs', import.meta.url).pathname;

export interface AllocationSample {
  /** KiB allocated per request answered as expected (collected objects included). */
  readonly kib: number;
  /** Promises created per such request. */
  readonly promises: number;
}

/** The environment that loads the probe into a server, writing into `dir`. */
export const allocationProbeEnv = (dir: string): Record<string, string> => ({
  NODE_OPTIONS: `--import ${PROBE}`,
  ALLOCATION_PROBE_DIR: dir,
});

/**
 * Runs `load` against `target` with the probe on. The probe starts when the load says it begins
 * (after a pause for the probe to start) and stops after it, so its window holds every request of
 * the load and nothing else but the server's idle timers.
 */
export async function allocationsDuring(
  target: Target,
  dir: string,
  load: (begins: LoadBegins) => Promise<Load>,
): Promise<AllocationSample> {
  const file = `${dir}/${target.pid}.json`;
  rmSync(file, { force: true });
  // From when the load begins: what a scenario prepares (a refresh run's sign-ins) is not counted.
  const { ok } = await load(async () => {
    process.kill(target.pid, 'SIGUSR2');
    await sleep(300);
  });
  process.kill(target.pid, 'SIGUSR2');
  for (let waited = 0; !existsSync(file); waited += 100) {
    if (waited > 30_000) throw new Error(`${target.name}: the allocation probe wrote nothing (is it loaded?)`);
    await sleep(100);
  }
  const { promises, bytes } = JSON.parse(readFileSync(file, 'utf8')) as { promises: number; bytes: number };
  rmSync(file, { force: true });
  if (ok === 0) throw new Error(`${target.name}: no request succeeded while allocations were counted`);
  return { kib: bytes / ok / 1024, promises: promises / ok };
}
