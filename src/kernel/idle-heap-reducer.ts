import { performance } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { exposedGc } from './exposed-gc.js';
import type { Logger } from './logger.js';
import { setByOperator } from './set-by-operator.js';

const MIB = 1024 * 1024;

export interface IdleHeapReducerOptions {
  /** How often the event loop's load is looked at. */
  readonly intervalMs?: number;
  /** The share of an interval the loop may have been busy and still count as idle. */
  readonly idleBelow?: number;
  /** How long the loop must have been idle, interval after interval, before a collection. */
  readonly quietMs?: number;
  /** How far V8's committed heap must have grown since the last collection here to be worth one. */
  readonly growthBytes?: number;
}

type Collect = () => void;

/**
 * V8's "last resort" full collection: every generation, several passes, and the young generation
 * shrunk back to its smallest, its pages returned to the kernel. Reached through `gc()`
 * (`exposedGc`), so the server's own global never has one.
 *
 * V8 drops the bytecode of a function that has not run for six full collections
 * (`--bytecode-old-age`), and the optimized code built on it; a last-resort collection counts as
 * two of the six (measured with the age lowered). So code that missed the four full collections
 * before a quiet spell (a path the last burst did not take) was dropped by this one, and the first
 * requests after the spell parsed, compiled and optimized it again (docs/benchmarks.md, "quiet
 * servers keep their compiled code"). Bytecode flushing is off for the collection's length; V8's
 * own flushing by age, in the collections a working server makes, is left as it was.
 */
function memoryReducingCollection(): Collect {
  const flushingOffByOperator = setByOperator(/^--no[-_]flush[-_]bytecode$/);
  const gc = exposedGc();
  return () => {
    setFlagsFromString('--no-flush-bytecode');
    try {
      gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
    } finally {
      if (!flushingOffByOperator) setFlagsFromString('--flush-bytecode');
    }
  };
}

/**
 * Gives V8's heap back once the server has been quiet for a while. V8 grows its young generation
 * to 2 × 16 MB while the start-up's modules load and its old generation to several times the live
 * objects under a flood of requests, and an idle process never collects again, so both stay
 * resident (docs/benchmarks.md, "Memory"): about 20 MB after start, over 100 after a flood. Every
 * interval the event loop's utilisation is read (no work on the request path); once it has been
 * idle for `quietMs` and the heap has grown since the last collection made here, one
 * memory-reducing collection runs: a pause of about 50 ms, which a server with nothing to do can
 * afford and a busy one never pays. Not sooner: the young generation it shrinks grows back only
 * slowly under requests (most of what they allocate dies young), and until it has, requests cost
 * more CPU: 13 % for client_credentials and 23 % for refresh in 4 s rounds between 10 s pauses,
 * measured side by side with a collection after every 2 s of quiet. Returns the function that
 * stops it; the timer does not keep the process alive.
 */
export function startIdleHeapReducer(
  logger: Logger,
  { intervalMs = 5000, idleBelow = 0.02, quietMs = 30_000, growthBytes = 8 * MIB }: IdleHeapReducerOptions = {},
): () => void {
  const collect = memoryReducingCollection();
  let collectedAt = 0;
  let quietFor = 0;
  let last = performance.eventLoopUtilization();
  const tick = () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    quietFor = utilization < idleBelow ? quietFor + intervalMs : 0;
    const before = getHeapStatistics().total_heap_size;
    if (quietFor < quietMs || before < collectedAt + growthBytes) return;
    const started = performance.now();
    collect();
    collectedAt = getHeapStatistics().total_heap_size;
    logger.debug(
      {
        heapMb: Math.round(before / MIB),
        heapAfterMb: Math.round(collectedAt / MIB),
        pauseMs: Math.round(performance.now() - started),
      },
      'idle: gave the heap back',
    );
    // The collection's own time is not the next interval's load.
    last = performance.eventLoopUtilization();
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
