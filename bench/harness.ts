import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../src/config/load-config.js';
import { startServer } from '../src/server.js';
import { createLogger } from '../src/http/logger.js';
import { runCli } from '../src/cli/run-cli.js';

export type Store = 'sqlite' | 'postgresql';

export interface BenchServer {
  readonly config: Config;
  /** `gatehouse … --json` against this server's database. */
  cli<T>(...argv: string[]): Promise<T>;
  close(): Promise<void>;
}

const freePort = () => new Promise<number>((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});

/** A real Gatehouse on a fresh database of `store` (PostgreSQL: BENCH_POSTGRES_URL or the local one). */
export async function startBenchServer(store: Store, env: Record<string, string> = {}): Promise<BenchServer> {
  const pgBase = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const name = `gatehouse_bench_${process.pid}_${Date.now()}`;
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  let databaseUrl = `file:${join(dir, 'bench.db')}`;
  if (store === 'postgresql') {
    const admin = new pg.Client({ connectionString: pgBase });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(pgBase);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  const port = String(await freePort());
  const vars = { DATABASE_URL: databaseUrl, PORT: port, HOST: '127.0.0.1', ISSUER: `http://127.0.0.1:${port}`, LOG_LEVEL: 'silent', ...env };
  const config = loadConfig(vars);
  const running = await startServer(config, createLogger('silent'));
  return {
    config,
    async cli<T>(...argv: string[]) {
      let out = '';
      const code = await runCli([...argv, '--json'], { stdout: (t) => { out += t; }, stderr: (t) => console.error(t), env: vars });
      if (code !== 0) throw new Error(`gatehouse ${argv.join(' ')}: ${out}`);
      return JSON.parse(out) as T;
    },
    async close() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
      if (store === 'postgresql') {
        const admin = new pg.Client({ connectionString: pgBase });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    },
  };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Runs `task` `total` times with `concurrency` in flight; returns requests per second. */
export async function throughput(total: number, concurrency: number, task: () => Promise<void>): Promise<number> {
  let started = 0;
  const begin = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (started < total) {
      started += 1;
      await task();
    }
  }));
  return total / ((performance.now() - begin) / 1000);
}
