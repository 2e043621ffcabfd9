// `npm run bench -- --round-trip`: what one statement costs the server's CPU, on each store, through
// the layer Gatehouse's hot statements use (src/db/prepared-statements.ts on Prisma's connection):
// a one-row select by a parameter, awaited one after another (as a sign-in's statements are: each
// waits for the one before) and four at a time (the sign-in bench's concurrency), in this process
// pinned to core 0 like the servers. The goals run counts Gatehouse's statements per request
// (bench/statement-counts.ts); this says what each costs. Then the same statement sent as a
// sign-in sends it, one at a time with the main thread asleep between (bench/spaced-round-trips.ts),
// on its own and while argon2id hashes on this core. Prints; writes nothing.
// BENCH_POSTGRES_URL as for the main bench; BENCH_STATEMENTS (10000) per measurement.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../src/db/create-prisma.js';
import { preparedRow } from '../src/db/prepared-statements.js';
import { mainThreadCpuOf } from './targets.js';
import { spacedStatementCost } from './spaced-round-trips.js';

const SERVER_CORE = 0;
const WARM_UP = 3000;

async function cpuPerStatement(select: (n: number) => Promise<unknown>, statements: number, inFlight: number) {
  for (let i = 0; i < WARM_UP; i += 1) await select(i);
  let sent = 0;
  const before = process.cpuUsage();
  const mainBefore = mainThreadCpuOf(process.pid);
  const began = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (sent < statements) await select((sent += 1));
    }),
  );
  const cpu = process.cpuUsage(before);
  return {
    cpuUs: (cpu.user + cpu.system) / statements,
    mainUs: ((mainThreadCpuOf(process.pid) - mainBefore) * 1e6) / statements,
    systemUs: cpu.system / statements,
    wallUs: ((performance.now() - began) * 1000) / statements,
  };
}

export async function runRoundTripBench(): Promise<void> {
  const statements = Number(process.env.BENCH_STATEMENTS ?? 10000);
  // Every thread of this process, and libuv's hashing threads started later, on the servers' core.
  execFileSync('taskset', ['-a', '-cp', String(SERVER_CORE), String(process.pid)], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-round-trip-'));
  const stores = {
    sqlite: `file:${join(dir, 'round-trip.db')}`,
    postgresql: process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  };
  console.log(`CPU per statement, ${statements} statements each, this process pinned to core ${SERVER_CORE}:`);
  try {
    for (const [store, url] of Object.entries(stores)) {
      const { driver, close } = createDatabase(url);
      try {
        const select = preparedRow<{ n: number }>(driver, 'gatehouse_round_trip_probe', 'SELECT $1 AS "n"');
        for (const inFlight of [1, 4]) {
          const { cpuUs, mainUs, systemUs, wallUs } = await cpuPerStatement(select, statements, inFlight);
          console.log(
            `  ${store.padEnd(10)} ${inFlight} in flight: ${cpuUs.toFixed(1)} µs of CPU (${systemUs.toFixed(1)} of it in the kernel; the main thread ${mainUs.toFixed(0)}), ${wallUs.toFixed(0)} µs apart`,
          );
        }
        for (const hashing of [false, true]) {
          const { statementUs, wakeUs } = await spacedStatementCost(() => select(1), hashing);
          console.log(
            `  ${store.padEnd(10)} one at a time, asleep between${hashing ? ', argon2id hashing on this core' : ''}: the main thread ${statementUs.toFixed(0)} µs a statement (${wakeUs.toFixed(0)} µs a timer's wake)`,
          );
        }
      } finally {
        await close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
