// One thread's CPU, sampled by the kernel while the thread runs (perf's cpu-clock event), and the
// samples sorted by the JavaScript that owned them. Used by bench/thread-profile.ts.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latestCodeMap, perfMapOf } from './latest-code-map.js';

/** Microseconds of the thread's CPU between two samples. */
export const SAMPLE_US = 250;

/** Who owns a frame of JavaScript, from the URL, line and column (from 0) and function name its name gives. */
export type FrameOwner = (url: string, line: number, column: number, name: string) => string;

const JS_FRAME = /^JS:[~^+*]?(.*?) ?(\S+):(\d+):(\d+)$/;
/** A frame in the kernel, as `perf script` names its code. */
const KERNEL = /\[kernel\.kallsyms\]\)?$/;
export const KERNEL_OWNER = '(the kernel: system calls, switches, interrupts)';
const GARBAGE_COLLECTION = /Heap::|Scaveng|MarkCompact|Sweeper|IncrementalMarking|ConcurrentMarking|GCTracer|MinorM/;

/** Names the code V8 made at an address (latest-code-map.ts). */
export type CodeNames = (address: bigint) => string | undefined;

/** Frames in code V8 made, which perf names from V8's map: named here from `codeNames` instead. */
const JIT_FRAME = /^\s*([0-9a-f]+) .* \(\/tmp\/perf-\d+\.map\)$/;

/** The symbol of one frame line of `perf script`: "ADDRESS SYMBOL+0xOFFSET (DSO)". */
function symbolOf(frameLine: string, codeNames: CodeNames): string {
  const jit = JIT_FRAME.exec(frameLine);
  if (jit) return codeNames(BigInt(`0x${jit[1]}`)) ?? '[unknown]';
  return frameLine
    .trim()
    .replace(/^[0-9a-f]+ /, '')
    .replace(/ \([^()]*\)$/, '')
    .replace(/\+0x[0-9a-f]+$/, '');
}

/**
 * Samples per owner from `perf script` output with call chains: a sample taken in the kernel goes
 * to the kernel; any other to the innermost JavaScript function on its stack (with the native code
 * it called), or, with no JavaScript on it, to the garbage collector or to native code.
 */
export function samplesByOwner(script: string, ownerOf: FrameOwner, codeNames: CodeNames): Map<string, number> {
  const owners = new Map<string, number>();
  for (const block of script.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((line) => line.startsWith('\t') || /^\s+[0-9a-f]+ /.test(line));
    const frames = lines.map((line) => symbolOf(line, codeNames));
    if (frames.length === 0) continue;
    // The kernel's own: which JavaScript frame a system call is charged to follows V8's inlining
    // (a socket write moved between Node's stream modules from server to server), so it gets a row of its own.
    let owner: string | undefined = KERNEL.test(lines[0] as string) ? KERNEL_OWNER : undefined;
    for (const frame of owner ? [] : frames) {
      const js = JS_FRAME.exec(frame);
      if (js) {
        owner = ownerOf(js[2] as string, Number(js[3]) - 1, Number(js[4]) - 1, js[1] as string);
        break;
      }
    }
    owner ??= frames.some((f) => GARBAGE_COLLECTION.test(f)) ? '(garbage collection)' : '(native, no JavaScript)';
    owners.set(owner, (owners.get(owner) ?? 0) + 1);
  }
  return owners;
}

/**
 * Starts sampling the main thread of process `pid` (started with `node --perf-basic-prof`; on
 * Linux the main thread's id is the process's); `stop()` ends it and returns its samples by owner.
 */
export async function recordMainThread(pid: number, ownerOf: FrameOwner) {
  const data = join(tmpdir(), `gatehouse-thread-${pid}-${Date.now()}.data`);
  const perf = spawn(
    'perf',
    ['record', '-q', '-e', 'cpu-clock', '-c', String(SAMPLE_US * 1000), '-g', '-t', String(pid), '-o', data],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve, reject) => {
    perf.once('error', (error) => reject(new Error(`perf did not start (${error.message}): install linux-perf`)));
    perf.once('exit', resolve);
  });
  // perf attaches in a few milliseconds; a sample missed here is one of thousands.
  await Promise.race([exited, new Promise((r) => setTimeout(r, 300))]);
  if (perf.exitCode !== null) throw new Error(`perf record exited (${perf.exitCode}): is linux-perf installed?`);
  return {
    async stop(): Promise<Map<string, number>> {
      perf.kill('SIGINT');
      await exited;
      try {
        const map = perfMapOf(pid);
        const code = latestCodeMap(existsSync(map) ? readFileSync(map, 'utf8') : '');
        const script = execFileSync('perf', ['script', '-i', data], {
          maxBuffer: 1 << 30,
          stdio: ['ignore', 'pipe', 'ignore'],
        }).toString();
        return samplesByOwner(script, ownerOf, code.nameAt);
      } finally {
        rmSync(data, { force: true });
      }
    },
  };
}
