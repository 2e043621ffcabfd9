// The servers a bench run compares: each a child process pinned to one core with taskset, whose
// CPU time and resident memory are read from /proc, so only the server's own cost is counted.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runCli } from '../src/cli/run-cli.js';

/** `rungN`: rung N of the ladder (bench/ladder-provider.ts), the bare provider with N − 1 of our layers. */
export type TargetName = 'bare' | 'sqlite' | 'postgresql' | `rung${number}`;

/** Targets that serve bench/bare-provider.ts's static client and user (the ladder's rungs 1–6 too). */
export const servesBareFixtures = (name: TargetName) => name === 'bare' || name.startsWith('rung');

export interface Target {
  readonly name: TargetName;
  readonly issuer: string;
  readonly pid: number;
  /** Milliseconds from spawn to the first ready answer. */
  readonly startMs: number;
  /** Process CPU seconds (user + system) so far. */
  cpuSeconds(): number;
  rssMb(): number;
  /** Gatehouse only: `gatehouse … --json` against this server's database. */
  cli<T>(...argv: string[]): Promise<T>;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

const root = new URL('..', import.meta.url).pathname;
const TICKS = 100; // USER_HZ on Linux

export const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** User + system CPU seconds from a /proc stat file (a process's, or one of its threads'). */
const cpuFromStat = (path: string) => {
  // Fields after the command name (which is in parentheses): utime and stime are the 12th and 13th.
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
};
const cpuOf = (pid: number) => cpuFromStat(`/proc/${pid}/stat`);
/** CPU seconds of the process's main thread alone (the JavaScript; not libuv's hashing threads, nor V8's helpers). */
export const mainThreadCpuOf = (pid: number) => cpuFromStat(`/proc/${pid}/task/${pid}/stat`);
const rssOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function waitReady(url: string, child: ChildProcess, started: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - started;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Spawns `argv` pinned to `core`, waits for `readyPath` to answer 200. */
export async function spawnPinned(
  core: number,
  argv: string[],
  env: Record<string, string>,
  port: number,
  readyPath: string,
  cwd = root,
) {
  const started = performance.now();
  const child = spawn('taskset', ['-c', String(core), ...argv], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const startMs = await waitReady(`http://127.0.0.1:${port}${readyPath}`, child, started);
  const pid = child.pid as number; // taskset execs the command: same pid
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { pid, startMs, close };
}

export async function startBare(core: number, env: Record<string, string>): Promise<Target> {
  const port = await freePort();
  const vars = { ...env, PORT: String(port) };
  const proc = await spawnPinned(
    core,
    [process.execPath, '--import', 'tsx', 'bench/bare-provider.ts'],
    vars,
    port,
    '/.well-known/openid-configuration',
  );
  return {
    name: 'bare',
    issuer: `http://127.0.0.1:${port}`,
    pid: proc.pid,
    startMs: proc.startMs,
    env: vars,
    cpuSeconds: () => cpuOf(proc.pid),
    rssMb: () => rssOf(proc.pid),
    cli: () => Promise.reject(new Error('the bare provider has no CLI')),
    close: proc.close,
  };
}

export type Store = 'sqlite' | 'postgresql';

/**
 * A fresh, empty database of `store` (a SQLite file in `dir`, or a new database on
 * BENCH_POSTGRES_URL's server) and how to drop it.
 */
async function freshDatabase(store: Store, dir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (store === 'sqlite') return { url: `file:${join(dir, 'bench.db')}`, drop: async () => undefined };
  const pgBase = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const dbName = `gatehouse_bench_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: pgBase });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(pgBase);
  url.pathname = `/${dbName}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: pgBase });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/**
 * What `gatehouse serve` runs under on Node 22 (bin/gatehouse.js restarts itself with them): the
 * ladder's rungs 1 to 6 run under the same, so that no step of it is a difference of Node settings.
 */
const SERVE_NODE_FLAGS = process.versions.node.startsWith('22.') ? ['--experimental-async-context-frame'] : [];
const SERVE_MALLOC = {
  MALLOC_ARENA_MAX: '1',
  MALLOC_MMAP_THRESHOLD_: String(32 * 1024 * 1024),
  MALLOC_TRIM_THRESHOLD_: String(64 * 1024 * 1024),
};

/**
 * Rung `rung` of the ladder (bench/ladder-provider.ts); rungs 2–6 store in a fresh database of
 * `store`. Rung 7 is startGatehouse.
 */
export async function startLadderRung(
  rung: number,
  store: Store,
  core: number,
  env: Record<string, string>,
  { serveMalloc = true } = {},
): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-ladder-'));
  const database = rung > 1 ? await freshDatabase(store, dir) : undefined;
  const port = await freePort();
  const vars: Record<string, string> = {
    ...(serveMalloc ? SERVE_MALLOC : {}),
    ...env,
    PORT: String(port),
    LADDER_RUNG: String(rung),
    ...(database ? { LADDER_DATABASE_URL: database.url } : {}),
  };
  const proc = await spawnPinned(
    core,
    // Rung 1 is the bare provider's own program, as the main bench runs it but under serve's settings.
    [
      process.execPath,
      ...SERVE_NODE_FLAGS,
      '--import',
      'tsx',
      rung === 1 ? 'bench/bare-provider.ts' : 'bench/ladder-provider.ts',
    ],
    vars,
    port,
    '/.well-known/openid-configuration',
  );
  return {
    name: `rung${rung}`,
    issuer: `http://127.0.0.1:${port}`,
    pid: proc.pid,
    startMs: proc.startMs,
    env: vars,
    cpuSeconds: () => cpuOf(proc.pid),
    rssMb: () => rssOf(proc.pid),
    cli: () => Promise.reject(new Error('a ladder rung has no CLI')),
    async close() {
      await proc.close();
      rmSync(dir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}

/** Gatehouse as `gatehouse serve` on a fresh database of `store`. */
export async function startGatehouse(
  store: Store,
  core: number,
  env: Record<string, string>,
  checkout = root,
): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const database = await freshDatabase(store, dir);
  const databaseUrl = database.url;
  const port = await freePort();
  const vars: Record<string, string> = {
    ...env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    ISSUER: `http://127.0.0.1:${port}`,
    GATEHOUSE_KEK_FILE: join(dir, 'gatehouse.kek'),
  };
  const proc = await spawnPinned(
    core,
    [process.execPath, 'bin/gatehouse.js', 'serve'],
    vars,
    port,
    '/readyz',
    checkout,
  );
  return {
    name: store,
    issuer: vars.ISSUER as string,
    pid: proc.pid,
    startMs: proc.startMs,
    env: vars,
    cpuSeconds: () => cpuOf(proc.pid),
    rssMb: () => rssOf(proc.pid),
    async cli<T>(...argv: string[]) {
      let out = '';
      const code = await runCli([...argv, '--json'], {
        stdout: (t) => {
          out += t;
        },
        stderr: (t) => console.error(t),
        env: vars,
      });
      if (code !== 0) throw new Error(`gatehouse ${argv.join(' ')}: ${out}`);
      return JSON.parse(out) as T;
    },
    async close() {
      await proc.close();
      rmSync(dir, { recursive: true, force: true });
      await database.drop();
    },
  };
}
