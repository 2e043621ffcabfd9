import { Writable } from 'node:stream';
import { getHeapCodeStatistics, getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInThisContext } from 'node:vm';
import { pino } from 'pino';
import { exposedGc } from '../../src/kernel/exposed-gc.js';
import { startIdleHeapReducer } from '../../src/kernel/idle-heap-reducer.js';
import { eventually } from '../support/eventually.js';

const MIB = 1024 * 1024;
const INTERVAL_MS = 200;
// Idle, for these tests, is a loop busy less than a quarter of the time: on a loaded machine even
// the test's own polling can take a few milliseconds of wall time, and busy is busy all the time.
const IDLE_BELOW = 0.25;
const youngGeneration = () =>
  getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? Number.NaN;

interface Collection {
  heapMb: number;
  heapAfterMb: number;
  pauseMs: number;
}

let collections: Collection[];
let stop: (() => void) | undefined;
const logger = () =>
  pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        const line = JSON.parse(chunk.toString()) as Collection & { msg: string };
        if (line.msg === 'idle: gave the heap back') collections.push(line);
        done();
      },
    }),
  );

/** Objects that live long enough to reach the old generation, then are dropped. */
function growTheHeap(mb: number) {
  let kept: number[][] = [];
  for (let i = 0; i < mb * 16; i += 1) kept.push(Array.from({ length: 8192 }, (_, j) => j));
  const size = kept.length;
  kept = [];
  return size;
}

const bytecode = () => getHeapCodeStatistics().bytecode_and_metadata_size;

/** `count` functions of our own, in one script, each run once so that V8 has compiled it to bytecode. */
function compileFunctions(count: number) {
  const body = (i: number) => `let y = x + ${i};${` y = (y * 31 + ${i}) % 1000003;`.repeat(40)} return y;`;
  const source = Array.from({ length: count }, (_, i) => `function f${i}(x) { ${body(i)} }`).join(',\n');
  const functions = runInThisContext(`[${source}]`) as ((x: number) => number)[];
  for (const f of functions) f(1);
  return functions;
}

/** Keeps the event loop busy for `ms`, yielding between slices as a loaded server does. */
async function busyFor(ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const slice = Date.now() + 20;
    while (Date.now() < slice) growTheHeap(0.1);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A reducer on a short interval, logging to `collections`. */
const start = ({ quietIntervals, growthMb = 1 }: { quietIntervals: number; growthMb?: number }) =>
  startIdleHeapReducer(logger(), {
    intervalMs: INTERVAL_MS,
    quietMs: quietIntervals * INTERVAL_MS,
    idleBelow: IDLE_BELOW,
    growthBytes: growthMb * MIB,
  });

/** What a test keeps alive until it ends: functions whose code it measures, not their garbage. */
const held: unknown[] = [];

beforeEach(() => {
  collections = [];
});
afterEach(() => {
  stop?.();
  held.length = 0;
});

describe('startIdleHeapReducer', () => {
  it('gives the heap back once the event loop goes quiet, the young generation too', async () => {
    growTheHeap(48);
    const before = getHeapStatistics().total_heap_size;
    // Survivors made V8 grow the young generation to its largest, and only a collection made to
    // reduce memory shrinks it again (an ordinary full one leaves it).
    expect(youngGeneration()).toBeGreaterThanOrEqual(16 * MIB);
    stop = start({ quietIntervals: 2 });
    await eventually(async () => collections.length === 1, 15_000);
    expect(getHeapStatistics().total_heap_size).toBeLessThan(before - 16 * MIB);
    expect(youngGeneration()).toBeLessThanOrEqual(2 * MIB);
    const [collection] = collections;
    expect(collection?.heapAfterMb).toBeLessThan(collection?.heapMb ?? 0);
  });

  it('keeps the code compiled so far: a quiet spell does not make the next requests compile it again', async () => {
    // V8 drops the bytecode of a function that has not run for six full collections (its default
    // age), and a last-resort collection counts as two of them: a server's code that missed the
    // four collections before a quiet spell was dropped by the reducer's. With the age lowered to
    // 2, code compiled just now stands for it.
    setFlagsFromString('--bytecode-old-age=2');
    try {
      // First what V8 would drop anyway: the code of modules this worker has dropped (earlier test
      // files'), and its code that has not run for a while, which would otherwise count here.
      exposedGc()({ type: 'major', execution: 'sync', flavor: 'last-resort' });
      const before = bytecode();
      held.push(...compileFunctions(6000));
      const ours = bytecode() - before;
      expect(ours).toBeGreaterThan(2 * MIB);
      stop = start({ quietIntervals: 2 });
      await eventually(async () => collections.length === 1, 15_000);
      expect(before + ours - bytecode()).toBeLessThan(ours * 0.25);
    } finally {
      // V8's default.
      setFlagsFromString('--bytecode-old-age=6');
    }
  });

  it('leaves a busy event loop alone, and collects once it has been quiet for a while', async () => {
    stop = start({ quietIntervals: 2 });
    await busyFor(10 * INTERVAL_MS);
    expect(collections).toHaveLength(0);
    await eventually(async () => collections.length === 1, 15_000);
  });

  it('waits out a lull: short pauses between bursts of work are not quiet', async () => {
    stop = start({ quietIntervals: 3 });
    for (let burst = 0; burst < 8; burst += 1) {
      await busyFor(INTERVAL_MS);
      await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    }
    expect(collections).toHaveLength(0);
    await eventually(async () => collections.length === 1, 15_000);
  });

  it('does not collect again while the heap has not grown', async () => {
    growTheHeap(16);
    stop = start({ quietIntervals: 2, growthMb: 8 });
    await eventually(async () => collections.length === 1, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 10 * INTERVAL_MS));
    expect(collections).toHaveLength(1);
    growTheHeap(48);
    await eventually(async () => collections.length === 2, 15_000);
  });

  it('leaves the global object without a gc function', () => {
    stop = startIdleHeapReducer(logger(), { intervalMs: INTERVAL_MS });
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
