import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';

/**
 * argon2 hashes on libuv's worker threads, which compete with the event loop for the CPU: on a
 * busy core, a flood of sign-ins would slow every other request down to the hashes' pace. Linux
 * keeps a nice value per thread, so the workers get a lower priority than the event loop: token,
 * introspection and page requests are served first, and the hashes take the CPU that is left
 * (CFS weights at nice 10 against 0 are about 1 to 10). Nothing is refused or reordered; on an
 * idle machine the hashes run exactly as fast.
 *
 * Resolves to the number of worker threads changed: 0 where there is no /proc (other systems) or
 * nothing to change (`nice` 0).
 */
export async function lowerHashThreadPriority(nice: number): Promise<number> {
  if (nice === 0) return 0;
  // libuv starts its pool at the first task it is given: one small read makes sure it exists.
  await readFile('/proc/self/stat').catch(() => undefined);
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let changed = 0;
  for (const tid of tasks) {
    try {
      if (readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() !== 'libuv-worker') continue;
      // On Linux the "process" of setpriority(2) may be a thread id: only that thread changes.
      setPriority(Number(tid), nice);
      changed += 1;
    } catch {
      // A thread that ended meanwhile, or a system that refuses: priorities are an optimisation.
    }
  }
  return changed;
}
