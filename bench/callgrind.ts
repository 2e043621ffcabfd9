// Instructions instead of seconds: `npm run bench -- --ladder --instructions` runs every server
// under valgrind's callgrind and counts the user-space instructions each request costs. On a
// shared virtual machine CPU time per request moves by a factor of two between rounds (the same
// bare server: 164 to 505 µs); an instruction count moves only with what the program does, so
// the ladder's small steps can be read. What it leaves out: the kernel's work (system calls,
// socket and file writes) and how fast each instruction runs (cache misses, the JIT's code
// quality is in it only as instruction counts).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Load, LoadBegins } from './scenarios.js';
import type { Target } from './targets.js';

const run = promisify(execFile);

/** Where callgrind writes its dumps, one directory per ladder run. */
export interface Callgrind {
  readonly dumps: string;
  /** The command line that runs `argv` under callgrind. */
  wrap(argv: readonly string[]): string[];
  /** Counts the instructions of `target` from the moment the load begins to its end. */
  count(target: Target, load: (begins: LoadBegins) => Promise<Load>): Promise<{ load: Load; instructions: number }>;
  close(): void;
}

export function createCallgrind(): Callgrind {
  const dumps = mkdtempSync(join(tmpdir(), 'gatehouse-callgrind-'));
  // callgrind_control talks to the server through valgrind's gdbserver (vgdb), which is on by
  // default. Both ends name their pipes after $USER and $HOST, and Gatehouse's HOST is the address
  // it listens on: the control must see the server's.
  const control = (flag: '-z' | '-d' | '--instr=on' | '--instr=off', target: Target) => {
    const env = { ...process.env };
    if (target.env.HOST === undefined) delete env.HOST;
    else env.HOST = target.env.HOST;
    return run('callgrind_control', [flag, String(target.pid)], { env });
  };
  /** The instruction total of `pid`'s newest dump (callgrind numbers them callgrind.PID.1, .2, …). */
  const newestTotal = (pid: number) => {
    const prefix = `callgrind.${pid}.`;
    const newest = readdirSync(dumps)
      .filter((name) => name.startsWith(prefix))
      .map((name) => Number(name.slice(prefix.length)))
      .sort((a, b) => b - a)[0];
    if (newest === undefined) throw new Error(`callgrind wrote no dump for ${pid} in ${dumps}`);
    const totals = /^totals:\s+(\d+)/m.exec(readFileSync(join(dumps, `${prefix}${newest}`), 'utf8'));
    if (!totals) throw new Error(`callgrind's dump ${prefix}${newest} has no totals line`);
    return Number(totals[1]);
  };
  return {
    dumps,
    wrap: (argv) => [
      'valgrind',
      '-q',
      '--tool=callgrind',
      `--callgrind-out-file=${join(dumps, 'callgrind.%p')}`,
      ...argv,
    ],
    async count(target, load) {
      let zeroed = false;
      const result = await load(async () => {
        await control('-z', target);
        zeroed = true;
      });
      if (!zeroed) throw new Error(`${target.name}: the load never said when it began`);
      await control('-d', target);
      return { load: result, instructions: newestTotal(target.pid) };
    },
    close: () => rmSync(dumps, { recursive: true, force: true }),
  };
}
