// How the ladder and a comparison of builds read one load's cost per request: CPU time from /proc
// with every server pinned to one core (timed), or user-space instructions under callgrind
// (counted, `--instructions`: bench/callgrind.ts).
import { createCallgrind } from './callgrind.js';
import { measure } from './measure.js';
import type { Load, LoadBegins } from './scenarios.js';
import type { Placement, Target } from './targets.js';

/** One measured load: its cost per request answered 2xx, its failures and its rate. */
export interface Step {
  perRequest: number;
  failed: number;
  rps: number;
}

export interface Meter {
  readonly counted: boolean;
  /** Where the servers run: `serverCore`, or under callgrind. */
  readonly placement: Placement;
  /** What perRequest counts: CPU µs, or thousands of instructions. */
  readonly unit: string;
  take(target: Target, load: (begins: LoadBegins) => Promise<Load>): Promise<Step>;
  close(): void;
}

export function createMeter(counted: boolean, serverCore: number): Meter {
  if (!counted)
    return {
      counted,
      placement: serverCore,
      unit: 'µs CPU',
      async take(target, load) {
        const sample = await measure(target, load);
        return { perRequest: sample.cpuMs * 1000, failed: sample.failed, rps: sample.rps };
      },
      close: () => undefined,
    };
  const callgrind = createCallgrind();
  return {
    counted,
    placement: callgrind,
    unit: 'k instructions',
    async take(target, load) {
      const { load: done, instructions } = await callgrind.count(target, load);
      return {
        perRequest: instructions / 1000 / Math.max(1, done.ok),
        failed: done.failed,
        rps: done.ok / done.seconds,
      };
    },
    close: () => callgrind.close(),
  };
}
